"""Crafted text cannot make the text stages super-linear (issue 12 item 6).

Three inputs took quadratic time or worse: ``"MUST" `` repeated (boilerplate detection: 14 KB
took 20 s), ``MUST `` repeated on one line (the scanner: 400 KB took 43 s) and `` \\n\\f``
repeated (page-break detection: 24 KB took 16 s). Each stage is now timed on 20 KB and 200 KB of
each: linear time gives a ratio near 10 where quadratic gives 100, and a budget per KB (generous
for a loaded 2-core CI machine) catches what the ratio alone might not. A hypothesis property
mixes the hostile pieces at random and holds every stage to the same budget.
"""

from __future__ import annotations

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
BUDGET_PER_KB = 0.02  # seconds: 4 s for 200 KB; the quadratic versions took minutes
MAX_RATIO = 40  # 10x the text: linear about 10, quadratic 100


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
    for _ in range(rounds):
        start = time.process_time()
        func(text)
        best = min(best, time.process_time() - start)
    return best


def test_hostile_repetitions_take_linear_time(tmp_path):
    failures = []
    for unit_name, unit in HOSTILE.items():
        small, big = unit * (20_000 // len(unit)), unit * (200_000 // len(unit))
        for stage_name, stage in stages(tmp_path).items():
            t_small, t_big = best_time(stage, small), best_time(stage, big, rounds=2)
            ratio = t_big / max(t_small, 0.005)  # below 5 ms the clock is noise
            if t_big > BUDGET_PER_KB * 200 or ratio > MAX_RATIO:
                failures.append(f"{stage_name} on {unit_name!r}: 20 KB {t_small:.3f} s, 200 KB {t_big:.3f} s")
    assert not failures, failures


PIECES = ['"MUST" ', "MUST ", " \n\f", "MUST\n", "NOT ", "\f\n", "\n\n", " ", "\t", "[Page 3]\n",
          "RECOMMENDED ", "Table of Contents\n", ". . . ", "RFC 2119 ", "\u201cMUST\u201d ", "\xa0"]


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 3000)), min_size=1, max_size=6))
def test_generated_hostile_texts_stay_within_budget(tmp_path, runs):
    text = "".join(piece * count for piece, count in runs)
    budget = BUDGET_PER_KB * max(len(text) / 1000, 10)
    for stage_name, stage in stages(tmp_path).items():
        elapsed = best_time(stage, text, rounds=1)
        assert elapsed < budget, f"{stage_name}: {elapsed:.3f} s for {len(text) / 1000:.0f} KB"
