"""Where the CPU time of ``draftscope scan --keywords-only`` goes, stage by stage, in one process.

Times (process CPU time, best of ``--repeat``) over every file of a mirror (benchmarks/make_mirror.py):

* reading the bytes and their SHA-256 (what every row needs);
* the text files' keyword scan, and inside it the eleven phrases' letter passes, the seven
  lowercase words' passes and the page-break checks, each run alone (the rest of the scan is
  the judging: table of contents, boilerplate paragraphs, phrases across page breaks);
* the XML files: parsed and rendered (``parse_xml``), then counted;
* ripgrep over the same tree with one thread, the 18 words, as the baseline.

Then the whole command (``scan --keywords-only``) with ``--workers 1`` and ``--workers 2``,
the CPU time of its main process and of its workers apart: the difference from the sum of the
stages above is what the scan adds around the scanner (start-up, imports, process pool, rows,
Parquet).

    python3 benchmarks/scan_costs.py /tmp/mirror2k [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_scan import LOWERCASE, PHRASES  # noqa: E402

from draftscope.analyses.keyword_scan import NeedsExact, furniture, passes, scan  # noqa: E402
from draftscope.analyses.keyword_scan.common import _Part  # noqa: E402
from draftscope.analyses.keywords import count_keywords  # noqa: E402
from draftscope.errors import DraftscopeError  # noqa: E402
from draftscope.text.xml import parse_xml  # noqa: E402

MAIN_AND_WORKERS = (
    "import resource, sys; from draftscope.archive import scan as s; "
    "s.scan_archive(sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), measure='keywords'); "
    "me, ch = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)); "
    "print(me.ru_utime + me.ru_stime, ch.ru_utime + ch.ru_stime)")


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def _xml(files: list[tuple[Path, bytes]]) -> None:
    for path, raw in files:
        try:
            count_keywords(parse_xml(raw, name="x", rev="00", source=str(path)), lowercase=True)
        except DraftscopeError:
            pass


def _text(raws: list[bytes]) -> None:
    for raw in raws:
        try:
            scan(raw, lowercase=True)
        except NeedsExact:
            count_keywords(raw, lowercase=True)


def _furniture(raws: list[bytes]) -> None:
    for raw in raws:
        try:
            furniture._page_furniture(raw, 0, len(raw), True, _Part({}, None, [], []))
        except NeedsExact:
            pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mirror", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(p for p in args.mirror.rglob("*") if p.is_file())
    print(f"load average (1 min) at start: {Path('/proc/loadavg').read_text().split()[0]}")
    raws = [p.read_bytes() for p in paths]
    text = [r for p, r in zip(paths, raws) if p.suffix != ".xml"]
    xml = [(p, r) for p, r in zip(paths, raws) if p.suffix == ".xml"]
    size = sum(map(len, raws))
    print(f"{len(paths)} files ({len(xml)} XML), {size / 1e6:.0f} MB; cpu seconds, best of {args.repeat}")
    rows = [
        ("read", best(args.repeat, lambda: [p.read_bytes() for p in paths])),
        ("sha256", best(args.repeat, lambda: [hashlib.sha256(r).hexdigest() for r in raws])),
        ("text files: keyword scan", best(args.repeat, lambda: _text(text))),
        ("  of which phrase passes", best(args.repeat, lambda: [passes._scan(r, 0, len(r)) for r in text])),
        ("  of which lowercase passes", best(args.repeat, lambda: [
            Counter(rx.findall(r)) for r in text for rx in passes._LOWER_PASSES])),
        ("  of which page-break checks", best(args.repeat, lambda: _furniture(text))),
        ("XML files: parse_xml + count", best(args.repeat, lambda: _xml(xml))),
    ]
    for name, seconds in rows:
        print(f"  {name:32} {seconds:6.2f}")
    stages = sum(s for n, s in rows if not n.startswith(" "))
    print(f"  {'sum of the stages':32} {stages:6.2f}")
    rg = shutil.which("rg")
    if rg:
        patterns = [a for p in PHRASES + LOWERCASE for a in ("-e", p)]
        cmd = [rg, "--count-matches", "-w", "--threads", "1", *patterns, str(args.mirror)]
        cpu = []
        for _ in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(f"  {'ripgrep, 1 thread':32} {min(cpu):6.2f}")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([sys.executable, "-c", MAIN_AND_WORKERS, str(args.mirror), f"{tmp}/ds",
                                   str(workers)], capture_output=True, text=True, check=True,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
        main_cpu, worker_cpu = map(float, done.stdout.split())
        print(f"scan --keywords-only --workers {workers}: main process {main_cpu:.2f}, workers {worker_cpu:.2f}, "
              f"total {main_cpu + worker_cpu:.2f} cpu seconds")
    print(f"load average (1 min) at end: {Path('/proc/loadavg').read_text().split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
