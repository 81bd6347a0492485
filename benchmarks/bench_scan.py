"""Benchmark: ``draftscope scan`` over a synthetic mirror (benchmarks/make_mirror.py).

Measures, as whole processes (start-up included), in the same run:

* keyword columns alone: ``draftscope scan MIRROR --out DS --keywords-only --workers N`` (a
  fresh dataset, so every file is read, hashed and counted) against ripgrep over the same tree
  with the same number of threads, ``rg --count-matches -w --threads N`` with the eleven
  phrases and the seven lowercase words (what the keyword columns hold). Throughput is the
  mirror's bytes over wall time; CPU time (user + system of all processes) is printed too, and
  is what the load of other work on the machine disturbs least. Goal (issue 18): at least 1/3
  of ripgrep's throughput.
* the full scan (every column: text stage, keywords, sizes, definitions) of the first
  ``--full-files`` files: files per second per worker;
* an incremental rerun after 1% of those files changed (appended to): its time against the
  full scan's (goal: < 5%);
* peak memory (max RSS of the scan's main process and of its largest worker) for the keyword
  scan of a tenth of the mirror and of all of it: bounded means about the same.

    python3 benchmarks/make_mirror.py /tmp/mirror -n 20000
    python3 benchmarks/bench_scan.py /tmp/mirror [--workers 2] [--full-files 2000] [--repeat 3]
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
PHRASES = (r"NOT\s+RECOMMENDED", r"SHOULD\s+NOT", r"SHALL\s+NOT", r"MUST\s+NOT", "RECOMMENDED",
           "REQUIRED", "OPTIONAL", "SHOULD", "SHALL", "MUST", "MAY")
LOWERCASE = ("must", "should", "may", "shall", "required", "recommended", "optional")


def _children() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    cpu = _children()[0]
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed: {done.stderr.decode(errors='replace')}")
    return wall, _children()[0] - cpu, done.stderr.decode(errors="replace")


def mirror_bytes(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def scan_cmd(root: Path, out: Path, workers: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "draftscope", "scan", str(root), "--out", str(out),
            "--workers", str(workers), "-q", *extra]


def keywords_vs_rg(root: Path, workers: int, repeat: int, env: dict[str, str], tmp: Path) -> None:
    rg = shutil.which("rg")
    if rg is None:
        sys.exit("ripgrep not found: apt-get update && apt-get install -y ripgrep")
    files, size = mirror_bytes(root)
    patterns = [a for p in PHRASES + LOWERCASE for a in ("-e", p)]
    rg_cmd = [rg, "--count-matches", "-w", "--threads", str(workers), *patterns, str(root)]
    subprocess.run(rg_cmd, stdout=subprocess.DEVNULL, check=False)     # page cache
    rg_runs, our_runs = [], []
    for i in range(repeat):
        rg_runs.append(run(rg_cmd)[:2])
        out = tmp / f"kw{i}"
        our_runs.append(run(scan_cmd(root, out, workers, "--keywords-only"), env)[:2])
        shutil.rmtree(out)
    rg_wall = statistics.median(w for w, _ in rg_runs)
    our_wall = statistics.median(w for w, _ in our_runs)
    rg_cpu = statistics.median(c for _, c in rg_runs)
    our_cpu = statistics.median(c for _, c in our_runs)
    print(f"mirror: {files} files, {size / 1e6:.0f} MB; {workers} workers/threads; median of {repeat}")
    print(f"  rg --count-matches -w (18 words): wall {rg_wall:.2f} s ({size / rg_wall / 1e6:.0f} MB/s), "
          f"cpu {rg_cpu:.2f} s ({size / rg_cpu / 1e6:.0f} MB/s per cpu-second)")
    print(f"  scan --keywords-only:             wall {our_wall:.2f} s ({size / our_wall / 1e6:.0f} MB/s), "
          f"cpu {our_cpu:.2f} s ({size / our_cpu / 1e6:.0f} MB/s per cpu-second)")
    print(f"  throughput vs ripgrep: wall {rg_wall / our_wall:.2f}, cpu {rg_cpu / our_cpu:.2f} "
          f"(goal >= 0.33)")


def full_and_incremental(root: Path, workers: int, n: int, env: dict[str, str], tmp: Path) -> None:
    subset = tmp / "subset"
    all_files = sorted(p for p in root.rglob("*") if p.is_file())[:n]
    for path in all_files:
        target = subset / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    out = tmp / "full"
    wall, cpu, _ = run(scan_cmd(subset, out, workers), env)
    print(f"full scan of {len(all_files)} files, {workers} workers: wall {wall:.1f} s, cpu {cpu:.1f} s: "
          f"{len(all_files) / wall / workers:.1f} files/s per worker (wall), "
          f"{len(all_files) / cpu:.1f} files per cpu-second")
    changed = all_files[:: 100][: max(1, n // 100)]
    for path in changed:
        with open(subset / path.relative_to(root), "ab") as handle:
            handle.write(b"\n   A late sentence that implementations MUST read.\n")
    rerun = [arg for arg in scan_cmd(subset, out, workers) if arg != "-q"]   # its summary on stderr
    again, again_cpu, err = run(rerun, env)
    print(f"incremental rerun after {len(changed)} files ({len(changed) / len(all_files):.0%}) changed: "
          f"wall {again:.2f} s = {again / wall:.1%} of the full scan, cpu {again_cpu:.2f} s = "
          f"{again_cpu / cpu:.1%} (goal < 5%); {err.strip()}")


def peak_memory(root: Path, workers: int, env: dict[str, str], tmp: Path) -> None:
    code = ("import resource, sys; from draftscope.archive import scan as s; "
            "r = s.scan_archive(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), measure='keywords'); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.files)")
    tenth = tmp / "tenth"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    for path in files[: len(files) // 10]:
        target = tenth / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    for name, tree in (("a tenth", tenth), ("all", root)):
        done = subprocess.run([sys.executable, "-c", code, str(tree), str(tmp / f"mem-{name}"), str(workers)],
                              capture_output=True, text=True, env=env, check=True)
        main_kb, child_kb, n = done.stdout.split()
        print(f"peak memory, keyword scan of {name} of the mirror ({n} files): main process "
              f"{int(main_kb) / 1024:.0f} MB, largest worker {int(child_kb) / 1024:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mirror", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full-files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", default="", help="comma-separated: keywords,full,memory")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    skip = set(args.skip.split(","))
    print(f"load average (1 min) at start: {load()} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(dir=args.mirror.parent) as tmp:
        if "keywords" not in skip:
            keywords_vs_rg(args.mirror, args.workers, args.repeat, env, Path(tmp))
        if "full" not in skip:
            full_and_incremental(args.mirror, args.workers, args.full_files, env, Path(tmp))
        if "memory" not in skip:
            peak_memory(args.mirror, args.workers, env, Path(tmp))
    print(f"load average (1 min) at end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
