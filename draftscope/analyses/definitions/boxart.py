"""ASCII box diagrams (RFC 791 style, with or without a bit ruler) -> fields.

Widths come from the column grid of the ``+-+-+`` borders (two columns per bit, or any regular
spacing such as RFC 3168's ``+-----+``), multiplied by the number of rows a field spans
(``+   Source Address   +``). Explicit annotations win over the grid: ``(32)`` fixes the width,
``(i)``, ``(*)``, ``(variable)``, ``(0..160)``, a trailing ``...`` or a ``~`` row make the field
variable. Boxes without a regular grid (early QUIC drafts: ``| Type (8) | Stream ID (32) |``) are
accepted only when some field carries a size annotation, which keeps state diagrams and tables out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from draftscope.analyses.definitions.model import Field
from draftscope.analyses.definitions.sizes import VARIABLE, split_annotations

_RULER = re.compile(r"^\s*\d(?:\s+\d)+\s*$")
_BORDER = re.compile(r"^\s*\+[-+=\s]*[-=][-+=\s]*(?:\s{2,}.*)?$")
_BOX_LINE_START = ("+", "|", "~", ":")
_LITERAL = re.compile(r"^(?:[01]+|0x[0-9a-fA-F]+)$")


def is_ruler(line: str) -> bool:
    return bool(_RULER.match(line))


def _border_box_part(line: str) -> tuple[str, str]:
    """Split a border line into the border itself and any note written to its right."""
    text = line.rstrip()
    i = 0
    while i < len(text) and text[i] in "+-= ":
        i += 1
    box = text[:i].rstrip()
    return box, text[len(box):].strip()


def _is_border(line: str) -> bool:
    s = line.lstrip()
    if not s.startswith("+"):
        return False
    box, _ = _border_box_part(line)
    return "-" in box or "=" in box


def is_box_line(line: str) -> bool:
    """A line that can belong to a box diagram (border, row, ruler or a lone ``...``)."""
    s = line.strip()
    return bool(s) and (s[0] in _BOX_LINE_START or is_ruler(line) or s == "...")


def find_boxes(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of runs of box lines that contain at least one border."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if is_box_line(lines[i]):
            j = i
            while j < n and is_box_line(lines[j]):
                j += 1
            if any(_is_border(lines[k]) for k in range(i, j)):
                spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


@dataclass
class _Cell:
    start: int
    end: int
    texts: list[str]
    closed: bool          # a separator closes it on the right
    rows: int = 1
    variable: bool = False
    note: str = ""


def _grid(borders: list[str]) -> list[int] | None:
    """Bit boundary columns from the longest border, if its ``+`` are evenly spaced."""
    if not borders:
        return None
    longest = max((_border_box_part(b)[0] for b in borders), key=lambda b: b.count("+"))
    plus = [i for i, ch in enumerate(longest) if ch == "+"]
    if len(plus) < 3:
        return None
    gaps = {b - a for a, b in zip(plus, plus[1:])}
    if len(gaps) != 1 or gaps.pop() > 6:
        return None
    return plus


def _bits_between(grid: list[int], start: int, end: int) -> int | None:
    step = grid[1] - grid[0]
    return max(1, round((end - start) / step))


def _line_cells(line: str, right_edge: int | None) -> tuple[list[_Cell], str, bool]:
    """Cells of one content line, the note right of the box, and whether it ends in ``...``."""
    text = line.rstrip()
    note = ""
    if right_edge is not None and len(text) > right_edge + 1:
        note = text[right_edge + 1:].strip()
        text = text[: right_edge + 1]
    trailing_dots = text.endswith("...")
    if trailing_dots:
        text = text[:-3].rstrip()
    stripped_start = len(text) - len(text.lstrip())
    seps = [i for i, ch in enumerate(text) if ch == "|"]
    if text.strip() and text.strip()[0] in "+~:" and stripped_start not in seps:
        seps.insert(0, stripped_start)
    last = len(text) - 1
    if text and text[last] in "+~:" and last not in seps and last > stripped_start:
        seps.append(last)
    cells: list[_Cell] = []
    for a, b in zip(seps, seps[1:]):
        cells.append(_Cell(a, b, [text[a + 1: b].strip()], closed=True))
    if seps and seps[-1] < last:
        cells.append(_Cell(seps[-1], len(line.rstrip()), [text[seps[-1] + 1:].strip()], closed=False))
    return cells, note, trailing_dots


_NUMBERED = re.compile(r"^(?P<base>.*\S)\s+(?P<n>\d+|[NnMmKk])$")


def collapse_numbered(fields: list[Field]) -> list[Field]:
    """``Frame 1, Frame 2, ..., Frame N`` -> one repeated ``Frame`` (a list drawn out in full)."""
    out: list[Field] = []
    i = 0
    while i < len(fields):
        m = _NUMBERED.match(fields[i].name)
        j = i + 1
        if m and m.group("n") in ("1", "0"):
            base = m.group("base")
            while j < len(fields):
                mj = _NUMBERED.match(fields[j].name)
                if not mj or mj.group("base") != base:
                    break
                j += 1
        if j - i >= 2:
            first = fields[i]
            out.append(Field(m.group("base"), first.bits, first.size, first.type, first.optional,
                             True, first.value))
        else:
            out.append(fields[i])
        i = max(j, i + 1)
    return out


def parse_box(lines: list[str]) -> list[Field] | None:
    """Fields of one box diagram, or None when the lines are not a protocol diagram."""
    body = [ln for ln in lines if not is_ruler(ln) and ln.strip() != "..."]
    borders = [ln for ln in body if _is_border(ln)]
    if not borders or any("=" in _border_box_part(b)[0] for b in borders):
        return None
    grid = _grid(borders)

    groups: list[list[_Cell]] = []
    current: dict[tuple[int, int], _Cell] = {}
    order: list[tuple[int, int]] = []
    right_edge: int | None = None
    separator_rows = 0

    def close_group() -> None:
        nonlocal current, order, separator_rows
        if current:
            cells = [current[k] for k in order]
            for c in cells:
                c.rows += separator_rows
            groups.append(cells)
        current, order, separator_rows = {}, [], 0

    for line in body:
        if _is_border(line):
            box, note = _border_box_part(line)
            if note and groups and not current:
                groups[-1][-1].note += " " + note
            close_group()
            right_edge = box.rstrip().rfind("+")
            continue
        s = line.strip()
        cells, note, dots = _line_cells(line, right_edge)
        is_row_separator = s.startswith("+") and s.endswith("+") and "|" not in s
        if is_row_separator:
            separator_rows += 1
        for idx, c in enumerate(cells):
            key = (c.start, c.end)
            if key not in current:
                current[key] = c
                order.append(key)
            else:
                current[key].texts.extend(c.texts)
            target = current[key]
            target.variable |= (dots and idx == len(cells) - 1) or s.startswith("~")
            if note:
                target.note += " " + note
        if s.startswith("~"):
            for c in current.values():
                c.variable = True
    close_group()

    fields: list[Field] = []
    annotated = False
    seen: dict[str, int] = {}
    signatures = [tuple((c.start, c.end) for c in g) for g in groups]
    if not grid and len(groups) >= 3 and len(set(signatures)) == 1 and len(signatures[0]) >= 2:
        return None  # a table: every row has the same columns
    for group in groups:
        for cell in group:
            parts = [t for t in cell.texts if t]
            if parts and all(len(p) == 1 for p in parts) and len(parts) > 1:
                raw = "".join(parts)            # vertical labels (RFC 3168 "U/R/G")
            else:
                raw = " ".join(parts)
            grid_bits = None
            if grid and cell.closed:
                grid_bits = _bits_between(grid, cell.start, cell.end) * cell.rows
            if not raw:
                if fields and fields[-1].bits is not None and grid_bits is not None:
                    prev = fields[-1]
                    fields[-1] = Field(prev.name, prev.bits + grid_bits, str(prev.bits + grid_bits),
                                       prev.type, prev.optional, prev.repeated, prev.value)
                continue
            optional = False
            if raw.startswith("[") and raw.endswith("]"):
                raw, optional = raw[1:-1].strip(), True
            if raw.startswith("{") and raw.endswith("}"):
                raw = raw[1:-1].strip()         # "{Encrypted Payload (*)}": braces mark encryption
            note = cell.note.lower()
            if "optional" in raw.lower() or re.search(r"\(opt\)", raw) or "optional" in note:
                optional = True
            name, bits, size = split_annotations(raw)
            if name.startswith("[") and name.endswith("]"):
                name, optional = name[1:-1].strip(), True
            if size:
                annotated = True
            elif cell.variable or not cell.closed:
                size = VARIABLE
            elif grid_bits is not None:
                bits, size = grid_bits, str(grid_bits)
            value = name.replace(" ", "") if _LITERAL.match(name.replace(" ", "")) else ""
            if not name:
                continue
            key = name.lower()
            if key in seen and not value and len(key) > 2:   # one-letter flags may recur
                i = seen[key]
                prev = fields[i]
                fields[i] = Field(prev.name, prev.bits, prev.size, prev.type, prev.optional,
                                  True, prev.value)
                continue
            seen[key] = len(fields)
            fields.append(Field(name, bits, size, "", optional, "repeats" in note, value))
    if not fields or (grid is None and not annotated):
        return None
    return collapse_numbered(fields)
