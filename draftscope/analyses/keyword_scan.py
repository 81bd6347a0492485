"""Per-revision keyword counts of a big published-text file, straight from disk and fast.

The result is always that of the exact path, ``count_keywords(path.read_bytes())``: the scanner
counts with byte patterns generated from the same rules (:mod:`draftscope.analyses.bcp14`) and,
wherever bytes cannot decide a rule the way the exact path does, the WHOLE file takes the exact
path -- never one part of it, so a count never depends on how a file was split over processes.
Files below :data:`SCAN_BYTES` (every ordinary draft) take the exact path directly.

How it counts:

* the file is mmap'ed, never copied or decoded: three C-level ``re`` passes run on the raw bytes,
  one per letter (M, L, Q: the fewest letters that occur in all seven words), each pattern
  starting with its literal letter so ``re`` skips ahead fast; big files are cut at paragraph
  boundaries and counted in a few processes;
* page furniture is not cut out but checked: the line before each form feed (a footer) and the
  lines after it (running headers, counted over the whole file as the exact path counts them);
  a phrase word in furniture the exact path removes sends the file to the exact path;
* the places where the rules need context -- a two-word phrase across a page break, the table of
  contents, the paragraphs that quote phrases (boilerplate candidates) -- are judged once all
  parts are counted, on windows cut at form feeds, unpaged by the exact path's own functions
  with the whole file's running headers, and used only where the window's edges cannot matter.

What sends a file to the exact path: a carriage return, UTF-16, footers without form feeds, a
typographic quote before a phrase, a non-ASCII space between two words of a phrase, a phrase word
in a removed footer or header, a window that cannot hold what it must judge. None occurs in the
corpus concatenated (benchmarks/bench_keywords.py); tests/analyses/test_keywords_differential.py generates
texts full of them and requires both paths and every worker count to agree.
"""

from __future__ import annotations

import codecs
import functools
import mmap
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from draftscope.analyses.bcp14 import PAGE_GAP_LINES, byte_patterns
from draftscope.analyses.keywords import (
    LOWERCASE,
    KeywordCounts,
    count_keywords,
    is_boilerplate,
    paragraph_bounds,
    tally,
    tally_lowercase,
    zero_counts,
)

# Files smaller than this take the exact path. benchmarks/bench_keywords.py --crossover: the
# scanner is about as fast as the exact path at 256 KB and 7x faster from 1 MB on; drafts are
# rarely above 500 KB, so ordinary drafts take the one exact path.
SCAN_BYTES = 1 << 20
# Split files bigger than this over processes.
PARALLEL_BYTES = 32 << 20

_P = byte_patterns()
_B = _P.boundary
_NEG_PLAIN = _P.plain_gap + rb"NOT(?!" + _B + rb")"
_NEG_OTHER = rb"(?:" + _P.special_gap + rb"|" + _P.page_gap + rb")NOT(?!" + _B + rb")"
_NEG_OTHER_AT = re.compile(_P.gap_guard + _NEG_OTHER)
_END = rb"(?!" + _B + rb")"


def _branches(word: bytes, key: str, negatable: bool) -> bytes:
    """What follows a whole word ``word`` (already matched up to its end): a quoted variant first
    (group ``q<key>``, holding the NOT of a negation if any), then NOT after plain white space
    (``n``), NOT after any other gap (``x``: looked at, not taken, so that the phrases inside a
    long gap are still found; judged in Python), then the word alone (``p``). The group that
    closes last (``lastindex``) says which it was."""
    k = key.encode()
    quoted = rb"(?<=" + _P.open_quote + word + rb")"
    if negatable:
        return (
            rb"(?:" + quoted + rb"(?P<q" + k + rb">(?:" + _NEG_PLAIN + rb")?)"
            rb"|" + _P.gap_guard + rb"(?:" + _NEG_PLAIN + rb"(?P<n" + k + rb">)|(?=" + _NEG_OTHER + rb")(?P<x" + k + rb">))"
            rb"|(?P<p" + k + rb">))"
        )
    return rb"(?:" + quoted + rb"(?P<q" + k + rb">)|(?P<p" + k + rb">))"


