"""Judging with the whole file what one part cannot: phrases across page breaks, the table of
contents, boilerplate paragraphs; on windows cut at form feeds and unpaged by the exact path's
own functions (:mod:`draftscope.text.published`) with the whole file's running headers."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from draftscope.analyses.keywords import KeywordCounts, LOWERCASE, is_boilerplate, paragraph_bounds, tally, tally_lowercase, zero_counts
from draftscope.analyses.keyword_scan.common import _NON_ASCII_SPACE, _NeedsExact, _PRINTABLE, _Part, _WORDS, _WORDS_OR_LOWER, _strip_back
from draftscope.analyses.keyword_scan.decoding import _decode_piece, _encode_as, _file_encoding, _is_utf8
from draftscope.analyses.keyword_scan.furniture import _line_key, _readings
from draftscope.analyses.keyword_scan.passes import _FINDERS
from draftscope.analyses.keyword_scan.toc import toc_cannot_matter


_PARAGRAPH_BREAK = re.compile(rb"\n[ \t]*\n")
_LAST_PARAGRAPH_BREAK = re.compile(rb".*\n[ \t]*\n", re.S)
# sections.TOC_HEADING (ASCII) on a raw line: white space but newlines around the title
_TOC_HEADING = re.compile(rb"(?im)^[ \t\r\x0b\x0c]*Table of Contents[ \t\r\x0b\x0c]*$")
# How far a window reaches for the form feeds it is cut at; what needs more takes the exact path.
_MAX_WINDOW = 1 << 20
_LAST_LINES = 512  # the end of a file read first for its last footer
_PARAGRAPH_SEARCH = 4096  # how far to look for a quoted phrase's paragraph in the raw bytes
_LINES_SEARCH = 4096  # how far to look for body lines between a paragraph and a page break
_TOC_WINDOW = 12288  # first window read after a TOC heading (grown when the TOC is longer)


@dataclass
class _Window:
    """Clean text of ``buf[start:stop]`` (cut at form feeds) as a Document reads it;
    ``safe``: the clean offsets between which it reads as the whole file does (its first and
    last paragraphs may run on into the pages beyond it)."""

    start: int
    stop: int
    source: str  # decoded buf[start:stop]
    one_byte: bool  # one byte per character in source (else UTF-8)
    text: str
    segments: list[tuple[int, int, int]]  # (clean start, source start, source end) of each piece
    safe: tuple[int, int] = (0, 0)

    @functools.cached_property
    def lines(self) -> list[str]:
        """The clean text's lines (only a table of contents needs them: made on first use)."""
        lines = self.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return lines

    @functools.cached_property
    def line_starts(self) -> list[int]:
        """The clean offset of each line."""
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        return starts

    def _source_offset(self, raw: int) -> int:
        if self.one_byte:
            return raw - self.start
        return len(self.source.encode("utf-8")[: raw - self.start].decode("utf-8"))

    def _raw_offset(self, source: int) -> int:
        if self.one_byte:
            return self.start + source
        return self.start + len(self.source[:source].encode("utf-8"))

    def clean(self, raw: int) -> int | None:
        """Where raw offset ``raw`` lands in the clean text (None when cut out)."""
        at = self._source_offset(raw)
        for clean, a, b in self.segments:
            if a <= at < b:
                return clean + at - a
        return None

    def raw(self, clean_offset: int) -> int:
        """The raw offset of clean offset ``clean_offset`` (of a kept character)."""
        for clean, a, b in self.segments:
            if clean <= clean_offset < clean + b - a:
                return self._raw_offset(a + clean_offset - clean)
        last = self.segments[-1] if self.segments else (0, 0, 0)
        return self._raw_offset(last[2])


def _clean_window(start: int, stop: int, source: str, one_byte: bool, is_header) -> _Window:
    """Unpage ``source`` and join its pieces the way :func:`draftscope.text.document.parse_text`
    does (a piece ending inside a line ends that line)."""
    from draftscope.text.published import unpage

    unpaged = unpage(source, is_header=is_header)
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    clean = 0
    for a, b in unpaged.pieces:
        segments.append((clean, a, b))
        parts.append(source[a:b])
        clean += b - a
        if source[b - 1] != "\n":
            parts.append("\n")
            clean += 1
    return _Window(start, stop, source, one_byte, "".join(parts), segments)


