"""Benchmark: reading RFC XML (``parse_xml``: parse with lxml, render lines and sections), alone
and followed by the scan's keyword count (``count_keywords(doc, lowercase=True)``, what
``draftscope scan --keywords-only`` does with an XML twin), per file, in one process.

Each version of draftscope/text/xml.py named is loaded side by side (``--against REV``: that
git revision's file, next to the working tree's), and the versions take turns file by file, so
that the load of other work on the machine falls on both alike. Per file the best of
``--repeat`` runs is kept (process CPU time); the median per file and the total are printed.

    python3 benchmarks/bench_xml.py [--corpus ../shared/corpus] [--mirror /tmp/mirror] \\
        [--against REV] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from draftscope.analyses.keywords import count_keywords  # noqa: E402
from draftscope.errors import DraftscopeError  # noqa: E402


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def one(module, raw: bytes, count: bool) -> float:
    start = time.process_time()
    try:
        document = module.parse_xml(raw, name="x", rev="00")
        if count:
            count_keywords(document, lowercase=True)
    except DraftscopeError:
        pass  # a broken twin of the mirror: the time to find out counts too
    return time.process_time() - start


def measure(versions: dict, raws: list[bytes], count: bool, repeat: int) -> dict[str, list[float]]:
    best = {label: [float("inf")] * len(raws) for label in versions}
    for _ in range(repeat):
        for i, raw in enumerate(raws):
            for label, module in versions.items():
                best[label][i] = min(best[label][i], one(module, raw, count))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--mirror", type=Path, help="a mirror from make_mirror.py: its XML twins too")
    parser.add_argument("--against",
                        help="a git revision whose text/xml.py to time beside the working tree's")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    versions = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.against:
            old = Path(tmp) / "xml_before.py"
            show = ["git", "-C", str(REPO), "show", f"{args.against}:draftscope/text/xml.py"]
            old.write_bytes(subprocess.run(show, check=True, capture_output=True).stdout)
            versions[args.against] = load(old, "xml_before")
        versions["working tree"] = load(REPO / "draftscope" / "text" / "xml.py", "xml_now")
        sets = [("corpus", sorted(args.corpus.rglob("*.xml")))]
        if args.mirror:
            sets.append(("mirror twins", sorted(args.mirror.rglob("*.xml"))))
        for set_name, paths in sets:
            raws = [p.read_bytes() for p in paths]
            for count in (False, True):
                best = measure(versions, raws, count, args.repeat)
                what = "parse_xml + count" if count else "parse_xml"
                first = sum(next(iter(best.values())))
                for label, times in best.items():
                    print(f"{set_name} ({len(raws)} XML), {what}, {label}: median"
                          f" {statistics.median(times) * 1e3:.2f} ms per file, total {sum(times):.3f} s cpu"
                          f" ({first / sum(times):.2f}x)")


if __name__ == "__main__":
    main()
