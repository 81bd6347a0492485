"""Benchmark: ``draftscope keywords`` against ripgrep counting the same 11 phrases.

Concatenates the shared corpus's .txt files ten times into one file (about 270 MB with the
corpus as it is) and times, in the same run and as whole processes (start-up included):

* baseline: ``rg --count-matches -w -e 'MUST\\s+NOT' ... -e OPTIONAL FILE`` (the 11 phrases,
  longest first, one total; ripgrep from Debian: ``apt-get install -y ripgrep``);
* ``rg -o -w ...`` (prints every match, so that counts per phrase are possible), for reference;
* ``python -m draftscope keywords FILE --format csv -q`` (the file split over one process per
  CPU), and the same with ``--jobs 1`` (one process).

The commands run in ``--repeat`` interleaved rounds (default 5) after a warm-up round that also
puts the file in the page cache; best and median wall times are reported with their ratios to
the baseline, and so is CPU time (user + system of all the command's processes), which other
work on the machine disturbs less. Goal (issue 3): draftscope at most 3x ripgrep. Usage::

    python3 benchmarks/bench_keywords.py [--corpus ../shared/corpus] [--copies 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PHRASES_LONGEST_FIRST = (
    r"NOT\s+RECOMMENDED", r"SHOULD\s+NOT", r"SHALL\s+NOT", r"MUST\s+NOT",
    "RECOMMENDED", "REQUIRED", "OPTIONAL", "SHOULD", "SHALL", "MUST", "MAY",
)


def build_input(corpus: Path, copies: int, out: Path) -> int:
    files = sorted(corpus.rglob("*.txt"))
    if not files:
        sys.exit(f"no .txt files under {corpus}")
    with out.open("wb") as sink:
        for _ in range(copies):
            for path in files:
                sink.write(path.read_bytes())
    return out.stat().st_size


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str]) -> tuple[float, float, bytes]:
    """Wall time, CPU time (user + system, all processes of the command) and stdout."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode not in (0, 1):  # rg exits 1 when nothing matched
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed, cpu, done.stdout


def interleaved(
    commands: dict[str, list[str]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, bytes]]:
    """Run every command once per round (after a warm-up round), so that whatever else the
    machine does slows all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, bytes] = {}
    for round_ in range(repeat + 1):
        for name, cmd in commands.items():
            elapsed, cpu, out = run(cmd)
            outputs[name] = out
            if round_:
                times[name].append(elapsed)
                cpus[name].append(cpu)
    return times, cpus, outputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the concatenated file here and keep it")
    args = parser.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        sys.exit("ripgrep not found: apt-get update && apt-get install -y ripgrep")

    with tempfile.TemporaryDirectory() as tmp:
        big = args.keep or Path(tmp) / "corpus-x10.txt"
        size = build_input(args.corpus, args.copies, big)
        patterns = [arg for p in PHRASES_LONGEST_FIRST for arg in ("-e", p)]
        ours = [sys.executable, "-m", "draftscope", "keywords", str(big), "--format", "csv", "-q"]
        commands = {
            "rg --count-matches -w (11 phrases)": [rg, "--count-matches", "-w", *patterns, str(big)],
            "rg -o -w (11 phrases)": [rg, "-o", "-w", *patterns, str(big)],
            "draftscope keywords --format csv": ours,
            "draftscope keywords --jobs 1": ours + ["--jobs", "1"],
        }
        times, cpus, outputs = interleaved(commands, args.repeat)
    names = list(commands)
    if outputs[names[2]] != outputs[names[3]]:
        sys.exit("--jobs 1 and the default disagree")
    rows = [line.split(",") for line in outputs[names[2]].decode().splitlines()[1:]]
    total = sum(int(r[-1]) for r in rows)
    print(f"input: {size / 1e6:.1f} MB ({args.copies} copies of {args.corpus}); "
          f"{args.repeat} interleaved rounds, best and median wall time")
    base_best, base_median = min(times[names[0]]), statistics.median(times[names[0]])
    base_cpu = min(cpus[names[0]])
    for name in names:
        best, median, cpu = min(times[name]), statistics.median(times[name]), min(cpus[name])
        print(f"{name:36} wall best {best:.3f} s (x{best / base_best:.2f})  median {median:.3f} s "
              f"(x{median / base_median:.2f})  cpu {cpu:.3f} s (x{cpu / base_cpu:.2f})")
    print(f"rg matches: {outputs[names[0]].decode().strip()}; draftscope: {total} phrases counted, "
          f"boilerplate apart")
    ratio = min(times[names[2]]) / base_best
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"load average during the run: {load} on {os.cpu_count()} CPUs (others' work slows both)")
    except OSError:
        pass
    print(f"goal (best vs best): ratio {ratio:.2f} <= 3.00 -> {'met' if ratio <= 3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
