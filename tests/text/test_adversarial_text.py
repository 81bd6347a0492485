"""Crafted text cannot make the text stages super-linear (issue 12 item 6).

Three inputs took quadratic time or worse: ``"MUST" `` repeated (boilerplate detection: 14 KB
took 20 s), ``MUST `` repeated on one line (the scanner: 400 KB took 43 s) and `` \\n\\f``
repeated (page-break detection: 24 KB took 16 s). Each stage is now timed on 20 KB and 200 KB of
each: linear time gives a ratio near 10 where quadratic gives 100, and a budget per KB (generous
for a loaded 2-core CI machine) catches what the ratio alone might not. A hypothesis property
mixes the hostile pieces at random and holds every stage to the same budget.
"""

from __future__ import annotations

import gc
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from draftscope.analyses.keyword_scan import count_file
from draftscope.analyses.keywords import boilerplate_spans, count_keywords
from draftscope.text.document import parse_text
from draftscope.text.published import unpage

HOSTILE = {
    "quoted phrases": '"MUST" ',
    "one long line": "MUST ",
    "page breaks": " \n\f",
}
MAX_RATIO = 40  # 10x the text: linear about 10, quadratic 100
# A hostile text may cost this many times an ordinary draft's text of the same length, both
# measured in the same run (so a loaded machine slows both): the quadratic versions took minutes
# where an ordinary text takes milliseconds.
MAX_HOSTILE_FACTOR = 25


def stages(tmp_path):
    path = tmp_path / "hostile.txt"

    def scanner(text: str) -> None:
        path.write_text(text)
        count_file(path, workers=1, lowercase=True)

    return {
        "boilerplate": boilerplate_spans,
        "page breaks": unpage,
        "document path": lambda text: count_keywords(parse_text(text), lowercase=True, by_section=True),
        "scanner": scanner,
    }


def best_time(func, text: str, rounds: int = 3) -> float:
    """CPU seconds of this process (other work on the machine barely moves them), best of
    ``rounds``."""
    best = float("inf")
    gc.collect()
    gc.disable()                # a collection of a long session's heap is not this text's cost
    try:
        for _ in range(rounds):
            start = time.process_time()
            func(text)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def test_hostile_repetitions_take_linear_time(tmp_path):
    failures = []
    for unit_name, unit in HOSTILE.items():
        small, big = unit * (20_000 // len(unit)), unit * (200_000 // len(unit))
        for stage_name, stage in stages(tmp_path).items():
            t_small, t_big = best_time(stage, small), best_time(stage, big, rounds=1)
            ratio = t_big / max(t_small, 0.005)  # below 5 ms the clock is noise
            if ratio > MAX_RATIO:      # best of two: the big text again only when it failed
                t_big = min(t_big, best_time(stage, big, rounds=1))
                ratio = t_big / max(t_small, 0.005)
            if ratio > MAX_RATIO:
                failures.append(f"{stage_name} on {unit_name!r}: 20 KB {t_small:.3f} s, 200 KB {t_big:.3f} s")
    assert not failures, failures


PIECES = ['"MUST" ', "MUST ", " \n\f", "MUST\n", "NOT ", "\f\n", "\n\n", " ", "\t", "[Page 3]\n",
          "RECOMMENDED ", "Table of Contents\n", ". . . ", "RFC 2119 ", "\u201cMUST\u201d ", "\xa0"]


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 3000)), min_size=1, max_size=6))
def test_generated_hostile_texts_cost_what_an_ordinary_text_does(tmp_path, corpus_dir, runs):
    text = "".join(piece * count for piece, count in runs)
    ordinary = _ordinary_text(corpus_dir, max(len(text), 10_000))
    for stage_name, stage in stages(tmp_path).items():
        stage(ordinary[:2000])      # warm: lazy imports and regex compiles are not the text's cost
        elapsed = best_time(stage, text, rounds=2)
        baseline = best_time(stage, ordinary, rounds=1)
        assert elapsed < MAX_HOSTILE_FACTOR * baseline + 0.05, (
            f"{stage_name}: {elapsed:.3f} s for {len(text) / 1000:.0f} KB, an ordinary text of "
            f"that length {baseline:.3f} s")


def _ordinary_text(corpus_dir, length: int) -> str:
    """``length`` characters of a real draft (RFC 9000's text, repeated if need be)."""
    source = (corpus_dir / "rfc" / "rfc9000.txt").read_text(encoding="utf-8")
    return (source * (length // len(source) + 1))[:length]
