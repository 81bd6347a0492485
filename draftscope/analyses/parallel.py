"""A process-pool map over revisions that stays serial when a pool would not pay.

Counting keywords or extracting definitions is pure CPU work per revision, so a group of drafts
(hundreds of revisions) spreads well over processes. A pool costs a fork/spawn per worker plus
pickling each result, which dominates for a handful of revisions: below ``min_items`` items, or
with one worker, the map runs in this process. Results always come back in input order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool's start-up (~0.1-0.3 s with fork, pandas already imported)
# costs more than it saves; measured with benchmarks/bench_compare.py.
MIN_ITEMS_FOR_POOL = 8
CHUNKS_PER_WORKER = 4


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
    progress: Callable[[int], object] | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, in a process pool when it pays.

    ``func`` must be a module-level function and items/results picklable (they cross process
    boundaries). ``workers`` None means one per CPU. ``progress`` is called with 1 after each
    finished item (e.g. a tqdm bar's ``update``).
    """
    todo: Sequence[T] = items if isinstance(items, Sequence) else list(items)
    n_workers = default_workers() if workers is None else max(1, int(workers))
    if not pool_pays(len(todo), n_workers, min_items):
        results = []
        for item in todo:
            results.append(func(item))
            if progress is not None:
                progress(1)
        return results
    return _pool_map(func, todo, min(n_workers, len(todo)), progress)


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
    # a few chunks per worker: one IPC round trip per chunk, not per item, yet balanced enough
    chunksize = max(1, math.ceil(len(todo) / (workers * CHUNKS_PER_WORKER)))
    results: list[R] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for result in pool.map(func, todo, chunksize=chunksize):
            results.append(result)
            if progress is not None:
                progress(1)
    return results
