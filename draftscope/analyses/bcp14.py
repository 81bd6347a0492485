"""The BCP 14 rules, written once: phrases, word boundaries, the gap between the words of a
two-word phrase, quotes, the boilerplate rule and the page furniture markers.

Both ways of counting are generated from these definitions, so they cannot drift apart:
:mod:`draftscope.analyses.keywords` compiles :func:`text_patterns` (str patterns for clean text:
decoded, page furniture removed) and :mod:`draftscope.analyses.keyword_scan` compiles
:func:`byte_patterns` (bytes patterns for a raw file). Where bytes cannot decide a rule the way
the text does (white space outside ASCII, typographic quotes, page furniture), the byte patterns
single the place out and the scanner asks the exact path.

Every pattern is linear in its input: possessive quantifiers wherever two quantifiers could
take the same characters, bounded repetitions where a pattern looks across lines.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

# The 11 phrases, longest first (the order a matcher must try them in).
PHRASES: tuple[str, ...] = (
    "NOT RECOMMENDED",
    "SHOULD NOT",
    "SHALL NOT",
    "MUST NOT",
    "RECOMMENDED",
    "REQUIRED",
    "OPTIONAL",
    "SHOULD",
    "SHALL",
    "MUST",
    "MAY",
)
# The order RFC 2119 lists them in: for columns and rows people read.
DISPLAY_ORDER: tuple[str, ...] = (
    "MUST",
    "MUST NOT",
    "REQUIRED",
    "SHALL",
    "SHALL NOT",
    "SHOULD",
    "SHOULD NOT",
    "RECOMMENDED",
    "NOT RECOMMENDED",
    "MAY",
    "OPTIONAL",
)
# The optional lowercase metric: these words, whole, in lowercase.
LOWERCASE: tuple[str, ...] = ("must", "should", "may", "shall", "required", "recommended", "optional")
# Words that open a two-word phrase, and its second word.
FIRST_WORDS: tuple[str, ...] = ("MUST", "SHALL", "SHOULD")  # ... NOT
NOT_FIRST = "RECOMMENDED"  # NOT RECOMMENDED
# Every word any phrase is made of (what page furniture must not hold for the scanner to count it).
WORDS: tuple[str, ...] = ("RECOMMENDED", "REQUIRED", "OPTIONAL", "SHOULD", "SHALL", "MUST", "MAY", "NOT")

# A phrase counts only as a whole word: none of these characters (ASCII) on either side.
WORD_CHARS = "A-Za-z0-9_\\-"
# The gap between the words of a two-word phrase, in clean text: one or more white space
# characters, exactly what str's ``\s`` matches (a test checks the lists against it): the ASCII
# ones, and no-break space and the other Unicode spaces. Line and page breaks are white space
# once page furniture is removed.
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
NON_ASCII_SPACE = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# Quotes around a phrase (boilerplate): straight, or typographic (opening, closing).
OPEN_QUOTES = '"\u201c'
CLOSE_QUOTES = '"\u201d'
# The boilerplate: a paragraph with at least this many quoted phrases that names one of these.
BOILERPLATE_MIN_QUOTED = 3
MENTION = r"RFC[\s-]*+2119|RFC[\s-]*+8174|BCP[\s-]*+14(?!\d)"
# A paragraph ends at a line holding only blanks and tabs.
PARAGRAPH_BREAK = r"\n[ \t]*\n"
# Page furniture: a form feed ends a page; a footer line carries this marker at either end.
PAGE_MARK = r"\[\s*[Pp][Aa][Gg][Ee]\s+[0-9ivxlcIVXLC]+\s*\]"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in words)


class TextPatterns(NamedTuple):
    """Compiled str patterns for clean text (see :mod:`draftscope.analyses.keywords`). This
    and :class:`BytePatterns` are named tuples: a frozen dataclass of this many fields costs
    ~0.9 ms of every command's start-up to define, a named tuple a tenth of that."""

    must_may: re.Pattern  # groups: (UST) (NOT) -- MUST / MUST NOT / MAY
    shall_should: re.Pattern  # groups: (ALL) (NOT) -- SHALL / SHOULD, NOT
    required_recommended: re.Pattern  # group: (QUIRED)
    optional: re.Pattern
    not_recommended: re.Pattern
    lowercase: re.Pattern
    any_phrase: re.Pattern
    quoted: re.Pattern
    quoted_ascii: re.Pattern  # the same on text without typographic quotes, led by its literal quote (fast)
    mention: re.Pattern
    paragraph_break: re.Pattern