# One C-level pass per letter, M, L and Q: between them they hold a letter of each of the 7
# words, and a pattern starting with a literal lets ``re`` skip ahead to the next candidate fast.
# Lookbehinds check the rest of the word before the letter.
_M_PASS = re.compile(
    rb"M(?:UST(?<!" + _B + rb"MUST)" + _branches(b"MUST", "MUST", True)
    + rb"|AY(?<!" + _B + rb"MAY)" + _branches(b"MAY", "MAY", False)
    + rb"|(?<=RECOM)MENDED(?<!" + _B + rb"RECOMMENDED)(?P<rRECOMMENDED>))" + _END
)
_L_PASS = re.compile(  # an L after A or U: a cheap first test for the many L's of TLS, URL...
    rb"L(?<=[AU]L)(?:(?<=SHAL)L(?<!" + _B + rb"SHALL)" + _branches(b"SHALL", "SHALL", True)
    + rb"|(?<=SHOUL)D(?<!" + _B + rb"SHOULD)" + _branches(b"SHOULD", "SHOULD", True)
    + rb"|(?<=OPTIONAL)(?<!" + _B + rb"OPTIONAL)" + _branches(b"OPTIONAL", "OPTIONAL", False)
    + rb")" + _END
)
# A 6-byte literal start: the many Q's of QUIC fail inside re's search loop.
_Q_PASS = re.compile(
    rb"QUIRED(?<=REQUIRED)(?<!" + _B + rb"REQUIRED)" + _branches(b"REQUIRED", "REQUIRED", False) + _END
)
# Where each word starts relative to the letter its pass looks for.
_LETTER_AT = {"MUST": 0, "MAY": 0, "RECOMMENDED": 4, "SHALL": 3, "SHOULD": 4, "OPTIONAL": 7, "REQUIRED": 2}
_LOWER = re.compile(rb"(?<!" + _B + rb")(" + _P.lowercase + rb")" + _END)


def _words_pattern(words: bytes) -> "re.Pattern[bytes]":
    """Any of the ``|``-separated words, whole, as a pattern that starts with a letter (a set of
    first letters lets ``re`` skip ahead; the lookbehind follows the letter)."""
    by_letter: dict[bytes, list[bytes]] = {}
    for word in words.split(b"|"):
        by_letter.setdefault(word[:1], []).append(word[1:])
    return re.compile(rb"(?:" + b"|".join(
        re.escape(letter) + rb"(?<!" + _B + re.escape(letter) + rb")(?:"
        + b"|".join(sorted(rests, key=len, reverse=True)) + rb")"
        for letter, rests in by_letter.items()
    ) + rb")" + _END)


