"""A box drawing read stage by stage: frame -> grid -> wall runs -> regions -> rows -> repairs -> cells.

1. :func:`.boxgrid.frame` strips what is not box (margin labels, brackets, octet headers) and
   finds the box's edges and the elided runs drawn into its borders.
2. :func:`_grid` finds columns per bit: the ruler, else a ``+-+-+`` border's spacing, else the
   sizes written in cells, else octet-wide cells (:mod:`.gridrules`).
3. :func:`_scan_lines` cuts every line into interior runs between walls, noting open ends,
   repeated cells, notes right of the box and rows of no fixed length.
4. :func:`_join_regions` joins runs that touch vertically into regions: one region, one cell.
5. :func:`_rows_of` groups lines into rows of bits between separators.
6. :func:`_repairs` stretches rows drawn a column off and realigns rows that miss the borders;
   :class:`_Snap` puts walls drawn half a bit or a bit off where the other rows agree.
7. :func:`_cells` and :func:`_rows` measure every cell and row in bits.

Every stage is linear in the drawing (issue 20): no stage rescans all runs per line or per cell.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from draftscope.analyses.definitions.boxgrid import frame
from draftscope.analyses.definitions.geometry import (
    _DIGITS, _EDGE_MARKS, _TRAILING_DOTS, Cell, Drawing, Row, Ruler, Span, _is_border_plus, _walls,
    find_ruler, is_border)
from draftscope.analyses.definitions.gridrules import (
    implied_walls, octet_unit, one_cell_absorbs, realign, step_from_sizes)

_INNER_BORDER = re.compile(r"\+[-=]+\+")
_DASHED_TOP = re.compile(r"\s*-{2,}(?: -{2,})+\s*")
_BORDER_TAIL = re.compile(r"[-=+]\s{2,}(\S.*)$")
_LETTER = re.compile(r"[A-Za-z]")
_OPTIONAL_LABEL = re.compile(r"\(?opt(?:ional)?\.?\)?", re.I)
Run = tuple[int, int, int, int, "int | None"]   # (line, first col, end col, left wall, right wall)


@dataclass
class _Scan:
    """What the stages learn about one drawing, passed from stage to stage."""

    body: list[str]
    body_start: int
    border_lines: list[int]
    left: int
    right: int
    ruler: Ruler | None
    labels: dict[int, str]
    elisions: dict[int, list[tuple[int, int]]]
    step: float | None = None
    width: int | None = None
    grid: str = ""
    runs: list[Run] = field(default_factory=list)
    line_variable: dict[int, bool] = field(default_factory=dict)
    line_open: dict[int, bool] = field(default_factory=dict)
    repeats_after: set[int] = field(default_factory=set)
    notes: dict[int, str] = field(default_factory=dict)
    line_walls: dict[int, list[int]] = field(default_factory=dict)
    parent: list[int] = field(default_factory=list)
    by_line: dict[int, list[int]] = field(default_factory=dict)
    separators: set[int] = field(default_factory=set)
    row_lines: list[list[int]] = field(default_factory=list)
    row_of: dict[int, int] = field(default_factory=dict)
    right_wall: dict[int, int] = field(default_factory=dict)
    scales: dict[int, float] = field(default_factory=dict)
    wall_bits: dict[int, dict[int, int]] = field(default_factory=dict)

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def to_bit(self, col: float, scale: float = 1.0) -> int | None:
        if self.step is None:
            return None
        return int(((col - self.left) / self.step) * scale + 0.5)


def read_drawing(lines: list[str]) -> Drawing | None:
    """The cells and rows of the box diagram in ``lines`` (ruler lines included or not)."""
    st = _grid(lines)
    if st is None:
        return None
    _scan_lines(st)
    _join_regions(st)
    _rows_of(st)
    _repairs(st)
    snap = _Snap(st)
    cells, cell_of_root = _cells(st, snap)
    rows = _rows(st, snap, cell_of_root)
    return Drawing(tuple(cells), tuple(rows), st.ruler, st.width, st.step,
                   st.grid if st.step is not None else "", tuple(dict.fromkeys(snap.snapped)))


def _grid(lines: list[str]) -> _Scan | None:
    """Frame, box edges and columns per bit."""
    framed = frame(lines)
    lines = list(framed.lines)
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
    st = _Scan(body, body_start, border_lines, left, right, ruler, dict(framed.labels), elisions,
               grid="ruler" if ruler is not None else "bits")
    if ruler is not None:
        st.width = ruler.bits
        st.step = ruler.step or (right - left) / ruler.bits
        return st
    longest = max((body[k] for k in border_lines), key=lambda t: t.count("+"))
    plus = [i for i, ch in enumerate(longest) if ch == "+" and _is_border_plus(longest, i)]
    gaps = {b - a for a, b in zip(plus, plus[1:])}
    if len(plus) >= 3 and len(gaps) == 1 and (gap := gaps.pop()) <= 6:
        st.step = float(gap)
        st.width = round((right - left) / st.step)
    elif (step := step_from_sizes(body[body_start:])) is not None:
        st.step, st.width = step, round((right - left) / step)
    elif (unit := octet_unit([(k, body[k]) for k in border_lines], left, body, elisions)) is not None:
        # "+---------+---------+-------------------+": octet cells, 8 bits per unit
        st.step, st.width, st.grid = unit / 8, round((right - left) / unit) * 8, "octets"
    return st


def _open_end(st: _Scan, text: str, open_border: bool, border: bool) -> tuple[str, bool, bool]:
    """(text, open to the right, a repeated last cell) of a row ending in ``...`` or in a
    last cell with no wall in a box whose borders run on open (RFC 6550)."""
    dots = not border and text.strip()[0] in "|+" + _EDGE_MARKS and bool(_TRAILING_DOTS.search(text))
    if dots:
        text = _TRAILING_DOTS.sub("", text).rstrip()
        if text.endswith("|"):
            return text, False, True    # "|   Address ID  | ...": the last cell repeats
    if (not dots and not border and text.strip()[0] in "|" + _EDGE_MARKS
            and text[-1] not in "|+" + _EDGE_MARKS and open_border):
        # "|  Option Type  | Option Length | Option Data": open to the right
        wall = max(text.rfind("|"), max(text.rfind(c) for c in _EDGE_MARKS if c != "."))
        if 0 <= wall < len(text) - 2 and len(text) <= st.right + 2 and re.search(r"[A-Za-z]", text[wall:]):
            dots = True
    return text, dots, False


def _scan_lines(st: _Scan) -> None:
    """Every line's walls and the interior runs between them."""
    body, left, right, step, width = st.body, st.left, st.right, st.step, st.width
    # borders that run on without a closing corner ("+-+-+- - - -"): the box is open right
    open_border = all(not body[k].rstrip().endswith("+") for k in st.border_lines)
    for k in range(st.body_start, len(body)):
        text = body[k]
        if not text.strip() or text.strip() == "..." or _DIGITS.match(text):
            continue
        border = is_border(text)
        text, dots, repeats = _open_end(st, text, open_border, border)
        if repeats:
            st.repeats_after.add(k)
        first = len(text) - len(text.lstrip())
        last = len(text) - 1
        if border:
            tail = _BORDER_TAIL.search(text)
            if tail and _LETTER.search(tail.group(1)):
                st.notes[k] = tail.group(1).strip()        # "+-----+     repeats"
        overlong = (text[last] == "|" and not border and step is not None
                    and last - right <= 3 * step and right < len(text)
                    and text[right] not in "|+" + _EDGE_MARKS)
        if last > right and not overlong:
            # a note written right of the box ("<-- optional"): cut at the last wall inside it
            # (a row ending in a wall a bit or three past the border is drawn too wide instead)
            cut = max((i for i in range(min(len(text), right + 1)) if text[i] in "|+" + _EDGE_MARKS), default=None)
            if cut is None:
                continue
            st.notes.setdefault(k, text[cut + 1:].strip())
            text = text[: cut + 1]
            last = cut
        body[k] = text
        above, below = body[k - 1] if k else "", body[k + 1] if k + 1 < len(body) else ""
        walls = implied_walls(text, sorted(_walls(text, left, right, first, last, above, below)),
                              above, below)
        if not walls:
            continue
        # "~" at an edge, or dots/colons at both (".  Options  .", ":  Data  :"), mark a row
        # of no fixed length; a "." or ":" at one edge only is a field running on into the
        # next row (RFC 4340's Sequence Number "| ... (high bits) ." over ". (low bits) |")
        marks = [text[c] for c in (first, last) if text[c] in _EDGE_MARKS and c in walls]
        st.line_variable[k] = "~" in marks or len(marks) == 2
        st.line_open[k] = dots
        st.line_walls[k] = walls
        before = len(st.runs)
        end = max(len(text), int(left + (width * step if width and step else 0))) if dots else walls[-1]
        _runs_between(st, k, walls, end)
        if len(st.runs) == before:
            st.line_open.pop(k, None)


