"""A definition's fields laid out as rows of bits: pure, no matplotlib, no measuring.

What every rendering of a drawing shares: the matplotlib drawing (``plots.bitdiagram``), the
Mermaid ``packet-beta`` text (:mod:`draftscope.outputs.mermaid`) and the JSON record of a drawing
all read the same :class:`Layout`, so a field sits at the same bits in each.

- :func:`layout_fields`: fields -> boxes of segments (row, first bit, end bit);
- :func:`row_bits_of`: the width of a row (32, or what a narrower drawing's source uses);
- :func:`match_changes`: a diff's field changes attached to the drawn fields;
- the words a box carries besides its name (:func:`field_details`, :func:`size_label`).

A drawing is bounded (issue 20): at most :data:`MAX_ROWS` rows of bits and :data:`MAX_CARD_ROWS`
card lines unless the caller raises ``max_rows`` (a 1,000,000-bit field would be 31,250 rows);
:class:`PlotInputError` says how large it would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from draftscope.analyses.definitions.model import Definition, Field, FieldChange
from draftscope.analyses.definitions.notations import notations
from draftscope.errors import PlotInputError
from draftscope.tables.definitions import field_record as field_dict  # noqa: F401  (JSON of a field)

ROW_BITS = 32                      # bits per row when the drawing says nothing else
MAX_ROW_BITS = 256                 # a wider row is no drawing a page can show
MAX_ROWS = 512                     # rows of bits (16 KiB at 32 bits): raise with max_rows=
MAX_CARD_ROWS = 2000               # lines of a TLS card (select cases included)
# drawn as bit diagrams or as cards: what each registered notation says (the notation table)
CARD_NOTATIONS = tuple(n for n, info in notations().items() if info.drawn_as == "card")
# change kinds in the order a legend lists them (plots.drawstyle gives each its colour)
CHANGE_KINDS = ("added", "removed", "resized", "retyped", "value", "flags", "renamed", "moved")


@dataclass(frozen=True)
class Segment:
    """The part of a field's box in one row: bits ``start`` (inclusive) to ``end`` (exclusive)."""

    row: int
    start: int
    end: int

    @property
    def bits(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class FieldBox:
    """Where one field is drawn: its segments, row by row."""

    index: int                 # position of the field in the definition
    field: Field
    segments: tuple[Segment, ...]
    variable: bool             # no fixed width: drawn with an open (torn) right edge

    @property
    def bits_drawn(self) -> int:
        return sum(s.bits for s in self.segments)

    def offset(self, row_bits: int) -> tuple[int, int]:
        """(first bit, last bit) of the box counted from the drawing's start, both inclusive."""
        first, last = self.segments[0], self.segments[-1]
        return first.row * row_bits + first.start, last.row * row_bits + last.end - 1


def is_variable(f: Field) -> bool:
    return f.bits is None or f.bits <= 0


def rows_needed(fields: Sequence[Field], row_bits: int = ROW_BITS) -> int:
    """How many rows :func:`layout_fields` would use, counted without building them (O(fields))."""
    cursor = 0
    for f in fields:
        if is_variable(f):
            row, start = divmod(cursor, row_bits)
            cursor = (row + (2 if start else 1)) * row_bits
        else:
            cursor += f.bits
    return -(-cursor // row_bits)


def check_size(definition: Definition, row_bits: int, max_rows: int | None = MAX_ROWS) -> None:
    """Refuse a drawing over ``max_rows`` rows (None: no limit) before anything is laid out."""
    if not 1 <= row_bits <= MAX_ROW_BITS:
        raise PlotInputError(f"row_bits must be 1 to {MAX_ROW_BITS}, got {row_bits}")
    if max_rows is None:
        return
    if definition.notation in CARD_NOTATIONS:
        rows, unit, limit = card_lines(definition.fields), "lines", max(max_rows, MAX_CARD_ROWS)
    else:
        rows, unit, limit = rows_needed(definition.fields, row_bits), f"rows of {row_bits} bits", max_rows
    if rows > limit:
        raise PlotInputError(
            f"{definition.name}: the drawing would be {rows} {unit} (at most {limit}; "
            f"raise max_rows= (--max-rows) to draw it anyway)")


def card_lines(fields: Sequence[Field], depth: int = 0) -> int:
    """Lines of a TLS card: one per field, two per select plus one per case (iteratively: a
    ``select`` nested 200 deep is no recursion limit)."""
    total = 0
    stack = [iter(fields)]
    while stack:
        f = next(stack[-1], None)
        if f is None:
            stack.pop()
            continue
        total += 1
        if f.variants:
            total += 1 + len(f.variants)
            for variant in f.variants:
                stack.append(iter(variant.fields))
    return total


def layout_fields(fields: Sequence[Field], row_bits: int = ROW_BITS) -> list[FieldBox]:
    """Boxes for ``fields`` packed row by row, ``row_bits`` to a row (pure).

    A fixed field takes its bits from where the previous one ended, continuing on the next rows
    when longer than what is left of the row. A variable-length field (no fixed ``bits``) takes
    the rest of its row, and the whole next row as well when it starts mid-row (as RFC drawings
    draw it); the next field starts on a new row. Unbounded: callers check :func:`check_size`.
    """
    if row_bits < 1:
        raise ValueError(f"row_bits must be at least 1, got {row_bits}")
    boxes = []
    cursor = 0                          # absolute bit offset
    for index, f in enumerate(fields):
        row, start = divmod(cursor, row_bits)
        segments = []
        if is_variable(f):
            segments.append(Segment(row, start, row_bits))
            if start:
                segments.append(Segment(row + 1, 0, row_bits))
            cursor = (segments[-1].row + 1) * row_bits
            boxes.append(FieldBox(index, f, tuple(segments), True))
            continue
        left = f.bits
        while left > 0:
            take = min(left, row_bits - start)
            segments.append(Segment(row, start, start + take))
            left -= take
            row, start = row + 1, 0
        cursor += f.bits
        boxes.append(FieldBox(index, f, tuple(segments), False))
    return boxes


def row_bits_of(definition: Definition) -> int:
    """Bits per row: what the drawing's ruler said where the definition records it; else a
    definition of fixed fields shorter than a row is drawn on its own width when that is 16 bits
    or less (TCP's flags; rounded up to whole octets), and on 32 bits when longer (a 24-bit
    option is drawn on 0..31, as RFCs draw it); else 32."""
    for attribute in ("row_bits", "ruler_bits"):
        value = getattr(definition, attribute, None)
        if isinstance(value, int) and value > 0:
            return value
    fields = definition.fields
    if fields and all(not is_variable(f) for f in fields):
        total = sum(f.bits for f in fields)
        if total <= 16:
            return max(8, -(-total // 8) * 8)
    return ROW_BITS


def outline_edges(box: FieldBox) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The outline of a (possibly multi-row) box as line segments in (bit, row) units, without
    the lines between its own rows; the open right edge of a variable field is left out."""
    edges = []
    segs = box.segments
    for k, s in enumerate(segs):
        top, bottom = s.row, s.row + 1
        edges.append(((s.start, top), (s.start, bottom)))
        if not (box.variable and k == len(segs) - 1):
            edges.append(((s.end, top), (s.end, bottom)))
        above = segs[k - 1] if k > 0 else None
        below = segs[k + 1] if k + 1 < len(segs) else None
        for y, other in ((top, above), (bottom, below)):
            spans = [(s.start, s.end)]
            if other is not None:
                spans = _subtract((s.start, s.end), (other.start, other.end))
            for a, b in spans:
                if b > a:
                    edges.append(((a, y), (b, y)))
    return edges


def _subtract(span: tuple[int, int], cut: tuple[int, int]) -> list[tuple[int, int]]:
    a, b = span
    c, d = cut
    if d <= a or c >= b:
        return [span]
    return [(a, max(a, c)), (min(b, d), b)]


def label_region(box: FieldBox, row_bits: int) -> tuple[int, int]:
    """(bits wide, rows high) of the biggest block of a box: one segment, or consecutive full rows."""
    best = max(((s.bits, 1) for s in box.segments), key=lambda wh: wh[0] * wh[1])
    run = 0
    for s in box.segments:
        run = run + 1 if (s.start == 0 and s.end == row_bits) else 0
        if run and row_bits * run > best[0] * best[1]:
            best = (row_bits, run)
    return best


def label_anchor(box: FieldBox, row_bits: int) -> tuple[float, float, float, range]:
    """(x centre in bits, y centre in rows, width in bits, segment indices) of the block that
    holds the label: the biggest segment, or the longest run of full rows."""
    region = label_region(box, row_bits)
    segs = box.segments
    if region[1] > 1:
        run = 0
        for k, s in enumerate(segs):
            run = run + 1 if (s.start == 0 and s.end == row_bits) else 0
            if run == region[1]:
                first = segs[k - run + 1]
                return row_bits / 2, first.row + run / 2, row_bits, range(k - run + 1, k + 1)
    for k, s in enumerate(segs):
        if s.bits == region[0]:
            return (s.start + s.end) / 2, s.row + 0.5, s.bits, range(k, k + 1)
    s = segs[0]
    return (s.start + s.end) / 2, s.row + 0.5, s.bits, range(0, 1)


# --------------------------------------------------------------------------- changes

@dataclass
class MatchedChanges:
    """A diff's field changes as looked up while drawing."""

    by_field: dict[int, FieldChange]       # field index in the drawn definition -> change
    removed: list[Field]                   # removed fields not in the drawing (listed below)
    kinds: list[str]                       # kinds present, in CHANGE_KINDS order


def field_changes_of(changes: Any) -> list[FieldChange]:
    """The field changes in ``changes``: a DefinitionChange, a story step's or a list of them."""
    if changes is None:
        return []
    for attribute in ("field_changes", "fields"):
        inner = getattr(changes, attribute, None)
        if isinstance(inner, (list, tuple)) and all(isinstance(c, FieldChange) for c in inner):
            return list(inner)
    return [c for c in changes if isinstance(c, FieldChange)]


def match_changes(definition: Definition, changes: Any) -> MatchedChanges:
    """Attach each change to the drawn field it is about (by identity, then by equality)."""
    items = field_changes_of(changes)
    fields = list(definition.fields)
    by_field: dict[int, FieldChange] = {}
    removed: list[Field] = []
    pending = []
    position = {id(f): i for i, f in enumerate(fields)}
    for fc in items:
        if fc.change == "unchanged":
            continue
        target = fc.new if fc.change != "removed" else fc.old
        index = position.get(id(target))
        if index is None or index in by_field or fields[index] is not target:
            pending.append(fc)
        else:
            by_field[index] = fc
    for fc in pending:     # changes built from other Field objects: match by equality, in order
        target = fc.new if fc.change != "removed" else fc.old
        index = next((i for i, f in enumerate(fields) if f == target and i not in by_field), None)
        if index is not None:
            by_field[index] = fc
        elif fc.change == "removed":
            removed.append(fc.old)
    present = {fc.change for fc in by_field.values()} | ({"removed"} if removed else set())
    return MatchedChanges(by_field, removed, [k for k in CHANGE_KINDS if k in present])


# --------------------------------------------------------------------------- the layout

@dataclass(frozen=True)
class Layout:
    """A definition ready to be rendered: its boxes on rows of ``row_bits`` and its changes."""

    definition: Definition
    row_bits: int
    boxes: tuple[FieldBox, ...]
    changes: MatchedChanges

    @property
    def rows(self) -> int:
        return max((s.row for b in self.boxes for s in b.segments), default=-1) + 1

    @property
    def is_card(self) -> bool:
        return self.definition.notation in CARD_NOTATIONS


def layout_definition(definition: Definition, *, changes: Any = None, row_bits: int | None = None,
                      max_rows: int | None = MAX_ROWS) -> Layout:
    """``definition`` laid out (a card has no boxes), after :func:`check_size`."""
    bits = row_bits or row_bits_of(definition)
    check_size(definition, bits, max_rows)
    boxes = () if definition.notation in CARD_NOTATIONS else tuple(layout_fields(definition.fields, bits))
    return Layout(definition, bits, boxes, match_changes(definition, changes))


# --------------------------------------------------------------------------- field words

def display_name(f: Field) -> str:
    """A field's name as drawn: spaces collapsed, a reserved cell's many spellings ``reserved``."""
    name = " ".join(f.name.split())
    if f.reserved and (not name or name.strip("()").lower() in ("reserved", "resvd", "rsv", "rsvd")):
        return "reserved"
    return name or "(unnamed)"


def size_label(f: Field) -> str:
    """The size as written into a box: ``(i)``, ``(8..160)``, ``(..)``, ``(64)``."""
    if is_variable(f):
        return f"({f.size})" if f.size else "(width not read)"
    if f.size and not f.size.isdigit():
        return f"({f.size})"
    return f"({f.bits})"


def join_details(items: Sequence[str]) -> str:
    """``["Length", "(8)", "= 16", "optional"]`` -> ``"Length (8) = 16, optional"``."""
    out = ""
    for item in items:
        out += (" " if item.startswith(("= ", "(")) else ", ") + item if out else item
    return out


def field_details(f: Field, fc: FieldChange | None) -> list[tuple[str, bool]]:
    """What a field's box says besides its name, in order: ``(text, required)``. Required: what
    the drawing cannot show otherwise (a variable size, a value, repetition, an old name)."""
    out: list[tuple[str, bool]] = []
    if is_variable(f):
        out.append((size_label(f), True))
    elif f.bits is not None and f.bits >= 8:
        out.append((size_label(f), False))
    if f.value and f.value != f.name:
        out.append((f"= {f.value}", True))
    if f.repeated:
        out.append(("repeated", True))
    if f.optional:
        out.append(("optional", False))
    if f.condition:
        out.append((f.condition, False))
    if fc is not None and fc.change != "removed" and fc.old is not None and fc.new is not None:
        if fc.old.name != fc.new.name:
            out.append((f"was {display_name(fc.old)}", True))
        elif fc.old.shape != fc.new.shape and fc.old.size != fc.new.size:
            out.append((f"was {size_label(fc.old)}", False))
        elif fc.old.value != fc.new.value:
            out.append((f"was = {fc.old.value}" if fc.old.value else "had no value", False))
    return out
