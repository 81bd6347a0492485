"""Page furniture checked, not cut out: the footer before each form feed must hold no phrase
word the exact path would remove, the top-of-page lines after it are counted as the exact path
counts running headers (in both decodings it may use when a line is not ASCII)."""

from __future__ import annotations

import re

from draftscope.analyses.keyword_scan.common import _ANY_SPACE_BYTE, _NON_ASCII_SPACE, _NeedsExact, _PRINTABLE, _Part, _WORDS, _WORDS_OR_LOWER, _strip_back
from draftscope.analyses.keyword_scan.decoding import _decode_piece, _file_encoding, _is_utf8


# Four lines with printable ASCII (a running header, a footer and some body): a page that has
# them cannot be furniture only.
_PAGE_BODY = re.compile(rb"(?:(?:[^\x21-\x7e\n]*+\n)*+[^\x21-\x7e\n]*+[\x21-\x7e][^\n]*+(?:\n|\Z)){4}")
# Two such lines after the top-of-page lines (and the blank line after them): only one (the
# footer) may be furniture there.
_PAGE_BODY_AFTER_TOPS = re.compile(rb"(?:(?:[^\x21-\x7e\n]*+\n)*+[^\x21-\x7e\n]*+[\x21-\x7e][^\n]*+(?:\n|\Z)){2}")
_DIGITS = b"0123456789"
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LINE_SPACE = b" \t\x0b\x1c\x1d\x1e\x1f"
_BLANK_END = frozenset(b" \t\n\x0b\x0c\x1c\x1d\x1e\x1f") | frozenset(range(0x80, 0x100))
_TOP_SLICE = 1024  # bytes decoded after a form feed to find the running header lines


def _page_furniture(buf, start: int, end: int, lowercase: bool, part: _Part) -> None:
    """Check each form feed of ``buf[start:end]``: the footer before it must hold no phrase word
    (else _NeedsExact), the lines after it are counted as the exact path counts running headers.

    Form feeds are found with memchr; the line before each is tested with one search; a page
    whose top repeats the previous page's byte for byte costs one slice and compare; a run of
    page breaks that repeat one whose footer line is word-free (the usual case: every page of
    a document) is taken by :func:`_repeats`, a slice and a compare per page."""
    words = _WORDS_OR_LOWER if lowercase else _WORDS
    words_search = words.search
    find, rfind = buf.find, buf.rfind
    last, last_tops, repeats, size = b"", (), 0, 0
    footer = b"\x00"  # the last word-free line before a form feed, without its digits
    n = 0
    body, body2, printable = _PAGE_BODY.match, _PAGE_BODY_AFTER_TOPS.match, _PRINTABLE.search
    total, digits, blank_end = len(buf), _DIGITS, _BLANK_END
    pos = find(b"\f", start, end)
    while pos >= 0:
        n += 1
        clean = None
        nxt = find(b"\f", pos + 1)
        top = pos + 1 + size
        # (a match of ``last`` implies it ends before the next form feed: it holds none)
        repeated = size and find(last, pos + 1, top) == pos + 1
        if (nxt >= 0 and (body2(buf, top, nxt) if repeated else body(buf, pos + 1, nxt)) is None
                and _ends_with_first_word(buf, pos)):
            # a page of furniture only after a page ending in MUST, SHALL, SHOULD or NOT: a
            # phrase may span two page breaks, which the page-gap pattern does not look across
            raise _NeedsExact("a phrase word before a page without body text")
        if pos > 1 and buf[pos - 1] == 0x0A and buf[pos - 2] not in blank_end:
            # the line without its digits (a page number): the same for every page of a
            # document, and without a phrase word if it is word-free (digits only join)
            key = buf[rfind(b"\n", 0, pos - 1) + 1 : pos - 1].translate(None, digits)
            if key != footer:
                if words_search(key):
                    _check_footer(buf, pos, words)  # a phrase word in the line: a footer?
                    key = b"\x00"
                footer = key
            clean = footer  # this page break's footer line, digits removed (word-free unless \x00)
        elif pos > 0:
            if buf[pos - 1] == 0x0A:
                _check_footer(buf, pos, words)  # blank before the form feed: look further up
            elif words_search(buf, max(0, (q := _strip_back(buf, pos, _LINE_SPACE)) - 12), q):
                # the text before a form feed inside a line is kept and ends a line of the clean
                # text: a phrase word there may join whatever follows the page's furniture
                raise _NeedsExact("a phrase word before a form feed inside a line")
        if repeated:
            repeats += 1
        else:
            for key in last_tops:
                part.tops[key] += repeats
            last, last_tops = _tops(buf, pos + 1, total if nxt < 0 else nxt, words, part)
            size = len(last)
            repeats = 1
        if not (size and clean is not None and clean != b"\x00" and printable(clean)):
            pos = nxt if nxt < end else -1
            continue
        # this page break's footer line (word-free, holding more than digits and blanks) lies
        # directly before the form feed and its top is decided: a run of pages repeating it
        # (the usual case) follows
        count, pos = _repeats(buf, pos, end, last)
        n += count
        repeats += count
        if pos >= end:
            pos = -1
    for key in last_tops:
        part.tops[key] += repeats
    part.form_feeds = n


