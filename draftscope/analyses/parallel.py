"""A process-pool map over revisions that stays serial when a pool would not pay.

Counting keywords or extracting definitions is pure CPU work per revision, so a group of drafts
(hundreds of revisions) spreads well over processes. A pool costs forking, pickling each result
and, on a busy machine, waiting for a free CPU; it pays only when there is enough work. So the
map runs in this process with one worker or fewer than ``min_items`` items; otherwise it times
the first items and starts a pool only if the rest would take longer than ``min_seconds``
serially. Results always come back in input order.

Workers never outlive the run (issue 20): each asks the kernel to kill it when its parent dies
(Linux ``prctl(PR_SET_PDEATHSIG)``, so a SIGKILL of the command takes the pool with it), and a
SIGTERM to the parent (what ``timeout`` sends) ends the workers before the parent exits.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, or this many seconds of estimated serial work, a pool does not pay
# (forking ~20 ms, then the slowest chunk); benchmarks/bench_compare.py measures the QUIC WG.
MIN_ITEMS_FOR_POOL = 8
MIN_POOL_SECONDS = 0.3
SAMPLE_ITEMS = 2            # items timed serially to estimate the work
ITEMS_PER_CHUNK = 4         # small chunks keep uneven revisions balanced; one IPC per chunk


def default_workers() -> int:
    """Workers to use when the caller gives none: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pool_pays(n_items: int, workers: int, min_items: int = MIN_ITEMS_FOR_POOL) -> bool:
    """Whether a process pool is worth starting for ``n_items`` with ``workers`` processes."""
    return workers > 1 and n_items >= max(min_items, 2)


def parallel_map(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    min_items: int = MIN_ITEMS_FOR_POOL,
    min_seconds: float | None = None,
    progress: Callable[[int], object] | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, in a process pool when it pays.

    ``func`` must be a module-level function and items/results picklable (they cross process
    boundaries). ``workers`` None means one per CPU. ``min_seconds`` (default
    ``MIN_POOL_SECONDS``) 0 skips the timing: a pool whenever there are ``min_items``. ``progress`` is called with 1 after each
    finished item (e.g. a tqdm bar's ``update``).
    """
    from draftscope.options import check_workers

    todo: Sequence[T] = items if isinstance(items, Sequence) else list(items)
    n_workers = default_workers() if workers is None else check_workers(workers)
    results: list[R] = []

    def serial(part: Sequence[T]) -> None:
        for item in part:
            results.append(func(item))
            if progress is not None:
                progress(1)

    if not pool_pays(len(todo), n_workers, min_items):
        serial(todo)
        return results
    rest = todo
    min_seconds = MIN_POOL_SECONDS if min_seconds is None else min_seconds
    if min_seconds > 0:
        sample = todo[:SAMPLE_ITEMS]
        start = time.perf_counter()
        serial(sample)
        per_item = (time.perf_counter() - start) / len(sample)
        rest = todo[len(sample):]
        if per_item * len(rest) < min_seconds or not pool_pays(len(rest), n_workers, min_items):
            serial(rest)
            return results
    results.extend(_pool_map(func, rest, min(n_workers, len(rest)), progress))
    return results


def _pool_map(
    func: Callable[[T], R],
    todo: Sequence[T],
    workers: int,
    progress: Callable[[int], object] | None,
) -> list[R]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork is cheapest on Linux (the children inherit imported modules); elsewhere use the default.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunksize = max(1, min(ITEMS_PER_CHUNK, math.ceil(len(todo) / workers)))
    results: list[R] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        with _terminate_on_sigterm(pool):
            for result in pool.map(func, todo, chunksize=chunksize):
                results.append(result)
                if progress is not None:
                    progress(1)
    return results


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """A pool worker's initializer: be killed (SIGKILL) when the parent process dies, on Linux;
    exit at once if it already has; take SIGTERM's default action (end), not a handler the
    parent had when it forked."""
    import signal   # (here and in _terminate_on_sigterm: a serial map never needs it)

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):     # no libc to ask: the SIGTERM handler still holds
            pass
    if os.getppid() != parent:                # the parent died before prctl took effect
        os._exit(1)


class _terminate_on_sigterm:
    """While the pool runs (main thread only): a SIGTERM ends the workers, then the process
    exits with status 143 as it would have; the previous handler is put back afterwards."""

    def __init__(self, pool) -> None:
        self.pool = pool
        self.previous = None

    def _handler(self, signum, frame) -> None:
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError, AttributeError):
                pass
        raise SystemExit(128 + signum)

    def __enter__(self) -> "_terminate_on_sigterm":
        import signal

        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            import signal

            signal.signal(signal.SIGTERM, self.previous)
