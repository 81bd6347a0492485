"""Build report pages: fetch a lineage (what the cache lacks), analyse it, draw its figures and
write one self-contained HTML page (:func:`build_report`); or a page per lineage of a working
group plus an index with the group's timeline (:func:`build_group_report`).

The figures are the library's own (``plot_keywords``, ``plot_definitions``, ``draw_story``,
``plot_group``), inlined as SVG by :mod:`draftscope.report.svg`; the page is written by the
pure :mod:`draftscope.report.html`, atomically (temp file, then rename).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from draftscope import __version__
from draftscope.errors import NoDataError, OutputError
from draftscope.fetch.names import document_kind, revision_label
from draftscope.report.model import (GroupEntry, GroupIndex, LineageDocument, LineagePage,
                                     Provenance, RevisionLink, StorySection, StoryStepText, Table)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.config import Settings
    from draftscope.fetch.records import LineageEntry, Revision
    from draftscope.fetch.session import Session

# the keyword figure's phrases (the EPIQ'18 four) and its table's columns
REPORT_KEYWORDS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")
# strips from which drawing them in a process pool pays (as ``story``'s)
POOL_MIN_STRIPS = 4


@dataclass(frozen=True)
class ReportResult:
    """One page written: where, for which lineage, its size, and the stories on it."""

    path: Path
    lineage: str
    bytes: int
    stories_drawn: int
    stories_total: int
    revisions: int


@dataclass(frozen=True)
class GroupReportResult:
    """A group's pages: the index, one result per lineage page, and lineages that failed."""

    index: Path
    pages: list[ReportResult]
    failures: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [self.index, *(p.path for p in self.pages)]


def revision_url(base: str, label: str) -> str:
    """The text of revision ``label`` on the datatracker at ``base`` (``/doc/html/<label>``)."""
    return f"{base.rstrip('/')}/doc/html/{label}"


def lineage_documents(entries: Sequence["LineageEntry"], base_url: str) -> tuple[LineageDocument, ...]:
    """The lineage's names in order, each with a link per listed revision (pure)."""

    docs: dict[str, list[RevisionLink]] = {}
    for entry in entries:
        docs.setdefault(entry.name, []).append(RevisionLink(
            name=entry.name, rev=entry.rev, label=entry.label, date=entry.date,
            url=revision_url(base_url, entry.label)))
    return tuple(LineageDocument(name=n, kind=document_kind(n), revisions=tuple(revs))
                 for n, revs in docs.items())


def page_lineage_name(revisions: Sequence["Revision"]) -> str:
    """A lineage goes by its last draft name (the WG draft), else its RFC."""
    drafts = [r.name for r in revisions if not r.is_rfc]
    return drafts[-1] if drafts else revisions[-1].name


# --------------------------------------------------------------------------- the figures

def keyword_part(frame: "pd.DataFrame", lineage: str, prefix: str) -> tuple[str | None, Table | None]:
    """The keyword figure (inline SVG with its alt text) and the table of what it draws."""
    from draftscope.plots.keywords import keyword_series, plot_keywords
    from draftscope.report.svg import figure_svg, inline_svg

    present = [k for k in REPORT_KEYWORDS if k in set(frame["keyword"])]
    if frame.empty or not present:
        return None, None
    series = keyword_series(frame, present)
    revisions = series.drop_duplicates("position").sort_values("position")
    counts = {(p, k): int(c) for p, k, c in zip(series["position"], series["keyword"],
                                                 series["count"])}
    rows = tuple((label, _day(date), *(str(counts.get((p, k), 0)) for k in present))
                 for p, label, date in zip(revisions["position"], revisions["label"],
                                           revisions["date"] if "date" in revisions else
                                           [None] * len(revisions)))
    labels = [revision_label(n, r)
              for n, r in zip(revisions["name"], revisions["rev"])]
    table = Table(caption=f"BCP 14 phrases per revision of {lineage} (what the figure draws)",
                  columns=("revision", "date", *present), rows=rows)
    top = series.loc[series["count"].idxmax()]
    top_label = labels[list(revisions["position"]).index(top["position"])]
    alt = (f"Line chart: how often {', '.join(present)} occur in each of the {len(labels)} "
           f"revisions of {lineage}, {labels[0]} to {labels[-1]}; the most is "
           f"{int(top['count'])} {top['keyword']} in {top_label}. The table below lists "
           "every value.")
    fig = plot_keywords(frame, present)
    return inline_svg(figure_svg(fig), prefix=prefix, alt=alt), table


