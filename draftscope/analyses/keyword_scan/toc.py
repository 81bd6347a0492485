"""The table of contents judged from the raw bytes where it surely cannot change a count.

The exact path skips its first table of contents: the phrases inside it are not counted and a
quoted phrase there opens no boilerplate paragraph. Finding where it ends needs the clean text
(a TOC runs on across page breaks), which the judge unpages from a window of whole pages: about
a third of a millisecond per draft, more than the rest of its scan. Most tables hold no phrase
word at all, and then where exactly they end does not matter -- only that they end before the
next phrase word. That much the raw lines tell, with the rules of :func:`unpage`: a page break
removes at most one non-blank line before its form feed (the footer) and two after it (running
headers), so a line with printable text farther than that from every form feed is kept as it is.
"""

from __future__ import annotations

import re

from draftscope.analyses.keyword_scan.common import _PRINTABLE, _strip_back
from draftscope.text.sections import TOC_LEADER

# a line opening with text at column 0 (find_toc stops at the first one that is no entry)
_COLUMN_ZERO = re.compile(rb"\n(?=[^ \t\n\r\x0b\x0c\x1c-\x1f])")
_REACH = 1 << 16  # how far past its heading a table of contents is followed in raw lines


def toc_cannot_matter(buf, base: int, heading: int, finder) -> bool:
    """Whether the table of contents headed at raw offset ``heading`` (a line start) holds no
    phrase word and ends before the first one after it, as the exact path reads it; False
    whenever the raw lines cannot tell (the judge then unpages). ``finder``: an automaton that
    finds every phrase word (whole or not) in a buffer.

    The walk goes page by page through the lines each page surely keeps (from its third line
    with text to the one before its last), looking only at lines opening at column 0."""
    if not _kept(buf, base, heading):
        return False
    if buf.rfind(b"\f", base, heading) >= 0 and b"table of contents" in bytes(buf[base:heading]).lower():
        return False  # another spelling in a line a form feed cuts: the exact path may head there
    limit = min(len(buf), heading + _REACH)
    pos = buf.find(b"\n", heading, limit)
    if pos < 0:
        return False
    page_end = _next_form_feed(buf, pos)
    kept_end = _last_text_line(buf, pos, page_end)
    while True:
        m = _COLUMN_ZERO.search(buf, pos, min(kept_end, limit))
        if m is None:  # on to the next page's kept lines
            if page_end >= limit:
                return False
            start = page_end + 1
            page_end = _next_form_feed(buf, start)
            pos = _nth_text_line(buf, start, page_end, 3)
            if pos is None:
                pos = kept_end = page_end  # a page too short to keep a line for sure
            else:
                pos -= 1  # the newline before it: _COLUMN_ZERO looks for line starts after one
                kept_end = _last_text_line(buf, pos, page_end)
            continue
        line = m.end()
        end = buf.find(b"\n", line, limit)
        if end < 0:
            return False
        text = bytes(buf[line:end])
        if not text.isascii():
            return False
        if _is_entry(text.decode("ascii")):
            pos = end
            continue
        # the line stops the table of contents; a kept blank line after it ends its paragraph
        after = _nth_text_line(buf, end + 1, kept_end, 1)
        if after is None or after == end + 1 or bytes(buf[end + 1 : after]).strip(b" \t\n"):
            return False  # no blank line (spaces and tabs only) before a kept line
        with memoryview(buf) as whole, whole[heading:after] as zone:
            return not finder.find_matches_as_indexes(zone)


def _is_entry(line: str) -> bool:
    return TOC_LEADER.search(line) is not None


def _next_form_feed(buf, pos: int) -> int:
    found = buf.find(b"\f", pos)
    return len(buf) if found < 0 else found


def _nth_text_line(buf, start: int, stop: int, n: int) -> int | None:
    """Start of the ``n``-th line with printable ASCII in ``buf[start:stop]`` (the first line
    may begin before ``start``: it starts at ``start`` then), or None."""
    pos = start
    for _ in range(n):
        m = _PRINTABLE.search(buf, pos, stop)
        if m is None:
            return None
        found = max(start, buf.rfind(b"\n", 0, m.start()) + 1)
        nl = buf.find(b"\n", m.end(), stop)
        pos = stop if nl < 0 else nl + 1
    return found


def _last_text_line(buf, start: int, stop: int) -> int:
    """Start of the last line with printable ASCII in ``buf[start:stop]`` (the one a footer may
    be: the lines before it are kept), ``start`` if none."""
    at = _strip_back(buf, stop, _NOT_PRINTABLE)
    if at <= start:
        return start
    return max(start, buf.rfind(b"\n", 0, at - 1) + 1)


def _kept(buf, base: int, line: int) -> bool:
    """Whether the line starting at ``line`` (with printable ASCII) is surely kept by unpage:
    no form feed in it, at least two lines with printable ASCII between it and the form feed
    before it (running headers are at most two), and at least one between it and the form feed
    after it or the file's end (a footer is one line)."""
    end = buf.find(b"\n", line)
    if end < 0 or buf.find(b"\f", line, end) >= 0:
        return False
    before = buf.rfind(b"\f", base, line)
    if before >= 0 and _nth_text_line(buf, before + 1, line, 2) is None:
        return False
    return _nth_text_line(buf, end + 1, _next_form_feed(buf, end), 1) is not None


_NOT_PRINTABLE = bytes(b for b in range(256) if not 0x21 <= b <= 0x7E)