def _runs_between(st: _Scan, k: int, walls: list[int], end: int) -> None:
    wall_set = set(walls)
    i = walls[0] + 1
    while i < end:
        if i in wall_set:
            i += 1
            continue
        j = i
        while j < end and j not in wall_set:
            j += 1
        st.runs.append((k, i, j, i - 1, j if j in wall_set else None))
        i = j


def _join_regions(st: _Scan) -> None:
    """Runs that touch vertically are one region (union-find over runs)."""
    st.parent = list(range(len(st.runs)))
    for idx, r in enumerate(st.runs):
        st.by_line.setdefault(r[0], []).append(idx)
    for idx, (k, a, b, _, _) in enumerate(st.runs):
        for jdx in st.by_line.get(k + 1, ()):
            _, c, d, _, _ = st.runs[jdx]
            if a < d and c < b:
                ra, rb = st.find(idx), st.find(jdx)
                if ra != rb:
                    st.parent[max(ra, rb)] = min(ra, rb)


def _rows_of(st: _Scan) -> None:
    """Rows of bits: maximal runs of lines between separators (borders, "+  +" edges)."""
    body = st.body
    st.separators = {k for k in range(st.body_start, len(body))
                     if body[k].strip().startswith("+") or _INNER_BORDER.search(body[k])
                     or (body[k].lstrip().startswith("-") and _DASHED_TOP.fullmatch(body[k]))}
    row_lines: list[list[int]] = []
    for k in range(st.body_start, len(body)):
        if k in st.separators:
            row_lines.append([])
            continue
        if k not in st.line_variable:      # no walls: a "..." line or a blank line
            continue
        if not row_lines:
            row_lines.append([])
        row_lines[-1].append(k)
    st.row_lines = [r for r in row_lines if r]
    st.row_of = {k: i for i, r in enumerate(st.row_lines) for k in r}
    # the rightmost wall of each line's runs (one pass: per-line scans of all runs are quadratic)
    for r in st.runs:
        if r[4] is not None and r[4] > st.right_wall.get(r[0], -1):
            st.right_wall[r[0]] = r[4]