class _Judge:
    """Puts the parts together and judges, with the whole file's running headers, what needs
    context: page-spanning phrases, the table of contents, boilerplate paragraphs."""

    def __init__(self, buf, base: int, lowercase: bool) -> None:
        self.buf = buf
        self.base = base
        self.lowercase = lowercase
        self.windows: dict[tuple[int, int], _Window] = {}
        self.seen: Counter = Counter()
        self.threshold = 2
        self.headers: dict[tuple[str, str], bool] = {}  # (encoding, line) -> is a running header

    def result(self, parts: Sequence[_Part]) -> KeywordCounts:
        counts, boiler = zero_counts(), zero_counts()
        lower = {w: 0 for w in LOWERCASE} if self.lowercase else None
        seen: Counter = Counter()
        breaks = 0
        worded: set[tuple[bytes, bool]] = set()
        for part in parts:
            for key in counts:
                counts[key] += part.counts[key]
            if lower is not None and part.lowercase is not None:
                for key in lower:
                    lower[key] += part.lowercase[key]
            seen.update(part.tops)
            breaks += part.form_feeds
            worded |= part.worded_tops
        breaks += self._last_footer()
        threshold = max(2, breaks // 4)  # as published.header_rule counts
        if any(seen[key] >= threshold or looks_like_one for key, looks_like_one in worded):
            raise _NeedsExact("a phrase word in a running header")
        self.seen, self.threshold = seen, threshold

        for part in parts:
            for word, first in part.gaps:
                phrase = self._phrase_at(word, first)
                if phrase is not None:
                    counts[phrase] += 1

        toc = self._toc()
        if toc is not None:
            _, _, in_toc, lower_in_toc = toc
            _subtract(counts, in_toc)
            if lower is not None:
                _subtract(lower, lower_in_toc)

        covered_until = -1
        for part in parts:
            for q in part.quoted:
                if q < covered_until or (toc is not None and toc[0] <= q < toc[1]):
                    continue
                covered_until, start, text = self._boilerplate_at(q)
                if text is None or (toc is not None and toc[0] <= start < toc[1]):
                    continue
                inside = _tally_paragraph(text)
                _subtract(counts, inside)
                for key, value in inside.items():
                    boiler[key] += value
                if lower is not None:
                    _subtract(lower, tally_lowercase(text))
        return KeywordCounts(counts, boiler, lower)

    def _last_footer(self) -> int:
        """1 when the file ends with a footer after its last form feed (the exact path cuts there
        too); a phrase word on it takes the exact path."""
        from draftscope.text.published import _last_footer

        buf = self.buf
        last_ff = buf.rfind(b"\f", self.base)
        if last_ff < 0:
            return 0
        words = _WORDS_OR_LOWER if self.lowercase else _WORDS
        start = last_ff + 1
        if len(buf) - start > _LAST_LINES:
            newline = buf.find(b"\n", len(buf) - _LAST_LINES)
            if newline >= 0 and bytes(buf[newline + 1 :]).strip():
                start = newline + 1  # the file's last line lies in its end: enough to judge it
            elif len(buf) - start > _MAX_WINDOW:  # a long last page: its end is enough
                start = buf.find(b"\n", len(buf) - _MAX_WINDOW) + 1
        raw = bytes(buf[start:])

        def reading(text: str) -> tuple[bool, bool]:
            found = _last_footer(text)
            if start > last_ff + 1 and not text.strip():
                raise _NeedsExact("a last page of white space")
            worded = found is not None and bool(words.search(text[found[0] : found[1]].encode("utf-8", "replace")))
            return found is not None, worded

        if raw.isascii():
            found, worded = reading(raw.decode("latin-1"))
        else:
            readings = {reading(text) for _, text in _readings(raw)}
            if len(readings) > 1:
                readings = {reading(_decode_piece(buf, raw))}
            found, worded = readings.pop()
        if worded:
            raise _NeedsExact("a phrase word in the last footer")
        return int(found)

    # windows

    def _is_header(self, encoding: str, line: str) -> bool:
        """The exact path's running-header rule for a line of a window, with the whole file's
        top-of-page lines."""
        from draftscope.text.published import HEADER

        known = self.headers.get((encoding, line))
        if known is None:
            if any(c in _NON_ASCII_SPACE for c in line):
                raise _NeedsExact("a non-ASCII space in a top-of-page line")
            key = _line_key(_encode_as(line, encoding))
            known = self.seen[key] >= self.threshold or HEADER.search(line) is not None
            self.headers[(encoding, line)] = known
        return known

    def _window(self, lo: int, hi: int, before: int, after: int) -> _Window:
        """The clean window from the ``before``-th form feed at or before ``lo`` to the
        ``after``-th one at or after ``hi`` (the file's ends where there are fewer)."""
        buf = self.buf
        floor = max(self.base, lo - _MAX_WINDOW)
        start = lo + 1
        for _ in range(before):
            start = buf.rfind(b"\f", floor, start)
            if start < 0:
                break
        if start < 0:
            if floor > self.base:
                raise _NeedsExact("no page break near")
            start = self.base
        ceiling = min(len(buf), hi + _MAX_WINDOW)
        stop = hi - 1
        for _ in range(after):
            stop = buf.find(b"\f", stop + 1, ceiling)
            if stop < 0:
                break
        if stop < 0:
            if ceiling < len(buf):
                raise _NeedsExact("no page break near")
            stop = len(buf)
        else:
            stop += 1
        key = (start, stop)
        if key in self.windows:
            return self.windows[key]
        raw = bytes(buf[start:stop])
        source = _decode_piece(buf, raw)
        one_byte = len(source) == len(raw)
        if not one_byte and not _is_utf8(raw):
            raise _NeedsExact("a window whose offsets cannot be mapped")  # bad bytes replaced
        encoding = "latin-1" if raw.isascii() else _file_encoding(buf)
        window = _clean_window(start, stop, source, one_byte, functools.partial(self._is_header, encoding))
        text = window.text
        safe_lo, safe_hi = 0, len(text)
        if start > self.base:
            m = _PARAGRAPH_BREAK_STR.search(text)
            safe_lo = m.end() if m else len(text)
        if stop < len(buf):
            m = _LAST_PARAGRAPH_BREAK_STR.match(text)
            safe_hi = m.start(1) if m else 0
        window.safe = (safe_lo, safe_hi)
        if len(self.windows) > 8:
            self.windows.clear()
        self.windows[key] = window
        return window

    def _windows(self, lo: int, hi: int, before: int = 1, after: int = 1):
        """Windows around [lo, hi) reaching ``before`` and ``after`` form feeds out, then wider
        and wider (the caller stops at one wide enough)."""
        while True:
            window = self._window(lo, hi, before, after)
            yield window
            if window.start <= self.base and window.stop >= len(self.buf):
                raise _NeedsExact("no window wide enough")
            before, after = 2 * before, 2 * after

    def _phrase_at(self, word: int, first: str) -> str | None:
        """The phrase the exact path reads at raw offset ``word`` (a first word, or RECOMMENDED,
        with page furniture before the next word or after the previous NOT)."""
        from draftscope.analyses.keywords import _ANY, _NOTREC

        # the furniture lies after a first word, before a RECOMMENDED
        for w in self._windows(word, word + 1, *((2, 1) if first == "RECOMMENDED" else (1, 2))):
            at = w.clean(word)
            if at is None:
                raise _NeedsExact("a phrase in removed furniture")
            if first == "RECOMMENDED":
                lead = _strip_back(w.text, at, " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f" + _NON_ASCII_SPACE)
                if lead <= w.safe[0] and w.start > self.base:
                    continue
                m = _NOTREC.match(w.text, max(0, lead - 3))
                return "NOT RECOMMENDED" if m and m.end() == at + len("RECOMMENDED") else "RECOMMENDED"
            m = _ANY.match(w.text, at)
            if m is None:
                raise _NeedsExact("a phrase the exact path does not see")
            if m.end() >= w.safe[1] and w.stop < len(self.buf):
                continue
            return " ".join(m.group().split())
        return None  # pragma: no cover - _windows ends in _NeedsExact

    def _toc(self) -> tuple[int, int, dict[str, int], dict[str, int]] | None:
        """The table of contents: its raw extent and the phrases inside it. The exact path skips
        the first one of the clean text (headed "Table of Contents", any case)."""
        from draftscope.text.sections import find_toc

        heading = _toc_heading(self.buf, self.base)
        if heading is None or toc_cannot_matter(self.buf, self.base, heading, _FINDERS[True]):
            return None
        for w in self._windows(heading, min(len(self.buf), heading + _TOC_WINDOW)):
            at = w.clean(heading)
            toc = find_toc(w.lines)
            if at is None or toc is None or w.line_starts[toc.start] != at:
                raise _NeedsExact("a table of contents heading in page furniture")
            last = toc.stop - 1
            a, b = at, w.line_starts[last] + len(w.lines[last]) + 1
            if w.stop >= len(self.buf) or (b < w.safe[1] and w.text[b : w.safe[1]].strip()):
                return heading, w.raw(max(a, b - 2)) + 1, tally(w.text, a, b), tally_lowercase(w.text, a, b)
        return None  # pragma: no cover

    def _boilerplate_at(self, q: int) -> tuple[int, int, str | None]:
        """The paragraph around the quoted phrase at ``q``: (raw offset past it, its raw start, its
        clean text if it is BCP 14 boilerplate else None)."""
        buf = self.buf
        lo, hi = max(self.base, q - _PARAGRAPH_SEARCH), min(len(buf), q + _PARAGRAPH_SEARCH)
        m = _LAST_PARAGRAPH_BREAK.match(buf, lo, q)
        start = m.end() if m else lo
        m2 = _PARAGRAPH_BREAK.search(buf, q, hi)
        stop = m2.start() + 1 if m2 else hi
        bounded = (m is not None or lo == self.base) and (m2 is not None or hi == len(buf))
        clear_before = _body_lines(buf, start, -1, 3, self.base)
        clear_after = _body_lines(buf, stop, 1, 2, self.base)
        if bounded and buf.find(b"\f", start, stop) < 0 and clear_before and clear_after:
            text = _decode_piece(buf, bytes(buf[start:stop]))  # far from furniture: raw is clean
            return stop, start, (text if _is_boilerplate(text) else None)
        for w in self._windows(q, q + 1, 1 if clear_before else 2, 1 if clear_after else 2):
            at = w.clean(q)
            if at is None:
                return q + 1, q, None  # a quote in removed furniture
            a, b = paragraph_bounds(w.text, at)
            if (a < w.safe[0] and w.start > self.base) or (b > w.safe[1] and w.stop < len(buf)):
                continue
            text = w.text[a:b]
            return w.raw(max(a, b - 1)) + 1, w.raw(a), (text if _is_boilerplate(text) else None)
        return q + 1, q, None  # pragma: no cover


_PARAGRAPH_BREAK_STR = re.compile(r"\n[ \t]*\n")
# the last paragraph break of a text (group 1: what follows its first newline, where the
# paragraph before it ends)
_LAST_PARAGRAPH_BREAK_STR = re.compile(r".*\n([ \t]*\n)", re.S)


def _body_lines(buf, pos: int, direction: int, need: int, base: int) -> bool:
    """Whether ``need`` lines holding printable ASCII lie between line start ``pos`` and the
    nearest form feed in ``direction`` (the end of the file, whose last footer is cut too, counts
    as one; its start does not), within :data:`_LINES_SEARCH` bytes."""
    found = 0
    if direction < 0:
        stop = pos  # the line before ends at stop - 1
        limit = max(base, pos - _LINES_SEARCH)
        while stop > base:
            if stop <= limit:
                return False
            line_start = max(base, buf.rfind(b"\n", 0, stop - 1) + 1)
            if buf.find(b"\f", line_start, stop) >= 0:
                return False
            if _PRINTABLE.search(buf, line_start, stop):
                found += 1
                if found >= need:
                    return True
            stop = line_start
        return True  # the file's start: no page break before
    line_start = pos
    limit = min(len(buf), pos + _LINES_SEARCH)
    while line_start < len(buf):
        if line_start >= limit:
            return False
        nl = buf.find(b"\n", line_start)
        line_end = len(buf) if nl < 0 else nl
        if buf.find(b"\f", line_start, line_end + 1) >= 0:
            return False
        if _PRINTABLE.search(buf, line_start, line_end):
            found += 1
            if found >= need:
                return True
        line_start = line_end + 1
    return False


def _subtract(counts: dict[str, int], other: dict[str, int]) -> None:
    for key, value in other.items():
        counts[key] -= value


def _toc_heading(buf, base: int) -> int | None:
    """Offset of the line that heads the file's first table of contents, if any (the heading in
    any case, alone on its line): each occurrence of the title, in any case, is found at memchr
    speed in lowercased chunks (the first is usually enough), then its line is checked."""
    title = b"table of contents"
    chunk = 1 << 13  # most headings are on the first two pages
    lo = base
    while lo < len(buf):
        hi = min(len(buf), lo + chunk)
        lowered = bytes(buf[lo:hi]).lower()
        pos = lowered.find(title)
        while pos >= 0:
            at = lo + pos
            line_start = max(base, buf.rfind(b"\n", 0, at) + 1)
            nl = buf.find(b"\n", at)
            if _TOC_HEADING.fullmatch(buf, line_start, len(buf) if nl < 0 else nl):
                return line_start
            pos = lowered.find(title, pos + 1)
        if hi == len(buf):
            break
        lo = hi - len(title) + 1  # a title across the chunks' edge is found in the next one
        chunk *= 4
    return None


# The same paragraphs recur in every draft of a series (and in every copy of a concatenation).
_is_boilerplate = functools.lru_cache(maxsize=512)(is_boilerplate)


@functools.lru_cache(maxsize=512)
def _tally_paragraph(text: str) -> dict[str, int]:
    """tally() of a boilerplate paragraph; the same few texts recur in every draft of a series.
    Callers must not modify the result."""
    return tally(text)
