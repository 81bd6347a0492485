"""parallel_map: same results as a list comprehension, in order, pool only when it pays."""

from __future__ import annotations

import os
import time

import pytest

from draftscope.analyses.parallel import parallel_map, pool_pays


def _square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def _fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("three")
    return value


def test_serial_when_one_worker_or_few_items():
    assert not pool_pays(100, 1)
    assert not pool_pays(3, 2)
    assert pool_pays(8, 2)
    results = parallel_map(_square_and_pid, range(5), workers=4)
    assert [square for square, _ in results] == [0, 1, 4, 9, 16]
    assert {pid for _, pid in results} == {os.getpid()}


def test_pool_keeps_input_order_and_reports_progress():
    ticks = []
    results = parallel_map(_square_and_pid, list(range(20)), workers=2, min_seconds=0,
                           progress=ticks.append)
    assert [square for square, _ in results] == [i * i for i in range(20)]
    assert os.getpid() not in {pid for _, pid in results}
    assert sum(ticks) == 20


def test_pool_reraises_worker_errors():
    with pytest.raises(ValueError, match="three"):
        parallel_map(_fail_on_three, range(10), workers=2, min_items=2, min_seconds=0)


def _sleep_and_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_pool_only_when_the_timed_work_pays():
    # 10 items of ~1 ms: the first two are timed, the rest (~8 ms, or a few hundred on a loaded
    # machine, far below min_seconds) stays in this process; only load could lengthen them
    assert set(parallel_map(_sleep_and_pid, [0.001] * 10, workers=2, min_seconds=20.0)) \
        == {os.getpid()}
    # 10 items of 0.3 s: ~2.4 s of estimated work left > min_seconds=1: a pool takes the rest
    pids = parallel_map(_sleep_and_pid, [0.3] * 10, workers=2, min_seconds=1.0)
    assert pids[:2] == [os.getpid()] * 2
    assert os.getpid() not in pids[2:]
