"""Where the per-file function runs: here, in a local process pool, or on a dask.distributed
cluster. Every executor runs :func:`draftscope.archive.record.scan_files` on the same chunks
and yields the same rows (in the order they finish: the dataset is sorted by path on reading).

Work is handed out a window at a time, so memory holds a bounded number of rows in flight
whatever the number of files. On a cluster the workers read the files at the paths the client
sees: ROOT must be on a file system they share (and draftscope installed on each).
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Sequence

from draftscope.archive import record
from draftscope.archive.record import Job, scan_files
from draftscope.errors import ScanInputError

CHUNK = 32           # files per task: one IPC (or one dask task) per chunk (8 -> 32: the main
                     # process's share of a 2-worker keyword scan 0.75 -> 0.62 cpu-s per 2000 files)
SERIAL_CHUNK = 8     # files between progress reports (and commit checks) when scanning here
WINDOW_PER_WORKER = 4  # chunks in flight per worker


def chunks(jobs: Sequence[Job], size: int | None = None) -> list[list[Job]]:
    size = size or CHUNK   # read when called (tests set a smaller CHUNK)
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]


def run_serial(jobs: Sequence[Job]) -> Iterator[list[dict[str, Any]]]:
    for chunk in chunks(jobs, SERIAL_CHUNK):
        yield scan_files(chunk)


def run_pool(jobs: Sequence[Job], workers: int) -> Iterator[list[dict[str, Any]]]:
    """A fork-started process pool (children inherit the imported readers)."""
    import multiprocessing

    record.load_readers()   # imported once here: the forked workers inherit them
    if workers <= 1 or len(jobs) <= 2 * CHUNK * workers:   # a pool pays from a few chunks each
        yield from run_serial(jobs)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(workers) as pool:
        # imap_unordered pulls tasks lazily only as fast as results are taken: bounded memory
        yield from pool.imap_unordered(scan_files, chunks(jobs), chunksize=1)


def run_dask(jobs: Sequence[Job], address: Any) -> Iterator[list[dict[str, Any]]]:
    """The chunks as tasks of the dask.distributed scheduler at ``address`` (a string such as
    ``tcp://host:8786``, or a cluster object), a window at a time."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ScanInputError("--scheduler needs dask.distributed: pip install 'draftscope[cluster]'") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise ScanInputError(f"cannot reach the dask scheduler at {address}: {exc}") from None
    with client:
        workers = max(1, sum(client.nthreads().values()))
        todo = iter(chunks(jobs))
        # the range first: zip then stops without taking (and losing) one more chunk from todo
        first = [client.submit(scan_files, chunk, pure=False)
                 for _, chunk in zip(range(workers * WINDOW_PER_WORKER), todo)]
        if not first:
            return
        window = as_completed(first)
        for future in window:
            rows = future.result()
            future.release()
            chunk = next(todo, None)
            if chunk is not None:   # one out, one in: a bounded number of chunks in flight
                window.add(client.submit(scan_files, chunk, pure=False))
            yield rows


def check_workers(workers: int | None) -> int:
    """``workers`` (None: one per CPU this process may use)."""
    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)
    if workers < 1:
        raise ScanInputError(f"--workers must be at least 1, not {workers}")
    return workers
