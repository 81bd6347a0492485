"""Benchmark: structural diff of the two most distant revisions of every corpus draft.

For each series in the corpus (and for -00 against its RFC where the corpus has it) this times
``diff_definitions(first, last)`` (load both texts, extract, match, diff) against a baseline
measured in the same run: just reading the two files. Reports the best of ``--repeat`` runs and
the ratio diff / read; fails (exit 1) if any diff takes 1 s or more.

    python3 benchmarks/bench_diff.py [--corpus ../shared/corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from draftscope.analyses.definitions import diff_definitions  # noqa: E402
from draftscope.text.document import load_document  # noqa: E402

LIMIT_S = 1.0


def best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def pairs(corpus: Path) -> list[tuple[str, Path, Path]]:
    lineage = json.loads((corpus / "lineage.json").read_text())
    out = []
    for series in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name.startswith("draft-")):
        revs = sorted(series.glob(f"{series.name}-[0-9][0-9].txt"))
        if len(revs) >= 2:
            out.append((series.name, revs[0], revs[-1]))
        rfc = lineage.get(series.name, {}).get("rfc")
        if revs and rfc and (corpus / "rfc" / f"{rfc}.txt").is_file():
            out.append((f"{series.name} -> {rfc}", revs[0], corpus / "rfc" / f"{rfc}.txt"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"{'pair':<52} {'read ms':>8} {'1st ms':>8} {'best ms':>8} {'ratio':>7}  defs  not-unchanged")
    worst = 0.0
    for label, a, b in pairs(args.corpus):
        read = best_of(args.repeat, lambda: (a.read_bytes(), b.read_bytes()))
        diff = None

        def run():
            nonlocal diff
            diff = diff_definitions(load_document(a), load_document(b))

        first = best_of(1, run)           # cold: nothing cached yet for this pair
        elapsed = min(first, best_of(args.repeat, run))
        worst = max(worst, first)
        n_defs = sum(1 for c in diff.changes if c.new is not None)
        changed = sum(1 for c in diff.changes if c.change != "unchanged")
        name = f"{label} ({a.stem[-2:]} vs {b.stem if b.stem.startswith('rfc') else b.stem[-2:]})"
        print(f"{name:<52} {read * 1e3:8.2f} {first * 1e3:8.1f} {elapsed * 1e3:8.1f} {elapsed / read:7.0f}"
              f"  {n_defs:4}  {changed:7}")
    print(f"slowest first (cold) diff: {worst * 1e3:.1f} ms (limit {LIMIT_S * 1e3:.0f} ms)")
    return 0 if worst < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