def definitions_part(extracted: list, lineage: str, prefix: str) -> tuple[str | None, str]:
    """The definitions timeline (inline SVG) of the extracted revisions, or a note why none."""
    from draftscope.analyses.definitions.history import history_from_definitions
    from draftscope.plots.definitions import plot_definitions
    from draftscope.report.svg import figure_svg, inline_svg
    from draftscope.tables.definitions import history_frame

    history = history_from_definitions([(item[0], item[1]) for item in extracted],
                                       headings=[item[2] for item in extracted])
    frame = history_frame(history)
    labels = [item[0][2] for item in extracted]
    if frame.empty:
        return None, f"No protocol definitions in any of the {len(labels)} revisions."
    keys = frame["key"].nunique()
    changes = frame["change"].value_counts()
    alt = (f"Grid of {keys} protocol definitions (rows) across the {len(labels)} revisions "
           f"(columns) of {lineage}: {int(changes.get('added', 0))} first drawn, "
           f"{int(changes.get('changed', 0))} changes, {int(changes.get('redrawn', 0))} "
           f"redrawings, {int(changes.get('removed', 0))} removals. Each definition's story "
           "below says what changed.")
    fig = plot_definitions(frame, revisions=labels)
    return inline_svg(figure_svg(fig), prefix=prefix, alt=alt), ""


def changes_part(revisions: Sequence["Revision"], lineage: str, prefix: str, *,
                 workers: int | None) -> tuple[str | None, Table | None]:
    """The section changes of each step (``plot-changes``' figure, inline) and a table of
    the steps: sections changed, added, removed, words added and removed."""
    from draftscope.plots.changes import changes_grid, plot_changes
    from draftscope.report.svg import figure_svg, inline_svg
    from draftscope.tables.changes import changes_frame

    if len(revisions) < 2:
        return None, None
    frame = changes_frame(revisions, definitions=False, workers=workers, unchanged=False)
    if frame.empty:
        return None, None
    rows = []
    for (old, new), step in frame.groupby(["from", "to"], sort=False):
        kinds = step["change"].value_counts()
        rows.append((f"{old} \u2192 {new}", str(len(step)), str(int(kinds.get("added", 0))),
                     str(int(kinds.get("removed", 0))), str(int(step["words_added"].sum())),
                     str(int(step["words_removed"].sum()))))
    table = Table(caption=f"Sections that changed at each step of {lineage}",
                  columns=("step", "sections changed", "added", "removed", "words added",
                           "words removed"), rows=tuple(rows))
    grid = changes_grid(frame)
    alt = (f"Grid of {lineage}'s top-level sections (rows) across its {len(revisions)} "
           f"revisions (columns): the darker a cell, the more of that section's words changed "
           f"at that step; + marks a section added, \u2212 one removed, R one renamed. "
           f"{len(rows)} of the {len(revisions) - 1} steps changed a section; the table below "
           "counts them.")
    svg = inline_svg(figure_svg(plot_changes(grid)), prefix=prefix, alt=alt)
    return svg, table


def _strip_svg(item: tuple) -> str | None:
    """One story strip as SVG text (module level: runs in a process pool)."""
    _key, steps, lineage = item
    from draftscope.plots.storystrip import draw_story

    try:
        drawn = draw_story(steps, lineage=lineage)
    except NoDataError:        # no step has a drawing (fields unknown): the steps still read
        return None
    return drawn.image("svg").decode("utf-8")