_WORDS = _words_pattern(_P.words)
_WORDS_OR_LOWER = _words_pattern(_P.words + b"|" + _P.lowercase)
_FOOTER_MARK = re.compile(_P.page_mark)
_PARAGRAPH_BREAK = re.compile(rb"\n[ \t]*\n")
_LAST_PARAGRAPH_BREAK = re.compile(rb".*\n[ \t]*\n", re.S)
_PRINTABLE = re.compile(rb"[\x21-\x7e]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# Four lines with printable ASCII (a running header, a footer and some body): a page that has
# them cannot be furniture only.
_PAGE_BODY = re.compile(rb"(?:(?:[^\x21-\x7e\n]*+\n)*+[^\x21-\x7e\n]*+[\x21-\x7e][^\n]*+(?:\n|\Z)){4}")
# Two such lines after the top-of-page lines (and the blank line after them): only one (the
# footer) may be furniture there.
_PAGE_BODY_AFTER_TOPS = re.compile(rb"(?:(?:[^\x21-\x7e\n]*+\n)*+[^\x21-\x7e\n]*+[\x21-\x7e][^\n]*+(?:\n|\Z)){2}")
_DIGITS = b"0123456789"
_LINE_SPACE = b" \t\x0b\x1c\x1d\x1e\x1f"
_BLANK_END = frozenset(b" \t\n\x0b\x0c\x1c\x1d\x1e\x1f") | frozenset(range(0x80, 0x100))
_NOT_AT_LINE_END = re.compile(rb"(?<![A-Za-z0-9_\-])NOT[ \t]*\n")
_TOC_TITLES = (b"Table of Contents", b"TABLE OF CONTENTS", b"Table of contents")
# sections.TOC_HEADING (ASCII) on a raw line: white space but newlines around the title
_TOC_HEADING = re.compile(rb"(?im)^[ \t\r\x0b\x0c]*Table of Contents[ \t\r\x0b\x0c]*$")

# How far a window reaches for the form feeds it is cut at; what needs more takes the exact path.
_MAX_WINDOW = 1 << 20
_PARAGRAPH_SEARCH = 4096  # how far to look for a quoted phrase's paragraph in the raw bytes
_LINES_SEARCH = 4096  # how far to look for body lines between a paragraph and a page break
_TOC_WINDOW = 32768  # first window read after a TOC heading (grown when the TOC is longer)
_TOP_SLICE = 1024  # bytes decoded after a form feed to find the running header lines
_MARGIN = 400  # split points keep this far from page furniture
_CUT_SEARCH = 1 << 20  # how far past its target a split point is looked for


class _NeedsExact(Exception):
    """A rule the bytes cannot decide the way the exact path does: the whole file takes it.
    (A signal inside this module and its tests, not an error: count_file never lets it out.)"""


def count_file(path: str | Path, *, lowercase: bool = False, workers: int | None = None,
               parallel_bytes: int = PARALLEL_BYTES, scan_bytes: int = SCAN_BYTES) -> KeywordCounts:
    """Per-revision counts of one published .txt file (``by_section`` needs the Document):
    exactly ``count_keywords(path.read_bytes())``, scanned when the file has ``scan_bytes`` or
    more, split over ``workers`` processes when it has more than ``parallel_bytes``."""
    from draftscope.errors import ParseError

    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0 or size < scan_bytes:
            return count_keywords(path.read_bytes(), lowercase=lowercase)
        n = _workers(workers) if size > parallel_bytes else 1
        with open(path, "rb") as handle, _map(handle, populate=n == 1) as buf:
            try:
                return scan(buf, lowercase=lowercase, parts=n, path=path)
            except _NeedsExact:
                return count_keywords(buf[:], lowercase=lowercase)
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror or exc})") from None


def scan(buf, *, lowercase: bool = False, parts: int = 1, path: Path | None = None) -> KeywordCounts:
    """Counts of the raw text ``buf`` (bytes or mmap) cut into about ``parts`` pieces (counted
    in as many processes when ``path`` is given, else here, one after the other); raises
    :class:`_NeedsExact` where only the exact path can decide."""
    if buf[:2] in (b"\xff\xfe", b"\xfe\xff") or buf.find(b"\r") >= 0:
        raise _NeedsExact("UTF-16 or carriage returns")
    base = 3 if buf[:3] == codecs.BOM_UTF8 else 0
    if buf.find(b"\f", base) < 0 and _FOOTER_MARK.search(buf, base):
        raise _NeedsExact("footers without form feeds")  # every footer line is furniture then
    cuts = split_points(buf, base, len(buf), parts)
    ranges = list(zip(cuts, cuts[1:]))
    if path is not None and len(ranges) > 1:
        counted = _parallel(buf, path, ranges, lowercase)
    else:
        counted = [_count_part(buf, a, b, lowercase) for a, b in ranges]
    for part in counted:
        if isinstance(part, str):
            raise _NeedsExact(part)  # a part needs the exact rules: so does the whole file
    return _Judge(buf, base, lowercase).result(counted)


_MADV_POPULATE_READ = 22  # Linux 5.14+; the mmap module has no name for it yet


def _prefault(buf, start: int, end: int) -> None:
    """Fill a forked child's page tables for its part in one call (a fork does not copy them
    for a shared file mapping); harmless where unsupported."""
    if not hasattr(mmap, "MAP_POPULATE"):
        return
    page = mmap.PAGESIZE
    first = start - start % page
    try:
        buf.madvise(_MADV_POPULATE_READ, first, min(len(buf), end) - first)
    except (OSError, ValueError):
        pass


