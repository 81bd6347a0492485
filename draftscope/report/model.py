"""What a report page shows, as plain data: built by :mod:`draftscope.report.build` (I/O, the
figures), written as HTML by :mod:`draftscope.report.html` (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RevisionLink:
    """One revision of a lineage and where its text is on the datatracker."""

    name: str
    rev: str                    # "00".. ; an RFC's own name
    label: str                  # draft-x-07 / rfc9000
    date: datetime | None
    url: str


@dataclass(frozen=True)
class LineageDocument:
    """One name of a lineage (an individual draft, the WG draft, the RFC) and its revisions."""

    name: str
    kind: str                   # "individual" | "wg" | "rfc"
    revisions: tuple[RevisionLink, ...]


@dataclass(frozen=True)
class StoryStepText:
    """One step of a definition's story in words (the strip draws it)."""

    number: int                 # 1-based
    label: str
    date: str                   # YYYY-MM-DD or ""
    change: str                 # "first drawn", "changed", "redrawn", "removed"
    words: tuple[str, ...]


@dataclass(frozen=True)
class StorySection:
    """A definition's story: its strip (inline SVG, None when no step has a drawing) and steps."""

    key: str
    svg: str | None
    steps: tuple[StoryStepText, ...]


@dataclass(frozen=True)
class Table:
    """A small table: a caption, column headings and rows of cell texts."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Provenance:
    """How the page was made."""

    version: str
    generated: datetime
    cache_dir: str
    datatracker_url: str
    metadata_fetched: datetime | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineagePage:
    """Everything one lineage's page shows, figures already as inline ``<svg>`` markup."""

    lineage: str                          # the name the page is about (its WG draft, else RFC)
    title: str                            # the WG draft's title from doc.json, or ""
    documents: tuple[LineageDocument, ...]
    keyword_svg: str | None
    keyword_table: Table | None
    definitions_svg: str | None
    definitions_note: str                 # said when there is no timeline (no definitions)
    changes_svg: str | None               # section changes per step (plot-changes' figure)
    changes_table: Table | None
    stories: tuple[StorySection, ...]
    stories_note: str                     # e.g. "3 of 47 stories drawn (--max-stories 3)"
    provenance: Provenance
    index_href: str | None = None         # back link to a group's index page


@dataclass(frozen=True)
class GroupEntry:
    """One lineage on a working group's index page."""

    lineage: str
    href: str
    first: datetime | None
    last: datetime | None
    revisions: int
    rfc: str | None
    status: str


@dataclass(frozen=True)
class GroupIndex:
    acronym: str
    figure_svg: str | None
    entries: tuple[GroupEntry, ...]
    provenance: Provenance
    failures: tuple[str, ...] = field(default=())
