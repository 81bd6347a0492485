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

from draftscope.analyses.keyword_scan.common import _PRINTABLE

# a line opening with text at column 0 (find_toc stops at the first one that is no entry)
_COLUMN_ZERO = re.compile(rb"\n(?=[^ \t\n\r\x0b\x0c\x1c-\x1f])")
_REACH = 1 << 16  # how far past its heading a table of contents is followed in raw lines


def toc_cannot_matter(buf, base: int, heading: int, finder) -> bool:
    """Whether the table of contents headed at raw offset ``heading`` (a line start) holds no
    phrase word and ends before the first one after it, as the exact path reads it; False
    whenever the raw lines cannot tell (the judge then unpages). ``finder``: an automaton that
    finds every phrase word (whole or not) in a buffer."""
    if b"table of contents" in bytes(buf[base:heading]).lower() or not _kept(buf, base, heading):
        return False  # another spelling before it (perhaps in a line a form feed cuts), or near furniture
    limit = min(len(buf), heading + _REACH)
    pos = buf.find(b"\n", heading, limit)
    while pos >= 0:
        m = _COLUMN_ZERO.search(buf, pos, limit)
        if m is None:
            return False
        line = m.end()
        end = buf.find(b"\n", line, limit)
        if end < 0:
            return False
        text = bytes(buf[line:end])
        if not text.isascii():
            return False
        if _is_entry(text.decode("ascii")) or not _kept(buf, base, line):
            pos = end  # an entry, or a line that may be furniture: the TOC may run on
            continue
        # the line stops the table of contents; a kept blank line after it ends its paragraph
        after = _next_text_line(buf, end + 1, limit)
        if (after is None or after == end + 1 or bytes(buf[end + 1 : after]).strip(b" \t\n")
                or not _kept(buf, base, after)):
            return False  # no blank line (spaces and tabs only) between, or one near furniture
        with memoryview(buf) as whole, whole[heading:after] as zone:
            return not finder.find_matches_as_indexes(zone)
    return False


def _is_entry(line: str) -> bool:
    from draftscope.text.sections import TOC_LEADER

    return TOC_LEADER.search(line) is not None


def _next_text_line(buf, pos: int, limit: int) -> int | None:
    """Start of the first line at or after ``pos`` with printable ASCII (before ``limit``)."""
    m = _PRINTABLE.search(buf, pos, limit)
    if m is None:
        return None
    return buf.rfind(b"\n", 0, m.start()) + 1


def _kept(buf, base: int, line: int) -> bool:
    """Whether the line starting at ``line`` (with printable ASCII) is surely kept by unpage:
    no form feed in it, at least two lines with printable ASCII between it and the form feed
    before it (running headers are at most two), and at least one between it and the form feed
    after it or the file's end (a footer is one line)."""
    end = buf.find(b"\n", line)
    if end < 0 or buf.find(b"\f", line, end) >= 0:
        return False
    before = buf.rfind(b"\f", base, line)
    if before >= 0 and _text_lines(buf, before + 1, line, 2) < 2:
        return False
    after = buf.find(b"\f", end)
    return _text_lines(buf, end + 1, len(buf) if after < 0 else after, 1) >= 1


def _text_lines(buf, start: int, stop: int, enough: int) -> int:
    """How many lines with printable ASCII ``buf[start:stop]`` holds, counted up to ``enough``."""
    found = 0
    pos = start
    while found < enough:
        m = _PRINTABLE.search(buf, pos, stop)
        if m is None:
            break
        found += 1
        nl = buf.find(b"\n", m.end(), stop)
        if nl < 0:
            break
        pos = nl + 1
    return found
