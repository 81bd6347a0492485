"""Benchmark: ``draftscope keywords`` against ripgrep counting the same 11 phrases.

Concatenates the shared corpus's .txt files ten times into one file (about 270 MB with the
corpus as it is) and times, in the same run and as whole processes (start-up included):

* baseline: ``rg --count-matches -w -e 'MUST\\s+NOT' ... -e OPTIONAL FILE`` (the 11 phrases,
  longest first, one total; ripgrep from Debian: ``apt-get install -y ripgrep``);
* ``rg -o -w ...`` (prints every match, so that counts per phrase are possible), for reference;
* ``python -m draftscope keywords FILE --format csv -q`` (the file split over one process per
  CPU), and the same with ``--jobs 1`` (one process).

Each command runs ``--repeat`` times (default 3) after one warm-up run that also puts the file
in the page cache; the median wall time is reported with the ratio to the baseline.
Goal (issue 3): draftscope at most 3x ripgrep. Usage::

    python3 benchmarks/bench_keywords.py [--corpus ../shared/corpus] [--copies 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
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


def wall(cmd: list[str], repeat: int) -> tuple[float, bytes]:
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)  # warm-up
    times = []
    output = b""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # rg exits 1 when nothing matched
            sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
        output = done.stdout
    return statistics.median(times), output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the concatenated file here and keep it")
    args = parser.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        sys.exit("ripgrep not found: apt-get update && apt-get install -y ripgrep")

    with tempfile.TemporaryDirectory() as tmp:
        big = args.keep or Path(tmp) / "corpus-x10.txt"
        size = build_input(args.corpus, args.copies, big)
        patterns = [arg for p in PHRASES_LONGEST_FIRST for arg in ("-e", p)]
        baseline, rg_out = wall([rg, "--count-matches", "-w", *patterns, str(big)], args.repeat)
        listing, _ = wall([rg, "-o", "-w", *patterns, str(big)], args.repeat)
        command = [sys.executable, "-m", "draftscope", "keywords", str(big), "--format", "csv", "-q"]
        ours, csv_out = wall(command, args.repeat)
        single, single_out = wall(command + ["--jobs", "1"], args.repeat)
    if single_out != csv_out:
        sys.exit("--jobs 1 and the default disagree")
    rows = [line.split(",") for line in csv_out.decode().splitlines()[1:]]
    total = sum(int(r[-1]) for r in rows)
    print(f"input: {size / 1e6:.1f} MB ({args.copies} copies of {args.corpus})")
    print(f"rg --count-matches -w (11 phrases): {baseline:.3f} s  ({rg_out.decode().strip()} matches)")
    print(f"rg -o -w (11 phrases):              {listing:.3f} s  ratio {listing / baseline:.2f}")
    print(f"draftscope keywords --format csv:   {ours:.3f} s  ratio {ours / baseline:.2f}  "
          f"({total} phrases counted, boilerplate apart)")
    print(f"draftscope keywords --jobs 1:        {single:.3f} s  ratio {single / baseline:.2f}  (one process)")
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"load average during the run: {load} on {os.cpu_count()} CPUs (others' work slows both)")
    except OSError:
        pass
    print(f"goal: ratio <= 3.00 -> {'met' if ours / baseline <= 3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
