"""Keyword counts of revisions as tidy rows: plain dicts for CSV/JSON, a pandas DataFrame for
notebooks and plots, one row per revision, phrase and section, zeros included. The CLI's
columns are :data:`RECORD_COLUMNS` (``name, rev, date, keyword, count``); a frame leads with
:data:`FRAME_COLUMNS` (``lineage, name, rev, label, date, keyword, count``: every row, an RFC's
too, says which lineage it belongs to); then :data:`SIZE_COLUMNS` with ``sizes=True`` and
:data:`SECTION_COLUMNS` per section. ``keyword`` is an ordered categorical in RFC 2119's order,
MUST first, so pivots and plots keep that order. :func:`keywords_frame` takes one lineage
(revisions), several (``fetch_lineages``' ``{lineage: revisions}``, or a list of lists) or one
revision. Sizes are the text stage's
(:class:`~draftscope.text.size.DocumentSize`), so normalised counts have one source.

pandas is imported only by :func:`keywords_frame`, so the CLI's CSV/JSON path never loads it.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Sequence

from draftscope.analyses.keywords import DISPLAY_ORDER, LOWERCASE, KeywordCounts
from draftscope.errors import KeywordsInputError, OfflineMissingError
from draftscope.options import NORMALIZATIONS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.records import Revision
    from draftscope.text.size import DocumentSize

BY = ("revision", "section")
# What a count may be divided by (``--normalize``): the size column and the scale of each.
_DIVISORS = {"per-page": ("pages", 1.0), "per-1000-words": ("words", 1000.0)}
# name: the document (draft or RFC) of the revision; rev: "00".."NN", or the RFC's name; date:
# when it was published (ISO 8601 UTC in records, a datetime in frames; empty if unknown).
RECORD_COLUMNS = ("name", "rev", "date", "keyword", "count")
# a frame's identity columns: lineage (what fetch_lineages calls it), label (name-rev, or the
# RFC's name) then the record's
FRAME_COLUMNS = ("lineage", "name", "rev", "label", "date", "keyword", "count")
# every frame's revision identity (keywords, definitions, history, changes, story frames)
IDENTITY_COLUMNS = FRAME_COLUMNS[:5]
SIZE_COLUMNS = ("pages", "words")          # with sizes=True: what --normalize divides by
SECTION_COLUMNS = ("section", "title")     # with by="section": "4.2", "Stream States"


def check_by(by: str, *, lowercase: bool = False) -> str:
    """``by`` if it is one of :data:`BY` and can be combined with ``lowercase``, else a one-line
    error (lowercase words are counted per revision only: refused, never silently dropped)."""
    if by not in BY:
        raise KeywordsInputError(f"by= must be one of {', '.join(BY)}, not {by!r}")
    if lowercase and by == "section":
        raise KeywordsInputError("lowercase=True counts per revision only: drop by='section' or "
                                 "lowercase=True")
    return by


def keyword_order(lowercase: bool = False) -> tuple[str, ...]:
    """The categories of the ``keyword`` column: RFC 2119's order, then the lowercase words."""
    return DISPLAY_ORDER + (LOWERCASE if lowercase else ())


def check_normalization(normalize: str) -> str:
    """``normalize`` if it is one of :data:`NORMALIZATIONS`, else a one-line error."""
    if normalize not in NORMALIZATIONS:
        raise KeywordsInputError(f"unknown normalization {normalize!r} "
                                 f"(choose from {', '.join(NORMALIZATIONS)})")
    return normalize


def normalized(count: int, pages: int, words: int, normalize: str) -> float:
    """A count per page or per 1000 words of its revision (NaN when the size is 0)."""
    if normalize == "none":
        return float(count)
    column, scale = _DIVISORS[check_normalization(normalize)]
    return _per(count, pages if column == "pages" else words, scale)


def _per(count: int, size: int, scale: float) -> float:
    return count * scale / size if size else math.nan


