"""The byte scanner's shared pieces: the byte patterns generated from the rules
(:mod:`draftscope.analyses.bcp14`), the limits, the :class:`_NeedsExact` signal and the
:class:`_Part` a counted part of a file yields."""

from __future__ import annotations

import gc
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from draftscope.analyses.bcp14 import byte_patterns


# Files smaller than this take the exact path. benchmarks/bench_keywords.py --crossover: the
# scanner is about as fast as the exact path at 256 KB and 7x faster from 1 MB on; drafts are
# rarely above 500 KB, so ordinary drafts take the one exact path.
SCAN_BYTES = 1 << 20
# Split files bigger than this over processes.
PARALLEL_BYTES = 32 << 20
_P = byte_patterns()
_B = _P.boundary
_NEG_OTHER = rb"(?:" + _P.special_gap + rb"|" + _P.page_gap + rb")NOT(?!" + _B + rb")"
_END = rb"(?!" + _B + rb")"


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
_PRINTABLE = re.compile(rb"[\x21-\x7e]")
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


class _NeedsExact(Exception):
    """A rule the bytes cannot decide the way the exact path does: the whole file takes it.
    (A signal inside this module and its tests, not an error: count_file never lets it out.)"""


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


_NON_ASCII_SPACE = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@contextmanager
def _collector_paused():
    """The cyclic garbage collector paused (as it was after): counting allocates some hundred
    thousand word hits and matches, tuples with no cycle among them, which the collector would
    otherwise walk again and again (4% of the instructions of a 100 MB count, valgrind)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
