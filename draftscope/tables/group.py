"""A working group's drafts as a table: state, revisions, first and last dates, the RFC.

The fetch stage lists a WG's drafts (tastypie, ``order_by=id``, page by page, cached a day)
and gives each draft's doc.json (cached a day), from which the pure :func:`group_rows` builds
the rows. Offline, both come from the cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.config import Settings
    from draftscope.fetch.records import LineageEntry
    from draftscope.fetch.session import Session

GROUP_COLUMNS = ("name", "state", "revisions", "first_rev", "last_rev", "first_date", "last_date",
                 "rfc", "rfc_date", "replaces", "replaced_by", "title")


@dataclass(frozen=True)
class GroupDraft:
    """One row of a WG listing: a WG draft, or (``replaced_by`` set) a draft its lineage replaced."""

    name: str
    state: str | None                 # doc.json's display name: "RFC", "Active", "Expired", ...
    revisions: int                    # revisions of this name (the RFC not counted)
    first_rev: str | None
    last_rev: str | None
    first_date: datetime | None
    last_date: datetime | None
    rfc: str | None = None            # "rfc9000" when the lineage became an RFC
    rfc_date: datetime | None = None
    replaces: tuple[str, ...] = field(default=())   # individual drafts this lineage replaced
    replaced_by: str | None = None
    title: str = ""

    def record(self) -> dict[str, Any]:
        """Plain values for CSV/JSON: dates as ``YYYY-MM-DD``, lists comma-separated."""
        row = asdict(self)
        for key in ("first_date", "last_date", "rfc_date"):
            row[key] = row[key].date().isoformat() if row[key] else None
        row["replaces"] = ",".join(self.replaces)
        return {column: row[column] for column in GROUP_COLUMNS}


def group_rows(name: str, doc: dict, entries: list["LineageEntry"],
               include_replaced: bool = False) -> list[GroupDraft]:
    """Rows for one WG draft from its doc.json and lineage entries (pure).

    Drafts of the lineage whose revisions all precede the draft's first one are what it
    replaced; with ``include_replaced`` each also gets a row of its own.
    """
    own = [e for e in entries if e.name == name]
    rfcs = [e for e in entries if e.is_rfc]
    first = own[0].date if own and own[0].date else None
    others: dict[str, list[LineageEntry]] = {}
    for entry in entries:
        if entry.name != name and not entry.is_rfc:
            others.setdefault(entry.name, []).append(entry)
    replaced = [other for other, revs in others.items()
                if first is not None and all(r.date is not None and r.date <= first for r in revs)]
    rows = [_row(name, own, doc.get("state"), rfcs[-1] if rfcs else None, tuple(replaced),
                 title=doc.get("title") or "")]
    if include_replaced:
        rows += [_row(other, others[other], "Replaced", None, (), replaced_by=name)
                 for other in replaced]
    return rows


def _row(name, revs, state, rfc, replaces, replaced_by=None, title="") -> GroupDraft:
    return GroupDraft(
        name=name, state=state, revisions=len(revs),
        first_rev=revs[0].rev if revs else None, last_rev=revs[-1].rev if revs else None,
        first_date=revs[0].date if revs else None, last_date=revs[-1].date if revs else None,
        rfc=rfc.name if rfc else None, rfc_date=rfc.date if rfc else None,
        replaces=replaces, replaced_by=replaced_by, title=title,
    )


def working_group_drafts(acronym: str, *, session: "Session | None" = None,
                         settings: "Settings | None" = None, offline: bool = False,
                         refresh: bool = False, include_replaced: bool = False,
                         page_size: int = 100, progress: bool | None = None) -> list[GroupDraft]:
    """The drafts of working group ``acronym``, oldest first (by first revision).

    The fetch stage lists the group (every API page, cached a day; offline the cached list)
    and gives each draft's doc.json (cached a day; offline of any age), through ``session`` or
    one opened from settings/offline/refresh for this call.
    """
    from draftscope.fetch.session import open_session
    from draftscope.progress import progress_bar

    with open_session(session, settings=settings, offline=offline, refresh=refresh,
                      progress=progress) as fetching:
        documents = fetching.group(acronym, page_size=page_size)
        names = [d["name"] for d in documents if isinstance(d, dict) and d.get("name")]
        rows: list[GroupDraft] = []
        for name in progress_bar(progress, items=names, unit="draft",
                                 desc=f"{acronym}: metadata of {len(names)} drafts"):
            meta, entries = fetching.lineage_entries(name)
            rows += group_rows(name, meta.doc if meta else {}, entries, include_replaced)
    return sorted(rows, key=_first_date_key)


def _first_date_key(row: GroupDraft) -> tuple:
    return (row.first_date is None, row.first_date.timestamp() if row.first_date else 0.0, row.name)


def group_records(acronym: str, **options: Any) -> list[dict[str, Any]]:
    """:func:`working_group_drafts` as plain dicts (CSV/JSON in the CLI, no pandas)."""
    return [row.record() for row in working_group_drafts(acronym, **options)]


def group_frame(acronym: str, **options: Any) -> "pd.DataFrame":
    """The drafts of working group ``acronym`` as a DataFrame, one row per draft.

    Columns: lineage (what ``fetch_lineages`` calls the draft's lineage: the WG draft that
    replaced it, else its own name; one row per draft, so no ``rev``/``label``), name, state, revisions, first_rev, last_rev, first_date, last_date (UTC
    timestamps), rfc, rfc_date, replaces (comma-separated), replaced_by, title. Options as
    :func:`working_group_drafts` (session or settings/offline/refresh, include_replaced,
    page_size, progress).
    """
    import pandas as pd

    rows = [asdict(row) for row in working_group_drafts(acronym, **options)]
    for row in rows:    # the lineage a draft belongs to: the WG draft that replaced it, or itself
        row["lineage"] = row["replaced_by"] or row["name"]
    frame = pd.DataFrame(rows, columns=["lineage", *GROUP_COLUMNS])
    for column in ("first_date", "last_date", "rfc_date"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["replaces"] = [",".join(r) for r in frame["replaces"]]
    return frame