def _scale_of(st: _Scan, k: int) -> float:
    """Stretch a line drawn a column or two short/long of the ruler onto it."""
    step, width = st.step, st.width
    if step is None or width is None or st.line_open.get(k) or k not in st.right_wall:
        return 1.0
    edge = (st.right_wall[k] - st.left) / step
    if edge and edge != width and abs(edge - width) <= 1.0:
        return width / edge
    if width % 8 == 0 and width - 8 < edge < width and round(edge) % 8:
        # a row that ends inside the last byte ("| [First Timestamp (32)] |" drawn 28
        # bits wide): rows end on byte boundaries, so it was meant to reach the ruler's end
        return width / edge
    return 1.0


def _repairs(st: _Scan) -> None:
    """Rows drawn a column off the ruler are stretched; a row drawn wider or narrower than the
    borders around it (a typo in one cell) keeps the walls that agree with the borders, the
    stretch between absorbs the error."""
    st.scales = {k: _scale_of(st, k) for k in st.by_line}
    step, width, left, body = st.step, st.width, st.left, st.body
    if step is None or width is None:
        return
    seps = sorted(st.separators)
    border_bits: dict[int, set[int]] = {}
    for k, walls in st.line_walls.items():
        if k in st.separators or st.line_open.get(k) or st.line_variable.get(k) or len(walls) < 3:
            continue
        at = bisect.bisect_left(seps, k)
        border: set[int] = set()
        dense = False
        for s in (seps[at - 1] if at else None, seps[at] if at < len(seps) else None):
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
        fixed = (realign(own, border, width) if border
                 else one_cell_absorbs(own, width) if dense else None)
        if fixed:
            st.wall_bits[k] = dict(zip(walls, fixed))