def story_parts(extracted: list, lineage: str, *, pattern: str, ignore_case: bool,
                max_stories: int | None, workers: int | None
                ) -> tuple[tuple[StorySection, ...], str, int]:
    """Every matching definition's story (at most ``max_stories``): strip and steps in words,
    a note saying how many were drawn, and how many there are."""
    from draftscope.analyses.definitions.story import definition_stories
    from draftscope.analyses.parallel import parallel_map
    from draftscope.report.svg import inline_svg
    from draftscope.tables.story import CHANGE_WORDS

    if not any(item[1] for item in extracted):
        return (), "No protocol definitions, so no stories to tell.", 0
    try:
        stories = definition_stories(extracted, pattern, ignore_case=ignore_case)
    except NoDataError as exc:
        return (), f"No definition's story: {exc}.", 0
    keys = list(stories)[:max_stories] if max_stories is not None else list(stories)
    jobs = [(key, stories[key], lineage) for key in keys]
    svgs = parallel_map(_strip_svg, jobs, workers=workers, min_items=POOL_MIN_STRIPS,
                        min_seconds=0)
    sections = []
    for index, ((key, steps, _lineage), svg) in enumerate(zip(jobs, svgs)):
        alt = (f"Bit diagrams of {key} at each of its {len(steps)} steps in {lineage}, "
               f"{steps[0].label} to {steps[-1].label}, changes marked; the list below says "
               "what changed at each step.")
        texts = tuple(StoryStepText(number=s.index + 1, label=s.label, date=s.date_text,
                                    change=CHANGE_WORDS.get(s.change, s.change), words=s.words)
                      for s in steps)
        sections.append(StorySection(
            key=key, svg=inline_svg(svg, prefix=f"s{index + 1}", alt=alt, unclip=True)
            if svg else None,
            steps=texts))
    note = (f"{len(keys)} of the {len(stories)} definitions' stories drawn (the first by first "
            "appearance; --max-stories)." if len(keys) < len(stories) else
            f"{len(stories)} definition{'s' if len(stories) != 1 else ''}, each followed from "
            "its first drawing through every change.")
    return tuple(sections), note, len(stories)


# --------------------------------------------------------------------------- pages

def build_report(name: str, out: str | os.PathLike, *, session: "Session | None" = None,
                 settings: "Settings | None" = None, offline: bool = False,
                 refresh: bool = False, definition: str = ".", ignore_case: bool = False,
                 max_stories: int | None = None, workers: int | None = None,
                 changes: bool = True, progress: bool | None = None,
                 index_href: str | None = None) -> ReportResult:
    """Write ``out/<lineage>.html``: ``name``'s lineage (fetched through ``session``, or one
    opened from settings/offline/refresh) with its keyword figure and table, its definitions
    timeline, the story of every definition matching ``definition`` (a regular expression;
    at most ``max_stories``, in order of first appearance), its revisions with links to their
    text on the datatracker, and how the page was made. ``workers``: analysis processes;
    ``changes=False`` leaves out the section changes (the slowest part: every revision's
    sections compared with the next's)."""
    from draftscope.analyses.definitions.story import lineage_definitions
    from draftscope.fetch.names import parse_name
    from draftscope.fetch.session import open_session
    from draftscope.tables.keywords import keywords_frame

    doc_name = parse_name(name).name
    with open_session(session, settings=settings, offline=offline, refresh=refresh,
                      progress=progress) as fetching:
        result = fetching.lineage(doc_name)
        meta, entries = fetching.lineage_entries(doc_name)
        used = fetching.settings
    revisions = [r for r in result.revisions if r.path is not None and r.format == "txt"]
    if not revisions:
        raise NoDataError(f"{name}: no revision available to read")
    lineage = page_lineage_name(revisions)
    extracted = lineage_definitions(revisions, workers=workers)
    keyword_svg, table = keyword_part(keywords_frame(revisions), lineage, "k")
    definitions_svg, definitions_note = definitions_part(extracted, lineage, "d")
    changes_svg, changes_table = (changes_part(revisions, lineage, "c", workers=workers)
                                  if changes else (None, None))
    stories, stories_note, total = story_parts(extracted, lineage, pattern=definition,
                                        ignore_case=ignore_case, max_stories=max_stories,
                                        workers=workers)
    missing = [f"{r.label}" for r in result.revisions if r.path is None]
    notes = ((f"Listed by the datatracker but without a text here: {', '.join(missing)}.",)
             if missing else ())
    report = LineagePage(
        lineage=lineage, title=(meta.doc.get("title") or "") if meta else "",
        documents=lineage_documents(entries or _entries_of(revisions), used.datatracker_url),
        keyword_svg=keyword_svg, keyword_table=table, definitions_svg=definitions_svg,
        definitions_note=definitions_note, changes_svg=changes_svg,
        changes_table=changes_table, stories=stories, stories_note=stories_note,
        provenance=_provenance(used, meta.fetched_at if meta else None, notes),
        index_href=index_href)
    from draftscope.report.html import lineage_page

    path = write_page(Path(out) / f"{lineage}.html", lineage_page(report))
    drawn = sum(1 for s in stories if s.svg)
    return ReportResult(path=path, lineage=lineage, bytes=path.stat().st_size,
                        stories_drawn=drawn, stories_total=total, revisions=len(revisions))


