"""plots stage.

matplotlib keeps a config folder and a font cache, by default under ``$HOME`` (~/.config,
~/.cache/matplotlib). draftscope points it (``MPLCONFIGDIR``, unless already set) at a private
per-user folder in the temp directory before any plot module imports matplotlib; importing this
package does not import matplotlib itself.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path


def _private_matplotlib_dir() -> None:
    if os.environ.get("MPLCONFIGDIR") or "matplotlib" in sys.modules:
        return
    folder = Path(tempfile.gettempdir()) / f"draftscope-matplotlib-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)   # ours, a real folder, writable by nobody else
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022:
            os.environ["MPLCONFIGDIR"] = str(folder)
            return
    except OSError:
        pass
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="draftscope-matplotlib-")


_private_matplotlib_dir()
