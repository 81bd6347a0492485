"""Wall and CPU seconds of one whole child process, for the benchmarks that time commands."""

from __future__ import annotations

import resource
import subprocess
import time


def timed(argv: list[str], env: dict[str, str], *, check: bool = False) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process (CPU: user + system of it and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
