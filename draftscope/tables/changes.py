"""Section changes as records and a tidy frame: one row per section per revision step.

``changes_frame(revisions)`` is the library call (:mod:`draftscope.analyses.changes` does the
work); :func:`step_record` is the ``changes --format json`` document of one step, whose keys are
only ever added to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

from draftscope.analyses.changes import SectionChange, SectionsDiff, lineage_changes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# One row per section and step. ``from``/``to`` are the step's revision labels, ``name``/``rev``
# those of the newer revision; ``section_from``/``section_to`` the section's number and title
# (empty when added/removed); ``index_*`` its position among the revision's sections and
# ``top_*`` that of its top-level section (for figures by top-level section); ``keywords`` the
# non-zero BCP 14 deltas as text ("MUST +3; SHOULD -1"), ``keyword_change`` their sum.
CHANGES_COLUMNS = (
    "from", "to", "name", "rev", "section_from", "section_to", "change", "words_added",
    "words_removed", "words_before", "words_after", "share_changed", "keywords",
    "keyword_change", "definitions", "split", "merged", "index_from", "index_to", "top_from",
    "top_to",
)


def keywords_text(delta: dict[str, int] | None) -> str:
    """``{"MUST": 3, "SHOULD": -1}`` -> ``"MUST +3; SHOULD -1"``."""
    return "; ".join(f"{phrase} {n:+d}" for phrase, n in (delta or {}).items())


def _top(sections: Any, index: int | None) -> int | None:
    """Index of the top-level section holding section ``index`` (itself when top-level)."""
    if index is None:
        return None
    while sections[index].parent is not None:
        index = sections[index].parent
    return index


def change_record(change: SectionChange) -> dict[str, Any]:
    """One section's change as the JSON object of ``changes --format json``."""
    return {
        "from": change.from_label,
        "to": change.to_label,
        "change": change.change,
        "words_added": change.words_added,
        "words_removed": change.words_removed,
        "keywords": dict(change.keywords or {}),
        "definitions": list(change.definitions),
        "split": [s.label for s in change.split],
        "merged": [s.label for s in change.merged],
    }


def step_record(diff: SectionsDiff, *, unchanged: bool = False) -> dict[str, Any]:
    """One step: ``from``, ``to`` and its ``sections`` (the changed ones unless ``unchanged``)."""
    return {
        "from": diff.old_label,
        "to": diff.new_label,
        "sections": [change_record(c) for c in diff.changes if unchanged or c.change != "unchanged"],
    }


def change_rows(diffs: Iterable[SectionsDiff], revisions: Any = None, *,
                unchanged: bool = True) -> list[dict[str, Any]]:
    """The rows of :data:`CHANGES_COLUMNS`; ``revisions`` (the SectionedRevisions read, in
    order) give the ``top_*`` columns, else they are left empty."""
    rows = []
    read = list(revisions) if revisions is not None else None
    for step, diff in enumerate(diffs):
        name, rev = _name_rev(diff.new_label, read[step + 1] if read else None)
        for c in diff.changes:
            if not unchanged and c.change == "unchanged":
                continue
            i_from = c.old.index if c.old is not None else None
            i_to = c.new.index if c.new is not None else None
            rows.append({
                "from": diff.old_label, "to": diff.new_label, "name": name, "rev": rev,
                "section_from": c.from_label or "", "section_to": c.to_label or "",
                "change": c.change, "words_added": c.words_added,
                "words_removed": c.words_removed, "words_before": c.words_before,
                "words_after": c.words_after, "share_changed": round(c.share_changed, 4),
                "keywords": keywords_text(c.keywords),
                "keyword_change": sum((c.keywords or {}).values()),
                "definitions": "; ".join(c.definitions),
                "split": "; ".join(s.label for s in c.split),
                "merged": "; ".join(s.label for s in c.merged),
                "index_from": i_from, "index_to": i_to,
                "top_from": _top(read[step].sections, i_from) if read else None,
                "top_to": _top(read[step + 1].sections, i_to) if read else None,
            })
    return rows


def _name_rev(label: str, revision: Any) -> tuple[str, str]:
    if revision is not None:
        return revision.name, revision.rev
    return label, ""


def lineage_rows(revisions: Iterable[Any], *, definitions: bool = True,
                 workers: int | None = None, progress: Callable[[int], object] | None = None,
                 unchanged: bool = True) -> tuple[list[SectionsDiff], list[dict[str, Any]]]:
    """Read a lineage's revisions and diff each step: the diffs and their rows."""
    from draftscope.analyses.changes import read_all

    read = read_all(revisions, definitions=definitions, workers=workers, progress=progress)
    diffs = lineage_changes(read)
    return diffs, change_rows(diffs, read, unchanged=unchanged)


def changes_frame(revisions: Iterable[Any], *, definitions: bool = True,
                  workers: int | None = None, unchanged: bool = True) -> "pd.DataFrame":
    """Section changes of each step of ``revisions`` (Revisions, Documents or paths, in
    lineage order; or many lineages: ``fetch_lineages``' ``{lineage: revisions}``, a list of
    lineages) as a tidy frame: ``lineage, name, rev, label, date`` (the step's newer revision:
    ``label`` is ``to``, ``date`` a UTC datetime), then :data:`CHANGES_COLUMNS`;
    ``unchanged=False`` keeps only the sections that changed."""
    import pandas as pd

    from draftscope.analyses.changes import read_all
    from draftscope.tables.keywords import lineage_groups

    rows = []
    for lineage, members in lineage_groups(revisions, "revisions"):
        read = read_all(members, definitions=definitions, workers=workers)
        for row in change_rows(lineage_changes(read), read, unchanged=unchanged):
            date = next((r.date for r in read if r.label == row["to"]), None)
            rows.append({**row, "lineage": lineage or (read[-1].name if read else ""),
                         "label": row["to"], "date": date})
    frame = pd.DataFrame(rows, columns=["lineage", "name", "rev", "label", "date",
                                        *(c for c in CHANGES_COLUMNS if c not in ("name", "rev"))])
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    for column in ("index_from", "index_to", "top_from", "top_to"):
        frame[column] = frame[column].astype("Int64")
    return frame