def _map(handle, populate: bool = True) -> mmap.mmap:
    """The whole file mapped read-only; pre-faulted in one go where the OS allows (Linux), which
    is cheaper than faulting page by page during the first pass. When the file is split, each
    process pre-faults only its own part (:func:`_prefault`), at the same time."""
    if populate and hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _workers(workers: int | None) -> int:
    import sys

    multiprocessing = sys.modules.get("multiprocessing")  # a pool worker has it; no import here
    if multiprocessing is not None and multiprocessing.current_process().daemon:
        return 1  # inside a pool worker already: no children allowed
    if workers is not None:
        return max(1, workers)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def split_points(buf, start: int, end: int, parts: int) -> list[int]:
    """Offsets cutting ``buf[start:end]`` into about ``parts`` pieces at paragraph boundaries
    inside a page body (never inside a page break, a paragraph or a phrase)."""
    cuts = [start]
    for i in range(1, parts):
        target = start + (end - start) * i // parts
        cut = _safe_cut(buf, max(target, cuts[-1]), min(end, max(target, cuts[-1]) + _CUT_SEARCH))
        if cut is not None and cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(end)
    return cuts


def _safe_cut(buf, pos: int, end: int) -> int | None:
    """First line start after ``pos`` (before ``end``) that follows a blank line, preceded and
    followed by body text, with no form feed or footer near it."""
    while pos < end:
        gap = buf.find(b"\n\n", pos, end)
        if gap < 0:
            return None
        cut = gap + 2
        before = buf[max(0, cut - _MARGIN) : cut]
        after = buf[cut : cut + _MARGIN]
        if (
            after[:1] not in (b"\n", b"")
            and b"\f" not in before
            and b"\f" not in after
            and not _FOOTER_MARK.search(before)
            and not _FOOTER_MARK.search(after)
        ):
            return cut
        pos = cut
    return None


# --- counting one part -------------------------------------------------------------------------

@dataclass
class _Part:
    """What one part of a file yields: raw counts and the places to judge with the whole file."""

    counts: dict[str, int]
    lowercase: dict[str, int] | None
    quoted: list[int]  # offsets of the quote opening each quoted phrase, in order
    gaps: list[tuple[int, str]]  # (offset, first word) of two-word phrases across page furniture
    tops: Counter = field(default_factory=Counter)  # top-of-page lines (keys), as unpage counts them
    worded_tops: set[tuple[bytes, bool]] = field(default_factory=set)  # (key, looks like a header)
    # of each top line holding a phrase word
    form_feeds: int = 0


