"""Benchmark: ``draftscope figures`` from a warm cache (goal: under 5 s).

Runs everything as the user would, in subprocesses, against the test suite's stand-in
datatracker serving ../shared/corpus (no network), and reports wall-clock medians with ratios
against two baselines measured in the same run on the same machine:

- ``python -c pass``          the interpreter's start-up
- ``draftscope --help``        our CLI's start-up (imports every command module)

and, for reading the result, the import of the plotting stack alone (pandas, matplotlib,
seaborn, which pulls in scipy.stats), which every figure run pays before drawing anything.

Usage: python3 benchmarks/bench_figures.py [--repeat N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 5.0


def timed(argv: list[str], env: dict[str, str], repeat: int, expect: tuple[int, ...] = (0,)) -> float:
    """Median wall-clock seconds of ``repeat`` runs of ``argv``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in expect:
            sys.exit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "tests"))
    from fakedatatracker import start_server

    server = start_server(args.corpus)
    with tempfile.TemporaryDirectory(prefix="draftscope-bench-") as tmp:
        env = {**os.environ, **server.env(), "DRAFTSCOPE_CACHE": str(Path(tmp) / "cache"),
               "MPLBACKEND": "Agg"}
        draftscope = [sys.executable, "-m", "draftscope"]
        figures = draftscope + ["figures", "--out", str(Path(tmp) / "figures"), "--quiet"]
        # `figures` exits 1 here: the MPTCP lineages are not served (as offline); others written
        partial = (0, 1)

        python = timed([sys.executable, "-c", "pass"], env, args.repeat)
        helptext = timed(draftscope + ["--help"], env, args.repeat)
        stack = timed([sys.executable, "-c", "import pandas, matplotlib.pyplot, seaborn"], env,
                      args.repeat)
        cold = timed(figures, env, 1, partial)
        server.clear_log()
        warm = timed(figures, env, args.repeat, partial)
        warm_requests = server.count() / args.repeat
        offline = timed(figures + ["--offline"], env, args.repeat, partial)
    server.stop()

    rows = [
        ("python -c pass", python),
        ("draftscope --help", helptext),
        ("import pandas, matplotlib, seaborn", stack),
        ("draftscope figures (cold cache, local server)", cold),
        ("draftscope figures (warm cache)", warm),
        ("draftscope figures --offline (warm cache)", offline),
    ]
    print(f"median of {args.repeat} runs (cold: 1 run); ratios against the baselines above")
    print(f"{'command':48} {'seconds':>8} {'x python':>9} {'x --help':>9}")
    for label, seconds in rows:
        print(f"{label:48} {seconds:8.2f} {seconds / python:9.1f} {seconds / helptext:9.1f}")
    print(f"requests per warm run: {warm_requests:.0f}")
    verdict = "meets" if warm < GOAL_SECONDS else "MISSES"
    print(f"warm-cache figures: {warm:.2f} s, {verdict} the {GOAL_SECONDS:.0f} s goal")
    return 0 if warm < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
