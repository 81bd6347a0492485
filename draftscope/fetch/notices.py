"""Warnings of the fetch stage: one line each on stderr.

A skipped server entry or a damaged cached file is not an error (the rest of the lineage or
group goes on) but must not pass silently either.
"""

from __future__ import annotations

import contextlib
import sys
from contextvars import ContextVar
from typing import Iterator, Sequence

from draftscope.errors import printable

# lineages an offline run read only in part, for a caller that collects them (the CLI says
# them in one line each once a command succeeded); nobody collecting: the data is in
# FetchResult.missing / Session.partial alone
_PARTIAL: ContextVar["dict[str, tuple[int, list[str]]] | None"] = ContextVar("partial", default=None)


def warn(message: str) -> None:
    """``draftscope: warning: <message>`` on stderr, on one line whatever the message holds."""
    print(f"draftscope: warning: {printable(' '.join(message.split()))}", file=sys.stderr,
          flush=True)


def record_partial(lineage: str, listed: int, missing: Sequence[str]) -> None:
    """An offline lineage of ``listed`` files whose ``missing`` ones are not cached."""
    sink = _PARTIAL.get()
    if sink is not None:
        sink.setdefault(lineage, (listed, list(missing)))


@contextlib.contextmanager
def collect_partial() -> Iterator[dict[str, tuple[int, list[str]]]]:
    """Collect :func:`record_partial` calls made inside the block: ``{lineage: (listed,
    missing)}``."""
    sink: dict[str, tuple[int, list[str]]] = {}
    token = _PARTIAL.set(sink)
    try:
        yield sink
    finally:
        _PARTIAL.reset(token)


def partial_message(lineage: str, listed: int, missing: Sequence[str]) -> str:
    """One line naming what an offline run left out of a lineage (its files not cached)."""
    shown = ", ".join(missing[:4]) + (f" ... {missing[-1]}" if len(missing) > 4 else "")
    return (f"{lineage}: {len(missing)} of {listed} files not in the cache (offline), left out: "
            f"{shown} (drop --offline to fetch them)")


def forget_partial() -> None:
    """The caller said the partial lineages itself (``compare`` names them per comparison)."""
    sink = _PARTIAL.get()
    if sink is not None:
        sink.clear()
