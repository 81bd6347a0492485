"""Benchmark ``draftscope compare --group quic`` with 1 and 2 worker processes (warm cache).

Serves ../shared/corpus with the test suite's fake datatracker, warms a temporary cache with one
run, then times, alternating so drift hits every variant alike:

* the whole command (a fresh process each time: start-up, group listing, cache checks,
  analysis, figure, CSVs) with ``--workers 1`` (the baseline), ``--workers 2`` and the default
  (one per CPU, pool only when it pays);
* the analysis step alone (``analyse_lineages``), with and without definition extraction.

Reports the best of ``--repeat`` runs and each variant's ratio to the 1-worker baseline measured
in the same run (ratio > 1: faster than the baseline).

    python3 benchmarks/bench_compare.py [--repeat 3] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def time_command(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv[2:])} failed: {done.stderr.strip()}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--group", default="quic")
    args = parser.parse_args()

    from fakedatatracker import start_server

    from draftscope.analyses.parallel import default_workers
    from draftscope.fetch.config import Settings
    from draftscope.fetch.session import group_drafts
    from draftscope.fetch.session import fetch_lineages
    from draftscope.tables.compare import analyse_lineages

    server = start_server(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, **server.env(), DRAFTSCOPE_CACHE=str(Path(tmp) / "cache"),
                   MPLBACKEND="Agg")
        command = [sys.executable, "-m", "draftscope", "compare", "--group", args.group,
                   "--out", str(Path(tmp) / "out"), "-q"]
        time_command(command + ["--workers", "1"], env)          # warm the cache

        settings = Settings.from_env(env)
        names = [d["name"] for d in group_drafts(args.group, settings=settings, offline=True)]
        lineages = fetch_lineages(names, settings=settings, offline=True, progress=False)
        revisions = sum(len(r) for r in lineages.values())
        print(f"{args.group}: {len(lineages)} drafts, {revisions} revisions; "
              f"{default_workers()} CPUs; best of {args.repeat}")

        variants = {
            "command --workers 1": lambda: time_command(command + ["--workers", "1"], env),
            "command --workers 2": lambda: time_command(command + ["--workers", "2"], env),
            "command (default)": lambda: time_command(command, env),
            "analysis 1 worker": lambda: _time(analyse_lineages, lineages, 1, True),
            "analysis default (pool if it pays)": lambda: _time(analyse_lineages, lineages, None, True),
            "analysis 2 workers (pool forced)": lambda: _time(analyse_lineages, lineages, 2, True),
            "analysis 1 worker, keywords only": lambda: _time(analyse_lineages, lineages, 1, False),
            "analysis 2 workers, keywords only (forced)": lambda: _time(analyse_lineages, lineages, 2, False),
        }
        best = {name: float("inf") for name in variants}
        for _ in range(args.repeat):
            for name, run in variants.items():
                best[name] = min(best[name], run())
    server.stop()

    baselines = {"command": best["command --workers 1"], "analysis": best["analysis 1 worker"]}
    baselines["keywords"] = best["analysis 1 worker, keywords only"]
    for name, seconds in best.items():
        base = baselines["keywords" if "keywords only" in name else name.split()[0]]
        print(f"{name:44s} {seconds:7.3f} s   ratio to 1 worker {base / seconds:5.2f}x")
    print(f"load average during the run: {os.getloadavg()[1]:.2f} (1 = one busy CPU)")
    return 0


def _time(analyse, lineages, workers: int | None, definitions: bool) -> float:
    """One in-process analysis; 2 workers always use the pool (no timing of the first items)."""
    from draftscope.analyses import parallel

    saved = parallel.MIN_POOL_SECONDS
    parallel.MIN_POOL_SECONDS = 0.0 if workers == 2 else saved
    try:
        start = time.perf_counter()
        analyse(lineages, workers=workers, definitions=definitions, progress=False)
        return time.perf_counter() - start
    finally:
        parallel.MIN_POOL_SECONDS = saved


if __name__ == "__main__":
    raise SystemExit(main())
