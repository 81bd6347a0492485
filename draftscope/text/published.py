"""Page furniture of published (paginated) Internet-Draft and RFC text.

Published text is cut into pages: a footer line ending in ``[Page N]``, a form feed, a running
header ("Internet-Draft   QUIC Transport Protocol   January 2021", "RFC 2616  HTTP/1.1  June 1999",
or the two-line headers of old RFCs) and the blank lines that pad each page. Analyses want the
text as if it had never been paginated, so that a sentence, a "MUST NOT" or a figure caption
broken by a page break reads on. :func:`remove_furniture` drops the furniture and remembers, for
every kept line, its line number in the source file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# "Iyengar & Thomson    Expires 19 July 2021    [Page 1]", "[page 2]    Postel", "[Page iv]"
FOOTER = re.compile(r"\[\s*page\s+[0-9ivxlc]+\s*\]", re.IGNORECASE)
# A running header: starts with the document kind, or ends with a date.
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
HEADER = re.compile(
    r"^\s*(?:Internet[- ]Draft\b|INTERNET[- ]DRAFT\b|RFC\s*\d+\s{2,}|Request for Comments)"
    r"|\s{2,}(?:\d{1,2}\s+)?" + _MONTHS + r"\.?\s+(?:\d{1,2},\s+)?\d{4}\s*$"
)
# How many lines at the top of a page may be running header.
_MAX_HEADER_LINES = 2
# xml2rfc fills a page with text and then exactly 3 blank lines before the footer; a longer gap
# means the page ended early, at a paragraph or figure boundary.
_FULL_PAGE_PADDING = 3


@dataclass(frozen=True)
class Unpaged:
    """Text with page furniture removed."""

    lines: list[str]
    line_numbers: list[int]  # 1-based source line of each kept line
    pages: int  # number of pages found (1 when the text is not paginated)


def _is_footer(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 100:
        return False
    match = FOOTER.search(stripped)
    # the marker sits at either end of the line
    return bool(match) and (match.end() == len(stripped) or match.start() == 0)


def _normal(line: str) -> str:
    return " ".join(line.split())


def _page_starts(lines: list[str], footers: set[int]) -> list[int]:
    """Indices where a new page begins: after a form feed or after a footer."""
    starts: set[int] = set()
    for i, line in enumerate(lines):
        if "\f" in line:
            starts.add(i)
        elif i in footers:
            starts.add(i + 1)
    return sorted(s for s in starts if s < len(lines))


def _top_lines(lines: list[str], start: int) -> list[int]:
    """Indices of the first few non-blank lines of the page beginning at ``start``."""
    found: list[int] = []
    i = start
    while i < len(lines) and len(found) < _MAX_HEADER_LINES:
        text = lines[i].replace("\f", "")
        if text.strip():
            if "\f" in lines[i] and lines[i].strip("\f").strip() == "":
                pass
            found.append(i)
        elif found:  # header lines are contiguous
            break
        i += 1
    return found


def remove_furniture(lines: list[str]) -> Unpaged:
    """Drop footers, form feeds, running headers and the padding around them.

    Where the text before the break ends a paragraph (a short line ending in ``.`` or ``:``, or a
    page ended early) one blank line is kept so paragraphs stay apart; otherwise the two pages'
    text is joined directly.
    """
    footers = {i for i, line in enumerate(lines) if _is_footer(line)}
    starts = _page_starts(lines, footers)
    if not starts and not footers:
        return Unpaged(list(lines), list(range(1, len(lines) + 1)), 1)

    # Running headers: top-of-page lines that repeat on many pages, or look like a header.
    candidates = {start: _top_lines(lines, start) for start in starts}
    seen = Counter(_normal(lines[i].replace("\f", "")) for tops in candidates.values() for i in tops)
    repeat_threshold = max(2, len(starts) // 4)
    drop: set[int] = set(footers)
    for tops in candidates.values():
        for i in tops:
            text = lines[i].replace("\f", "")
            if seen[_normal(text)] >= repeat_threshold or HEADER.search(text):
                drop.add(i)
            else:
                break  # the body of the page has begun

    # Blank padding: blank lines (and bare form feeds) touching dropped furniture.
    blank = [not line.replace("\f", "").strip() for line in lines]
    padding: set[int] = set()
    for i in sorted(drop):
        j = i - 1
        while j >= 0 and blank[j] and j not in padding:
            padding.add(j)
            j -= 1
        j = i + 1
        while j < len(lines) and blank[j] and j not in padding:
            padding.add(j)
            j += 1
    for i, line in enumerate(lines):
        if "\f" in line and blank[i]:
            padding.add(i)
    removed = drop | padding

    kept: list[str] = []
    numbers: list[int] = []
    i = 0
    n = len(lines)
    while i < n:
        if i not in removed:
            kept.append(lines[i].replace("\f", ""))
            numbers.append(i + 1)
            i += 1
            continue
        # a run of furniture: decide whether the text before it ended a paragraph
        j = i
        while j < n and j in removed:
            j += 1
        gap_blank = next((k for k in range(i, j) if blank[k] and "\f" not in lines[k]), None)
        if kept and j < n and gap_blank is not None and kept[-1].strip():
            leading_pad = 0
            k = i
            while k < j and blank[k] and k not in drop:
                leading_pad += 1
                k += 1
            if _ends_paragraph(kept[-1], lines[j], leading_pad):
                kept.append("")
                numbers.append(gap_blank + 1)
        i = j
    return Unpaged(kept, numbers, len(starts) + 1)


def _ends_paragraph(before: str, after: str, padding: int) -> bool:
    """Guess whether a page break fell between paragraphs rather than inside one."""
    if padding > _FULL_PAGE_PADDING:
        return True  # the page ended early: xml2rfc keeps blocks together
    text = before.rstrip()
    if after[:1].strip():  # next page opens with a heading at column 0
        return True
    if re.match(r"\s*(Figure|Table)\s+\d+", after):
        return True
    return text.endswith((".", ":")) and len(text) < 60
