"""Per-revision keyword counts of a published-text file, straight from disk and fast.

Same rules and same results as ``count_keywords(load_document(path))`` -- a test checks all 207
published texts of the corpus -- computed differently, for files of hundreds of megabytes:

* the file is mmap'ed, never copied or decoded: three C-level ``re`` passes run on the raw
  bytes, one per letter (M, L, Q: the fewest letters that occur in all seven words), each
  pattern starting with its literal letter so that ``re`` skips ahead fast, lookbehinds checking
  the rest of the word. The same passes report quoted phrases (boilerplate candidates) and
  typographic quotes. Big files are cut at paragraph boundaries and counted in a few processes;
* page furniture is not cut out. A two-word phrase may span a page break inside the pattern
  itself (footer, form feed and a one-line running header allowed between its words); a phrase
  on a footer line ("... [Page 7]") is refused by the pattern; the lines after each form feed
  (running headers, found with memchr) are checked as a set of distinct lines, and should any
  hold a phrase that part of the file falls back to the exact path (:func:`count_keywords` on
  decoded text), as it does for CRLF and typographic quotes before a phrase;
* the places where the rules need context -- the table of contents and the paragraphs that
  quote phrases (boilerplate candidates) -- are judged on small windows, unpaged with the same
  functions the exact path uses.

Where the two paths could differ (never on the corpus): footers recognised by the ``[Page N]``
marker ending the line, a table of contents headed "Table of Contents" in one of three
spellings, running headers of more than two lines, a phrase between a straight opening and a
typographic closing quote.
"""

from __future__ import annotations

import functools
import mmap
import os
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from draftscope.analyses.keywords import (
    LOWERCASE,
    KeywordCounts,
    paragraph_bounds,
    count_keywords,
    is_boilerplate,
    tally,
    tally_lowercase,
    zero_counts,
)

_B = rb"[A-Za-z0-9_\-]"
_MARK = rb"\[[Pp][Aa][Gg][Ee]\s+[0-9ivxlcIVXLC]+\s*\]"
_FOOTER_LINE = rb"\n[^\n]*" + _MARK + rb"[ \t]*"
# After a phrase: a word boundary, and not on a footer line ("...  [Page 7]", at most 160 bytes
# after the phrase). Only a line that ends in "]" or blanks can be one: a jump to the line's end
# rules out the others before the exact test runs.
_END = (
    rb"(?!" + _B + rb")"
    rb"(?:(?![^\n]{0,160}+(?<=[\] \t])(?:\n|\Z))|(?![^\n\[]{0,160}+" + _MARK + rb"[ \t]*(?:\n|\Z)))"
)  # bounded and possessive: a phrase costs at most 160 bytes of look-ahead however long its line
# Between the words of a two-word phrase: white space, or a page break with its furniture
# (padding, footer, form feed, running header of up to one line, padding). The guard in front
# turns down the usual case ("MUST be") in two steps.
_GAP_BODY = (
    rb"(?:(?:\s|\xc2?\xa0)+"  # no-break space too (UTF-8 or Latin-1), as str's \s has it
    rb"|(?=[ \t]*\n)\s*(?:" + _FOOTER_LINE + rb")?\s*\f[^\n]*\n(?:[^\n]*\n)??\s*"
    rb"|(?=[ \t]*\n)\s*" + _FOOTER_LINE + rb"\n(?:[^\n]*\n)??\s*)"
)
_GAP = rb"(?=[ \t]*+[N\n\r\x0b\x0c\xa0\xc2])" + _GAP_BODY


# A straight double quote, or the last byte of a typographic one: UTF-8 E2 80 9C or cp1252 93.
_OPEN_QUOTE = rb'["\x93\x9c]'


def _branches(word: bytes, key: str, negatable: bool) -> bytes:
    """What follows a whole word ``word`` (already matched up to its end): a quoted variant first
    (group ``q<key>``, holding the NOT of a negation if any), then NOT, then the word alone. The
    group that closes last (``lastindex``) says which phrase matched and whether it was quoted."""
    neg = _GAP + rb"NOT(?!" + _B + rb")"  # the pass's final _END rejects a footer line
    if negatable:
        return (
            rb"(?:(?<=" + _OPEN_QUOTE + word + rb")(?P<q" + key.encode() + rb">(?:" + neg + rb")?)"
            rb"|" + neg + rb"(?P<n" + key.encode() + rb">)|(?P<p" + key.encode() + rb">))"
        )
    return rb"(?:(?<=" + _OPEN_QUOTE + word + rb")(?P<q" + key.encode() + rb">)|(?P<p" + key.encode() + rb">))"


