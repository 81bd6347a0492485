"""Where a drawing is off its own grid: the rules that repair it, each a small pure function.

Rows drawn a bit or three wider or narrower than their borders (:func:`realign`,
:func:`one_cell_absorbs`, bits shared by :func:`share`), walls the borders imply but the row
leaves out (:func:`implied_walls`), the columns per bit of a drawing without a ruler from the
sizes written in its cells (:func:`step_from_sizes`) or from octet-wide cells
(:func:`octet_unit`).
"""

from __future__ import annotations

import re

from draftscope.analyses.definitions.geometry import is_border
from draftscope.analyses.definitions.sizes import read_cell_text

_FULL_BORDER = re.compile(r"\s*\+[-=+.]*\+")


def share(own: list[float], total: int) -> list[int]:
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


def realign(own: list[float], border: set[int], width: int) -> list[int] | None:
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
    widths = share([own[m + 1] - own[m] for m in range(lo, hi)],
                    target[hi] - target[lo])  # type: ignore[operator]
    out = list(target)
    for m, w in zip(range(lo, hi), widths):
        out[m + 1] = out[m] + w                         # type: ignore[operator]
    return out                                          # type: ignore[return-value]


def step_from_sizes(lines: list[str]) -> float | None:
    """Columns per bit from cells whose text gives their width (RFC 7540: ``| Type (8) |``,
    ``|R|  Stream Identifier (31)  |``, no ruler, borders of no regular spacing): the cells
    must agree on a whole number of columns per bit."""
    ratios: list[float] = []
    for line in lines:
        if "(" not in line:
            continue
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


def one_cell_absorbs(own: list[float], width: int) -> list[int] | None:
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


def implied_walls(text: str, walls: list[int], above: str, below: str) -> list[int]:
    """Walls a one-line row leaves out where the borders above and below both have a corner
    (RFC 8547: ``+---+---+---+----------+`` over ``| 1   0   0     nnnnn   |``): a split the
    drawing makes, when the row has text on both sides and a space at the corner. Borders
    with a corner at every bit say nothing (they mark bits, not cells)."""
    if (len(walls) < 2 or not above.lstrip().startswith("+") or not below.lstrip().startswith("+")
            or not (is_border(above) and is_border(below))):
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


def octet_unit(borders: list[tuple[int, str]], left: int, lines: list[str],
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
