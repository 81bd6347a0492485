"""Benchmark: the CPU time of draftscope's quick commands, start-up included.

Each command runs as a whole process (``python -m draftscope ...``, bytecode cached in a
temporary ``PYTHONPYCACHEPREFIX`` filled by a warm-up round, as an installed package has it),
in interleaved rounds; its CPU time (user + system, ``getrusage(RUSAGE_CHILDREN)``) is printed
as the minimum and the median over the rounds, next to ``python -c pass`` (the interpreter's
own start-up, the floor). Give several source trees (``git worktree`` or ``git archive``
copies) to compare them round by round on the same machine load:

    python3 benchmarks/bench_startup.py                       # this checkout
    python3 benchmarks/bench_startup.py /tmp/old . --rounds 30 --big /tmp/big.txt

On a shared machine CPU time varies by tens of percent from run to run; ``--instructions``
also counts each command's instructions once under valgrind (callgrind), which varies by well
under 1% and shows a start-up change of a few milliseconds that CPU times hide.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT.parent / "shared" / "corpus" / "rfc" / "rfc768.txt"


def commands(small: Path, big: Path | None) -> dict[str, list[str]]:
    draftscope = [sys.executable, "-m", "draftscope"]
    found = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "draftscope --help": draftscope + ["--help"],
        "draftscope keywords --help": draftscope + ["keywords", "--help"],
        f"draftscope keywords {small.name} -q": draftscope + ["keywords", str(small), "-q"],
    }
    if big is not None:
        found[f"draftscope keywords {big.name} --workers 1 -q --format csv"] = (
            draftscope + ["keywords", str(big), "--workers", "1", "-q", "--format", "csv"])
    return found


def cpu_seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """CPU time of one run of ``command`` in ``cwd`` (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Instructions one run of ``command`` executes (valgrind's callgrind, its total Ir)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *command], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT],
                        help="source trees to run draftscope from (default: this checkout)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--small", type=Path, default=SMALL, help="a small text (default: rfc768)")
    parser.add_argument("--big", type=Path, help="also count this large text, one process")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (one run each)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (apt-get install -y valgrind)")
    for path in [args.small] + ([args.big] if args.big else []):
        if not path.is_file():
            parser.error(f"no such file: {path}")
    trees = [tree.resolve() for tree in args.trees]
    for tree in trees:
        if not (tree / "draftscope" / "__main__.py").is_file():
            parser.error(f"{tree} holds no draftscope package")
    runs = commands(args.small.resolve(), args.big.resolve() if args.big else None)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        times: dict[tuple[str, Path], list[float]] = {(c, t): [] for c in runs for t in trees}
        for name, command in runs.items():          # warm-up: bytecode cached, files read
            for tree in trees:
                cpu_seconds(command, tree, env)
        for _round in range(args.rounds):           # interleaved: each round sees one load
            for name, command in runs.items():
                for tree in trees:
                    times[(name, tree)].append(cpu_seconds(command, tree, env))
        counted = {(name, tree): instructions(command, tree, env)
                   for name, command in runs.items() for tree in trees} if args.instructions else {}
    print(f"CPU time (user + system) over {args.rounds} interleaved rounds; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    for name in runs:
        print(name)
        for tree in trees:
            values = times[(name, tree)]
            count = (f"   {counted[(name, tree)] / 1e6:8.1f}M instructions"
                     if counted else "")
            print(f"  {str(tree):40s} min {min(values) * 1000:7.1f} ms   "
                  f"median {statistics.median(values) * 1000:7.1f} ms{count}")


if __name__ == "__main__":
    main()
