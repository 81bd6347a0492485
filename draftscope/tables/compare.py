"""Drafts side by side: keyword counts on a common x axis, and one summary row per lineage.

Three steps, I/O at the edges:

1. the fetch stage brings every lineage into the cache
   (:meth:`draftscope.fetch.session.Session.lineages`, or :func:`draftscope.fetch_lineages`);
   a revision the datatracker lists but whose text is missing (archive 404, or not cached when
   offline) is left out and named, as data: the lineages' ``missing`` attribute, then
   :class:`LineageAnalysis` ``.missing`` and the summary's ``missing`` column
   (:func:`missing_message` words it for the CLI's warning line);
2. :func:`analyse_lineages` loads each revision once and counts its BCP 14 phrases, its size
   and its definitions from that one Document, in a process pool when that pays;
3. pure functions turn those :class:`RevisionAnalysis` records into the tidy comparison rows
   (:func:`compare_rows`) and the per-draft summary (:func:`summary_rows`).

:func:`compare_frame` and :func:`summary_frame` chain them for notebooks; the CLI calls the steps
itself so a revision is analysed once for both tables. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from draftscope.errors import CompareInputError
from draftscope.fetch.names import is_rfc
from draftscope.options import ALIGNMENTS, DEFAULT_JOBS
from draftscope.tables.keywords import check_normalization, normalized

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.config import Settings
    from draftscope.fetch.records import Revision
    from draftscope.fetch.session import Session

DEFAULT_KEYWORDS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")

COMPARE_COLUMNS = ("lineage", "name", "rev", "label", "date", "position", "x", "keyword", "count",
                   "pages", "words", "value")
SUMMARY_COLUMNS = ("lineage", "revisions", "first", "last", "first_date", "end_date", "rfc",
                   "months", "phrases_first", "phrases_last", "words_last", "density_last",
                   "definitions_first", "definitions_added", "definitions_removed",
                   "definitions_last", "missing")

_DAYS_PER_MONTH = 365.25 / 12



@dataclass(frozen=True)
class RevisionAnalysis:
    """What one revision contributes to a comparison (small and picklable: crosses processes)."""

    name: str
    rev: str
    label: str
    date: datetime | None
    pages: int                                 # the text stage's DocumentSize
    words: int
    counts: tuple[tuple[str, int], ...]        # keyword stage's (keyword, count), all phrases
    definitions: tuple[Any, ...] | None = None  # extracted Definitions, when asked for

    @property
    def phrases(self) -> int:
        """All BCP 14 phrases of this revision."""
        return sum(count for _keyword, count in self.counts)


@dataclass
class LineageAnalysis:
    """One lineage's revisions, analysed, in lineage order (the RFC last)."""

    lineage: str
    revisions: list[RevisionAnalysis] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # labels listed but without text: left out


# --------------------------------------------------------------------------- checks (pure)

def check_options(normalize: str = "none", align: str = "revision",
                  keywords: Sequence[str] | None = None) -> tuple[str, ...]:
    """Refuse unknown options in one line; return the keywords (default: the EPIQ'18 four)."""
    from draftscope.analyses.keywords import PHRASES

    check_normalization(normalize)
    if align not in ALIGNMENTS:
        raise CompareInputError(f"unknown alignment {align!r} (choose from {', '.join(ALIGNMENTS)})")
    chosen = tuple(dict.fromkeys(keywords)) if keywords is not None else DEFAULT_KEYWORDS
    unknown = [k for k in chosen if k not in PHRASES]
    if unknown or not chosen:
        raise CompareInputError(f"unknown BCP 14 phrase(s) {', '.join(unknown) or '(none given)'} "
                                f"(choose from {', '.join(PHRASES)})")
    return chosen


# --------------------------------------------------------------------------- missing revisions

def missing_message(lineage: str, labels: Sequence[str], *, offline: bool = False) -> str:
    """One line: which listed revisions a comparison leaves out, and why."""
    why = "not in the cache (offline)" if offline else "missing from the archive"
    count = f"{len(labels)} revision{'s' if len(labels) != 1 else ''}"
    return f"{lineage}: {count} {why}, left out of the comparison: {', '.join(labels)}"


# --------------------------------------------------------------------------- analyse (CPU)

def analyse_revision(task: tuple["Revision", bool]) -> RevisionAnalysis:
    """Count one revision's keywords (the keyword stage's rows), size and definitions, from
    one read of its file. Module level so it runs in worker processes.
    """
    from draftscope.analyses.keywords import count_keywords
    from draftscope.tables.keywords import rows_for
    from draftscope.text.document import load_document

    revision, with_definitions = task
    document = load_document(revision)          # the one read: counts, size, definitions
    counts = tuple((row["keyword"], int(row["count"]))
                   for row in rows_for(revision, count_keywords(document)))
    size = document.size
    definitions = None
    if with_definitions:
        from draftscope.analyses.definitions import extract_definitions

        definitions = tuple(extract_definitions(document))
    return RevisionAnalysis(revision.name, revision.rev, revision.label, revision.date,
                            size.pages, size.words, counts, definitions)


