"""Progress bars on stderr: the one helper every stage and the CLI use.

``progress`` follows one convention everywhere: True shows a bar, False never does, None shows
one only when stderr is a terminal (a pipe, a file or a notebook's captured stderr stays clean).
tqdm is imported only when a bar is actually drawn, so importing this module costs nothing.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Iterable, Iterator


class NoBar:
    """Stands in for a tqdm bar when none is shown: the same calls, no output."""

    def __init__(self, items: Iterable | None = None, total: int | None = None) -> None:
        self._items = items if items is not None else ()
        self.total = total or 0

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __enter__(self) -> "NoBar":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        return None

    def close(self) -> None:
        return None


def show_progress(progress: bool | None) -> bool:
    """Whether a bar is drawn: ``progress`` itself, or for None whether stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def progress_bar(progress: bool | None, *, desc: str, unit: str, total: int | None = None,
                 items: Iterable | None = None, minimum: int = 1, leave: bool = True) -> Any:
    """A tqdm bar on stderr over ``items`` (or counting to ``total``), or a silent :class:`NoBar`
    when ``progress`` says no or there are fewer than ``minimum`` steps.

    Usable as an iterator, a context manager, or by ``update(n)``/``set_postfix_str``/``close``.
    """
    steps = total if total is not None else (len(items) if hasattr(items, "__len__") else minimum)
    if not show_progress(progress) or steps < minimum:
        return NoBar(items, total)
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr, leave=leave,
                **_terminal_shape())


def _terminal_shape() -> dict[str, int]:
    """A fixed size when stderr is a pty reporting 0x0 (script, some CI runners), where tqdm
    would otherwise draw an invisible bar."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return {}
    return {"ncols": 100, "nrows": 20} if size.columns <= 0 or size.lines <= 0 else {}