def _repeats(buf, p: int, end: int, last: bytes) -> tuple[int, int]:
    """How many form feeds after the one at ``p`` (checked, page after it included) repeat its
    page break, and the offset of the first that does not (-1 when none is left).

    A form feed repeats it when its footer line is the same but for the values of its digits
    (so the same without them: word-free) and its top is ``last`` byte for byte: it changes
    nothing but the repeat count. One slice, from the newline before the footer line to the
    top's end, decides both. The page before it has body text when a printable byte lies above
    its footer line (itself printable): each page's body check is made at the next form feed,
    from where that footer line starts."""
    find, printable = buf.find, _PRINTABLE.search
    size, zero = len(last), _DIGITS_AS_ZERO
    stop = min(end, len(buf) - size)  # a form feed before this has its whole top in buf
    # The footer lines of a run have one length (its page numbers are padded to it; where they
    # are not, the run ends and the loop of _page_furniture takes over): each is read from that
    # many bytes before its form feed, the newline before it included. Digits are compared as
    # zeros: a translation without deletions costs a third of one that removes them.
    line = buf.rfind(b"\n", 0, p - 1)
    if line < 0:
        return 0, find(b"\f", p + 1)
    width = p - line  # newline, footer line, newline
    steady = buf[line : p + 1].translate(zero) + last.translate(zero)
    # The body check looks first at the byte where the last page's first printable byte was
    # (pages of a document open alike: a blank line, an indent), then searches; the first
    # page's check (after p) was made by the caller.
    tail, at_lead, count = 1 + size, 1 + size, 0
    r = find(b"\f", p + 1, stop)
    while r > 0:
        ls = r - width
        chunk = buf[ls : r + tail]
        if not (chunk.endswith(last) and chunk.translate(zero) == steady):
            break
        if count:
            at = p + at_lead
            if not (at < ls and 0x20 < buf[at] < 0x7F):
                m = printable(buf, p + tail, ls + 1)
                if m is None:
                    if _ends_with_first_word(buf, p):
                        raise _NeedsExact("a phrase word before a page without body text")
                else:
                    at_lead = m.start() - p
        count += 1
        p = r
        r = find(b"\f", p + 1, stop)
    if r < 0:
        r = find(b"\f", p + 1)
    # r is not a repeat (or there is no form feed left in the part): the page after p is
    # checked as _page_furniture checks a page, which goes on at r
    if (count and r >= 0 and _PAGE_BODY_AFTER_TOPS.match(buf, p + tail, r) is None
            and _ends_with_first_word(buf, p)):
        raise _NeedsExact("a phrase word before a page without body text")
    return count, r


def _ends_with_first_word(buf, pos: int) -> bool:
    """Whether one of the last three non-blank lines before offset ``pos`` ends with a word
    that opens a two-word phrase (the footer and padding lie between it and a page break)."""
    stop, seen = pos, 0
    while stop > 0 and seen < 3:
        line_start = buf.rfind(b"\n", 0, stop - 1) + 1
        line = bytes(buf[line_start:stop]).rstrip(_ANY_SPACE_BYTE)
        if line:
            seen += 1
            if _FIRST_WORD_AT_END.search(line):
                return True
        stop = line_start
    return False


_FIRST_WORD_AT_END = re.compile(rb"(?<![A-Za-z0-9_\-])(?:MUST|SHALL|SHOULD|NOT)\Z")


