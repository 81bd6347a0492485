"""A working group's documents over time: one row per lineage, one record per revision.

Where :mod:`draftscope.tables.group` lists a group's drafts with their first and last dates,
this module keeps every revision, so a figure can draw each lineage as a row from its first
revision (the individual draft the working group adopted, when there was one) to its RFC or
its last revision, with a tick per revision (:func:`draftscope.plots.group.plot_group`).

The pure step is :func:`timeline_records`: (WG draft name, doc.json, lineage entries) per
group draft in, records out. A draft listed by the group that is itself in another listed
draft's lineage (a WG draft replaced by another WG draft) is not a row of its own: every
lineage is drawn once. :func:`group_timeline` fetches what it needs through a Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from draftscope.fetch.names import document_kind

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.records import LineageEntry
    from draftscope.fetch.session import Session

# timeline_frame's: the revision's identity first (label: name-rev, or the RFC's name)
FRAME_COLUMNS = ["lineage", "name", "rev", "label", "date", "row", "kind", "rfc", "status"]

# tastypie slugs of /api/v1/name/stdlevelname/ and intendedstdlevelname/ -> display names
# (doc.json gives the display names themselves)
STD_LEVELS = {
    "ps": "Proposed Standard", "ds": "Draft Standard", "std": "Internet Standard",
    "bcp": "Best Current Practice", "inf": "Informational", "exp": "Experimental",
    "hist": "Historic", "unkn": "Unknown",
}
UNKNOWN_STATUS = "unknown"


@dataclass(frozen=True)
class TimelinePoint:
    """One revision of one document of a working group's lineage (a row of the figure)."""

    row: int                  # 0 = the lineage that started first
    lineage: str              # the WG draft the row is named after
    name: str                 # this revision's document: individual draft, WG draft or RFC
    kind: str                 # "individual" | "wg" | "rfc"
    rev: str
    date: datetime | None
    rfc: str | None           # the RFC the lineage became ("rfc9000"), on every point of the row
    status: str               # "Proposed Standard", "Informational", ... or "unknown"

    def record(self) -> dict[str, Any]:
        return {"row": self.row, "lineage": self.lineage, "name": self.name, "kind": self.kind,
                "rev": self.rev, "date": self.date.date().isoformat() if self.date else None,
                "rfc": self.rfc, "status": self.status}


def std_status(*docs: dict | None) -> str:
    """The first of ``std_level`` / ``intended_std_level`` any of ``docs`` gives (doc.json's
    display name, or a tastypie URI's slug), else ``"unknown"``."""
    for doc in docs:
        for key in ("std_level", "intended_std_level"):
            value = (doc or {}).get(key)
            if isinstance(value, str) and value.strip():
                slug = value.rstrip("/").rsplit("/", 1)[-1]
                return STD_LEVELS.get(slug, value.strip()) if "/" in value else value.strip()
    return UNKNOWN_STATUS


def timeline_records(lineages: Sequence[tuple[str, dict, Sequence["LineageEntry"]]]
                     ) -> list[TimelinePoint]:
    """The points of every lineage, rows numbered by start date (pure).

    ``lineages``: per WG draft of the group, its name, its doc.json (for the status; ``{}``
    when unknown) and its lineage entries (replaced drafts, the draft, successors, the RFC).
    A listed draft that appears in an earlier-kept lineage's entries is merged into that row.
    """
    kept: list[tuple[str, dict, list]] = []
    covered: set[str] = set()
    # the lineage with the most names first, so a WG draft replaced by another WG draft
    # folds into the row of the one that replaced it
    for name, doc, entries in sorted(lineages, key=lambda item: -len({e.name for e in item[2]})):
        names = {e.name for e in entries} | {name}
        if name in covered:
            continue
        covered |= names
        own = [e for e in entries if e.date is not None] or list(entries)
        kept.append((_row_name(name, own), doc, own))
    kept.sort(key=lambda item: (_start(item[2]), item[0]))
    points: list[TimelinePoint] = []
    for row, (lineage, doc, entries) in enumerate(kept):
        rfcs = [e for e in entries if e.is_rfc]
        rfc = rfcs[-1].name if rfcs else None
        status = std_status(doc)
        for entry in entries:
            points.append(TimelinePoint(row=row, lineage=lineage, name=entry.name,
                                        kind=document_kind(entry.name), rev=entry.rev,
                                        date=entry.date, rfc=rfc, status=status))
    return points


def _row_name(listed: str, entries: Sequence["LineageEntry"]) -> str:
    """A row is named after the lineage's last WG draft (else the listed name)."""
    wg = [e.name for e in entries if document_kind(e.name) == "wg"]
    return wg[-1] if wg else listed


def _start(entries: Sequence["LineageEntry"]) -> float:
    dates = [e.date.timestamp() for e in entries if e.date is not None]
    return min(dates) if dates else float("inf")


def group_timeline(acronym: str, *, session: "Session | None" = None,
                   page_size: int = 100, progress: bool | None = None,
                   **session_options: Any) -> list[TimelinePoint]:
    """The points of every lineage of working group ``acronym`` (see :func:`timeline_records`):
    the group's draft list and each draft's doc.json through ``session`` (or one opened from
    ``session_options``: settings, offline, refresh), cached a day like all metadata."""
    from draftscope.fetch.session import open_session
    from draftscope.progress import progress_bar

    with open_session(session, progress=progress, **session_options) as fetching:
        documents = fetching.group(acronym, page_size=page_size)
        names = [d["name"] for d in documents if isinstance(d, dict) and d.get("name")]
        listed = {d["name"]: d for d in documents if isinstance(d, dict) and d.get("name")}
        lineages = []
        for name in progress_bar(progress, items=names, unit="draft",
                                 desc=f"{acronym}: metadata of {len(names)} drafts"):
            meta, entries = fetching.lineage_entries(name)
            doc = meta.doc if meta else {}
            if std_status(doc) == UNKNOWN_STATUS:   # the API listing may know it
                doc = {**doc, **{k: v for k, v in listed[name].items()
                                 if k in ("std_level", "intended_std_level") and v}}
            lineages.append((name, doc, entries))
    return timeline_records(lineages)


def timeline_frame(points: Sequence[TimelinePoint]) -> "pd.DataFrame":
    """:func:`group_timeline`'s points as a tidy DataFrame (:data:`FRAME_COLUMNS`: every
    frame's ``lineage, name, rev, label, date`` first, dates as UTC timestamps, then ``row,
    kind, rfc, status``); what the working-group figure draws."""
    import pandas as pd

    from draftscope.fetch.names import revision_label

    frame = pd.DataFrame([{**p.record(), "date": p.date, "label": revision_label(p.name, p.rev)}
                          for p in points], columns=FRAME_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    return frame
