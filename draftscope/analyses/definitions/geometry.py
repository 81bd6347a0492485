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

Everything here is pure: lines in, :class:`Drawing` out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from draftscope.analyses.definitions.boxgrid import frame
from draftscope.analyses.definitions.sizes import read_cell_text

_DIGITS = re.compile(r"^\s*\d+(?:\s+\d+)*\s*$")
_TRAILING_DOTS = re.compile(r"\.\.\.+\s*$")
_FULL_BORDER = re.compile(r"\s*\+[-=+.]*\+")
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
    """A line drawing (part of) a horizontal border: ``+-+-+``, ``+------+``, ``+-+   text   +``."""
    s = line.strip()
    return s.startswith("+") and any(_is_border_plus(line, i) for i, ch in enumerate(line) if ch == "+")


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


def _share(own: list[float], total: int) -> list[int]:
    """``total`` bits shared among cells in proportion to their drawn widths, each at least 1."""
    whole = sum(own) or 1.0
    exact = [o * total / whole for o in own]
    got = [max(1, int(e)) for e in exact]
    while sum(got) > total and any(g > 1 for g in got):
        i = max((i for i, g in enumerate(got) if g > 1), key=lambda i: got[i] - exact[i])
        got[i] -= 1
    while sum(got) < total:
        i = max(range(len(got)), key=lambda i: exact[i] - got[i])
        got[i] += 1
    return got


def _realign(own: list[float], border: set[int], width: int) -> list[int] | None:
    """Bits of the walls of a row whose right end misses the border's by a bit or three.

    ``own`` are the walls' positions in bits as drawn. The walls that agree with the border
    from the left (as drawn) and from the right (shifted by the error) keep those bits; the
    cells between share what is left, each at least one bit. When nothing is left (a cell
    squeezed in at a border wall, RFC 8684's ``| (rsv) |E|`` under ``+-------+------``) the
    stretch takes in a neighbour: one that is not a whole byte on byte boundaries, since a
    byte-aligned byte is the least likely to be mis-drawn.
    """
    ob = [round(o) for o in own]
    d = ob[-1] - width
    if d == 0 or abs(d) > 3 or ob[0] != 0 or ob[-1] in border or len(set(ob)) != len(ob):
        return None
    n = len(ob)
    i = 0
    while i + 1 < n - 1 and ob[i + 1] in border:
        i += 1
    j = n - 1
    while j - 1 > i and ob[j - 1] - d in border:
        j -= 1
    target = ob[: i + 1] + [None] * (j - i - 1) + [b - d for b in ob[j:]]
    lo, hi = i, j
    while target[hi] - target[lo] < hi - lo:           # type: ignore[operator]
        left_ok, right_ok = lo > 0, hi < n - 1
        if not (left_ok or right_ok):
            return None

        def whole_byte(a: int, b: int) -> bool:
            return target[a] % 8 == 0 and target[b] % 8 == 0  # type: ignore[operator]

        if left_ok and right_ok:
            # not a whole byte first; between equals, the wider (it loses least)
            if whole_byte(lo - 1, lo) != whole_byte(hi, hi + 1):
                take_left = not whole_byte(lo - 1, lo)
            else:
                take_left = ob[lo] - ob[lo - 1] >= ob[hi + 1] - ob[hi]
        else:
            take_left = left_ok
        if take_left:
            lo -= 1
        else:
            hi += 1
    widths = _share([own[m + 1] - own[m] for m in range(lo, hi)],
                    target[hi] - target[lo])  # type: ignore[operator]
    out = list(target)
    for m, w in zip(range(lo, hi), widths):
        out[m + 1] = out[m] + w                         # type: ignore[operator]
    return out                                          # type: ignore[return-value]


def _step_from_sizes(lines: list[str]) -> float | None:
    """Columns per bit from cells whose text gives their width (RFC 7540: ``| Type (8) |``,
    ``|R|  Stream Identifier (31)  |``, no ruler, borders of no regular spacing): the cells
    must agree on a whole number of columns per bit."""
    ratios: list[float] = []
    for line in lines:
        walls = [i for i, ch in enumerate(line) if ch == "|"]
        for a, b in zip(walls, walls[1:]):
            bits = read_cell_text(line[a + 1:b]).bits if "(" in line[a + 1:b] else None
            if bits:
                ratios.append((b - a) / bits)
    if len(ratios) < 2:
        return None
    step = sum(ratios) / len(ratios)
    if max(ratios) - min(ratios) > 0.1 * step or abs(step - round(step)) > 0.1 or not 1 <= round(step) <= 8:
        return None
    return float(round(step))