class _Snap:
    """Columns -> bits, with walls drawn off the grid put where the other rows agree: half a bit
    off (a 9/7 split) to the side where other rows have a wall, else a byte, else a nibble
    boundary; a whole bit off a byte boundary where other rows have theirs (RFC 3711's
    ``|   PT=SR or RR   |``), with a warning."""

    def __init__(self, st: _Scan) -> None:
        self.st = st
        self.square_lines: dict[int, set[int]] = {}     # bit -> rows with a wall squarely there
        self.snapped: list[str] = []
        self._memo: dict[tuple[int, int], int | None] = {}
        if st.step is not None and st.step >= 2:
            for k, walls in st.line_walls.items():
                if k in st.separators:
                    continue              # a border's corners mark bits, not where cells end
                for w in walls:
                    pos = (w - st.left) / st.step
                    if abs(pos - round(pos)) < 0.2:
                        self.square_lines.setdefault(round(pos), set()).add(k)

    def _elsewhere(self, bit: int, k: int) -> bool:
        """Whether a row other than ``k`` has a wall squarely at ``bit`` (without copying the set:
        a copy per wall would make the reader quadratic)."""
        lines = self.square_lines.get(bit, ())
        return len(lines) > 1 or (len(lines) == 1 and k not in lines)

    def _one_bit_off(self, k: int, bit: int) -> int:
        st, width = self.st, self.st.width
        if width is None or bit % 8 == 0 or not 0 < bit < width or self._elsewhere(bit, k):
            return bit
        near = [b for b in (bit - 1, bit + 1) if 0 < b < width and b % 8 == 0 and self._elsewhere(b, k)]
        own = {round((w - st.left) / st.step) for w in st.line_walls.get(k, ())}   # type: ignore[operator]
        if len(near) == 1 and k not in st.separators and near[0] not in own:
            self.snapped.append(f"a wall drawn at bit {bit} read at bit {near[0]}, where the other rows have theirs")
            return near[0]
        return bit

    def bit_at(self, k: int, col: int) -> int | None:
        key = (k, col)
        if key not in self._memo:             # cells and rows ask for the same walls
            self._memo[key] = self._bit_at(k, col)
        return self._memo[key]

    def _bit_at(self, k: int, col: int) -> int | None:
        st = self.st
        if col in st.wall_bits.get(k, {}):
            return st.wall_bits[k][col]
        scale = st.scales.get(k, 1.0)
        if st.step is None or st.step < 2:
            return st.to_bit(col, scale)
        if scale == 1.0:
            pos = (col - st.left) / st.step
            low = int(pos)
            if 0.3 < pos - low < 0.7:
                options = [low, low + 1]
                for good in (lambda b: b in self.square_lines, lambda b: b % 8 == 0, lambda b: b % 4 == 0):
                    chosen = [b for b in options if good(b)]
                    if len(chosen) == 1:
                        return chosen[0]
        bit = st.to_bit(col, scale)
        return self._one_bit_off(k, bit) if bit is not None else bit


def _cell_text(st: _Scan, members: list[int]) -> tuple[str, list[str]]:
    parts = []
    for m in members:
        k, a, b, _, _ = st.runs[m]
        t = " ".join(st.body[k][a:b].split())
        if t:
            parts.append(t)
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        return "".join(parts), parts       # a label written vertically (RFC 3168 "U/R/G")
    return " ".join(parts), parts


