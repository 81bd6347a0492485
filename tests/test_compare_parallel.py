"""parallel_map: same results as a list comprehension, in order, pool only when it pays."""

from __future__ import annotations

import os

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
    results = parallel_map(_square_and_pid, list(range(20)), workers=2, progress=ticks.append)
    assert [square for square, _ in results] == [i * i for i in range(20)]
    assert os.getpid() not in {pid for _, pid in results}
    assert sum(ticks) == 20


def test_pool_reraises_worker_errors():
    with pytest.raises(ValueError, match="three"):
        parallel_map(_fail_on_three, range(10), workers=2, min_items=2)
