"""One revision text -> one row of the scan dataset: the per-file function every executor runs
(a process pool's workers, a dask cluster's), so a row never depends on where it was made.

A file that cannot be read (gone, unreadable, not text, XML that does not parse) is a row whose
``error`` says why and whose measured columns are null; so is a file on which a reader fails
unexpectedly (``internal error: ...``): one bad file in 10^5 never ends a scan.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from draftscope.analyses.bcp14 import DISPLAY_ORDER, LOWERCASE
from draftscope.archive.schema import (DEFINITION_COLUMNS, LOWER_COLUMNS, NOTATIONS,
                                       PHRASE_COLUMNS, SCAN_COLUMNS)
from draftscope.archive.sources import Known, SourceFile, group_from_name
from draftscope.errors import DraftscopeError
from draftscope.fetch.names import is_rfc

MEASURES = ("all", "keywords")   # every column, or the keyword columns alone (the fast path)

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)} | {m[:3]: i + 1 for i, m in enumerate(_MONTH_NAMES)}
# a date on a first-page line: "April 24, 2019", "24 April 2019", "May 2021"
_PRINTED_DATE = re.compile(
    r"(?:\b(\d{1,2})\s+)?\b(" + "|".join(_MONTH_NAMES) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?)"
    r"\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_FIRST_PAGE_LINES = 40
_RFC8174 = re.compile(r"RFC\s*8174")


@dataclass(frozen=True)
class Job:
    """What a worker needs for one file (picklable: it crosses process and network boundaries)."""

    root: str
    source: SourceFile
    known: Known
    measure: str = "all"


def load_readers() -> None:
    """Import what :func:`scan_file` reads with (lazily imported: the CLI starts light)."""
    import draftscope.analyses.definitions.extract  # noqa: F401
    import draftscope.analyses.keyword_scan  # noqa: F401
    import draftscope.analyses.keywords  # noqa: F401
    import draftscope.text.document  # noqa: F401
    import draftscope.text.model  # noqa: F401  (text.document imports these when first used)
    import draftscope.text.published  # noqa: F401
    import draftscope.text.sections  # noqa: F401
    import draftscope.text.xml  # noqa: F401


def scan_files(jobs: list[Job]) -> list[dict[str, Any]]:
    """:func:`scan_file` of each job (one task of a pool or a cluster holds a few files)."""
    return [scan_file(job) for job in jobs]


def scan_file(job: Job) -> dict[str, Any]:
    """The dataset row of one file."""
    source = job.source
    row: dict[str, Any] = dict.fromkeys(SCAN_COLUMNS)
    kind = "rfc" if is_rfc(source.name) else "draft"
    row.update(path=source.path, size=source.size, mtime_ns=source.mtime_ns, name=source.name,
               rev=source.rev, kind=kind, format=source.format)
    group, group_source = job.known.group, "metadata"
    if group is None:
        group, group_source = group_from_name(source.name), "name"
    if group is not None:
        row.update(group=group, group_source=group_source)
    if job.known.date is not None:
        row.update(date=job.known.date, date_source="metadata")
    try:
        path = os.path.join(job.root, source.path)   # (a string: pathlib costs 20 us a file)
        raw = _read(path, row)
        if job.measure == "keywords":
            _keywords_only(path, raw, row)
        else:
            _measure(raw, row, job.known.date is None)
    except (DraftscopeError, OSError, UnicodeError, ValueError) as exc:
        _failed(row, str(exc) or type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - a reader's bug on one file must not end a scan
        _failed(row, f"internal error: {type(exc).__name__}: {exc}")
    return row


def _read(path: str, row: dict[str, Any]) -> bytes:
    """The file's bytes; its size and mtime as read (what the next run compares) and sha256."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        raw = handle.read()
    row.update(size=info.st_size, mtime_ns=info.st_mtime_ns, bytes=len(raw),
               sha256=hashlib.sha256(raw).hexdigest())
    return raw


def _failed(row: dict[str, Any], message: str) -> None:
    keep = {"path", "size", "mtime_ns", "sha256", "name", "rev", "kind", "format", "group",
            "group_source", "date", "date_source", "bytes"}
    for column in row:
        if column not in keep:
            row[column] = None
    row["error"] = " ".join(message.split())[:500]