def _one_cell_absorbs(own: list[float], width: int) -> list[int] | None:
    """Bits of the walls of a row a bit or three off the ruler under a ``+-+-+`` border (which
    marks every bit, so it cannot say which cell is off): one cell takes the whole error, the
    one that leaves most cells whole bytes on byte boundaries (``|  Source Port  (2 wide) |``
    -> 16/16), then most walls on half-byte boundaries, then the widest."""
    ob = [round(o) for o in own]
    d = ob[-1] - width
    if d == 0 or abs(d) > 3 or ob[0] != 0:
        return None
    best: tuple[tuple[int, int, int], list[int]] | None = None
    for m in range(len(ob) - 1):
        cand = ob[: m + 1] + [b - d for b in ob[m + 1:]]
        if any(b <= a for a, b in zip(cand, cand[1:])):
            continue
        whole = sum(1 for a, b in zip(cand, cand[1:]) if a % 8 == 0 and b % 8 == 0)
        nibble = sum(1 for b in cand[1:-1] if b % 4 == 0)
        score = (whole, nibble, ob[m + 1] - ob[m])
        if best is None or score > best[0]:
            best = (score, cand)
    return best[1] if best else None


def _implied_walls(text: str, walls: list[int], above: str, below: str) -> list[int]:
    """Walls a one-line row leaves out where the borders above and below both have a corner
    (RFC 8547: ``+---+---+---+----------+`` over ``| 1   0   0     nnnnn   |``): a split the
    drawing makes, when the row has text on both sides and a space at the corner. Borders
    with a corner at every bit say nothing (they mark bits, not cells)."""
    if len(walls) < 2 or not (is_border(above) and is_border(below)):
        return walls
    a, b = walls[0], walls[-1]
    if len(above) <= b or len(below) <= b or " " in above[a:b + 1] + below[a:b + 1]:
        return walls
    marks = [[i for i in range(a, b + 1) if line[i] == "+"] for line in (above, below)]
    gaps = {y - x for x, y in zip(marks[0], marks[0][1:])}
    if marks[0] != marks[1] or len(gaps) < 2:
        return walls              # borders that differ, or mark every bit alike
    corners = marks[0][1:-1]
    out = set(walls)
    for c in corners:
        if c in out or c >= len(text) or text[c] != " ":
            continue
        before = max(w for w in out if w < c)
        after = min(w for w in out if w > c)
        if text[before + 1:c].strip() and text[c + 1:after].strip():
            out.add(c)
    return sorted(out)


def _octet_unit(borders: list[tuple[int, str]], left: int, lines: list[str],
                elisions: dict[int, list[tuple[int, int]]]) -> int | None:
    """Columns per octet of a drawing without a ruler whose borders mark octets, not bits
    (RFC 2385 ``+---------+---------+-------------------+``, RFC 8907's 17-column octets): the
    narrowest cell, when every cell of every border is a whole number of it (a table's columns
    are not), a border segment holding ``...`` (an elided run of octets) excepted."""
    gaps: list[tuple[int, bool]] = []          # (columns, elided)
    spans: list[tuple[int, int, int]] = []     # (first corner, last corner, corners)
    for k, line in borders:
        m = _FULL_BORDER.match(line)
        if m is None:
            continue
        corners = [i for i in range(m.start(), m.end()) if line[i] == "+"]
        spans.append((corners[0], corners[-1], len(corners)))
        gaps += [(b - a, any(a < e and s < b for s, e in elisions.get(k, ())))
                 for a, b in zip(corners, corners[1:])]
    plain = [g for g, elided in gaps if not elided]
    # a packet is one rectangle of adjacent cells: two borders run its full width, one of them
    # with three corners or more (a state diagram's boxes stand alone, with text between them)
    end = max((b for _, b, _ in spans), default=0)
    full = [n for a, b, n in spans if a <= left + 1 and b >= end - 1]
    if not plain or len(full) < 2 or max(full) < 3:
        return None
    unit = min(plain)
    if not 5 <= unit <= 20:
        return None
    slack = 1 if unit < 10 else 2
    if any(min(g % unit, unit - g % unit) > slack for g in plain):
        return None
    # rows of 4 or 8 octets drawn in three borders or more (RFC 2385, RFC 8907), or one row of
    # single octets under octet numbers (RFC 8547's ENO); a layout of parts ("| n bits | 128-n bits |") is neither
    octets = round((end - min(a for a, _, _ in spans)) / unit)
    numbered = any(re.match(r"\s*0(?:\s+\d+){2,}", line) for line in lines)   # "0  1  2  3 ..."
    if not ((octets in (4, 8) and len(full) >= 3)
            or (numbered and all(abs(g - unit) <= slack for g in plain))):
        return None
    return unit