def _parallel(buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool) -> list[_Part | str]:
    """Count the first range here while the others are counted by forked children.

    A bare fork (POSIX) inherits the mapping and costs a few milliseconds; results come back
    pickled through a pipe. Elsewhere a process pool re-opens the file.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return _pool_parallel(buf, path, ranges, lowercase)
    import pickle

    children: list[tuple[int, int]] = []
    for a, b in ranges[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: count, send, leave without running the parent's cleanup
            status = 0
            try:
                os.close(read_end)
                _prefault(buf, a, b)
                data = pickle.dumps(_count_part(buf, a, b, lowercase))
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - the parent reports the failure
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    _prefault(buf, *ranges[0])
    results = [_count_part(buf, *ranges[0], lowercase)]
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            raise RuntimeError(f"counting part of {path} failed in a child process")
        results.append(pickle.loads(data))
    return results


def _pool_parallel(buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool) -> list[_Part | str]:
    import multiprocessing

    jobs = [(str(path), a, b, lowercase) for a, b in ranges[1:]]
    with multiprocessing.get_context().Pool(len(jobs)) as pool:
        others = pool.map_async(_count_part_of_file, jobs)
        first = _count_part(buf, *ranges[0], lowercase)
        return [first, *others.get()]


def _count_part_of_file(job: tuple[str, int, int, bool]) -> _Part | str:
    path, start, end, lowercase = job
    with open(path, "rb") as handle, _map(handle) as buf:
        return _count_part(buf, start, end, lowercase)


def _count_part(buf, start: int, end: int, lowercase: bool) -> _Part | str:
    """Raw counts of ``buf[start:end]`` and what must be judged with the whole file; or why only
    the exact path can decide (a str, which crosses a process boundary as it is)."""
    try:
        counts, quoted, gaps = _scan(buf, start, end)
        lower = None
        if lowercase:
            lower = {w: 0 for w in LOWERCASE}
            for word, n in Counter(_LOWER.findall(buf, start, end)).items():
                lower[word.decode()] = n
        part = _Part(counts, lower, quoted, gaps)
        _page_furniture(buf, start, end, lowercase, part)
        return part
    except _NeedsExact as exc:
        return str(exc)


def _pass_table(rx: "re.Pattern[bytes]") -> list[tuple[str, str, int]]:
    """For each group number of a letter pass: (phrase, kind, offset of the word's first letter
    from the match start); group names are kind + word (see :func:`_branches`)."""
    table = [("", "", 0)] * (rx.groups + 1)
    for name, index in rx.groupindex.items():
        kind, word = name[0], name[1:]
        phrase = f"{word} NOT" if kind == "n" else word
        table[index] = (phrase, kind, _LETTER_AT[word])
    return table


_PASSES = [(rx, table, [kind in "qxr" for _, kind, _ in table]) for rx in (_M_PASS, _L_PASS, _Q_PASS)
           for table in [_pass_table(rx)]]


def _scan(buf, start: int, end: int) -> tuple[dict[str, int], list[int], list[tuple[int, str]]]:
    """Phrase counts of raw ``buf[start:end]``, the offsets of the quote opening each quoted
    phrase (where a BCP 14 boilerplate paragraph may be), in order, and the two-word phrases
    whose words page furniture separates (counted once judged).

    Plain matches only bump a counter; the others are looked at in Python, and they are few.
    """
    counts = zero_counts()
    quoted: list[int] = []
    gaps: list[tuple[int, str]] = []
    for rx, table, looked_at in _PASSES:
        seen = [0] * len(table)
        special = []
        for m in rx.finditer(buf, start, end):
            k = m.lastindex
            if looked_at[k]:
                special.append(m)
            else:
                seen[k] += 1
        for k, n in enumerate(seen):
            if n:
                counts[table[k][0]] += n
        for m in special:
            k = m.lastindex
            phrase, kind, offset = table[k]
            word = m.start() - offset
            if kind == "r":
                phrase, word = _recommended(buf, word, gaps)
                if phrase is None:
                    continue
            elif kind == "x":
                _other_gap(buf, word, _NEG_OTHER_AT.match(buf, m.end()).end(), phrase, gaps)
                continue
            if kind == "q" or (kind == "r" and buf[word - 1 : word] in (b'"', b"\x93", b"\x9c")):
                if buf[word - 1] != 0x22:
                    raise _NeedsExact("a typographic quote before a phrase")
                quoted.append(word - 1)
                if kind == "q":
                    if m.end(k) > m.start(k):
                        phrase += " NOT"
                    elif phrase in ("MUST", "SHALL", "SHOULD") and (o := _NEG_OTHER_AT.match(buf, m.end())):
                        _other_gap(buf, word, o.end(), phrase, gaps)
                        continue
            counts[phrase] += 1
    quoted.sort()
    return counts, quoted, gaps


def _other_gap(buf, word: int, end: int, first: str, gaps: list[tuple[int, str]]) -> None:
    """A first word, then NOT after a gap that is not plain ASCII white space (ending at ``end``):
    a non-ASCII space (the exact path decides) or page furniture (judged later)."""
    if _NON_ASCII.search(buf, word, end):
        raise _NeedsExact("a non-ASCII space inside a phrase")
    gaps.append((word, first))


def _recommended(buf, at: int, gaps: list[tuple[int, str]]) -> tuple[str | None, int]:
    """RECOMMENDED at offset ``at``, or NOT RECOMMENDED: the phrase and where it starts; (None,
    at) when page furniture may lie between a NOT and it (judged later)."""
    stop = _strip_back(buf, at, _ASCII_SPACE)  # the white space before it is buf[stop:at]
    if stop < at and buf[max(0, stop - 3) : stop] == b"NOT" and (stop == 3 or buf[stop - 4] not in _B_SET):
        return "NOT RECOMMENDED", stop - 3
    if stop > 0 and buf[stop - 1] >= 0x80:  # a non-ASCII space between a NOT and it?
        lead = _strip_back(buf, stop, _ANY_SPACE_BYTE)
        if buf[max(0, lead - 3) : lead] == b"NOT" and (lead == 3 or buf[lead - 4] not in _B_SET):
            raise _NeedsExact("a non-ASCII space inside a phrase")
    if b"\n" in buf[stop:at] and _furniture_above(buf, stop):
        gaps.append((at, "RECOMMENDED"))  # RECOMMENDED opens a line below page furniture
        return None, at
    return "RECOMMENDED", at


_B_SET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ANY_SPACE_BYTE = _ASCII_SPACE + bytes(range(0x80, 0x100))


def _strip_back(buf, at: int, chars: bytes) -> int:
    """Where the run of ``chars`` ending at ``at`` starts; read backwards in growing steps, so
    linear in the run's length."""
    size = 64
    while True:
        lo = max(0, at - size)
        stripped = buf[lo:at].rstrip(chars)
        if stripped or lo == 0:
            return lo + len(stripped)
        size *= 4