def _put_counts(row: dict[str, Any], counts) -> None:
    for phrase, column in zip(DISPLAY_ORDER, PHRASE_COLUMNS):
        row[column] = counts.counts[phrase]
    for word, column in zip(LOWERCASE, LOWER_COLUMNS):
        row[column] = counts.lowercase[word]
    row["boilerplate_phrases"] = sum(counts.boilerplate.values())


def _keywords_only(path: str, raw: bytes, row: dict[str, Any]) -> None:
    """The keyword columns by the byte scanner (any size; exact by construction)."""
    from draftscope.analyses.keywords import count_keywords

    if row["format"] == "xml":
        from draftscope.text.xml import parse_xml

        counts = count_keywords(parse_xml(raw, name=row["name"], rev=row["rev"], source=str(path)),
                                lowercase=True)
    else:
        from draftscope.analyses.keyword_scan import NeedsExact, scan

        try:
            counts = scan(raw, lowercase=True) if raw else count_keywords(raw, lowercase=True)
        except NeedsExact:
            counts = count_keywords(raw, lowercase=True)
    _put_counts(row, counts)


def _measure(raw: bytes, row: dict[str, Any], find_date: bool) -> None:
    from draftscope.analyses.definitions.extract import read_definitions
    from draftscope.analyses.keywords import count_keywords
    from draftscope.text.document import parse_text

    if row["format"] == "xml":
        from draftscope.text.xml import parse_xml

        document = parse_xml(raw, name=row["name"], rev=row["rev"], source=row["path"])
    else:
        document = parse_text(raw, name=row["name"], rev=row["rev"])
    counts = count_keywords(document, lowercase=True)
    _put_counts(row, counts)
    size = document.size
    row.update(pages=size.pages, words=size.words, sections=len(document.sections))
    row["boilerplate"] = _boilerplate_kind(document.text, counts.boilerplate_spans)
    per_notation = dict.fromkeys(NOTATIONS, 0)
    found = read_definitions(document)
    for definition in found.definitions:
        if not definition.example:
            per_notation[definition.notation] = per_notation.get(definition.notation, 0) + 1
    row["figures_unread"] = sum(1 for u in found.unread if u.kind == "unreadable" and not u.example)
    for notation, column in zip(NOTATIONS, DEFINITION_COLUMNS):
        row[column] = per_notation[notation]
    if find_date:
        printed = first_page_date(document.lines[:_FIRST_PAGE_LINES]) if row["format"] == "txt" \
            else _xml_date(document.xml)
        if printed is not None:
            row.update(date=printed, date_source="first page")


def _boilerplate_kind(text: str, spans) -> str | None:
    """``8174`` when a boilerplate paragraph cites RFC 8174, else ``2119``; None without one."""
    if not spans:
        from draftscope.analyses.keywords import boilerplate_spans

        spans = boilerplate_spans(text)
    if not spans:
        return None
    return "8174" if any(_RFC8174.search(text, a, b) for a, b in spans) else "2119"


def first_page_date(lines: list[str]) -> datetime | None:
    """The first date printed on the first page that is not the one after "Expires:", UTC."""
    for line in lines:
        for m in _PRINTED_DATE.finditer(line):
            if line[: m.start()].rstrip().lower().endswith(("expires:", "expires")):
                continue
            key = m.group(2).lower().rstrip(".")
            month = _MONTHS.get(key) or _MONTHS[key[:3]]
            try:
                return datetime(int(m.group(4)), month, int(m.group(1) or m.group(3) or 1),
                                tzinfo=timezone.utc)
            except ValueError:
                return None
    return None


def _xml_date(root) -> datetime | None:
    """``<front><date year= month= day=>`` of an XML source (month by name or number)."""
    if root is None:
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "date":
            year, month = element.get("year", ""), (element.get("month") or "").strip().lower()
            if not year.isdigit():
                return None
            number = int(month) if month.isdigit() else _MONTHS.get(month[:3], 0) if month else 1
            day = element.get("day", "1")
            try:
                return datetime(int(year), number, int(day) if day.isdigit() else 1, tzinfo=timezone.utc)
            except ValueError:
                return None
    return None
