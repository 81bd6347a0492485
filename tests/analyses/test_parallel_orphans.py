"""Pool workers die with the command (issue 20 item 5): SIGTERM (what ``timeout`` sends) or
SIGKILL to a process running parallel_map leaves no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import os, sys, time
    from draftscope.analyses.parallel import parallel_map

    def work(item):
        open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
        time.sleep(300)
        return item

    if __name__ == "__main__":
        parallel_map(work, list(range(4)), workers=2, min_items=2, min_seconds=0)
""")


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_for(condition, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit      # a bound on waiting, not a measured time
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; prctl is Linux's")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_die_with_their_parent(tmp_path, signum):
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT)
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script), str(pids)], env=env)
    try:
        assert wait_for(lambda: len(list(pids.iterdir())) == 2), "the pool never started"
        workers = [int(p.name) for p in pids.iterdir()]
        assert all(alive(pid) for pid in workers)
        parent.send_signal(signum)
        status = parent.wait(timeout=60)
        assert status == -signum or status == 128 + signum
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 30.0), \
            [pid for pid in workers if alive(pid)]
    finally:
        if parent.poll() is None:
            parent.kill()
        for p in pids.iterdir():
            try:
                os.kill(int(p.name), signal.SIGKILL)
            except ProcessLookupError:
                pass