def normalized_counts(frame: "pd.DataFrame", normalize: str) -> list[float]:
    """:func:`normalized` for each row of a keyword frame (``count`` and, to normalise, the
    ``pages``/``words`` columns that ``sizes=True`` adds)."""
    check_normalization(normalize)
    if normalize == "none":
        return [float(count) for count in frame["count"]]
    column, scale = _DIVISORS[normalize]
    if column not in frame.columns:
        raise KeywordsInputError(f"normalize={normalize!r} needs the {column} of each revision; "
                                 f"the keywords frame has no {column!r} column (count with sizes)")
    return [_per(count, size, scale) for count, size in zip(frame["count"], frame[column])]


class _Job(NamedTuple):
    """One revision's work for :func:`_run_job` (a named tuple: a tenth of a frozen
    dataclass's cost to define at import, and as cheap to pickle to a worker)."""

    revision: "Revision"
    by_section: bool
    lowercase: bool
    workers: int | None = None
    sizes: bool = False


# Below this size keyword_scan.count_file counts a file by the exact path, count_keywords on its
# bytes (keyword_scan.SCAN_BYTES, which a test holds equal): such a file, any ordinary draft, is
# counted so here without importing the scanner, whose byte patterns and automaton take ~10 ms
# of CPU to set up, more than counting a draft. Either way the counts are the same.
EXACT_BELOW_BYTES = 1 << 20


def _small_file_bytes(path: "str | os.PathLike[str]") -> bytes | None:
    """The bytes of a file smaller than :data:`EXACT_BELOW_BYTES`; None for a larger one or one
    that cannot be read (count_file then counts it, or says why it cannot)."""
    try:
        if os.stat(path).st_size >= EXACT_BELOW_BYTES:
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _run_job(job: _Job) -> tuple[KeywordCounts, "DocumentSize | None"]:
    """A revision's counts and, with ``job.sizes``, its size; the document is read at most once
    (plain per-revision counts of published text come straight from the file)."""
    from draftscope.analyses.keywords import count_keywords
    from draftscope.text.document import load_document

    revision = job.revision
    if revision.path is None:
        raise OfflineMissingError(f"{revision.label}.{revision.format}: not in the cache (drop offline=True to fetch it)")
    if revision.format == "txt" and not job.by_section:
        raw = _small_file_bytes(revision.path)
        if raw is not None:
            counts = count_keywords(raw, lowercase=job.lowercase)
        else:
            from draftscope.analyses.keyword_scan import count_file

            counts = count_file(revision.path, lowercase=job.lowercase, workers=job.workers)
        return counts, load_document(revision).size if job.sizes else None
    document = load_document(revision)
    counts = count_keywords(document, by_section=job.by_section, lowercase=job.lowercase)
    return counts, document.size if job.sizes else None