def _cells(st: _Scan, snap: _Snap) -> tuple[list[Cell], dict[int, int]]:
    """Every region as a cell: its text, start bit, width (rows of bits it spans added up)."""
    runs, width = st.runs, st.width
    groups: dict[int, list[int]] = {}
    for idx in range(len(runs)):
        groups.setdefault(st.find(idx), []).append(idx)
    # text lines per row of bits: where every row of several cells takes two lines (RFC 8907's
    # "major / version"), a lone cell over two lines is one row, not two
    lines_per_row = min((len(r) for r in st.row_lines
                         if len({st.find(i) for k in r for i in st.by_line.get(k, ())}) >= 2), default=1)
    margin_optional = {k for k, text in st.labels.items() if _OPTIONAL_LABEL.fullmatch(text)}
    cells: list[Cell] = []
    cell_of_root: dict[int, int] = {}
    for root, members in sorted(groups.items(), key=lambda g: (runs[g[1][0]][0], runs[g[1][0]][1])):
        members.sort(key=lambda m: (runs[m][0], runs[m][1]))
        text, parts = _cell_text(st, members)
        # "+--...--+" over or under it: a cell of elided width (RFC 8547's Opt_2..Opt_i-1)
        elided = any(a < runs[m][2] and runs[m][1] < b for m in members
                     for k2 in (runs[m][0] - 1, runs[m][0] + 1) for a, b in st.elisions.get(k2, ()))
        open_right = any(st.line_open.get(runs[m][0]) and runs[m][4] is None for m in members)
        variable = elided or open_right or any(st.line_variable.get(runs[m][0]) for m in members)
        # width per row: the union of the spans of its runs on the lines of that row
        spans: dict[int, tuple[int, int]] = {}
        for m in members:
            k, _, _, lw, rw = runs[m]
            if k not in st.row_of:
                continue
            s = snap.bit_at(k, lw)
            e = snap.bit_at(k, rw) if rw is not None else width
            if s is None or e is None:
                continue
            a0, b0 = spans.get(st.row_of[k], (s, e))
            spans[st.row_of[k]] = (min(a0, s), max(b0, e))
        bits: int | None = None
        start: int | None = None
        row_count = 0
        if st.step is not None and spans:
            start = spans[min(spans)][0]
            total = 0
            for r, (s, e) in spans.items():
                # a row of several text lines holding one full-width cell and nothing else is
                # that many rows of bits (RFC 6824's 160-bit HMAC in five lines); lines of
                # narrower cells are text wrapped inside one row (RFC 3168's U/R/G)
                lines_in_row = st.row_lines[r]
                alone = all(len(st.by_line.get(k, ())) == 1 for k in lines_in_row)
                full = s == 0 and e == width
                height = max(1, len(lines_in_row) // lines_per_row) if alone and full and not variable else 1
                total += (e - s) * height
                row_count += height
            bits = None if variable else total
        elif st.step is not None:
            start = st.to_bit(runs[members[0]][3])   # only on separator lines: "+-+-+  Name  +"
        repeated = any(runs[m][0] in st.repeats_after and runs[m][4] is not None
                       and runs[m][4] == st.right_wall.get(runs[m][0]) for m in members)
        own_lines = sorted({runs[m][0] for m in members})
        note = " ".join(st.notes[k] for k in own_lines + [own_lines[-1] + 1] if k in st.notes and (
            k in own_lines or is_border(st.body[k])))
        cell_of_root[root] = len(cells)
        cells.append(Cell(text, runs[members[0]][0], start, bits, variable, row_count or len(spans),
                          open_right, tuple(parts), repeated, note, elided,
                          any(k in margin_optional for k in own_lines)))
    return cells, cell_of_root


def _rows(st: _Scan, snap: _Snap, cell_of_root: dict[int, int]) -> list[Row]:
    """Every row of bits: the cells it holds, left to right, and where its right wall is."""
    rows: list[Row] = []
    if st.step is None:
        return rows
    for ks in st.row_lines:
        seen: dict[int, tuple[int, int]] = {}
        right_bits: int | None = None
        openr = False
        for k in ks:
            for idx in st.by_line.get(k, ()):
                _, _, _, lw, rw = st.runs[idx]
                ci = cell_of_root[st.find(idx)]
                s = snap.bit_at(k, lw)
                e = snap.bit_at(k, rw) if rw is not None else None
                if e is None:
                    openr = True
                    e = st.width if st.width is not None else s
                a0, b0 = seen.get(ci, (s, e))
                seen[ci] = (min(a0, s), max(b0, e))      # type: ignore[type-var]
                if rw is not None:
                    right_bits = max(right_bits or 0, e)  # type: ignore[type-var]
        spans = tuple(sorted(((ci, Span(a, b)) for ci, (a, b) in seen.items()),   # type: ignore[arg-type]
                             key=lambda x: x[1].start))
        rows.append(Row(ks[0], spans, None if openr else right_bits,
                        any(st.line_variable.get(k) or st.line_open.get(k) for k in ks)))
    return rows