def text_patterns() -> TextPatterns:
    """The rules as str patterns: one pattern per initial-letter group, each starting with a
    literal so ``re`` skips ahead fast; the gap is ``\\s++``."""
    b = f"[{WORD_CHARS}]"
    gap = r"\s++"
    neg = f"{gap}(NOT)(?!{b})"
    quote_open, quote_close = f"[{OPEN_QUOTES}]", f"[{CLOSE_QUOTES}]"
    any_phrase = (
        rf"(?:(?:{_alternation(FIRST_WORDS)})(?:{gap}NOT(?!{b}))?|NOT{gap}{NOT_FIRST}"
        rf"|{_alternation(w for w in WORDS if w not in FIRST_WORDS + ('NOT',))})"
    )
    return TextPatterns(
        must_may=re.compile(rf"M(?:(UST)(?<!{b}MUST)(?:{neg})?|AY(?<!{b}MAY))(?!{b})"),
        shall_should=re.compile(rf"SH(?:(ALL)(?<!{b}SHALL)|OULD(?<!{b}SHOULD))(?:{neg})?(?!{b})"),
        required_recommended=re.compile(
            rf"RE(?:(QUIRED)(?<!{b}REQUIRED)|COMMENDED(?<!{b}RECOMMENDED))(?!{b})"),
        optional=re.compile(rf"OPTIONAL(?<!{b}OPTIONAL)(?!{b})"),
        not_recommended=re.compile(rf"NOT(?<!{b}NOT){gap}{NOT_FIRST}(?!{b})"),
        lowercase=re.compile(rf"(?<!{b})({_alternation(LOWERCASE)})(?!{b})"),
        any_phrase=re.compile(rf"(?<!{b}){any_phrase}(?!{b})"),
        quoted=re.compile(rf"{quote_open}{any_phrase}{quote_close}"),
        quoted_ascii=re.compile(rf'"{any_phrase}"'),
        mention=re.compile(MENTION),
        paragraph_break=re.compile(PARAGRAPH_BREAK),
    )


# --- bytes -------------------------------------------------------------------------------------

def _byte_class(chars: str) -> bytes:
    """A bytes character class body for ASCII ``chars``."""
    return b"".join(re.escape(bytes([ord(c)])) for c in chars)


# Bytes that are white space for str's \s in every decoding the exact path uses (ASCII).
SPACE_BYTES = rb"[" + _byte_class(ASCII_SPACE) + rb"]"
# Byte sequences that decode to white space outside ASCII: UTF-8 encodings, and the one cp1252
# byte (no-break space). The scanner cannot know which decoding a file gets without reading all
# of it, so a gap holding one of these is decided by the exact path.
def _byte_trie(strings: set[bytes]) -> bytes:
    """A pattern matching exactly one of ``strings`` (none a prefix of another), written as a
    trie: the shared leading bytes once, a class for last bytes. Twenty UTF-8 spaces as a plain
    alternation made every gap pattern long to compile and slow to try."""
    by_first: dict[int, set[bytes]] = {}
    for string in strings:
        by_first.setdefault(string[0], set()).add(string[1:])
    ends = sorted(first for first, rests in by_first.items() if rests == {b""})
    branches = [re.escape(bytes([first])) + _byte_trie(rests)
                for first, rests in sorted(by_first.items()) if rests != {b""}]
    if ends:
        branches.append(b"[" + b"".join(re.escape(bytes([b])) for b in ends) + b"]" if len(ends) > 1 else re.escape(bytes(ends)))
    return branches[0] if len(branches) == 1 else rb"(?:" + b"|".join(branches) + rb")"