# One C-level pass per letter, M, L and Q: between them they hold a letter of each of the 7
# words (3 is the fewest letters that do), and a pattern starting with a literal lets ``re`` skip
# ahead to the next candidate fast. Lookbehinds check the rest of the word before the letter.
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
_NOT_GAP = re.compile(rb"(?<!" + _B + rb")NOT" + _GAP_BODY)
# The first two lines after a form feed (blank lines skipped): where running headers are.
_HEADER_AFTER_FF = re.compile(rb"\f[ \t]*\n?(?:[ \t]*\n)*([^\n]*\n?[^\n]*)")
_FOOTER_MARK = re.compile(_MARK)
_LOWER = re.compile(rb"(?<!" + _B + rb")(must|should|may|shall|required|recommended|optional)" + _END)
_PARAGRAPH_BREAK = re.compile(rb"\n[ \t]*\n")
_SPACES_LINE = re.compile(rb"\n[ \t]+\n")
_TOC_TITLES = (b"Table of Contents", b"TABLE OF CONTENTS", b"Table of contents")

# Windows cut around a place that needs the exact rules (bytes each side).
_WINDOW = 4096
_PARAGRAPH_SEARCH = 4096
_MARGIN = 400
_TOC_WINDOW = 32768  # first window read after a TOC heading (grown when the TOC is longer)
_TOC_MARGIN = 8192  # how far inside its window a TOC must end
# Tables of contents are looked for in all spellings near the start of a file (where drafts
# have them), further on only as "Table of Contents".
_TOC_HEAD = 262144
# Split files bigger than this over processes.
PARALLEL_BYTES = 32 << 20


def count_file(path: str | Path, *, lowercase: bool = False, workers: int | None = None,
               parallel_bytes: int = PARALLEL_BYTES) -> KeywordCounts:
    """Per-revision counts of one published .txt file (``by_section`` needs the Document)."""
    from draftscope.errors import ParseError

    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return count_keywords(b"", lowercase=lowercase)
        n = _workers(workers) if size > parallel_bytes else 1
        with open(path, "rb") as handle, _map(handle, populate=n == 1) as buf:
            if buf[:2] in (b"\xff\xfe", b"\xfe\xff"):
                return count_keywords(buf[:], lowercase=lowercase)  # UTF-16: decode first
            start = 3 if buf[:3] == b"\xef\xbb\xbf" else 0
            cuts = split_points(buf, start, len(buf), n)
            ranges = list(zip(cuts, cuts[1:]))
            heading = _toc_heading(buf)  # once for the file: the range holding it skips the TOC
            if len(ranges) == 1:
                parts = [_count_range(buf, *ranges[0], lowercase, heading)]
            else:
                parts = _parallel(buf, path, ranges, lowercase, heading)
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return _sum(parts, lowercase)


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


def _sum(parts: Sequence[KeywordCounts], lowercase: bool) -> KeywordCounts:
    counts, boiler = zero_counts(), zero_counts()
    lower = {w: 0 for w in LOWERCASE} if lowercase else None
    for part in parts:
        for key in counts:
            counts[key] += part.counts[key]
            boiler[key] += part.boilerplate[key]
        if lower is not None and part.lowercase is not None:
            for key in lower:
                lower[key] += part.lowercase[key]
    return KeywordCounts(counts, boiler, lower)


def split_points(buf, start: int, end: int, parts: int) -> list[int]:
    """Offsets cutting ``buf[start:end]`` into about ``parts`` pieces at paragraph boundaries
    inside a page body (never inside a page break, a paragraph or a phrase)."""
    cuts = [start]
    for i in range(1, parts):
        target = start + (end - start) * i // parts
        cut = _safe_cut(buf, max(target, cuts[-1]), end)
        if cut is not None and cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(end)
    return cuts


