"""A process-pool map over revisions that stays serial when a pool would not pay.

Counting keywords or extracting definitions is pure CPU work per revision, so a group of drafts
(hundreds of revisions) spreads well over processes. A pool costs forking, pickling each result
and, on a busy machine, waiting for a free CPU; it pays only when there is enough work. So the
map runs in this process with one worker or fewer than ``min_items`` items; otherwise it times
the first items and starts a pool only if the rest would take longer than ``min_seconds``
serially. Results always come back in input order.
"""

from __future__ import annotations

import math
import os
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
    todo: Sequence[T] = items if isinstance(items, Sequence) else list(items)
    n_workers = default_workers() if workers is None else max(1, int(workers))
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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for result in pool.map(func, todo, chunksize=chunksize):
            results.append(result)
            if progress is not None:
                progress(1)
    return results