def _count_and_measure(
    revisions: Sequence["Revision"], *, by: str, lowercase: bool, sizes: bool,
    progress: Callable[[int], object] | None, workers: int | None,
) -> list[tuple[KeywordCounts, "DocumentSize | None"]]:
    from draftscope.analyses.parallel import parallel_map

    check_by(by, lowercase=lowercase)
    missing = [r for r in revisions if r.path is None]
    if missing:
        labels = ", ".join(f"{r.label}.{r.format}" for r in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise OfflineMissingError(f"not in the cache: {labels}{more} (drop offline=True to fetch them)")
    jobs = [_Job(r, by == "section", lowercase, workers, sizes) for r in revisions]
    return parallel_map(_run_job, jobs, workers=workers, progress=progress)


def _date(revision: "Revision") -> str | None:
    return revision.date.isoformat() if revision.date is not None else None


def rows_for(
    revision: "Revision",
    counts: KeywordCounts,
    *,
    by: str = "revision",
    include_boilerplate: bool = False,
    lowercase: bool = False,
    size: "DocumentSize | None" = None,
    lineage: str | None = None,
) -> list[dict[str, Any]]:
    """Long-form rows of one revision's counts (zeros included); with ``size`` each row also
    carries the revision's ``pages`` and ``words``; ``lineage`` names the lineage (default: the
    revision's own name)."""
    base = {"lineage": lineage or revision.name, "name": revision.name, "rev": revision.rev,
            "label": revision.label, "date": _date(revision), "format": revision.format}
    if size is not None:
        base.update(pages=size.pages, words=size.words)
    rows: list[dict[str, Any]] = []
    if by == "section":
        if counts.sections is None:
            raise KeywordsInputError("per-section rows need counts made with by_section=True")
        for section in counts.sections:
            for phrase in DISPLAY_ORDER:
                count = section.counts[phrase]
                if include_boilerplate:
                    count += section.boilerplate[phrase]
                rows.append(
                    {**base, "keyword": phrase, "count": count,
                     "section": section.number, "title": section.title}
                )
        return rows
    totals = counts.with_boilerplate() if include_boilerplate else counts.counts
    for phrase in DISPLAY_ORDER:
        # "boilerplate": the phrase's occurrences in the BCP 14 boilerplate, reported apart
        rows.append({**base, "keyword": phrase, "count": totals[phrase],
                     "boilerplate": counts.boilerplate[phrase]})
    if lowercase and counts.lowercase is not None:
        for word in LOWERCASE:
            rows.append({**base, "keyword": word, "count": counts.lowercase[word]})
    return rows


def by_lineage(revisions: Any, parameter: str = "revisions") -> list[tuple[str, "Revision"]]:
    """``(lineage, revision)`` pairs in order from what a frame function takes: one
    :class:`~draftscope.fetch.records.Revision`, a lineage's revisions (a list, or a
    ``FetchResult``), ``{lineage: revisions}`` (``fetch_lineages``), or a list of lineages.
    Anything else is a TypeError naming ``parameter``."""
    from collections.abc import Iterable as AnyIterable, Mapping

    from draftscope.fetch.records import FetchResult, Revision, lineage_of

    def wrong(what: object) -> TypeError:
        return TypeError(
            f"{parameter}= takes Revisions (fetch_lineage, Session.lineage), "
            f"{{lineage: [Revision]}} (fetch_lineages) or a list of lineages, not "
            f"{type(what).__name__} {what!r:.60}"
            + (": fetch it first, or read a local file with Session(offline=True).resolve(path)"
               if isinstance(what, (str, bytes, os.PathLike)) else ""))

    if isinstance(revisions, Revision):
        return [(lineage_of([revisions]), revisions)]
    if isinstance(revisions, FetchResult):
        revisions = revisions.revisions
    if isinstance(revisions, Mapping):
        pairs = []
        for lineage, members in revisions.items():
            pairs += [(str(lineage), r) for _own, r in by_lineage(members, parameter)]
        return pairs
    if isinstance(revisions, (str, bytes)) or not isinstance(revisions, AnyIterable):
        raise wrong(revisions)
    items = list(revisions)
    if all(isinstance(r, Revision) for r in items):
        lineage = lineage_of(items)
        return [(lineage, r) for r in items]
    pairs = []
    for item in items:
        if isinstance(item, Revision):
            raise TypeError(f"{parameter}= mixes Revisions and lineages: give a list of "
                            "Revisions or a list of lists")
        if isinstance(item, (str, bytes)) or not isinstance(item, (AnyIterable, FetchResult)):
            raise wrong(item)
        pairs += by_lineage(item, parameter)
    return pairs


def lineage_groups(sources: Any, parameter: str) -> list[tuple[str, Any]]:
    """``(lineage, source)`` per lineage: many lineages (``{lineage: revisions}``, a
    ``FetchResult``, a list of lineages) become one pair each with its revisions; anything else
    (a history, Documents, paths, one lineage's revisions) is one pair, its lineage named from
    Revisions when it has them ("" otherwise: the caller names it from what it reads)."""
    from collections.abc import Mapping

    from draftscope.fetch.records import FetchResult, Revision, lineage_of

    if isinstance(sources, Mapping) or (
            isinstance(sources, (list, tuple)) and sources
            and all(isinstance(s, (list, tuple, FetchResult)) for s in sources)):
        grouped: dict[str, list[Any]] = {}
        for lineage, revision in by_lineage(sources, parameter):
            grouped.setdefault(lineage, []).append(revision)
        return list(grouped.items())
    if isinstance(sources, FetchResult):
        sources = sources.revisions
    if isinstance(sources, Revision):
        return [(lineage_of([sources]), sources)]
    if isinstance(sources, (list, tuple)) and sources and all(isinstance(s, Revision) for s in sources):
        return [(lineage_of(list(sources)), list(sources))]
    return [("", sources)]


def keyword_records(
    revisions: Any,
    *,
    by: str = "revision",
    include_boilerplate: bool = False,
    lowercase: bool = False,
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
    sizes: bool = False,
) -> list[dict[str, Any]]:
    """The rows of :func:`keywords_frame` as dicts, without pandas (for CSV/JSON)."""
    pairs = by_lineage(revisions)
    results = _count_and_measure([r for _lineage, r in pairs], by=by, lowercase=lowercase,
                                 sizes=sizes, progress=progress, workers=workers)
    rows: list[dict[str, Any]] = []
    for (lineage, revision), (counts, size) in zip(pairs, results):
        rows.extend(rows_for(revision, counts, by=by, include_boilerplate=include_boilerplate,
                             lowercase=lowercase, size=size, lineage=lineage))
    return rows


def keywords_frame(
    revisions: Any,
    by: str = "revision",
    *,
    include_boilerplate: bool = False,
    lowercase: bool = False,
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
    sizes: bool = False,
) -> "pd.DataFrame":
    """Tidy DataFrame of one or many lineages: :data:`FRAME_COLUMNS` (``date`` a UTC datetime,
    ``keyword`` an ordered categorical in RFC 2119's order), then :data:`SIZE_COLUMNS` with
    ``sizes`` (each revision's pages and words, what ``--normalize`` divides by) and
    :data:`SECTION_COLUMNS` with ``by="section"``.

    ``revisions``: a lineage's revisions (``fetch_lineage``), ``fetch_lineages(names)``'s
    ``{lineage: revisions}``, a list of lineages, or one Revision (see :func:`by_lineage`)."""
    import pandas as pd

    rows = keyword_records(
        revisions, by=by, include_boilerplate=include_boilerplate, lowercase=lowercase,
        progress=progress, workers=workers, sizes=sizes,
    )
    columns = (list(FRAME_COLUMNS) + (list(SIZE_COLUMNS) if sizes else [])
               + (list(SECTION_COLUMNS) if by == "section" else []))
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    frame["count"] = frame["count"].astype("int64")
    frame["keyword"] = pd.Categorical(frame["keyword"], categories=keyword_order(lowercase),
                                      ordered=True)
    return frame


def size_records(revisions: Iterable["Revision"]) -> list[dict[str, Any]]:
    """``name, rev, pages, words`` of each revision with a local file (see
    :mod:`draftscope.text.size`), without pandas."""
    from draftscope.text.document import load_document

    rows = []
    for revision in revisions:
        if revision.path is None:
            continue
        size = load_document(revision).size
        rows.append({"name": revision.name, "rev": revision.rev, "pages": size.pages, "words": size.words})
    return rows


def revision_sizes(revisions: Iterable["Revision"]) -> "pd.DataFrame":
    """:func:`size_records` as a DataFrame, to merge into a keyword frame on ``name, rev``."""
    import pandas as pd

    return pd.DataFrame(size_records(revisions), columns=["name", "rev", *SIZE_COLUMNS])
