"""A word-level diff of unpaged text: reflow, page breaks and running headers are no change.

The text stage removes page furniture (:func:`draftscope.text.published.unpage`); this module
reads what is left as a sequence of words, so a paragraph reflowed to other line breaks, a page
break that moved, or a header that now prints another date compare equal. A word broken after
its hyphen at a line end ("connection-" / "level") is read whole ("connection-level"), as the
same word unbroken in the other revision is.

:func:`word_opcodes` is an exact longest-common-subsequence diff of the two word sequences
(rapidfuzz's bit-parallel ``Indel``: quic-transport -00 against -34, 14 000 against 65 000
words, in well under a second), then tidied the way people read diffs: a run of one to three
equal words between two changes ("the", "of the") is folded into the change rather than shown
as kept, so a rewritten sentence reads as one replacement, and its words count as changed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

# An equal run this short between two changes is folded into them (see the module docstring).
MAX_FOLDED_EQUAL = 3

Opcode = tuple[str, int, int, int, int]   # difflib's: (tag, i1, i2, j1, j2); tag equal|delete|insert|replace


@dataclass(frozen=True)
class Words:
    """The words of a stretch of text and which of them open a paragraph (for display only:
    paragraph breaks are not words, so a paragraph split or joined is no change)."""

    words: tuple[str, ...]
    paragraph_starts: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.words)


def _joins(previous: str, token: str) -> bool:
    """A line that ended in ``word-`` continues with ``token``: one hyphenated word."""
    return (len(previous) > 1 and previous.endswith("-") and previous[-2].isalpha()
            and token[:1].isalpha())


def line_words(lines: Sequence[str]) -> Words:
    """The words of clean lines (furniture removed), a hyphen broken word read whole."""
    words: list[str] = []
    starts: set[int] = set()
    blank = True
    for line in lines:
        tokens = line.split()
        if not tokens:
            blank = True
            continue
        if blank:
            starts.add(len(words))
        elif words and _joins(words[-1], tokens[0]):
            words[-1] += tokens[0]
            tokens = tokens[1:]
        words.extend(tokens)
        blank = False
    return Words(tuple(words), frozenset(starts))


def word_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib-style opcodes turning ``old`` into ``new`` (word sequences), short equal runs
    between changes folded in (see the module docstring). Remembered for the last few thousand
    pairs: matching sections and counting their words diff the same pairs."""
    return list(_opcodes(tuple(old), tuple(new)))


@functools.lru_cache(maxsize=4096)
def _opcodes(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[Opcode, ...]:
    if old == new:
        return (("equal", 0, len(old), 0, len(new)),) if old else ()
    from rapidfuzz.distance import Indel

    raw = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
           for op in Indel.opcodes(old, new)]
    return tuple(fold_short_equal(raw))


def fold_short_equal(opcodes: Sequence[Opcode], longest: int = MAX_FOLDED_EQUAL) -> list[Opcode]:
    """Merge changes separated by an equal run of at most ``longest`` words (when the run is
    no longer than the change on either side) into one ``replace``/``delete``/``insert``."""
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 == i2 and j1 == j2:
            continue
        if tag != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
            merged[-1][0] = "change"
            continue
        merged.append(["change" if tag != "equal" else "equal", i1, i2, j1, j2])
    out: list[list] = []
    k = 0
    while k < len(merged):
        op = merged[k]
        if (op[0] == "equal" and out and out[-1][0] == "change" and k + 1 < len(merged)
                and op[2] - op[1] <= longest):
            before = max(out[-1][2] - out[-1][1], out[-1][4] - out[-1][3])
            after_op = merged[k + 1]
            after = max(after_op[2] - after_op[1], after_op[4] - after_op[3])
            if op[2] - op[1] <= min(before, after):
                out[-1][2], out[-1][4] = after_op[2], after_op[4]
                k += 2
                continue
        if op[0] == "change" and out and out[-1][0] == "change":
            out[-1][2], out[-1][4] = op[2], op[4]
        else:
            out.append(op)
        k += 1
    result: list[Opcode] = []
    for tag, i1, i2, j1, j2 in out:
        if tag == "change":
            tag = "replace" if i2 > i1 and j2 > j1 else ("delete" if i2 > i1 else "insert")
        result.append((tag, i1, i2, j1, j2))
    return result


def changed_words(opcodes: Sequence[Opcode]) -> tuple[int, int]:
    """(words added, words removed) by ``opcodes``."""
    added = sum(j2 - j1 for tag, _, _, j1, j2 in opcodes if tag != "equal")
    removed = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag != "equal")
    return added, removed
