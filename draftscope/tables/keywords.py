"""Keyword counts of revisions as tidy rows: plain dicts for CSV/JSON, a pandas DataFrame for
notebooks and plots (``name, rev, date, keyword, count[, section, title]``, one row per revision,
phrase and section, zeros included).

pandas is imported only by :func:`keywords_frame`, so the CLI's CSV/JSON path never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from draftscope.analyses.keywords import DISPLAY_ORDER, LOWERCASE, KeywordCounts
from draftscope.errors import DraftscopeError, OfflineMissingError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.records import Revision

BY = ("revision", "section")
RECORD_COLUMNS = ("name", "rev", "date", "keyword", "count")
SECTION_COLUMNS = ("section", "title")


class KeywordsInputError(DraftscopeError):
    """Bad options for a keyword table (unknown --by, nothing to count)."""

    exit_code = 2


@dataclass(frozen=True)
class _Job:
    revision: "Revision"
    by_section: bool
    lowercase: bool
    workers: int | None = None


def count_revision(
    revision: "Revision", *, by_section: bool = False, lowercase: bool = False, workers: int | None = None
) -> KeywordCounts:
    """Count one revision's cached file (published text or XML); ``workers`` may split a very
    large text file over processes."""
    from draftscope.analyses.keywords import count_keywords
    from draftscope.text.document import load_document

    if revision.path is None:
        raise OfflineMissingError(f"{revision.label}.{revision.format}: not in the cache (drop --offline to fetch it)")
    if revision.format == "txt" and not by_section:
        from draftscope.analyses.keyword_scan import count_file

        return count_file(revision.path, lowercase=lowercase, workers=workers)
    return count_keywords(load_document(revision), by_section=by_section, lowercase=lowercase)


def _run_job(job: _Job) -> KeywordCounts:
    return count_revision(job.revision, by_section=job.by_section, lowercase=job.lowercase, workers=job.workers)


def count_revisions(
    revisions: Sequence["Revision"],
    *,
    by: str = "revision",
    lowercase: bool = False,
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
) -> list[KeywordCounts]:
    """Counts for each revision, in order (a process pool when there are many)."""
    from draftscope.analyses.parallel import parallel_map

    if by not in BY:
        raise KeywordsInputError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    missing = [r for r in revisions if r.path is None]
    if missing:
        labels = ", ".join(f"{r.label}.{r.format}" for r in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise OfflineMissingError(f"not in the cache: {labels}{more} (drop --offline to fetch them)")
    jobs = [_Job(r, by == "section", lowercase, workers) for r in revisions]
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
) -> list[dict[str, Any]]:
    """Long-form rows of one revision's counts (zeros included)."""
    base = {"name": revision.name, "rev": revision.rev, "date": _date(revision), "format": revision.format}
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


def keyword_records(
    revisions: Sequence["Revision"],
    *,
    by: str = "revision",
    include_boilerplate: bool = False,
    lowercase: bool = False,
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
) -> list[dict[str, Any]]:
    """The rows of :func:`keywords_frame` as dicts, without pandas (for CSV/JSON)."""
    results = count_revisions(revisions, by=by, lowercase=lowercase, progress=progress, workers=workers)
    rows: list[dict[str, Any]] = []
    for revision, counts in zip(revisions, results):
        rows.extend(
            rows_for(revision, counts, by=by, include_boilerplate=include_boilerplate, lowercase=lowercase)
        )
    return rows


def keywords_frame(
    revisions: Iterable["Revision"],
    by: str = "revision",
    *,
    include_boilerplate: bool = False,
    lowercase: bool = False,
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
) -> "pd.DataFrame":
    """Tidy DataFrame: name, rev, date (UTC datetime), keyword, count[, section, title]."""
    import pandas as pd

    revisions = list(revisions)
    rows = keyword_records(
        revisions, by=by, include_boilerplate=include_boilerplate, lowercase=lowercase,
        progress=progress, workers=workers,
    )
    columns = list(RECORD_COLUMNS) + (list(SECTION_COLUMNS) if by == "section" else [])
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    frame["count"] = frame["count"].astype("int64")
    return frame