def read_drawing(lines: list[str]) -> Drawing | None:
    """The cells and rows of the box diagram in ``lines`` (ruler lines included or not)."""
    framed = frame(lines)
    lines = list(framed.lines)
    margin_optional = {k: bool(re.fullmatch(r"\(?opt(?:ional)?\.?\)?", text, re.I))
                       for k, text in framed.labels}
    elisions: dict[int, list[tuple[int, int]]] = {}
    for k, a, b in framed.elided:
        elisions.setdefault(k, []).append((a, b))
    ruler = find_ruler(lines)
    body_start = next((k for k, ln in enumerate(lines) if is_border(ln) or ln.strip().startswith("|")
                       or (ln.strip()[:1] in (":", "~") and len(ln.strip()) > 4)), None)
    if body_start is None:
        return None
    body = [ln.rstrip() for ln in lines]
    border_lines = [k for k in range(body_start, len(body)) if is_border(body[k])]
    if not border_lines:
        return None
    plus_cols = [i for k in border_lines for i, ch in enumerate(body[k])
                 if ch == "+" and _is_border_plus(body[k], i)]
    left, right = min(plus_cols), max(plus_cols)
    if framed.left is not None and framed.right is not None and framed.right > framed.left:
        left, right = framed.left, framed.right     # the box's edges, not a margin arrow's

    step: float | None = None
    width: int | None = None
    grid = "ruler" if ruler is not None else "bits"
    if ruler is not None:
        width = ruler.bits
        step = ruler.step or (right - left) / width
    else:
        longest = max((body[k] for k in border_lines), key=lambda t: t.count("+"))
        plus = [i for i, ch in enumerate(longest) if ch == "+" and _is_border_plus(longest, i)]
        gaps = {b - a for a, b in zip(plus, plus[1:])}
        if len(plus) >= 3 and len(gaps) == 1 and (gap := gaps.pop()) <= 6:
            step = float(gap)
            width = round((right - left) / step)
        elif (step := _step_from_sizes(body[body_start:])) is not None:
            width = round((right - left) / step)
        elif (unit := _octet_unit([(k, body[k]) for k in border_lines], left, body, elisions)) is not None:
            # "+---------+---------+-------------------+": octet cells, 8 bits per unit
            step = unit / 8
            width = round((right - left) / unit) * 8
            grid = "octets"

    # borders that run on without a closing corner ("+-+-+- - - -"): the box is open right
    open_border = all(not body[k].rstrip().endswith("+") for k in border_lines)
    # interior runs of every line: (line, col_start, col_end_exclusive, left wall, right wall|None)
    runs: list[tuple[int, int, int, int, int | None]] = []
    line_variable: dict[int, bool] = {}
    line_open: dict[int, bool] = {}
    repeats_after: set[int] = set()
    notes: dict[int, str] = {}
    line_walls: dict[int, list[int]] = {}
    for k in range(body_start, len(body)):
        text = body[k]
        if not text.strip() or text.strip() == "..." or _DIGITS.match(text):
            continue
        dots = bool(_TRAILING_DOTS.search(text)) and not is_border(text) and text.strip()[0] in "|+" + _EDGE_MARKS
        if dots:
            text = _TRAILING_DOTS.sub("", text).rstrip()
            if text.endswith("|"):
                # "|   Address ID  | ...": the last cell repeats, the row itself is closed
                dots = False
                repeats_after.add(k)
        if (not dots and not is_border(text) and text.strip()[0] in "|" + _EDGE_MARKS
                and text[-1] not in "|+" + _EDGE_MARKS and open_border):
            # "|  Option Type  | Option Length | Option Data": a last cell with no wall, in a
            # box whose borders run on open ("+-+- - - -", RFC 6550): open to the right
            wall = max(text.rfind("|"), max(text.rfind(c) for c in _EDGE_MARKS if c != "."))
            if 0 <= wall < len(text) - 2 and len(text) <= right + 2 and re.search(r"[A-Za-z]", text[wall:]):
                dots = True
        first = len(text) - len(text.lstrip())
        last = len(text) - 1
        if is_border(text):
            tail = re.search(r"[-=+]\s{2,}(\S.*)$", text)
            if tail and re.search(r"[A-Za-z]", tail.group(1)):
                notes[k] = tail.group(1).strip()        # "+-----+     repeats"
        overlong = (text[last] == "|" and not is_border(text) and step is not None
                    and last - right <= 3 * step and right < len(text)
                    and text[right] not in "|+" + _EDGE_MARKS)
        if last > right and not overlong:
            # a note written right of the box ("<-- optional"): cut at the last wall inside it
            # (a row ending in a wall a bit or three past the border is drawn too wide instead)
            cut = max((i for i in range(min(len(text), right + 1)) if text[i] in "|+" + _EDGE_MARKS), default=None)
            if cut is None:
                continue
            notes.setdefault(k, text[cut + 1:].strip())
            text = text[: cut + 1]
            last = cut
        body[k] = text
        walls = sorted(_walls(text, left, right, first, last, body[k - 1] if k else "",
                              body[k + 1] if k + 1 < len(body) else ""))
        walls = _implied_walls(text, walls, body[k - 1] if k else "",
                               body[k + 1] if k + 1 < len(body) else "")
        if not walls:
            continue
        # "~" at an edge, or dots/colons at both (".  Options  .", ":  Data  :"), mark a row
        # of no fixed length; a "." or ":" at one edge only is a field running on into the
        # next row (RFC 4340's Sequence Number "| ... (high bits) ." over ". (low bits) |")
        marks = [text[c] for c in (first, last) if text[c] in _EDGE_MARKS and c in walls]
        line_variable[k] = "~" in marks or len(marks) == 2
        line_open[k] = dots
        line_walls[k] = walls
        wall_set = set(walls)
        i = walls[0] + 1
        end = len(text) if dots else walls[-1]
        if dots:
            end = max(end, int(left + (width * step if width and step else 0)))
        while i < end:
            if i in wall_set:
                i += 1
                continue
            j = i
            while j < end and j not in wall_set:
                j += 1
            lw = i - 1
            rw = j if j in wall_set else None
            runs.append((k, i, j, lw, rw))
            i = j
        if not runs or runs[-1][0] != k:
            line_open.pop(k, None)

    # join runs that touch vertically into regions (union-find over runs)
    parent = list(range(len(runs)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_line: dict[int, list[int]] = {}
    for idx, r in enumerate(runs):
        by_line.setdefault(r[0], []).append(idx)
    for idx, (k, a, b, _, _) in enumerate(runs):
        for jdx in by_line.get(k + 1, ()):
            _, c, d, _, _ = runs[jdx]
            if a < d and c < b:
                ra, rb = find(idx), find(jdx)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)

    def to_bit(col: float, scale: float) -> int | None:
        if step is None:
            return None
        return int(((col - left) / step) * scale + 0.5)

    # rows of bits: a row is a maximal run of lines between separators (borders, "+  +" edges)
    separators = {k for k in range(body_start, len(body))
                  if body[k].strip().startswith("+") or re.search(r"\+[-=]+\+", body[k])
                  or re.fullmatch(r"\s*-{2,}(?: -{2,})+\s*", body[k])}
    row_of: dict[int, int] = {}
    row_lines: list[list[int]] = []
    for k in range(body_start, len(body)):
        if k in separators:
            row_lines.append([])
            continue
        if k not in line_variable:      # no walls: a "..." line or a blank line
            continue
        if not row_lines:
            row_lines.append([])
        row_lines[-1].append(k)
    row_lines = [r for r in row_lines if r]
    row_of = {k: i for i, r in enumerate(row_lines) for k in r}

    # the rightmost wall of each line's runs (one pass: per-line scans of all runs are quadratic)
    right_wall: dict[int, int] = {}
    for r in runs:
        if r[4] is not None and r[4] > right_wall.get(r[0], -1):
            right_wall[r[0]] = r[4]

    def scale_of(k: int) -> float:
        """Stretch a line drawn a column or two short/long of the ruler onto it."""
        if step is None or width is None or line_open.get(k):
            return 1.0
        if k not in right_wall:
            return 1.0
        edge = (right_wall[k] - left) / step
        if edge and edge != width and abs(edge - width) <= 1.0:
            return width / edge
        if width % 8 == 0 and width - 8 < edge < width and round(edge) % 8:
            # a row that ends inside the last byte ("| [First Timestamp (32)] |" drawn 28
            # bits wide): rows end on byte boundaries, so it was meant to reach the ruler's end
            return width / edge
        return 1.0

    scales = {k: scale_of(k) for k in by_line}

    # a row drawn wider or narrower than the borders around it (a typo in one cell): the walls
    # that agree with the borders keep their bits, the stretch between absorbs the error
    wall_bits: dict[int, dict[int, int]] = {}
    if step is not None and width is not None:
        seps = sorted(separators)
        border_bits: dict[int, set[int]] = {}
        for k, walls in line_walls.items():
            if k in separators or line_open.get(k) or line_variable.get(k) or len(walls) < 3:
                continue
            at = bisect.bisect_left(seps, k)
            near = [seps[at - 1] if at else None, seps[at] if at < len(seps) else None]
            border: set[int] = set()
            dense = False
            for s in near:
                if s is None or not is_border(body[s]):
                    continue
                if s not in border_bits:
                    border_bits[s] = {round((i - left) / step) for i, ch in enumerate(body[s])
                                      if ch == "+" and _is_border_plus(body[s], i)}
                bits_s = border_bits[s]
                if max(bits_s) == width and len(bits_s) <= width // 2:
                    border |= bits_s
                dense |= max(bits_s) == width and len(bits_s) > width // 2
            own = [(w - left) / step for w in walls]
            fixed = (_realign(own, border, width) if border
                     else _one_cell_absorbs(own, width) if dense else None)
            if fixed:
                wall_bits[k] = dict(zip(walls, fixed))

    # bits where walls stand squarely in some row: a wall drawn a column off (half a bit, a
    # 9/7 split) is snapped to the side its neighbours agree with
    square: set[int] = set()
    square_lines: dict[int, set[int]] = {}        # bit -> the lines with a wall there
    if step is not None and step >= 2:
        for k, walls in line_walls.items():
            if k in separators:
                continue              # a border's corners mark bits, not where cells end
            for w in walls:
                pos = (w - left) / step
                if abs(pos - round(pos)) < 0.2:
                    square.add(round(pos))
                    square_lines.setdefault(round(pos), set()).add(k)
    snapped: list[str] = []

    def one_bit_off(k: int, bit: int) -> int:
        """A wall a whole bit off a byte boundary where other rows have their wall (RFC 3711's
        ``|   PT=SR or RR   |`` drawn a bit wide): read at the boundary, and say so."""
        if width is None or bit % 8 == 0 or not 0 < bit < width or square_lines.get(bit, set()) - {k}:
            return bit
        near = [b for b in (bit - 1, bit + 1)
                if 0 < b < width and b % 8 == 0 and square_lines.get(b, set()) - {k}]
        own = {round((w - left) / step) for w in line_walls.get(k, ())}   # type: ignore[operator]
        if len(near) == 1 and k not in separators and near[0] not in own:
            snapped.append(f"a wall drawn at bit {bit} read at bit {near[0]}, where the other rows have theirs")
            return near[0]
        return bit

    def bit_at(k: int, col: int) -> int | None:
        if col in wall_bits.get(k, {}):
            return wall_bits[k][col]
        if step is not None and step >= 2 and scales.get(k, 1.0) == 1.0:
            pos = (col - left) / step
            low = int(pos)
            if 0.3 < pos - low < 0.7:
                options = [low, low + 1]
                for good in (lambda b: b in square, lambda b: b % 8 == 0, lambda b: b % 4 == 0):
                    chosen = [b for b in options if good(b)]
                    if len(chosen) == 1:
                        return chosen[0]
        bit = to_bit(col, scales.get(k, 1.0))
        return one_bit_off(k, bit) if bit is not None and step is not None and step >= 2 else bit
    groups: dict[int, list[int]] = {}
    for idx in range(len(runs)):
        groups.setdefault(find(idx), []).append(idx)

    # text lines per row of bits: where every row of several cells takes two lines (RFC 8907's
    # "major / version"), a lone cell over two lines is one row, not two
    lines_per_row = min((len(r) for r in row_lines
                         if len({find(i) for k in r for i in by_line.get(k, ())}) >= 2), default=1)
    cells: list[Cell] = []
    cell_of_root: dict[int, int] = {}
    ordered = sorted(groups.items(), key=lambda g: (runs[g[1][0]][0], runs[g[1][0]][1]))
    for root, members in ordered:
        members.sort(key=lambda m: (runs[m][0], runs[m][1]))
        parts = []
        for m in members:
            k, a, b, _, _ = runs[m]
            t = " ".join(body[k][a:b].split())
            if t:
                parts.append(t)
        if parts and len(parts) > 1 and all(len(p) == 1 for p in parts):
            text = "".join(parts)            # a label written vertically (RFC 3168 "U/R/G")
        else:
            text = " ".join(parts)
        variable = any(line_variable.get(runs[m][0]) or (line_open.get(runs[m][0]) and runs[m][4] is None)
                       for m in members)
        # "+--...--+" over or under it: a cell of elided width (RFC 8547's Opt_2..Opt_i-1)
        elided = any(a < runs[m][2] and runs[m][1] < b for m in members
                     for k2 in (runs[m][0] - 1, runs[m][0] + 1) for a, b in elisions.get(k2, ()))
        variable = variable or elided
        open_right = any(line_open.get(runs[m][0]) and runs[m][4] is None for m in members)
        # width per row: the union of the spans of its runs on the lines of that row
        spans: dict[int, tuple[int, int]] = {}
        for m in members:
            k, _, _, lw, rw = runs[m]
            if k not in row_of:
                continue
            r = row_of[k]
            s = bit_at(k, lw)
            e = bit_at(k, rw) if rw is not None else width
            if s is None or e is None:
                continue
            a0, b0 = spans.get(r, (s, e))
            spans[r] = (min(a0, s), max(b0, e))
        bits: int | None = None
        start: int | None = None
        row_count = 0
        if step is not None and spans:
            start = spans[min(spans)][0]
            total = 0
            for r, (s, e) in spans.items():
                # a row of several text lines holding one full-width cell and nothing else is
                # that many rows of bits (RFC 6824's 160-bit HMAC in five lines); lines of
                # narrower cells are text wrapped inside one row (RFC 3168's U/R/G)
                lines_in_row = row_lines[r]
                alone = all(len(by_line.get(k, ())) == 1 for k in lines_in_row)
                full = s == 0 and e == width
                height = max(1, len(lines_in_row) // lines_per_row) if alone and full and not variable else 1
                total += (e - s) * height
                row_count += height
            bits = None if variable else total
        elif step is not None:
            # only on separator lines ("+-+-+  Name  +"): a continuation of nothing above
            first_run = runs[members[0]]
            start = to_bit(first_run[3], 1.0)
        repeated = any(runs[m][0] in repeats_after and runs[m][4] is not None
                       and runs[m][4] == right_wall.get(runs[m][0])
                       for m in members)
        own_lines = sorted({runs[m][0] for m in members})
        note = " ".join(notes[k] for k in own_lines + [own_lines[-1] + 1] if k in notes and (
            k in own_lines or is_border(body[k])))
        optional = any(margin_optional.get(k) for k in own_lines)
        cell_of_root[root] = len(cells)
        cells.append(Cell(text, runs[members[0]][0], start, bits, variable,
                          row_count or len(spans), open_right, tuple(parts), repeated, note,
                          elided, optional))

    rows: list[Row] = []
    if step is not None:
        for r, ks in enumerate(row_lines):
            seen: dict[int, tuple[int, int]] = {}
            right_bits: int | None = None
            openr = False
            for k in ks:
                for idx in by_line.get(k, ()):
                    _, _, _, lw, rw = runs[idx]
                    ci = cell_of_root[find(idx)]
                    s = bit_at(k, lw)
                    e = bit_at(k, rw) if rw is not None else None
                    if e is None:
                        openr = True
                        e = width if width is not None else s
                    a0, b0 = seen.get(ci, (s, e))
                    seen[ci] = (min(a0, s), max(b0, e))
                    if rw is not None:
                        right_bits = max(right_bits or 0, e)
            spans = tuple(sorted(((ci, Span(a, b)) for ci, (a, b) in seen.items()),
                                 key=lambda x: x[1].start))
            rows.append(Row(ks[0], spans, None if openr else right_bits,
                            any(line_variable.get(k) or line_open.get(k) for k in ks)))
    return Drawing(tuple(cells), tuple(rows), ruler, width, step, grid if step is not None else "",
                   tuple(dict.fromkeys(snapped)))