def _check_footer(buf, pos: int, words: "re.Pattern[bytes]") -> None:
    """The exact path removes the first non-blank line before a form feed when it is a footer:
    should that line hold a phrase word, only the exact path counts right."""
    from draftscope.text.published import _footer_page

    # (imported here: the stages above text load it anyway; called only for suspect lines)
    stop = pos  # the line before ends at stop - 1 (a newline)
    while stop > 0:
        line_start = buf.rfind(b"\n", 0, stop - 1) + 1
        line_end = stop - 1
        if words.search(buf, line_start, line_end):
            line = _decode_piece(buf, bytes(buf[line_start:line_end]))
            if _footer_page(line) is not None:
                raise _NeedsExact("a phrase word in a footer")
        if _PRINTABLE.search(buf, line_start, line_end) or buf.find(b"\f", line_start, line_end) >= 0:
            return  # the first non-blank line (footer or body) or the previous page break
        stop = line_start  # blank (or only non-ASCII, which may be white space): read on


def _tops(buf, pos: int, ceiling: int, words, part: _Part) -> tuple[bytes, tuple[bytes, ...]]:
    """The top-of-page lines after the form feed at ``pos - 1``, read as the exact path reads
    them: (the bytes that decided them, for the next page to compare; their keys). A top line
    with a phrase word is remembered: it must not be a running header.

    Keys are the lines' bytes with white space runs made one space: they group lines as the
    exact path's decoded lines group. A top that is not ASCII is read in both decodings the
    exact path may use; only if they disagree is the file's encoding looked up (a full read)."""
    size = _TOP_SLICE
    while True:
        stop = min(ceiling, pos + size)
        raw = bytes(buf[pos:stop])
        if raw.isascii():
            spans, read, verdicts = _top_spans(raw.decode("latin-1"), None, raw, words)
        else:
            readings = {_top_spans(text, encoding, raw, words) for encoding, text in _readings(raw)}
            if len(readings) > 1:
                from draftscope.text.document import decode_as

                encoding = _file_encoding(buf)
                readings = {_top_spans(decode_as(raw, encoding), encoding, raw, words)}
            spans, read, verdicts = readings.pop()
            if spans and spans[-1][0] < 0:
                raise _NeedsExact("a non-ASCII space in a top-of-page line")
        if read < len(raw) or stop == ceiling:
            break
        size *= 8
    keys = []
    for (a, b), verdict in zip(spans, verdicts):
        line = raw[a:b]
        key = _line_key(line)
        keys.append(key)
        if words.search(line):
            part.worded_tops.add((key, verdict))
    decided = raw[:read] if read < len(raw) else b""  # decided by where the next form feed is
    return decided, tuple(keys)


def _readings(raw: bytes) -> list[tuple[str, str]]:
    """``raw`` (not ASCII) decoded in each way the exact path may decode the file it is from."""
    from draftscope.text.document import CP1252, UTF8, decode_as

    readings = [(CP1252, decode_as(raw, CP1252))]
    if _is_utf8(raw):
        readings.append((UTF8, raw.decode("utf-8")))
    return readings


def _top_spans(text: str, encoding: str | None, raw: bytes,
               words: "re.Pattern[bytes]") -> tuple[tuple[tuple[int, int], ...], int, tuple[bool, ...]]:
    """page_tops() of a decoded piece (``raw`` decoded) in raw byte offsets, with the look of a
    header of each line that holds a phrase word (the only lines whose look matters; the others
    read False: HEADER is slow on long lines and most tops hold no phrase word); a top with a
    non-ASCII space in it (whose key the exact path makes otherwise) gets a reading of its own,
    so that the two decodings never agree on it."""
    from draftscope.text.published import HEADER, page_tops

    tops, _body, read = page_tops(text, 0, len(text))
    if encoding != "utf-8":
        spans = tuple(tops)
    else:
        def raw_at(offset: int) -> int:
            return len(text[:offset].encode("utf-8"))
        spans = tuple((raw_at(a), raw_at(b)) for a, b in tops)
        read = raw_at(read)
    verdicts = tuple(
        words.search(raw, ra, rb) is not None and HEADER.search(text[a:b]) is not None
        for (a, b), (ra, rb) in zip(tops, spans)
    )
    if encoding is not None and any(not _NON_ASCII_SPACE_SET.isdisjoint(text[a:b]) for a, b in tops):
        spans = spans + ((-1, -1),) if encoding == "utf-8" else spans + ((-2, -2),)
    return spans, read, verdicts


_WHITE_BYTES = re.compile(rb"[ \t\n\r\x0b\x0c\x1c-\x1f]+")


def _line_key(line: bytes) -> bytes:
    """A top-of-page line as the exact path counts it (its white space runs made one space)."""
    return _WHITE_BYTES.sub(b" ", line).strip(b" ")


_NON_ASCII_SPACE_SET = frozenset(_NON_ASCII_SPACE)