def analyse_lineages(lineages: Mapping[str, Sequence["Revision"]], *, definitions: bool = True,
                     workers: int | None = None, progress: bool | None = None
                     ) -> list[LineageAnalysis]:
    """Analyse every revision of every lineage, in a process pool when it pays.

    Revisions without a text (``path`` None) are not analysed but kept in the result's
    ``missing``, with those the fetch stage already left out (``lineages.missing``). A lineage
    without any text is a :class:`CompareInputError`.
    """
    from draftscope.analyses.parallel import parallel_map
    from draftscope.progress import progress_bar

    from draftscope.fetch.records import Lineages

    if not isinstance(lineages, Mapping):
        raise TypeError(f"lineages= takes {{lineage: [Revision]}} (fetch_lineages, "
                        f"Session.lineages), not {type(lineages).__name__}")
    known_missing = lineages.missing if isinstance(lineages, Lineages) else {}
    texts = {key: [r for r in revisions if r.path is not None] for key, revisions in lineages.items()}
    if not texts:
        raise CompareInputError("nothing to compare: give draft names or a working group")
    for key, revisions in texts.items():
        if not revisions:
            raise CompareInputError(f"{key}: no revision text available to compare")
    tasks = [(revision, definitions) for revisions in texts.values() for revision in revisions]
    bar = progress_bar(progress, total=len(tasks), desc="analyse", unit="rev")
    try:
        results = parallel_map(analyse_revision, tasks, workers=workers, progress=bar.update)
    finally:
        bar.close()
    out, start = [], 0
    for key, revisions in lineages.items():
        missing = list(known_missing.get(key, []))
        missing += [r.label for r in revisions if r.path is None and r.label not in missing]
        count = len(texts[key])
        out.append(LineageAnalysis(key, results[start:start + count], missing))
        start += count
    return out


# --------------------------------------------------------------------------- tables (pure)

def positions(revisions: Sequence[RevisionAnalysis], align: str) -> list[Any]:
    """The x of each revision of one lineage: its index (``revision``), its date (``date``), or
    its index scaled to 0..1, first revision to RFC (``progress``)."""
    n = len(revisions)
    if align == "revision":
        return list(range(n))
    if align == "progress":
        return [i / (n - 1) if n > 1 else 0.0 for i in range(n)]
    missing = [r.label for r in revisions if r.date is None]
    if missing:
        raise CompareInputError(f"align='date' needs every revision's date; missing for "
                                f"{', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}")
    return [r.date for r in revisions]


def compare_rows(analyses: Sequence[LineageAnalysis], *, keywords: Sequence[str] = DEFAULT_KEYWORDS,
                 normalize: str = "none", align: str = "revision") -> list[dict[str, Any]]:
    """The compared data, one row per lineage, revision and keyword (``COMPARE_COLUMNS``).

    ``count`` is the keyword stage's number; ``value`` the count after ``normalize``; ``x`` the
    position on the aligned axis (``position`` is always the index in the lineage).
    """
    keywords = check_options(normalize, align, keywords)
    rows = []
    for lineage in analyses:
        xs = positions(lineage.revisions, align)
        for position, (revision, x) in enumerate(zip(lineage.revisions, xs)):
            counts = dict(revision.counts)
            for keyword in keywords:
                count = counts.get(keyword, 0)
                rows.append({
                    "lineage": lineage.lineage, "name": revision.name, "rev": revision.rev,
                    "label": revision.label, "date": revision.date, "position": position, "x": x,
                    "keyword": keyword, "count": count, "pages": revision.pages,
                    "words": revision.words,
                    "value": normalized(count, revision.pages, revision.words, normalize),
                })
    return rows


def months_between(start: datetime, end: datetime) -> float:
    """Calendar-average months from ``start`` to ``end``, one decimal."""
    return round((end - start).total_seconds() / 86400 / _DAYS_PER_MONTH, 1)


def definition_changes(revisions: Sequence[RevisionAnalysis]) -> tuple[int, int, int, int] | None:
    """(at first revision, added after it, removed, at last revision) over one lineage, from the
    definitions stage's history; None when definitions were not extracted."""
    if any(r.definitions is None for r in revisions) or not revisions:
        return None
    from draftscope.analyses.definitions.history import history_from_definitions

    history = history_from_definitions(
        [((r.name, r.rev, r.label, r.date), list(r.definitions)) for r in revisions])
    first = revisions[0].label
    added = sum(e.change == "added" and e.label != first for e in history.events)
    removed = sum(e.change == "removed" for e in history.events)
    return (len(revisions[0].definitions), added, removed, len(revisions[-1].definitions))


