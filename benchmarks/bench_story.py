"""Benchmark: ``draftscope story`` of one definition over quic-transport's 35 drafts and RFC 9000.

Serves the corpus with the fake datatracker (tests/fakedatatracker.py), warms a temporary cache
with one ``draftscope fetch``, then times whole processes, interleaved over ``--repeat`` rounds
after a warm-up round, all with ``--offline`` (a warm cache):

- ``draftscope --help`` (start-up alone),
- ``draftscope history NAME --definition PATTERN --format csv`` (the same reading and diffing
  of every revision, no drawing): the baseline,
- ``draftscope story NAME --definition PATTERN`` (that, plus a figure per step, the strip, CSV
  and Markdown), with the default ``--workers`` and with ``--workers 1``.

Reports median and best wall time and the ratios story / history; fails (exit 1) if the median
story takes 3 s or more (issue 10).

    python3 benchmarks/bench_story.py [--definition '^ACK Frame'] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from process_timing import timed  # noqa: E402  (beside this script)

LIMIT_S = 3.0
NAME = "draft-ietf-quic-transport"



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--definition", default="^ACK Frame")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from fakedatatracker import start_server

    server = start_server(args.corpus)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, **server.env(), "DRAFTSCOPE_CACHE": str(Path(tmp) / "cache"),
                   "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
            env.pop("DRAFTSCOPE_DEBUG", None)
            subprocess.run([sys.executable, "-m", "draftscope", "fetch", NAME, "-q"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
            out = Path(tmp) / "figures"
            commands = {
                "--help": ["--help"],
                "history": ["history", NAME, "--definition", args.definition, "--format", "csv",
                            "--offline", "-q"],
                "story": ["story", NAME, "--definition", args.definition, "--offline", "-q",
                          "--out", str(out)],
                "story --workers 1": ["story", NAME, "--definition", args.definition,
                                      "--offline", "-q", "--out", str(out), "--workers", "1"],
            }
            times: dict[str, list[float]] = {k: [] for k in commands}
            cpu: dict[str, list[float]] = {k: [] for k in commands}
            for round_ in range(args.repeat + 1):          # round 0 warms up
                for key, argv in commands.items():
                    elapsed, used = timed([sys.executable, "-m", "draftscope", *argv], env, check=True)
                    if round_:
                        times[key].append(elapsed)
                        cpu[key].append(used)
            steps = len(list(out.glob("*_story_[0-9][0-9]_*.png")))
            figures = len(list(out.glob("*.png")))
    finally:
        server.stop()

    median = {k: statistics.median(v) for k, v in times.items()}
    median_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"{NAME}, --definition {args.definition!r}: {steps} steps, {figures} PNG figures "
          f"(+ SVG, CSV, Markdown); {args.repeat} rounds, CPUs: {os.cpu_count()}, "
          f"load: {os.getloadavg()[0]:.1f}")
    print("wall: median and best of the rounds; CPU: median user+system (what wall would be on "
          "an idle machine, one process)")
    print(f"{'command':<20} {'median s':>9} {'best s':>8} {'/ history':>10} {'CPU s':>7} "
          f"{'/ history':>10}")
    for key in commands:
        print(f"{key:<20} {median[key]:9.2f} {min(times[key]):8.2f} "
              f"{median[key] / median['history']:10.2f} {median_cpu[key]:7.2f} "
              f"{median_cpu[key] / median_cpu['history']:10.2f}")
    verdict = "ok" if median["story"] < LIMIT_S else "TOO SLOW"
    print(f"story median {median['story']:.2f} s (limit {LIMIT_S:.0f} s): {verdict}")
    return 0 if median["story"] < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