def _furniture_above(buf, pos: int) -> bool:
    """Whether a form feed or a "[" (a footer marker) lies within the lines the page-gap
    pattern spans before line ``pos`` (where a NOT may end a line before page furniture)."""
    lo = pos
    for _ in range(PAGE_GAP_LINES + 1):
        lo = buf.rfind(b"\n", 0, max(0, lo - 1)) if lo > 0 else -1
        if lo < 0:
            lo = 0
            break
    return buf.find(b"\f", lo, pos) >= 0 or buf.find(b"[", lo, pos) >= 0


# --- page furniture ----------------------------------------------------------------------------

def _page_furniture(buf, start: int, end: int, lowercase: bool, part: _Part) -> None:
    """Check each form feed of ``buf[start:end]``: the footer before it must hold no phrase word
    (else _NeedsExact), the lines after it are counted as the exact path counts running headers.

    Form feeds are found with memchr; the line before each is tested with one search; a page
    whose top repeats the previous page's byte for byte (the usual case) costs one slice and
    compare."""
    words = _WORDS_OR_LOWER if lowercase else _WORDS
    words_search = words.search
    find, rfind = buf.find, buf.rfind
    last, last_tops, repeats = b"", (), 0
    footer = b"\x00"  # the last word-free line before a form feed, without its digits
    n = 0
    body, body2 = _PAGE_BODY.match, _PAGE_BODY_AFTER_TOPS.match
    size = 0
    pos = find(b"\f", start, end)
    while pos >= 0:
        n += 1
        nxt = find(b"\f", pos + 1)
        ceiling = len(buf) if nxt < 0 else nxt
        size = len(last)
        repeated = size and pos + 1 + size <= ceiling and buf[pos + 1 : pos + 1 + size] == last
        if (nxt >= 0 and (body2(buf, pos + 1 + size, nxt) if repeated else body(buf, pos + 1, nxt)) is None
                and _ends_with_first_word(buf, pos)):
            # a page of furniture only after a page ending in MUST, SHALL, SHOULD or NOT: a
            # phrase may span two page breaks, which the page-gap pattern does not look across
            raise _NeedsExact("a phrase word before a page without body text")
        if pos > 0:
            if buf[pos - 1] == 0x0A:
                if pos < 2 or buf[pos - 2] in _BLANK_END:
                    _check_footer(buf, pos, words)  # blank before the form feed: look further up
                else:
                    line_start = rfind(b"\n", 0, pos - 1) + 1
                    # the line without its digits (a page number): the same for every page of a
                    # document, and without a phrase word if it is word-free (digits only join)
                    key = buf[line_start : pos - 1].translate(None, _DIGITS)
                    if key != footer:
                        if words_search(key):
                            _check_footer(buf, pos, words)  # a phrase word in the line: a footer?
                            key = b"\x00"
                        footer = key
            elif words_search(buf, max(0, (q := _strip_back(buf, pos, _LINE_SPACE)) - 12), q):
                # the text before a form feed inside a line is kept and ends a line of the clean
                # text: a phrase word there may join whatever follows the page's furniture
                raise _NeedsExact("a phrase word before a form feed inside a line")
        if repeated:
            repeats += 1
        else:
            for key in last_tops:
                part.tops[key] += repeats
            last, last_tops = _tops(buf, pos + 1, ceiling, words, part)
            repeats = 1
        pos = nxt if nxt < end else -1
    for key in last_tops:
        part.tops[key] += repeats
    part.form_feeds = n


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


