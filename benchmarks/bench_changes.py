"""Benchmark: ``draftscope textdiff`` of quic-transport -00 vs -34 and ``draftscope changes`` of
the whole quic-transport lineage (35 drafts and RFC 9000) from a warm cache (issue 16).

Times whole processes, interleaved over ``--repeat`` rounds after a warm-up round:

- ``diff -u A B`` (GNU diff, line by line: the baseline for ``textdiff``; iddiff and rfcdiff
  build on line diffs) and ``draftscope --help`` (start-up alone),
- ``draftscope textdiff A B`` (the two local files),
- ``draftscope keywords NAME --offline --format csv`` (reads every revision of the lineage
  once: the baseline for ``changes``),
- ``draftscope changes NAME --offline --format json`` with the default ``--workers``, with
  ``--workers 1`` and with ``--no-definitions``.

The lineage is served by the fake datatracker (tests/fakedatatracker.py) and fetched once into
a temporary cache. Reports median and best wall time, CPU time (user + system of the process
and its workers), ratios to the baselines and the load average; exits 1 when the median
textdiff takes 1 s or more or the median changes 5 s or more (issue 16's goals).

    python3 benchmarks/bench_changes.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from process_timing import timed  # noqa: E402  (beside this script)

NAME = "draft-ietf-quic-transport"
TEXTDIFF_LIMIT_S = 1.0
CHANGES_LIMIT_S = 5.0



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from fakedatatracker import start_server

    first = args.corpus / NAME / f"{NAME}-00.txt"
    last = args.corpus / NAME / f"{NAME}-34.txt"
    ds = [sys.executable, "-m", "draftscope"]
    server = start_server(args.corpus)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, **server.env(), "DRAFTSCOPE_CACHE": str(Path(tmp) / "cache"),
                   "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg",
                   "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}   # bytecode cached
            env.pop("DRAFTSCOPE_DEBUG", None)
            subprocess.run([*ds, "fetch", NAME, "-q"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            commands = {
                "diff -u (baseline)": [shutil.which("diff") or "diff", "-u", str(first), str(last)],
                "draftscope --help": [*ds, "--help"],
                "textdiff -00 -34": [*ds, "textdiff", str(first), str(last)],
                "keywords NAME (baseline)": [*ds, "keywords", NAME, "--offline", "-q",
                                             "--format", "csv"],
                "changes NAME": [*ds, "changes", NAME, "--offline", "-q", "--format", "json"],
                "changes --workers 1": [*ds, "changes", NAME, "--offline", "-q", "--format",
                                        "json", "--workers", "1"],
                "changes --no-definitions": [*ds, "changes", NAME, "--offline", "-q",
                                             "--format", "json", "--no-definitions"],
            }
            times: dict[str, list[float]] = {k: [] for k in commands}
            cpu: dict[str, list[float]] = {k: [] for k in commands}
            load_before = os.getloadavg()
            for round_ in range(args.repeat + 1):          # round 0 warms up
                for key, argv in commands.items():
                    wall, used = timed(argv, env)
                    if round_:
                        times[key].append(wall)
                        cpu[key].append(used)
            load_after = os.getloadavg()
    finally:
        server.stop()

    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.repeat} rounds; load average before {load_before[0]:.2f}, after "
          f"{load_after[0]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'command':<28} {'median':>8} {'best':>8} {'CPU':>8}  ratio (median)")
    baselines = {"textdiff -00 -34": "diff -u (baseline)", "changes NAME": "keywords NAME (baseline)",
                 "changes --workers 1": "keywords NAME (baseline)",
                 "changes --no-definitions": "keywords NAME (baseline)"}
    for key in commands:
        ratio = ""
        if key in baselines:
            base = baselines[key]
            ratio = (f"x{median[key] / median[base]:.1f} {base.split(' (')[0]}, "
                     f"CPU x{statistics.median(cpu[key]) / statistics.median(cpu[base]):.1f}")
        print(f"{key:<28} {median[key]:>7.2f}s {min(times[key]):>7.2f}s "
              f"{statistics.median(cpu[key]):>7.2f}s  {ratio}")
    ok = median["textdiff -00 -34"] < TEXTDIFF_LIMIT_S and median["changes NAME"] < CHANGES_LIMIT_S
    print(f"goals: textdiff < {TEXTDIFF_LIMIT_S:g} s, changes < {CHANGES_LIMIT_S:g} s (median wall): "
          + ("met" if ok else "NOT met at this load"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