def _safe_cut(buf, pos: int, end: int) -> int | None:
    """First line start after ``pos`` that follows a blank line, preceded and followed by body
    text, with no form feed or footer near it."""
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


def _parallel(
    buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool, heading: int | None
) -> list[KeywordCounts]:
    """Count the first range here while the others are counted by forked children.

    A bare fork (POSIX) inherits the mapping and costs a few milliseconds; results come back
    pickled through a pipe. Elsewhere a process pool re-opens the file.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return _pool_parallel(buf, path, ranges, lowercase, heading)
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
                data = pickle.dumps(_count_range(buf, a, b, lowercase, heading))
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - the parent reports the failure
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    _prefault(buf, *ranges[0])
    results = [_count_range(buf, *ranges[0], lowercase, heading)]
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            raise RuntimeError(f"counting part of {path} failed in a child process")
        results.append(pickle.loads(data))
    return results


def _pool_parallel(
    buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool, heading: int | None
) -> list[KeywordCounts]:
    import multiprocessing

    jobs = [(str(path), a, b, lowercase, heading) for a, b in ranges[1:]]
    with multiprocessing.get_context().Pool(len(jobs)) as pool:
        others = pool.map_async(_count_range_of_file, jobs)
        first = _count_range(buf, *ranges[0], lowercase, heading)
        return [first, *others.get()]


def _count_range_of_file(job: tuple[str, int, int, bool, int | None]) -> KeywordCounts:
    path, start, end, lowercase, heading = job
    with open(path, "rb") as handle, _map(handle) as buf:
        return _count_range(buf, start, end, lowercase, heading)


def _pass_table(rx: "re.Pattern[bytes]") -> list[tuple[str, bool, int]]:
    """For each group number of a letter pass: (phrase, quoted, offset of the word's first letter
    from the match start); group names are ``p``/``n``/``q``/``r`` + word (see :func:`_branches`)."""
    table = [("", False, 0)] * (rx.groups + 1)
    for name, index in rx.groupindex.items():
        kind, word = name[0], name[1:]
        phrase = f"{word} NOT" if kind == "n" else word
        table[index] = (phrase, kind in "qr", _LETTER_AT[word])
    return table


_PASSES = [(rx, table, [quoted for _, quoted, _ in table]) for rx in (_M_PASS, _L_PASS, _Q_PASS)
           for table in [_pass_table(rx)]]


class _TypographicQuote(Exception):
    """A phrase opens with a typographic quote: the byte patterns cannot judge its paragraph."""


def _scan(buf, start: int, end: int) -> tuple[dict[str, int], list[int]]:
    """Phrase counts of raw ``buf[start:end]`` and the offsets of the quote opening each quoted
    phrase (where a BCP 14 boilerplate paragraph may be), in order.

    Plain matches only bump a counter; quoted ones and RECOMMENDED (which may follow a NOT) are
    looked at in Python, and they are few. Raises :class:`_TypographicQuote` when a phrase follows
    a typographic opening quote (or a byte that may end one).
    """
    counts = zero_counts()
    quoted: list[int] = []
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
            phrase, _, offset = table[k]
            word = m.start() - offset
            if phrase == "RECOMMENDED":
                phrase, word = _recommended(buf, word)
                before = buf[word - 1 : word]
                if before in (b"\x93", b"\x9c"):
                    raise _TypographicQuote
                if before == b'"':
                    quoted.append(word - 1)
            else:  # quoted: the group holds the NOT of a negation
                if buf[word - 1] != 0x22:
                    raise _TypographicQuote
                quoted.append(word - 1)
                if m.end(k) > m.start(k):
                    phrase += " NOT"
            counts[phrase] += 1
    quoted.sort()
    return counts, quoted


def _recommended(buf, at: int) -> tuple[str, int]:
    """RECOMMENDED at offset ``at``, or NOT RECOMMENDED: the phrase and where it starts (the
    leftmost NOT within 400 bytes that only a gap separates from ``at``)."""
    lo = max(0, at - 400)
    pos = buf.find(b"NOT", lo, at)
    while pos >= 0:
        if _NOT_GAP.fullmatch(buf, pos, at):
            return "NOT RECOMMENDED", pos
        pos = buf.find(b"NOT", pos + 1, at)
    return "RECOMMENDED", at


def _running_headers(buf, start: int, end: int) -> set[bytes]:
    """The distinct first two lines after each form feed (blank lines skipped): where running
    headers are. Form feeds are found with memchr; a page whose top repeats the previous page's
    byte for byte (the usual case) costs one slice and compare."""
    headers: set[bytes] = set()
    last, size = b"", 0
    find = buf.find
    pos = find(b"\f", start, end)
    while pos >= 0:
        if not size or pos + size > end or buf[pos : pos + size] != last:
            m = _HEADER_AFTER_FF.match(buf, pos, end)
            headers.add(m.group(1))
            stop = m.end()
            # keep the newline ending the capture: equal bytes up to it mean an equal capture
            last = buf[pos : stop + 1] if stop < end else b""
            size = len(last)
        pos = find(b"\f", pos + 1, end)
    return headers


def _furniture_is_clean(buf, start: int, end: int, lowercase: bool = False) -> bool:
    """Whether no running header of this range holds a phrase (footers are excluded by the
    patterns themselves)."""
    lines = _running_headers(buf, start, end)
    if not lines:
        return True
    text = b"\n\n".join(lines).decode("latin-1")
    return not any(tally(text).values()) and not (lowercase and any(tally_lowercase(text).values()))


def _unpaged_window(buf, start: int, end: int):
    """Decoded, unpaged text of ``buf[start:end]`` (start/end moved to line starts)."""
    from draftscope.text.published import unpage

    start = buf.rfind(b"\n", 0, start) + 1 if start > 0 else 0
    nl = buf.find(b"\n", end)
    end = len(buf) if nl < 0 else nl + 1
    return start, unpage(buf[start:end].decode("latin-1"))


def _clean_offset(pieces: list[tuple[int, int]], source_offset: int) -> int | None:
    """Where a source offset of an Unpaged lands in its clean text (None when cut out)."""
    clean = 0
    for a, b in pieces:
        if a <= source_offset < b:
            return clean + source_offset - a
        clean += b - a
    return None


def _source_offset(pieces: list[tuple[int, int]], clean_offset: int) -> int:
    clean = 0
    for a, b in pieces:
        if clean_offset < clean + b - a:
            return a + clean_offset - clean
        clean += b - a
    return pieces[-1][1] if pieces else 0


def _toc_heading(buf) -> int | None:
    """Offset of the line that heads the file's first table of contents, if any."""
    heading = None
    head = min(len(buf), _TOC_HEAD)
    searches = [(title, head) for title in _TOC_TITLES]
    if all(buf.find(title, 0, head) < 0 for title in _TOC_TITLES):
        searches = [(title, len(buf)) for title in _TOC_TITLES[:1]] if len(buf) > head else []
    for title, limit in searches:
        pos = buf.find(title, 0, limit)
        while pos >= 0:
            line_start = buf.rfind(b"\n", 0, pos) + 1
            nl = buf.find(b"\n", pos)
            line = buf[line_start : nl if nl >= 0 else len(buf)]
            if line.strip() == title:
                if heading is None or line_start < heading:
                    heading = line_start
                break
            pos = buf.find(title, pos + 1, limit)
    return heading


