"""Page furniture of published (paginated) Internet-Draft and RFC text.

Published text is cut into pages: a footer line ending in ``[Page N]``, a form feed, a running
header ("Internet-Draft   QUIC Transport Protocol   January 2021", "RFC 2616  HTTP/1.1  June 1999",
or the two-line headers of old RFCs) and the blank lines that pad each page. Analyses want the
text as if it had never been paginated, so that a sentence, a "MUST NOT" or a figure caption
broken by a page break reads on.

:func:`unpage` works on the whole text at once and touches only the few lines around each page
break (found with one C-level scan for form feeds), so it stays fast on very large inputs. Its
result is a list of kept slices of the source, which gives both the clean text and, for every
kept line, its line number in the source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

# "Iyengar & Thomson    Expires 19 July 2021    [Page 1]", "[page 2]    Postel", "[Page iv]"
FOOTER = re.compile(r"\[\s*page\s+([0-9ivxlc]+)\s*\]", re.IGNORECASE)
_FOOTER_SCAN = re.compile(r"\[\s*[Pp][Aa][Gg][Ee]\s+[0-9ivxlcIVXLC]+\s*\]")
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
# A running header: starts with the document kind, or ends with a date.
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
    """Text with page furniture removed, as slices of the source text."""

    source: str
    pieces: list[tuple[int, int]]  # kept [start, end) slices of source, in order
    pages: int  # number of pages found (1 when the text is not paginated)
    # page numbers printed in the removed footers, in order ("[Page 7]" -> 7; roman numbers of
    # old front matter and pages without a footer are absent)
    footer_pages: tuple[int, ...] = ()

    @property
    def last_page(self) -> int | None:
        """The highest page number printed in a footer: the page count of paginated text."""
        return max(self.footer_pages) if self.footer_pages else None

    @property
    def text(self) -> str:
        if len(self.pieces) == 1 and self.pieces[0] == (0, len(self.source)):
            return self.source
        source = self.source
        return "".join([source[a:b] for a, b in self.pieces])

    def lines(self) -> tuple[list[str], list[int]]:
        """Kept lines and the 1-based source line number of each."""
        source = self.source
        lines: list[str] = []
        numbers: list[int] = []
        line_no = 1
        counted_to = 0
        for a, b in self.pieces:
            line_no += source.count("\n", counted_to, a)
            counted_to = a
            chunk = source[a:b]
            if chunk.endswith("\n"):
                chunk = chunk[:-1]
            part = chunk.split("\n")
            lines.extend(part)
            numbers.extend(range(line_no, line_no + len(part)))
        return lines, numbers


def _is_blank(line: str) -> bool:
    return not line.replace("\f", "").strip()


def _is_footer(line: str) -> bool:
    return _footer_page(line) is not None


def _footer_page(line: str) -> str | None:
    """The page number a footer line prints ("7", "iv"), None when the line is no footer."""
    stripped = line.strip().replace("\f", "")
    if not stripped or len(stripped) > 100:
        return None
    match = FOOTER.search(stripped)
    # the marker sits at either end of the line
    if match and (match.end() == len(stripped) or match.start() == 0):
        return match.group(1)
    return None


def _normal(line: str) -> str:
    return " ".join(line.split())


@dataclass
class _Break:
    """A page break found in the text: what around it may be page furniture."""

    start: int  # first removed offset (start of the first padding line before the footer)
    body: int  # where the next page's text would begin if no header lines were found
    tops: list[tuple[int, int]]  # candidate header lines after the break ([start, end) each)
    first_blank: tuple[int, int] | None  # first padding blank line before the break
    padding: int  # blank lines between the last text line and the footer
    footer: str | None = None  # the page number its footer printed ("7", "iv"), if one was seen


def _line_before(text: str, start: int) -> tuple[int, int]:
    """[start, end) of the line that ends just before offset ``start`` (a line start)."""
    end = start - 1
    return text.rfind("\n", 0, end) + 1, end


def _find_break(text: str, cut: int, cut_end: int, floor: int = 0, ceiling: int | None = None) -> _Break:
    """Furniture around one page break: ``text[cut:cut_end]`` is the form feed or the footer line.

    The walk back stops at ``floor`` (the end of the previous cut) and the look for header lines
    at ``ceiling`` (the next form feed): whatever lies beyond belongs to the neighbouring break,
    whose region this one merges with anyway. Bounding both keeps a text of nothing but page
    breaks linear instead of quadratic.
    """
    # backwards: blank lines after the footer, the footer, the padding before it
    start = cut
    blanks: list[tuple[int, int]] = []
    footer_seen = text[cut:cut_end] != "\f"  # cutting at a footer line itself
    footer = _footer_page(text[cut:cut_end]) if footer_seen else None
    at_line_start = cut == 0 or text[cut - 1] == "\n"
    while start > floor and at_line_start:
        a, b = _line_before(text, start)
        line = text[a:b]
        if _is_blank(line):
            blanks.append((a, b))
            start = a
        elif not footer_seen and (number := _footer_page(line)) is not None:
            footer_seen = True
            footer = number
            blanks.clear()
            start = a
        else:
            break
    tops, body, _ = page_tops(text, cut_end, len(text) if ceiling is None else ceiling)
    first_blank = blanks[-1] if blanks else None
    return _Break(start, body, tops, first_blank, len(blanks), footer)


def page_tops(text: str, pos: int, ceiling: int) -> tuple[list[tuple[int, int]], int, int]:
    """The lines at the top of a page that may be a running header: up to two adjacent non-blank
    lines after ``pos`` (blank lines before them skipped), looked for up to ``ceiling``.

    Returns their [start, end) spans, where the body would begin if none is a header, and how far
    the text was read (the top of a page is decided by ``text[pos:read]`` alone).
    """
    tops: list[tuple[int, int]] = []
    body = pos
    n = min(len(text), ceiling)
    while pos < n and len(tops) < _MAX_HEADER_LINES:
        end = text.find("\n", pos, n)
        if end < 0:
            end = n
        line = text[pos:end]
        if _is_blank(line):
            if tops:
                pos = end + 1
                break
            body = end + 1
        else:
            tops.append((pos, end))
        pos = end + 1
    return tops, min(body, n), min(pos, n)


def _last_footer(text: str) -> tuple[int, int] | None:
    """[start, end) of the footer line when it is the last non-blank line of the text."""
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    if _is_footer(text[start:end]):
        newline = text.find("\n", end)
        return start, len(text) if newline < 0 else newline + 1
    return None


def _skip_blank_lines(text: str, pos: int) -> int:
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        if not _is_blank(text[pos:end]):
            return pos
        pos = end + 1
    return n


def page_cuts(text: str) -> list[tuple[int, int]]:
    """[start, end) of each page break's cut: every form feed (and a last footer after the last
    one); in text without form feeds, every footer line."""
    if "\f" in text:
        cuts = [(m.start(), m.end()) for m in re.finditer("\f", text)]
        last = _last_footer(text)  # the last page's footer has no form feed after it
        if last is not None and last[0] > cuts[-1][0]:
            cuts.append(last)
        return cuts
    cuts = []
    line_end = -1
    for m in _FOOTER_SCAN.finditer(text):
        if m.start() < line_end:
            continue  # this line was judged already (a line of many markers stays linear)
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        b = len(text) if b < 0 else b
        line_end = b
        if _is_footer(text[a:b]):
            cuts.append((a, min(b + 1, len(text))))
    return cuts


def find_breaks(text: str, cuts: list[tuple[int, int]]) -> list[_Break]:
    """The furniture around each cut, each bounded by its neighbours (see :func:`_find_break`)."""
    form_feeds = [a for a, b in cuts if text[a:b] == "\f"]
    breaks = []
    next_ff = 0
    for i, (a, b) in enumerate(cuts):
        floor = cuts[i - 1][1] if i else 0
        while next_ff < len(form_feeds) and form_feeds[next_ff] <= a:
            next_ff += 1
        ceiling = form_feeds[next_ff] if next_ff < len(form_feeds) else len(text)
        breaks.append(_find_break(text, a, b, floor, ceiling))
    return breaks


def header_rule(seen: Counter, breaks: int) -> Callable[[str], bool]:
    """Running headers: top-of-page lines repeated on many pages (a quarter of the ``breaks``,
    at least two; ``seen`` counts each normalised top line), or that look like a header."""
    threshold = max(2, breaks // 4)
    return lambda line: seen[_normal(line)] >= threshold or HEADER.search(line) is not None


def normal_line(line: str) -> str:
    """A top-of-page line as :func:`header_rule` counts it (white space runs made one space)."""
    return _normal(line)


def unpage(text: str, *, is_header: Callable[[str], bool] | None = None) -> Unpaged:
    """Drop footers, form feeds, running headers and the padding around them.

    Where the text before a break ends a paragraph (a page that ended early, a short line ending
    in ``.`` or ``:``, or a heading or caption opening the next page) one padding blank line is
    kept so paragraphs stay apart; otherwise the two pages' text is joined directly.

    A top-of-page line is a running header when it repeats on many pages of ``text`` or looks
    like one; ``is_header`` replaces that judgement (for a piece of a larger text, whose
    repetitions were counted over the whole: see :func:`header_rule`).
    """
    cuts = page_cuts(text)
    if not cuts:
        return Unpaged(text, [(0, len(text))], 1)
    breaks = find_breaks(text, cuts)
    if is_header is None:
        is_header = header_rule(Counter(_normal(text[a:b]) for brk in breaks for a, b in brk.tops), len(breaks))
    regions: list[tuple[int, int, _Break]] = []
    for brk in breaks:
        end = brk.body
        for a, b in brk.tops:
            if is_header(text[a:b]):
                end = _skip_blank_lines(text, b + 1)
            else:
                break
        regions.append((brk.start, end, brk))

    # Merge overlapping regions (empty pages) and emit the kept slices.
    pieces: list[tuple[int, int]] = []
    pos = 0
    i = 0
    n = len(text)
    while i < len(regions):
        start, end, first = regions[i]
        while i + 1 < len(regions) and regions[i + 1][0] <= end:
            i += 1
            end = max(end, regions[i][1])
        if start > pos:
            pieces.append((pos, start))
        keep_blank = (
            first.first_blank is not None
            and start > 0
            and end < n
            and _ends_paragraph(text, start, end, first.padding)
        )
        if keep_blank:
            a, b = first.first_blank
            pieces.append((a, b + 1))
        pos = max(pos, end)
        i += 1
    if pos < n:
        pieces.append((pos, n))
    footer_pages = tuple(int(b.footer) for b in breaks if b.footer and b.footer.isdigit())
    return Unpaged(text, pieces, len(breaks) + 1, footer_pages)


def _ends_paragraph(text: str, start: int, end: int, padding: int) -> bool:
    """Guess whether a page break fell between paragraphs rather than inside one."""
    if padding > _FULL_PAGE_PADDING:
        return True  # the page ended early: xml2rfc keeps blocks together
    before_start = text.rfind("\n", 0, start - 1) + 1
    before = text[before_start : start - 1].rstrip()
    after_end = text.find("\n", end)
    after = text[end : after_end if after_end >= 0 else len(text)]
    if after[:1].strip():  # next page opens with a heading at column 0
        return True
    if re.match(r"\s*(Figure|Table)\s+\d+", after):
        return True
    return before.endswith((".", ":")) and len(before) < 60