def summary_rows(analyses: Sequence[LineageAnalysis], *, now: datetime | None = None
                 ) -> list[dict[str, Any]]:
    """One row per lineage (``SUMMARY_COLUMNS``).

    ``revisions`` counts draft revisions (the RFC not counted); ``first``/``last`` label the
    first and last revision of the lineage (the RFC when it has one); ``months`` run from the
    first revision to the RFC, or to ``now`` for a lineage without one; ``density_last`` is
    BCP 14 phrases per 1000 words in the last revision; ``missing`` lists the revisions the
    datatracker lists but the comparison had no text for (comma-separated labels, "" if none).
    """
    now = now or datetime.now(timezone.utc)
    rows = []
    for lineage in analyses:
        revs = lineage.revisions
        if not revs:
            continue
        first, last = revs[0], revs[-1]
        rfc = last.name if is_rfc(last.name) else None
        end = last.date if rfc else now
        dates = [r.date for r in revs if r.date is not None]
        start = dates[0] if dates else None
        changes = definition_changes(revs)
        rows.append({
            "lineage": lineage.lineage,
            "revisions": sum(not is_rfc(r.name) for r in revs),
            "first": first.label, "last": last.label,
            "first_date": start, "end_date": end, "rfc": rfc,
            "months": months_between(start, end) if start and end else None,
            "phrases_first": first.phrases, "phrases_last": last.phrases,
            "words_last": last.words,
            "density_last": round(last.phrases * 1000.0 / last.words, 2) if last.words else None,
            "definitions_first": changes[0] if changes else None,
            "definitions_added": changes[1] if changes else None,
            "definitions_removed": changes[2] if changes else None,
            "definitions_last": changes[3] if changes else None,
            "missing": ", ".join(lineage.missing),
        })
    return rows


# --------------------------------------------------------------------------- frames (notebooks)

def _analysed(targets: Any, *, definitions: bool, session, settings, offline, refresh, jobs,
              workers, progress) -> list[LineageAnalysis]:
    from draftscope.fetch.records import FetchResult, Revision
    from draftscope.tables.keywords import by_lineage

    if isinstance(targets, str):
        targets = [targets]
    if targets is None or not isinstance(targets, (Sequence, Mapping, FetchResult, Revision)):
        raise TypeError(f"targets= takes draft names, {{lineage: [Revision]}}, a lineage's "
                        f"Revisions or analyse_lineages' result, not {type(targets).__name__}")
    if isinstance(targets, Sequence) and targets and all(isinstance(t, LineageAnalysis) for t in targets):
        return list(targets)
    if isinstance(targets, Mapping):
        lineages = targets                     # revisions without a text: analyse_lineages
    elif not (isinstance(targets, Sequence) and all(isinstance(t, str) for t in targets)):
        lineages = {}                          # Revisions: one lineage, or a list of them
        for lineage, revision in by_lineage(targets, "targets"):
            lineages.setdefault(lineage, []).append(revision)
    else:
        from draftscope.fetch.session import open_session

        with open_session(session, settings=settings, offline=offline, refresh=refresh,
                          jobs=jobs, progress=progress) as fetching:
            lineages = fetching.lineages(list(targets))
    return analyse_lineages(lineages, definitions=definitions, workers=workers, progress=progress)


def compare_frame(targets: Any, *, keywords: Sequence[str] | None = None, normalize: str = "none",
                  align: str = "revision", session: "Session | None" = None,
                  settings: "Settings | None" = None, offline: bool = False,
                  refresh: bool = False, jobs: int = DEFAULT_JOBS, workers: int | None = None,
                  progress: bool | None = None) -> "pd.DataFrame":
    """Keyword counts of several lineages on one aligned axis, tidy (``COMPARE_COLUMNS``).

    ``targets``: draft names (their lineages are fetched as needed, through ``session`` or one
    opened from settings/offline/refresh/jobs), ``{name: revisions}``, or the result of
    :func:`analyse_lineages`. ``keywords`` default to MUST, MUST NOT, SHOULD,
    SHOULD NOT; ``align`` is ``revision`` | ``date`` | ``progress`` (0..1, first revision to RFC).
    ``frame.attrs["missing"]``: ``{lineage: [labels]}`` of revisions left out for lack of text.
    """
    import pandas as pd

    keywords = check_options(normalize, align, keywords)
    analyses = _analysed(targets, definitions=False, session=session, settings=settings,
                         offline=offline, refresh=refresh, jobs=jobs, workers=workers,
                         progress=progress)
    rows = compare_rows(analyses, keywords=keywords, normalize=normalize, align=align)
    frame = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    frame.attrs["missing"] = {a.lineage: list(a.missing) for a in analyses if a.missing}
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    if align == "date":
        frame["x"] = pd.to_datetime(frame["x"], utc=True)
    return frame


def summary_frame(targets: Any, *, definitions: bool = True, now: datetime | None = None,
                  session: "Session | None" = None, settings: "Settings | None" = None,
                  offline: bool = False,
                  refresh: bool = False, jobs: int = DEFAULT_JOBS, workers: int | None = None,
                  progress: bool | None = None) -> "pd.DataFrame":
    """One row per lineage (``SUMMARY_COLUMNS``, see :func:`summary_rows`); ``targets`` as for
    :func:`compare_frame`. ``definitions=False`` skips extraction (those columns stay empty)."""
    import pandas as pd

    analyses = _analysed(targets, definitions=definitions, session=session, settings=settings,
                         offline=offline, refresh=refresh, jobs=jobs, workers=workers,
                         progress=progress)
    frame = pd.DataFrame(summary_rows(analyses, now=now), columns=list(SUMMARY_COLUMNS))
    for column in ("first_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
