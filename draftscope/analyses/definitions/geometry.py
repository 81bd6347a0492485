"""The geometry of an ASCII bit diagram: bit ruler -> column-to-bit mapping -> cells with widths.

A box diagram is read as a picture, not as text: walls (``|``, the ``+-+-+`` borders, the edge
marks ``~ : .`` of variable-length rows) enclose regions, and every region is one cell. A cell
that a border leaves open below continues into the row under it (RFC 6824's "Subtype-specific
data" starts in the blank cell right of Subtype; quic-transport's ``+-+-+-+-+-+-+-+-+  Connection
ID (8..160)  +`` writes the name of such a continuation into the border itself), so multi-row
fields come out as one cell whatever way they are drawn.

Columns become bits through the ruler above the box (``0 1 2 ... 0 1``, any indent, any digit
spacing, 8/16/32 digits, the tens line above ignored) or, without a ruler, through the spacing of
the ``+-+-+`` border. Rows drawn a column short or long of the ruler (RFC 6824's DSS option) are
stretched onto it before rounding, so that every row's cells add up to the ruler's width.

Everything here is pure. :func:`.boxscan.read_drawing` reads lines into a :class:`Drawing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


_DIGITS = re.compile(r"^\s*\d+(?:\s+\d+)*\s*$")
_LONG_NUMBER = re.compile(r"\d{7}")
_TRAILING_DOTS = re.compile(r"\.\.\.+\s*$")
_EDGE_MARKS = "~:.\\/"       # a row drawn with these at its edges has no fixed length (RFC 4960: \ /)


@dataclass(frozen=True)
class Ruler:
    """The bit ruler of a drawing: ``bits`` digits, the first at column ``first``, ``step`` apart
    (0.0 for a ruler of boundary bit numbers, ``0  7 8  15``: the box's width gives it)."""

    bits: int
    first: int
    step: float


@dataclass(frozen=True)
class Span:
    """Where one cell lies on one row of bits: ``[start, end)`` in bits."""

    start: int
    end: int


@dataclass(frozen=True)
class Cell:
    """One enclosed region of a drawing: its text and where it lies in bits."""

    text: str                      # the text written in it, lines joined by spaces
    line: int                      # index (in the drawing's lines) of its first line
    start: int | None              # bit offset in its first row (None without a column grid)
    bits: int | None               # width from the geometry (None: variable or no grid)
    variable: bool                 # drawn with "...", "~", ":" or "." edges
    rows: int                      # rows of bits it spans (drawn rows without a column grid)
    open_right: bool               # its row ends in "..." (QUIC style) rather than a wall
    parts: tuple[str, ...] = ()    # the text of each line, as written
    repeated: bool = False         # "| Address ID | ...": more of it may follow
    note: str = ""                 # written right of the box on its lines ("<-- optional")
    elided: bool = False           # its border above or below holds "..." ("+--...--+")
    optional: bool = False         # its row is labelled "(opt)" in the left margin (RFC 3550)


@dataclass(frozen=True)
class Row:
    """One row of bits: the cells it holds, left to right, and whether it reaches the right edge."""

    line: int
    spans: tuple[tuple[int, Span], ...]   # (cell index, span)
    right: int | None                     # bit of its rightmost wall (None: ends in "...")
    variable: bool


@dataclass(frozen=True)
class Drawing:
    cells: tuple[Cell, ...]
    rows: tuple[Row, ...]
    ruler: Ruler | None
    width: int | None              # bits per row (the ruler's, or the border grid's)
    step: float | None             # columns per bit
    grid: str = ""                 # "ruler", "bits" (a +-+-+ border), "octets" (octet cells)
    warnings: tuple[str, ...] = ()  # where the geometry was repaired


def find_ruler(lines: list[str]) -> Ruler | None:
    """The digit line of a bit ruler among ``lines`` (the last regular one), if any.

    A tens line (``0                   1                   2``) has gaps of twenty columns and
    lies right above the digit line; the digit line is the one directly above the box.
    """
    found: Ruler | None = None
    for line in lines:
        if not _DIGITS.match(line):
            continue
        if _LONG_NUMBER.search(line):
            continue            # no bit number has 7 digits (and int() of 4301 raises, issue 20)
        tokens = [(m.end() - 1, int(m.group())) for m in re.finditer(r"\d+", line)]
        if len(tokens) < 2:
            continue
        values = [v for _, v in tokens]
        cols = [c for c, _ in tokens]
        gaps = {b - a for a, b in zip(cols, cols[1:])}
        # "0 1 ... 9 0 1" (a tens line above) or "0 1 ... 9 10 11": the last digit of each
        # number sits over its bit
        if ((all((b - a) % 10 == 1 for a, b in zip(values, values[1:]))
             or (values[0] in (7, 15, 31) and values == list(range(values[0], -1, -1))))
                and len(gaps) == 1 and (step := gaps.pop()) <= 8):
            # bits numbered up ("0 1 2 ...") or down from the most significant ("7 6 ... 0")
            found = Ruler(len(cols), cols[0], float(step))
        elif (values[0] == 0 and values[-1] + 1 in (8, 16, 32, 64) and len(values) >= 4
                and all(b > a for a, b in zip(values, values[1:]))):
            # bit numbers at the byte boundaries, "0      7 8     15 16    23 24    31"
            # (RFC 768): the width is known, the columns per bit come from the box
            found = Ruler(values[-1] + 1, tokens[0][0], 0.0)
    return found


def _is_border_plus(text: str, i: int) -> bool:
    left = text[i - 1] if i > 0 else " "
    right = text[i + 1] if i + 1 < len(text) else " "
    return left in "-=" or right in "-="


def is_border(line: str) -> bool:
    """A line drawing (part of) a horizontal border: ``+-+-+``, ``+------+``, ``+-+   text   +``
    (it starts with ``+`` and some ``+`` touches a ``-`` or ``=``)."""
    return line.lstrip().startswith("+") and ("+-" in line or "-+" in line or "+=" in line or "=+" in line)


def _walls(text: str, left: int, right: int, first: int, last: int, above: str = "",
           below: str = "") -> set[int]:
    """Columns of ``text`` that are walls of the box (borders, ``|``, edge ``+ ~ : .``).

    A lone ``+`` is a wall at the edges of the box, or where a wall runs on above or below it
    (the corner of two multi-row cells); elsewhere it is text ("Length = 3+n").
    """
    walls: set[int] = set()
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "|":
            walls.add(i)
        elif ch in "+-=":
            j = i
            while j < n and text[j] in "+-=":
                j += 1
            run = text[i:j]
            # a border run: "+-+", "+----"; a lone "+" is a wall at the box edges or next to a wall
            if ("+" in run and ("-" in run or "=" in run)) or (run == "+" and (i in (first, last)
                                                                               or i <= left or i >= right)):
                walls.update(range(i, j))
            elif (run == "+" and (i + 1 >= n or text[i + 1] == " ") and (i == 0 or text[i - 1] == " ")
                  and any(i < len(t) and t[i] in "|+" for t in (above, below))):
                walls.add(i)             # "+   +" corner between two multi-row cells
            i = j
            continue
        elif ch in _EDGE_MARKS and i in (first, last) and (i <= left + 1 or i >= right - 1):
            walls.add(i)
        i += 1
    return walls