NON_ASCII_SPACE_BYTES = rb"(?:" + _byte_trie({c.encode("utf-8") for c in NON_ASCII_SPACE} | {b"\xa0"}) + rb")"


class BytePatterns(NamedTuple):
    """Pieces of the scanner's bytes patterns (see :mod:`draftscope.analyses.keyword_scan`)."""

    boundary: bytes  # class of bytes that may not touch a phrase
    plain_gap: bytes  # ASCII white space: decides alike in bytes and in text
    special_gap: bytes  # white space with a non-ASCII space in it: the exact path decides
    page_gap: bytes  # a line end, then a few lines of page furniture: verified exactly
    gap_guard: bytes  # cheap test that any gap may follow (turns "MUST be" down fast)
    page_mark: bytes
    open_quote: bytes  # a straight quote, or the last byte of a typographic one (UTF-8, cp1252)
    lowercase: bytes
    words: bytes  # any word of a phrase, whole (furniture must not hold one)


# How many lines before a RECOMMENDED the scanner looks for a NOT and page furniture.
PAGE_GAP_LINES = 12


def byte_patterns() -> BytePatterns:
    ws = SPACE_BYTES[1:-1]  # class body
    blank_ws = rb"[ \t\x0b\x1c-\x1f]"
    plain = SPACE_BYTES + rb"++"
    special = rb"(?:" + SPACE_BYTES + rb"|" + NON_ASCII_SPACE_BYTES + rb")++"
    # the phrase's line ends; blank lines (padding), perhaps one footer line and more blank
    # lines, a line with a form feed, up to two more lines (running headers), blank lines, the
    # second word. (A phrase across two page breaks needs an empty page between them: the
    # scanner hands a file with one to the exact path.)
    blank_line = blank_ws + rb"*+\n"
    page = (
        rb"(?:[ \t]|" + NON_ASCII_SPACE_BYTES + rb")*+\n(?=(?:" + blank_line + rb")*+[^\n\f\[]*+[\f\[])"
        rb"(?:" + blank_line + rb")*+(?:[^\n\f]*+\n(?:" + blank_line + rb")*+)??"
        rb"[^\n\f]*+\f[^\n]*+\n(?:[^\n]*+\n){0,2}?[" + ws + rb"]*+"
    )
    return BytePatterns(
        boundary=rb"[" + WORD_CHARS.encode() + rb"]",
        plain_gap=plain,
        special_gap=special,
        page_gap=page,
        gap_guard=rb"(?=[ \t]*+[N\n\x0b\x0c\x1c-\x1f\x80-\xff])",
        page_mark=PAGE_MARK.encode(),
        open_quote=rb'["\x93\x9c]',
        lowercase=_alternation(LOWERCASE).encode(),
        words=_alternation(WORDS).encode(),
    )


def lowercase_sources(words: tuple[str, ...] = LOWERCASE) -> list[str]:
    """The lowercase words, whole, as one pattern per first letter, each starting with the
    literal its words share (``m``, ``sh``, ``re``, ``optional``) and checking the boundary
    after it: ``re`` then skips ahead at memchr speed instead of testing a lookbehind at every
    position (5x faster than one alternation behind a lookbehind; the same matches as
    ``patterns().lowercase``, tests/analyses/test_keyword_scan_passes.py)."""
    boundary = f"[{WORD_CHARS}]"
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0], []).append(word)
    sources = []
    for group in by_letter.values():
        prefix = os.path.commonprefix(group)
        rests = "|".join(f"{w[len(prefix):]}(?<!{boundary}{w})" for w in sorted(group, key=len, reverse=True))
        sources.append(f"{prefix}(?:{rests})(?!{boundary})")
    return sources