# --- decoding ----------------------------------------------------------------------------------

_ENCODINGS: dict[int, str] = {}


def _decode_piece(buf, raw: bytes) -> str:
    """A piece of the file (cut at a line start or a form feed) as the exact path decodes it."""
    if raw.isascii():
        return raw.decode("latin-1")
    from draftscope.text.document import decode_as

    return decode_as(raw, _file_encoding(buf))


def _encode_as(text: str, encoding: str) -> bytes:
    """The bytes ``text`` was decoded from (see :func:`draftscope.text.document.decode_as`)."""
    if encoding in ("latin-1", "cp1252"):
        return text.translate(_LATIN1_FROM_CP1252).encode("latin-1")
    return text.encode("utf-8")


def _cp1252_table() -> dict[int, int]:
    from draftscope.text.document import _CP1252_FROM_LATIN1

    return {ord(char): byte for byte, char in _CP1252_FROM_LATIN1.items()}


_LATIN1_FROM_CP1252 = _cp1252_table()


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _file_encoding(buf) -> str:
    """The file's encoding as :func:`draftscope.text.document.text_encoding` finds it; read in
    chunks (never a copy of the whole file), once per mapping, only when a piece is not ASCII."""
    from draftscope.text.document import CP1252, UTF8, UTF8_BOM, UTF16

    key = id(buf)
    if key in _ENCODINGS:
        return _ENCODINGS[key]
    if buf[:3] == codecs.BOM_UTF8:
        encoding = UTF8_BOM
    elif buf[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = UTF16
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
        encoding = UTF8
        try:
            step = 1 << 22
            for i in range(0, len(buf), step):
                decoder.decode(buf[i : i + step])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = CP1252
    _ENCODINGS.clear()
    _ENCODINGS[key] = encoding
    return encoding


# --- judging with the whole file -----------------------------------------------------------------

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
    lines: list[str]
    line_starts: list[int]  # clean offset of each line
    safe: tuple[int, int] = (0, 0)

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
    text = "".join(parts)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    line_starts, pos = [], 0
    for line in lines:
        line_starts.append(pos)
        pos += len(line) + 1
    return _Window(start, stop, source, one_byte, text, segments, lines, line_starts)


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
        start = last_ff + 1
        if len(buf) - start > _MAX_WINDOW:  # a long last page: its end is enough
            start = buf.find(b"\n", len(buf) - _MAX_WINDOW) + 1
        raw = bytes(buf[start:])
        words = _WORDS_OR_LOWER if self.lowercase else _WORDS

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
        if heading is None:
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


_NON_ASCII_SPACE = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_NON_ASCII_SPACE_SET = frozenset(_NON_ASCII_SPACE)
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
    """Offset of the line that heads the file's first table of contents, if any: the common
    spellings are found at memchr speed, then any other spelling before them with one regex."""
    first = None
    for title in _TOC_TITLES:  # the commonest first: the others are looked for before it only
        pos = buf.find(title, base, len(buf) if first is None else first)
        while pos >= 0 and (first is None or pos < first):
            line_start = max(base, buf.rfind(b"\n", 0, pos) + 1)
            nl = buf.find(b"\n", pos)
            if _TOC_HEADING.fullmatch(buf, line_start, len(buf) if nl < 0 else nl):
                first = line_start
                break
            pos = buf.find(title, pos + 1)
    m = _TOC_HEADING.search(buf, base, len(buf) if first is None else first)
    if m is not None:
        return max(base, buf.rfind(b"\n", 0, m.start()) + 1)
    return first


# The same paragraphs recur in every draft of a series (and in every copy of a concatenation).
_is_boilerplate = functools.lru_cache(maxsize=512)(is_boilerplate)


@functools.lru_cache(maxsize=512)
def _tally_paragraph(text: str) -> dict[str, int]:
    """tally() of a boilerplate paragraph; the same few texts recur in every draft of a series.
    Callers must not modify the result."""
    return tally(text)
