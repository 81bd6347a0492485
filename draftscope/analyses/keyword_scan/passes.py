"""Counting one part of a file: the words found by one automaton pass over the raw bytes, each
counted plainly or matched with its letter pass's pattern (M, L, Q); the phrases these leave to
Python (quoted, after a gap that is not plain white space, a RECOMMENDED that may follow a NOT
across page furniture); and the part's page furniture."""

from __future__ import annotations

import re

import ahocorasick_rs

from draftscope.analyses.bcp14 import PAGE_GAP_LINES
from draftscope.analyses.keywords import LOWERCASE, zero_counts
from draftscope.analyses.keyword_scan.common import _ANY_SPACE_BYTE, _ASCII_SPACE, _B, _END, _NEG_OTHER, _NeedsExact, _P, _Part, _collector_paused, _strip_back
from draftscope.analyses.keyword_scan.furniture import _page_furniture


_NEG_PLAIN = _P.plain_gap + rb"NOT(?!" + _B + rb")"
_NEG_OTHER_AT = re.compile(_P.gap_guard + _NEG_OTHER)


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


# One pattern per letter, M, L and Q: between them they hold a letter of each of the 7 words
# (each pattern was once searched over the whole part: a pattern led by a literal lets ``re``
# skip ahead fast; the automaton below now finds the words and each pattern is matched where
# its search would have started). Lookbehinds check the rest of the word before the letter.
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


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _count_part(buf, start: int, end: int, lowercase: bool) -> _Part | str:
    """Raw counts of ``buf[start:end]`` and what must be judged with the whole file; or why only
    the exact path can decide (a str, which crosses a process boundary as it is)."""
    try:
        with _collector_paused():
            hits, base = _part_hits(buf, start, end, lowercase)
            lower = [0] * len(LOWERCASE) if lowercase else None
            counts, quoted, gaps = _scan(buf, start, end, hits, lower, base)
            part = _Part(counts, dict(zip(LOWERCASE, lower)) if lower is not None else None, quoted, gaps)
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

