"""``scan_archive``: a mirror (or a cache) into the scan dataset, incrementally.

A rerun compares each file's path, size and mtime with the row the dataset holds; a file whose
size is the same but whose mtime is not is hashed, and read again only when its SHA-256 differs
(a copy that kept the bytes costs one hash). Rows of files that are gone are dropped. New rows
are committed a batch at a time (:mod:`draftscope.archive.store`), so a killed scan loses at
most the batch in flight and the next run scans what is not in the dataset yet.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from draftscope.archive import execute
from draftscope.archive.record import MEASURES, Job
from draftscope.archive.sources import SourceFile, find_sources, known_revisions, lookup
from draftscope.archive.store import Indexed, Store
from draftscope.errors import ScanInputError

BATCH_ROWS = 2000        # rows per committed part
BATCH_SECONDS = 30.0     # ... or sooner, so that a kill loses little work


@dataclass(frozen=True)
class ScanReport:
    """What a scan did: files found, read (scanned), hashed only, kept as they were, rows
    dropped (files gone or changed), and the rows with an error now in the dataset."""

    files: int
    scanned: int
    hashed: int
    kept: int
    dropped: int
    errors: int


def scan_archive(root: str | os.PathLike, out: str | os.PathLike, *, workers: int | None = None,
                 scheduler: Any = None, measure: str = "all", batch_rows: int = BATCH_ROWS,
                 batch_seconds: float = BATCH_SECONDS,
                 progress: Callable[[int], object] | None = None,
                 on_total: Callable[[int], object] | None = None) -> ScanReport:
    """Scan every revision text under ``root`` into the dataset folder ``out``.

    ``workers`` processes here (None: one per CPU), or the dask.distributed scheduler at
    ``scheduler``; ``measure`` ``"keywords"`` fills the keyword columns alone (fast).
    ``on_total`` is told how many files will be read, ``progress`` called after each.
    """
    root, out = Path(root), Path(out)
    if measure not in MEASURES:
        raise ScanInputError(f"unknown measure {measure!r} (choose from {', '.join(MEASURES)})")
    if not root.is_dir():
        raise ScanInputError(f"{root}: no such folder (ROOT is a mirror of id/ and rfc/, or a cache)")
    n_workers = execute.check_workers(workers)
    if _inside(out, root):
        raise ScanInputError(f"{out}: the dataset may not lie inside ROOT {root}")
    sources = find_sources(root)
    known = known_revisions(root)
    with Store.open(out, measure) as store:
        index = store.index()
        todo, stat, hashed = _changes(root, sources, index)
        drop = (set(index) - {s.path for s in sources}) | {s.path for s in todo if s.path in index}
        store.rewrite(drop, stat, index)
        jobs = [Job(str(root), s, lookup(known, s.name, s.rev), measure) for s in todo]
        if on_total is not None:
            on_total(len(jobs))
        if scheduler is not None:
            results = execute.run_dask(jobs, scheduler)
        else:
            results = execute.run_pool(jobs, n_workers)
        _write(store, results, batch_rows, batch_seconds, progress)
        store.compact(batch_rows)
    return ScanReport(len(sources), len(jobs), hashed, len(sources) - len(jobs), len(drop),
                      _count_errors(out))


def _count_errors(out: Path) -> int:
    from draftscope.archive.store import read_table

    table = read_table(out, ["error"])
    return table.num_rows - table.column("error").null_count


def _changes(root: Path, sources: list[SourceFile],
             index: dict[str, Indexed]) -> tuple[list[SourceFile], dict[str, tuple[int, int]], int]:
    """The files to read, the rows whose stat alone changed (same bytes), how many were hashed."""
    todo: list[SourceFile] = []
    stat: dict[str, tuple[int, int]] = {}
    hashed = 0
    for source in sources:
        held = index.get(source.path)
        if held is None or held.size != source.size or held.sha256 is None:
            todo.append(source)
        elif held.mtime_ns != source.mtime_ns:
            hashed += 1
            if _sha256(root / source.path) == held.sha256:
                stat[source.path] = (source.size, source.mtime_ns)
            else:
                todo.append(source)
    return todo, stat, hashed


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _write(store: Store, results, batch_rows: int, batch_seconds: float,
           progress: Callable[[int], object] | None) -> None:
    pending: list[dict[str, Any]] = []
    last = time.monotonic()
    for rows in results:
        pending.extend(rows)
        if progress is not None:
            progress(len(rows))
        if len(pending) >= batch_rows or time.monotonic() - last >= batch_seconds:
            store.append(pending)
            pending, last = [], time.monotonic()
    store.append(pending)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
