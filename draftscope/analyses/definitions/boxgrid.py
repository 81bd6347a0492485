"""The frame of a box drawing, found before any geometry: where the box is, and what is not box.

RFCs write around their boxes: section labels left of rows (RFC 3550's ``header``, ``sender
info``, ``report block 1``; RFC 5450's ``hdr``), brackets and arrows in the margins (RFC 6830's
``+->`` / ``R e c o r d`` over repeated groups, RFC 9197's ``<-+`` POT bracket), byte offsets
(RFC 7871's ``0:``, ``2:``), octet headers (``+0 (MSB)   +1 (LSB)``), conditions and sizes to the
right (RFC 3095's ``if for small CIDs``). None of it is a field, so it is taken out first: the
box's edges are where the longest run of each border begins and ends (a margin arrow or a
bracket is a short run beside it), everything left of the left edge is a margin label, a header line of
octet numbers is a ruler, not a row. What stays is the box alone, at the same columns.

Everything here is pure: lines in, :class:`Frame` out, in one pass over the lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_BORDER_RUN = re.compile(r"\+[-=]|[-=]\+")
_OCTET_HEADER = re.compile(r"^\s*\+\d+(?:\s*\((?:MSB|LSB)\))?(?:\s+\+\d+(?:\s*\((?:MSB|LSB)\))?)*\s*$")
_LABELLED_RULER = re.compile(r"^(\s*)(?:bits?|bytes?|octets?)(\s+\d)", re.I)
_WALLS = "|+:~/\\."
_NUMBER_ROW = re.compile(r"^\s*\|(?:\s*\d+\s*\|){4,}\s*$")
_BORDER_ELISION = re.compile(r"(?<=[-=])(?:\.{2,}|//)(?=[-=+])")


@dataclass(frozen=True)
class Frame:
    """A drawing with its margins blanked (columns unchanged) and its box's edges."""

    lines: tuple[str, ...]
    left: int | None            # column of the box's left wall (most borders start there)
    right: int | None           # column where most borders end (the box's right edge)
    labels: tuple[tuple[int, str], ...] = ()   # (line, text) written left of the box
    elided: tuple[tuple[int, int, int], ...] = ()  # (line, start, end) of "--...--" in borders


def is_border_line(line: str) -> bool:
    """A line holding a horizontal border run (``+-+``, ``+----``, ``-+``)."""
    return bool(_BORDER_RUN.search(line))


def _runs(line: str) -> list[tuple[int, int]]:
    """[start, end) of the border runs of a line; a dashed run (``+-+- - - -``) is one run, a
    margin bracket one space to its right (``-+ ----``) is not."""
    runs = [[m.start(), m.end()] for m in re.finditer(r"[-=+]+", line)]
    out: list[list[int]] = []
    for run in runs:
        if (out and run[0] == out[-1][1] + 1 and run[1] - run[0] <= 2
                and line[out[-1][1] - 1] == "-" and (out[-1][1] - out[-1][0] <= 2 or line[run[0]] == "-")):
            out[-1][1] = run[1]
        else:
            out.append(run)
    return [(a, b) for a, b in out]


def _edges(lines: list[str]) -> tuple[int | None, int | None]:
    starts: Counter[int] = Counter()
    ends: Counter[int] = Counter()
    corners: Counter[int] = Counter()
    borders = [(line, _runs(line)) for line in lines if is_border_line(line)]
    # a bracket drawn around the box ("+- Encrypted Portion ---+", RFC 3711) has short runs:
    # only borders at least half as long as the longest say where the box is
    longest_run = max((b - a for _, runs in borders for a, b in runs), default=0)
    for line, runs in borders:
        if not runs or "+" not in line:
            continue
        # a margin arrow ("+-> +-+-+") starts a border too: the box's own run is the longest
        longest = max(runs, key=lambda r: r[1] - r[0])
        if (longest[1] - longest[0]) * 2 < longest_run:
            continue
        starts[longest[0]] += 1
        last = longest[1] - 1
        corner = line.rfind("+", longest[0], longest[1])
        if corner > longest[0]:
            corners[corner] += 1      # "+-+-+---" (a margin bracket's dash): the box ends at "+"
        else:
            corners[last] += 1
        for a, b in runs:           # a label inside the border ("+-+-  Client Cookie  -+-+")
            if (a > longest[0] and b - a >= 2 and "+" in line[a:b]
                    and "<" not in line[longest[1]:b] and ">" not in line[longest[1]:b]):
                last = max(last, b - 1)
        ends[last] += 1
    if not starts:
        return None, None
    # every border open to the right ("+-+- - - -"): the box runs to their end; else to the
    # last corner
    if all(line.rstrip()[-1:] != "+" for line, _ in borders):
        return min(starts), max(ends)
    return min(starts), max(max(corners), min(ends))


def frame(lines: list[str]) -> Frame:
    """The drawing in ``lines`` with what lies left of its box blanked, and its edges."""
    left, right = _edges(lines)
    out: list[str] = []
    labels: list[tuple[int, str]] = []
    elided: list[tuple[int, int, int]] = []
    for k, line in enumerate(lines):
        lead = line.lstrip()[:2]
        if lead[:1] == "+" and lead[1:].isdigit() and _OCTET_HEADER.match(line):
            out.append("")                    # "+0 (MSB)   +1 (LSB)": a ruler of octets
            continue
        if lead[:1] == "|" and lead[1:].isdigit() and _NUMBER_ROW.match(line):
            numbers = [int(x) for x in re.findall(r"\d+", line)]
            if numbers == list(range(len(numbers))):
                # "|0|1|2|3|4|5|6|7|": bit numbers drawn as a row of cells are a ruler (RFC 6184)
                out.append(line.replace("|", " "))
                continue
        m = _LABELLED_RULER.match(line) if lead[:1] in "bBoO" and lead else None
        if m:                                 # "bit  7 6 5 ...", "byte 0 1 2 ...": a ruler
            line = m.group(1) + " " * (m.start(2) - m.end(1)) + line[m.start(2):]
            out.append(line)
            continue
        if ("..." in line or "//" in line) and is_border_line(line):
            # "+--...--+", "+----//----+": an elided run of octets drawn into the border; the
            # border itself runs on through it
            for m in _BORDER_ELISION.finditer(line):
                elided.append((k, m.start(), m.end()))
                line = line[:m.start()] + "-" * (m.end() - m.start()) + line[m.end():]
        if left is not None and left > 0 and len(line) > left:
            head = line[:left]
            at = line[left]
            first = len(line) - len(line.lstrip())
            if (first <= left - 2 and at not in _WALLS and line.strip() and right is not None
                    and len(line.rstrip()) - 1 > right + 1):
                # a line that starts well left of the box, ends right of it and has no wall at
                # its edge: a bracket around the box (RFC 3711's "Encrypted Portion"), no row
                labels.append((k, " ".join(line.split())))
                out.append("")
                continue
            if head.strip() and at in _WALLS and not (head.rstrip() and len(head.rstrip()) == left
                                                    and head.strip() in _WALLS and len(head.strip()) == 1):
                labels.append((k, " ".join(head.split())))
                line = " " * left + line[left:]
        out.append(line)
    return Frame(tuple(out), left, right, tuple(labels), tuple(elided))