# The seven words, then their lowercase forms, found by ONE pass of an Aho-Corasick automaton
# (the Rust aho-corasick crate behind ripgrep, with its SIMD prefilter: ~2.5 GB/s here, where
# each ``re`` pass above scans at ~1 GB/s and the lowercase words took four more). No word
# overlaps another (tests/analyses/test_keyword_scan_passes.py), so its leftmost-first,
# non-overlapping matches are every occurrence. Each occurrence of a word is then tried with
# its letter pass's pattern at the place that pass would start (``rx.match``), unless it is
# plainly a word alone: the commonest case, decided here without a call into ``re``.
_UPPER_WORDS = tuple(_LETTER_AT)
_HIT_WORDS = _UPPER_WORDS + tuple(LOWERCASE)
_UPPER = len(_UPPER_WORDS)
# two automatons: the seven words (a quarter faster when no lowercase word is counted), or all
_FINDERS = {lowercase: ahocorasick_rs.BytesAhoCorasick([w.encode() for w in words],
                                                       matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
            for lowercase, words in ((False, _UPPER_WORDS), (True, _HIT_WORDS))}
_LONGEST = max(map(len, _HIT_WORDS))
# (pass, offset of the pass's match from the word's start) of each upper word
_WHERE = [(0 if w in ("MUST", "MAY", "RECOMMENDED") else 2 if w == "REQUIRED" else 1, _LETTER_AT[w])
          for w in _UPPER_WORDS]
_MATCH_OFFSET = tuple(offset for _, offset in _WHERE) + (0,) * len(LOWERCASE)
_NEVER_PLAIN = _UPPER_WORDS.index("RECOMMENDED")  # NOT may precede it: always looked at
_PLAIN_BEFORE = frozenset(b" \n(")  # no word character, no quote
_NEGATABLE = frozenset(_UPPER_WORDS.index(w) for w in ("MUST", "SHALL", "SHOULD"))


def word_hits(buf, start: int, end: int, lowercase: bool = True) -> list[tuple[int, int, int]]:
    """(word index into ``_HIT_WORDS``, start, end) of every occurrence of a word (of the seven
    only, unless ``lowercase``) in ``buf[start:end]``, in order (``buf``: bytes or an mmap).
    A word cut by ``start`` belongs to this part if the search for it would start in it (a
    letter pass's match starts at its letter), so that parts cut anywhere count it once."""
    hits, base = _part_hits(buf, start, end, lowercase)
    return [(k, s + base, e + base) for k, s, e in hits] if base else hits


def _part_hits(buf, start: int, end: int, lowercase: bool) -> tuple[list[tuple[int, int, int]], int]:
    """word_hits() with offsets from ``base`` (the second value) rather than from the buffer's
    start: a part other than the first is searched from a little before its start and its hits
    are not rebuilt one by one (only those the part does not own, at its very start, dropped)."""
    finder = _FINDERS[lowercase]
    if start == 0 and end == len(buf) and isinstance(buf, bytes):
        return finder.find_matches_as_indexes(buf), 0
    lo = max(0, start - _LONGEST)
    with memoryview(buf) as whole, whole[lo:end] as view:
        found = finder.find_matches_as_indexes(view)
    if lo == 0 and start == 0:
        return found, 0
    offsets, first = _MATCH_OFFSET, start - lo
    owned = 0  # hits starting at or after ``first`` are the part's; of those before, some are
    while owned < len(found) and found[owned][1] < first:
        owned += 1
    return [h for h in found[:owned] if h[1] + offsets[h[0]] >= first] + found[owned:], lo


def _scan(buf, start: int, end: int, hits: list[tuple[int, int, int]] | None = None,
          lower: list[int] | None = None, base: int = 0) -> tuple[dict[str, int], list[int], list[tuple[int, str]]]:
    """Phrase counts of raw ``buf[start:end]``, the offsets of the quote opening each quoted
    phrase (where a BCP 14 boilerplate paragraph may be), in order, and the two-word phrases
    whose words page furniture separates (counted once judged).

    A word after a space, newline or "(" and before one space and a lowercase letter is a
    phrase of its own (the letter pass's pattern would take its plain branch: no quote, no NOT
    to look for); every other occurrence is matched with its letter pass's pattern where that
    pass's search would try it, and of those the few that need context are looked at in Python.
    The lowercase words among ``hits`` are counted into ``lower`` when it is given (see
    :func:`_sort_hits`); ``hits`` count their offsets from ``base`` (see :func:`_part_hits`).
    """
    if hits is None:
        hits = word_hits(buf, start, end, lowercase=False)
    counts = zero_counts()
    quoted: list[int] = []
    gaps: list[tuple[int, str]] = []
    if base:  # the walk reads the bytes around each hit from a view that starts at base
        with memoryview(buf) as whole, whole[base:end] as view:
            plain, negated, tried = _sort_hits(view, end - base, hits, lower)
        tried = tuple([pos + base for pos in positions] for positions in tried)
    else:
        plain, negated, tried = _sort_hits(buf, end, hits, lower)
    for k, word in enumerate(_UPPER_WORDS):
        counts[word] += plain[k]
        if negated[k]:
            counts[word + " NOT"] += negated[k]
    for (rx, table, looked_at), positions in zip(_PASSES, tried):
        seen = [0] * len(table)
        special = []
        match = rx.match
        for pos in positions:
            m = match(buf, pos, end)
            if m is None:
                continue
            k = m.lastindex
            if looked_at[k]:
                special.append(m)
            else:
                seen[k] += 1
        for k, n in enumerate(seen):
            if n:
                counts[table[k][0]] += n
        _look_at(buf, table, special, counts, quoted, gaps)
    quoted.sort()
    return counts, quoted, gaps


def _sort_hits(buf, end: int, hits: list[tuple[int, int, int]],
               lower: list[int] | None) -> tuple[list[int], list[int], tuple[list[int], ...]]:
    """One walk over the hits: per upper word, how many stand plainly alone and how many are a
    plain "W NOT"; per letter pass, where its pattern must be tried (in order). The lowercase
    words are counted into ``lower`` (by their order in LOWERCASE) when it is given, whole: no
    word character on either side, the part's end counting as a boundary, as a pattern
    searched up to ``endpos`` sees it. Never raises: the rules that need the exact path come
    after."""
    plain, negated = [0] * _UPPER, [0] * _UPPER
    tried: tuple[list[int], ...] = ([], [], [])
    upper, where, before_ok, never, last = _UPPER, _WHERE, _PLAIN_BEFORE, _NEVER_PLAIN, end - 1
    negatable, boundary = _NEGATABLE, _B_SET
    for k, s, e in hits:
        if k >= upper:
            if lower is not None and (s == 0 or buf[s - 1] not in boundary) and (e >= end or buf[e] not in boundary):
                lower[k - upper] += 1
            continue
        if e < last and buf[e] == 0x20 and k != never and s > 0 and buf[s - 1] in before_ok:
            c = buf[e + 1]
            if 0x61 <= c <= 0x7A:  # "MUST be"
                plain[k] += 1
                continue
            if c == 0x4E and k in negatable and e + 4 < end and buf[e + 1 : e + 4] == b"NOT" and buf[e + 4] not in boundary:
                negated[k] += 1  # "MUST NOT,"
                continue
        p, offset = where[k]
        tried[p].append(s + offset)
    return plain, negated, tried


def _look_at(buf, table, special, counts: dict[str, int], quoted: list[int], gaps: list[tuple[int, str]]) -> None:
    """The matches of one letter pass that need context (a quote before, NOT after a gap that is
    not plain white space, a RECOMMENDED a NOT may precede): counted, or kept to judge."""
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
