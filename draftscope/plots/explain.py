"""``plot --explain``: a keyword figure names the sections behind its largest jumps.

:func:`keyword_jumps` finds the top N steps by absolute change of a drawn phrase (one per
step: the phrase that moved most there); :func:`explain_jumps` reads the two revisions of
each step with :func:`draftscope.analyses.changes.section_changes` and keeps the sections
whose count of that phrase moved most ("-03: +41 MUST" over "3.3 Data Sequence +20");
:func:`~draftscope.plots.annotate.annotate_jumps` writes each note into the axes where it
overlaps nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from draftscope.plots.annotate import (ANNOTATION_GID, Explanation, Jump, annotate_jumps,  # noqa: F401
                                       annotation_text)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DEFAULT_TOP = 3


def keyword_jumps(series: "pd.DataFrame", keywords: Sequence[str], top: int = DEFAULT_TOP) -> list[Jump]:
    """The ``top`` steps with the largest absolute change of any of ``keywords`` (one jump per
    step: its largest), largest first. ``series`` is :func:`keyword_series`' frame."""
    from draftscope.plots.keywords import tick_label

    jumps: dict[int, Jump] = {}
    for keyword in keywords:
        rows = series[series["keyword"] == keyword].sort_values("position")
        values = list(zip(rows["position"], rows["name"], rows["rev"], rows["value"], rows["count"]))
        for (_, n0, r0, v0, c0), (p1, n1, r1, v1, c1) in zip(values, values[1:]):
            jump = Jump(keyword, (n0, r0), (n1, r1), int(p1), float(v1), float(v1 - v0), int(c1 - c0),
                        tick_label(n1, r1))
            if jump.delta and (p1 not in jumps or abs(jump.delta) > abs(jumps[p1].delta)):
                jumps[int(p1)] = jump
    ranked = sorted(jumps.values(), key=lambda j: (-abs(j.delta), j.position))
    return ranked[:max(0, top)]


def explain_jumps(jumps: Sequence[Jump], files: Mapping[tuple[str, str], Any], *,
                  progress: Callable[[int], object] | None = None) -> list[Explanation]:
    """The sections behind each jump: ``files`` maps (name, rev) to what
    :func:`~draftscope.analyses.changes.section_changes` reads (a Revision or a path)."""
    from draftscope.analyses.changes import section_changes

    out = []
    for jump in jumps:
        diff = section_changes(files[jump.old], files[jump.new], definitions=False)
        moved = []
        for change in diff.changes:
            delta = (change.keywords or {}).get(jump.keyword, 0)
            if delta:
                label = change.to_label or change.from_label or ""
                moved.append((label, delta))
        same_sign = [m for m in moved if (m[1] > 0) == (jump.count_delta > 0)]
        ranked = sorted(same_sign or moved, key=lambda m: -abs(m[1]))
        out.append(Explanation(jump, tuple(ranked)))
        if progress is not None:
            progress(1)
    return out

def explain_frame(frame: "pd.DataFrame", files: Mapping[tuple[str, str], Any],
                  keywords: Sequence[str], *, top: int = DEFAULT_TOP, normalize: str = "none",
                  revisions: Sequence[str] | None = None) -> list[Explanation]:
    """The notes ``plot --explain`` writes on one lineage's keyword figure: the ``top`` jumps
    of the drawn ``keywords`` (as :func:`keyword_series` draws them) and their sections."""
    from draftscope.plots.keywords import keyword_series

    series = keyword_series(frame, keywords, normalize=normalize, revisions=revisions)
    jumps = [j for j in keyword_jumps(series, list(dict.fromkeys(keywords)), top)
             if j.old in files and j.new in files]
    return explain_jumps(jumps, files)


def explain_lineages(frames: Mapping[str, "pd.DataFrame"], targets: Sequence[str], session: Any,
                     keywords: Sequence[str], *, top: int = DEFAULT_TOP, normalize: str = "none",
                     revisions: Sequence[str] | None = None) -> dict[str, list[Explanation]]:
    """``plot --explain``: the notes of each lineage's figure, its text files found through
    ``session`` (a :class:`~draftscope.fetch.session.Session`) from what was plotted
    (draft names and local files)."""
    from pathlib import Path

    from draftscope.fetch.targets import is_local_path

    found = [r for t in targets
             for r in (session.resolve(Path(t)) if is_local_path(t) else session.resolve(t, lineage=True))]
    files = {(r.name, r.rev): r for r in found if r.path is not None and r.format == "txt"}
    return {name: explain_frame(frame, files, keywords, top=top, normalize=normalize,
                                revisions=revisions)
            for name, frame in frames.items()}
