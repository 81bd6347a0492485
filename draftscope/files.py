"""Writing files so that nobody ever sees half of one: the one atomic-write helper (below every
stage, like :mod:`draftscope.errors`), used by the cache and by every output.

A file is written to a temporary file created exclusively (``O_CREAT|O_EXCL``: a planted file or
symlink of that name is never opened, let alone followed) under an unpredictable name in the
destination folder, then renamed over the target with ``os.replace`` (which replaces a symlink
at the target instead of writing through it). The temporary name is
``.<target>.<pid>-<host>.<random>.part``: a later run recognises a killed writer's leftover at once
(its pid is gone) and removes anyone's after an hour (:func:`sweep_partials`). Files get the mode
an ordinary ``open()`` would give (0666 minus the umask).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import threading
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from draftscope.errors import OutputError

TEMP_SUFFIX = ".part"
# .<target>.<pid>-<host>.<random>.part: ours, and the pid tells whether its writer is alive
OWN_TEMP_RE = re.compile(r"\A\..+\.([0-9]{1,10})-([0-9a-f]{6})\.[A-Za-z0-9_]+\.part\Z", re.ASCII)
# what older versions of draftscope left behind in an output folder: .<file>.partial,
# .<file>.<pid>.partial (figures), .<file>.<pid>.part (CSV/JSON/Markdown)
OLD_TEMP_RE = re.compile(r"\A\..+\.(?:png|svg|pdf)(?:\.[0-9]{1,10})?\.partial\Z"
                         r"|\A\..+\.[0-9]{1,10}\.part\Z", re.ASCII)
STALE_SECONDS = 3600.0


@functools.lru_cache(maxsize=1)
def host_tag() -> str:
    """Six hex digits naming this host in temp file names (hashlib loaded on first write only:
    the CLI imports this module at start-up)."""
    import hashlib

    return hashlib.sha256(os.uname().nodename.encode()).hexdigest()[:6]


def temp_prefix(path: Path) -> str:
    """The start of a temp file's name for ``path``: hidden, and naming this process and host."""
    return f".{path.name}.{os.getpid()}-{host_tag()}."


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, durable: bool = False) -> Iterator[BinaryIO]:
    """A binary file handle whose contents replace ``path`` when the ``with`` block ends without
    an error (nothing is left behind when it raises). ``durable``: fsync before the rename (the
    cache does; figures need not). The folder must exist."""
    import tempfile

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | os.PathLike, data: bytes | str, *, durable: bool = True) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically, making its folder if needed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(target, durable=durable) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_output(path: str | os.PathLike, data: bytes | str) -> Path:
    """:func:`write_atomic` for an output file: an OSError becomes one OutputError line."""
    target = Path(path)
    try:
        write_atomic(target, data, durable=False)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def sweep_partials(folder: str | os.PathLike, older_than: float = STALE_SECONDS, *,
                   ours_only: bool = True) -> int:
    """Delete the temp files killed writers left in ``folder``; returns how many.

    Ours (pid in the name, this host) go as soon as that process is gone; other temp files of
    draftscope's naming (any host, older versions' fixed names) after ``older_than`` seconds.
    ``ours_only=False`` (the cache's own areas): any ``.*.part`` after ``older_than`` too. A
    user's folder never loses a file draftscope did not name. Only regular files are removed
    (a symlink or folder of that shape is left alone); a missing folder is no error.
    """
    root = Path(folder)
    if not root.is_dir() or root.is_symlink():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for path in root.glob(".*.part*"):
        name = path.name
        ours = OWN_TEMP_RE.match(name) or OLD_TEMP_RE.match(name)
        if not ours and (ours_only or not name.endswith(TEMP_SUFFIX)):
            continue
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            if writer_gone(name) or info.st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def writer_gone(filename: str) -> bool:
    """A temp file of ours whose writing process (on this host) no longer exists."""
    m = OWN_TEMP_RE.match(filename)
    if not m or m.group(2) != host_tag():
        return False
    pid = int(m.group(1))
    if pid == os.getpid():
        return False            # another thread of this run may be writing it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False
    return False


def check_stem(stem: str) -> str:
    """A file name without its extension, refused (ValueError naming ``stem=``) when it could
    leave its folder or hide: empty, a path separator, ``.``/``..``, a leading dot, NUL."""
    if not isinstance(stem, str):
        raise TypeError(f"stem= wants a file name (str), got {type(stem).__name__}")
    if (not stem or stem in (".", "..") or stem.startswith(".") or "/" in stem or "\\" in stem
            or os.sep in stem or "\x00" in stem or len(stem.encode("utf-8", "replace")) > 200):
        raise ValueError(f"stem= must be a plain file name (no folder, no leading dot, at most "
                         f"200 bytes), got {stem!r}")
    return stem


_umask_lock = threading.Lock()
_umask: int | None = None


def current_umask() -> int:
    """The process umask, read without changing it where /proc allows (threads write files)."""
    global _umask
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        if _umask is None:
            _umask = os.umask(0o022)
            os.umask(_umask)
        return _umask