def _toc(buf, heading: int) -> tuple[int, int, dict[str, int], dict[str, int]] | None:
    """The table of contents headed at ``heading``: its raw extent and the phrases inside it.

    It is read from an unpaged window after the heading, doubled until the contents end well
    inside it (unpaging a window's last page break may differ from unpaging the whole file).
    """
    from draftscope.text.sections import find_toc_span

    size = _TOC_WINDOW
    while True:
        stop = min(len(buf), heading + size)
        window_start, unpaged = _unpaged_window(buf, heading, stop)
        text = unpaged.text
        span = find_toc_span(text)
        if span is None:
            return None
        a, b = span
        if stop == len(buf) or (b + _TOC_MARGIN < len(text) and text[b:].strip()):
            break
        size *= 4
    raw_end = window_start + _source_offset(unpaged.pieces, max(a, b - 1)) + 1
    return heading, raw_end, tally(text, a, b), tally_lowercase(text, a, b)


# The same paragraphs recur in every draft of a series (and in every copy of a concatenation).
_is_boilerplate = functools.lru_cache(maxsize=512)(is_boilerplate)


@functools.lru_cache(maxsize=512)
def _tally_paragraph(text: str) -> dict[str, int]:
    """tally() of a boilerplate paragraph; the same few texts recur in every draft of a series.
    Callers must not modify the result."""
    return tally(text)