def build_group_report(acronym: str, out: str | os.PathLike, *, session: "Session | None" = None,
                       settings: "Settings | None" = None, offline: bool = False,
                       refresh: bool = False, progress: bool | None = None,
                       **options: Any) -> GroupReportResult:
    """A page per lineage of working group ``acronym`` (``options`` as :func:`build_report`)
    and ``out/index.html``: the group's timeline figure and a row per lineage linking to its
    page. A lineage that cannot be read is named on the index and in ``failures``."""
    from draftscope.errors import DraftscopeError
    from draftscope.fetch.session import open_session
    from draftscope.plots.group import plot_group
    from draftscope.report.html import group_page
    from draftscope.report.svg import figure_svg, inline_svg
    from draftscope.tables.timeline import group_timeline, timeline_frame

    with open_session(session, settings=settings, offline=offline, refresh=refresh,
                      progress=progress) as fetching:
        points = group_timeline(acronym, session=fetching, progress=progress)
        if not points:
            raise NoDataError(f"{acronym}: the datatracker lists no drafts for this group")
        frame = timeline_frame(points)
        rows = list(dict.fromkeys(p.lineage for p in points))
        pages, failures = [], []
        for lineage in rows:
            try:
                pages.append(build_report(lineage, out, session=fetching,
                                          index_href="index.html", **options))
            except DraftscopeError as exc:
                failures.append(f"{lineage}: {exc}")
        used = fetching.settings
    alt = (f"Timeline of the {len(rows)} lineages of the {acronym} working group, one row each "
           "from its first revision to its RFC or last revision, a tick per revision; the table "
           "below lists them.")
    figure = inline_svg(figure_svg(plot_group(frame)), prefix="g", alt=alt)
    by_lineage = {p.lineage: p for p in pages}
    entries = []
    for lineage in rows:
        mine = [p for p in points if p.lineage == lineage]
        dated = [p.date for p in mine if p.date is not None]
        entries.append(GroupEntry(
            lineage=lineage,
            href=by_lineage[lineage].path.name if lineage in by_lineage else "",
            first=min(dated) if dated else None, last=max(dated) if dated else None,
            revisions=sum(1 for p in mine if p.kind != "rfc"), rfc=mine[0].rfc,
            status=mine[0].status))
    index = GroupIndex(acronym=acronym, figure_svg=figure, entries=tuple(entries),
                       provenance=_provenance(used, None, ()), failures=tuple(failures))
    path = write_page(Path(out) / "index.html", group_page(index))
    return GroupReportResult(index=path, pages=pages, failures=failures)


# --------------------------------------------------------------------------- helpers

def _provenance(settings: "Settings", fetched: datetime | None, notes: tuple[str, ...]) -> Provenance:
    return Provenance(version=__version__, generated=datetime.now(timezone.utc).replace(microsecond=0),
                      cache_dir=str(Path(settings.cache_dir).resolve()),
                      datatracker_url=settings.datatracker_url, metadata_fetched=fetched,
                      notes=notes)


def _entries_of(revisions: Sequence["Revision"]) -> list:
    from draftscope.fetch.records import LineageEntry

    seen = dict.fromkeys((r.name, r.rev, r.date) for r in revisions)
    return [LineageEntry(n, r, d) for n, r, d in seen]


def _day(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") and value == value else ""


def write_page(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (a temp file renamed), UTF-8."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