def _boilerplate_at(buf, q: int) -> tuple[int, str | None] | None:
    """The paragraph around the quoted phrase at ``q``: (raw offset past it, its clean text if
    it is BCP 14 boilerplate else None); None when ``q`` lies in cut-out furniture."""
    lo, hi = max(0, q - _PARAGRAPH_SEARCH), min(len(buf), q + _PARAGRAPH_SEARCH)
    # the last blank line before q: an empty one (rfind), or one of spaces after it
    empty = buf.rfind(b"\n\n", lo, q)
    start = lo if empty < 0 else empty + 2
    for m in _SPACES_LINE.finditer(buf, max(lo, start - 1), q):
        start = m.end()
    m = _PARAGRAPH_BREAK.search(buf, q, hi)
    stop = m.start() + 1 if m else hi
    bounded = (start > lo or lo == 0) and (m is not None or hi == len(buf))
    before = buf[max(0, start - _MARGIN) : start].rstrip().split(b"\n")[-2:]
    after = buf[stop : stop + _MARGIN].lstrip().split(b"\n")[:2]
    near = b"\n".join(before + after)
    if bounded and b"\f" not in near and not _FOOTER_MARK.search(near):
        # far from any page break: the raw paragraph is the clean one
        text = buf[start:stop].decode("latin-1")
        return stop, (text if _is_boilerplate(text) else None)
    window_start, unpaged = _unpaged_window(buf, max(0, q - _WINDOW), min(len(buf), q + _WINDOW))
    text = unpaged.text
    at = _clean_offset(unpaged.pieces, q - window_start)
    if at is None:
        return None
    a, b = paragraph_bounds(text, at)  # judged once: the next quote looked at lies past it
    end = window_start + _source_offset(unpaged.pieces, b - 1) + 1
    return end, (text[a:b] if _is_boilerplate(text[a:b]) else None)


def count_range(buf, start: int, end: int, *, lowercase: bool = False, first: bool = True) -> KeywordCounts:
    """Counts of raw ``buf[start:end]`` (cut at paragraph boundaries by :func:`split_points`);
    ``first``: the file's table of contents is looked for (and skipped if it starts here)."""
    return _count_range(buf, start, end, lowercase, _toc_heading(buf) if first else None)


def _count_range(buf, start: int, end: int, lowercase: bool, toc_heading: int | None) -> KeywordCounts:
    exact = buf.find(b"\r", start, end) >= 0 or not _furniture_is_clean(buf, start, end, lowercase)  # CRLF
    if not exact:
        try:
            counts, quoted = _scan(buf, start, end)
        except _TypographicQuote:
            exact = True
    if exact:
        return count_keywords(bytes(buf[start:end]), lowercase=lowercase)  # the exact path
    lower = None
    if lowercase:
        lower = {w: 0 for w in LOWERCASE}
        for word, n in Counter(_LOWER.findall(buf, start, end)).items():
            lower[word.decode()] = n
    boiler = zero_counts()

    toc = _toc(buf, toc_heading) if toc_heading is not None and start <= toc_heading < end else None
    if toc is not None:
        _, _, in_toc, lower_in_toc = toc
        for key, value in in_toc.items():
            counts[key] -= value
        if lower is not None and lower_in_toc is not None:
            for key, value in lower_in_toc.items():
                lower[key] -= value

    covered_until = -1
    for q in quoted:
        if q < covered_until or (toc is not None and toc[0] <= q < toc[1]):
            continue
        found = _boilerplate_at(buf, q)
        if found is None:
            continue
        covered_until, text = found
        if text is None:
            continue
        for key, value in _tally_paragraph(text).items():
            counts[key] -= value
            boiler[key] += value
        if lower is not None:
            for key, value in tally_lowercase(text).items():
                lower[key] -= value
    return KeywordCounts(counts, boiler, lower)
