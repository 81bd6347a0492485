"""Protocol definitions drawn: bit diagrams for packet/frame/option formats, cards for TLS structs.

A bit-level definition (box art, QUIC field list) is drawn the way RFCs draw packets, but
typeset: a 0..31 ruler on top, one box per field spanning its bits (a field longer than a row
spans rows), variable-length fields with a torn right edge and their size written in, optional
and conditional fields dashed, reserved fields hatched, fixed values shown (``= 0x1a``),
repeated fields with a double outline. A TLS struct or enum is drawn as a card (type, name,
bounds, default; ``select`` branches indented). With ``changes`` (a diff, a story step) the
fields are coloured by change kind, renamed fields carry their old name, and removed fields are
listed under the drawing.

Everything is laid out in inches before anything is drawn (:func:`layout_fields` is the pure
bit layout); every label is measured with the Agg renderer and, when it cannot fit its box even
wrapped and shrunk, replaced by a number explained in a key below. matplotlib is imported only
inside functions (the CLI imports this module lazily anyway).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from draftscope.analyses.definitions.model import Definition, Field, FieldChange
from draftscope.errors import NoDataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ROW_BITS = 32                      # bits per row when the drawing says nothing else
BIT_NOTATIONS = ("boxart", "fieldlist")
CARD_NOTATIONS = ("tls-struct", "tls-enum")

FONT = "DejaVu Sans"               # named, not taken from rc: the same glyphs (and sizes) everywhere
MONO = "DejaVu Sans Mono"
INK = "#1f2933"
MUTED = "#52606d"
BASE_EDGE = "#3b4a5a"
BASE_FILL = "#f3f5f8"
HATCH_COLOUR = "#9aa5b1"

# change kind -> strong colour (edges, legend, removed list); fills are tints of it
CHANGE_COLOURS = {
    "added": "#2ca02c",
    "removed": "#d62728",
    "resized": "#ff7f0e",
    "retyped": "#9467bd",
    "value": "#1f77b4",
    "flags": "#17becf",
    "renamed": "#b8860b",
    "moved": "#8c564b",
}
CHANGE_ORDER = tuple(CHANGE_COLOURS)


def _tint(colour: str, strength: float = 0.25) -> str:
    """``colour`` mixed into white: a fill light enough for dark text on it."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * strength) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


CHANGE_FILLS = {kind: _tint(colour) for kind, colour in CHANGE_COLOURS.items()}


# --------------------------------------------------------------------------- pure layout

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


def is_variable(f: Field) -> bool:
    return f.bits is None or f.bits <= 0


def layout_fields(fields: Sequence[Field], row_bits: int = ROW_BITS) -> list[FieldBox]:
    """Boxes for ``fields`` packed row by row, ``row_bits`` to a row (pure).

    A fixed field takes its bits from where the previous one ended, continuing on the next rows
    when longer than what is left of the row. A variable-length field (no fixed ``bits``) takes
    the rest of its row, and the whole next row as well when it starts mid-row (as RFC drawings
    draw it); the next field starts on a new row.
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
    """Bits per row: what the drawing's ruler said where the definition records it; else the
    whole width of a definition of fixed fields shorter than a row (a 16-bit drawing such as
    TCP's flags, rounded up to whole octets); else 32."""
    for attribute in ("row_bits", "ruler_bits"):
        value = getattr(definition, attribute, None)
        if isinstance(value, int) and value > 0:
            return value
    fields = definition.fields
    if fields and all(not is_variable(f) for f in fields):
        total = sum(f.bits for f in fields)
        if total < ROW_BITS:
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


# --------------------------------------------------------------------------- changes

@dataclass
class _Changes:
    """A diff's field changes as looked up while drawing."""

    by_field: dict[int, FieldChange]       # field index in the drawn definition -> change
    removed: list[Field]                   # removed fields not in the drawing (listed below)
    kinds: list[str]                       # kinds present, in CHANGE_ORDER


def _field_changes(changes: Any) -> list[FieldChange]:
    if changes is None:
        return []
    for attribute in ("field_changes", "fields"):
        inner = getattr(changes, attribute, None)
        if isinstance(inner, (list, tuple)) and all(isinstance(c, FieldChange) for c in inner):
            return list(inner)
    return [c for c in changes if isinstance(c, FieldChange)]


def _match_changes(definition: Definition, changes: Any) -> _Changes:
    items = _field_changes(changes)
    fields = list(definition.fields)
    by_field: dict[int, FieldChange] = {}
    removed: list[Field] = []
    pending = []
    for fc in items:
        if fc.change == "unchanged":
            continue
        target = fc.new if fc.change != "removed" else fc.old
        index = next((i for i, f in enumerate(fields) if f is target and i not in by_field), None)
        if index is None:
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
    return _Changes(by_field, removed, [k for k in CHANGE_ORDER if k in present])


# --------------------------------------------------------------------------- text measuring

@functools.lru_cache(maxsize=4)
def _advances(family: str, weight: str) -> tuple[Any, dict[str, float]]:
    """A private FT2Font at 100 pt / 72 dpi (not matplotlib's shared, resized-by-everyone one)
    and its cache of glyph advances in points."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    font = FT2Font(findfont(FontProperties(family=family, weight=weight)))
    font.set_size(100, 72)
    return font, {}


# An FT2Font reads its file through a stream whose file offset a forked child would share with
# its parent and siblings: interleaved reads garble glyphs ("too many hints", seen in story's
# drawing pool). Each process opens its own, as matplotlib does for its font cache.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_advances.cache_clear)


# Advances summed undercount what Agg draws at small sizes (hinting rounds glyphs up, up to ~6%
# on DejaVu at 7-9 pt): measured widths are scaled up so a label never spills out of its box.
WIDTH_SAFETY = 1.07


@functools.lru_cache(maxsize=20000)
def text_width(text: str, size: float, weight: str = "normal", family: str = FONT) -> float:
    """Width in points of one line of text (glyph advances, with a safety margin for hinting):
    microseconds instead of the renderer's layout (a story measures thousands of labels)."""
    from matplotlib.ft2font import LoadFlags

    if not text:
        return 0.0
    font, cache = _advances(family, weight)
    total = 0.0
    for char in text:
        advance = cache.get(char)
        if advance is None:
            glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
            advance = cache[char] = glyph.linearHoriAdvance / 65536
        total += advance
    return total * size / 100 * WIDTH_SAFETY


def _plain(text: str) -> str:
    """Text as matplotlib must be given it to print it verbatim (no mathtext)."""
    return text.replace("$", r"\$")


LINE_SPACING = 1.2


def _wrap_words(text: str, lines: int) -> list[str] | None:
    """``text`` in ``lines`` lines of balanced width (by words), or None if it has fewer words."""
    words = text.split()
    if lines == 1:
        return [" ".join(words)]
    if len(words) < lines:
        return None
    best = None
    width = max(1, math.ceil(len(" ".join(words)) / lines))
    for w in range(width, len(text) + 1):
        wrapped = textwrap.wrap(" ".join(words), w, break_long_words=False, break_on_hyphens=True)
        if len(wrapped) <= lines:
            best = wrapped
            break
    return best


@dataclass(frozen=True)
class FittedLabel:
    """A label as it will be drawn: lines and size, or a numbered callout."""

    lines: tuple[str, ...]       # name lines then the detail line (if any)
    size: float
    detail_lines: int            # how many of the last lines are the (smaller, grey) detail
    callout: int | None = None   # the number drawn instead of the label (explained in the key)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def fit_label(name: str, details: Sequence[tuple[str, bool]], width_pt: float, height_pt: float,
              *, sizes: Sequence[float] = (9.0, 8.0, 7.0), family: str = FONT) -> FittedLabel | None:
    """The largest readable label for a box ``width_pt`` x ``height_pt``: ``name`` wrapped over
    up to three lines, then the ``details`` (``(text, required)``: size, value, old name...) on a
    smaller line; details not required are dropped first when room is short. None when even
    the smallest size does not fit (the caller numbers the box and explains it in a key)."""
    pad = 3.0
    avail_w, avail_h = width_pt - 2 * pad, height_pt - 2 * pad
    every = [text for text, _required in details]
    required = [text for text, needed in details if needed]
    choices = [every] + ([required] if required != every else [])
    for size in sizes:
        small = size - 1.0
        for chosen in choices:
            detail = join_details(chosen)
            for n in (1, 2, 3):
                wrapped = _wrap_words(name, n)
                if wrapped is None:
                    break
                lines = list(wrapped)
                height = len(lines) * size * LINE_SPACING
                detail_lines: list[str] = []
                if detail:
                    detail_lines = [detail]
                    if text_width(detail, small, family=family) > avail_w:
                        detail_lines = _wrap_words(detail, 2) or [detail]
                    height += len(detail_lines) * small * LINE_SPACING
                if height > avail_h:
                    break
                widths = [text_width(line, size, family=family) for line in lines]
                widths += [text_width(line, small, family=family) for line in detail_lines]
                if max(widths) <= avail_w:
                    return FittedLabel(tuple(lines + detail_lines), size, len(detail_lines))
    return None


# --------------------------------------------------------------------------- field words

def _display_name(f: Field) -> str:
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


def _details(f: Field, fc: FieldChange | None) -> list[tuple[str, bool]]:
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
            out.append((f"was {_display_name(fc.old)}", True))
        elif fc.old.shape != fc.new.shape and fc.old.size != fc.new.size:
            out.append((f"was {size_label(fc.old)}", False))
        elif fc.old.value != fc.new.value:
            out.append((f"was = {fc.old.value}" if fc.old.value else "had no value", False))
    return out


# --------------------------------------------------------------------------- plans (inches)

PT = 1 / 72                        # inches per point


@dataclass
class _Key:
    """Lines drawn under a drawing: callouts, removed fields, the colour and style legend."""

    callouts: list[tuple[int, str]] = dc_field(default_factory=list)
    removed: list[Field] = dc_field(default_factory=list)
    kinds: list[str] = dc_field(default_factory=list)
    styles: list[str] = dc_field(default_factory=list)     # "optional", "reserved", "variable", "repeated"


@dataclass
class BitPlan:
    """A bit diagram laid out in inches at a given width, ready to draw."""

    definition: Definition
    boxes: list[FieldBox]
    labels: dict[int, FittedLabel]
    changes: _Changes
    row_bits: int
    width: float                   # inches
    bit_w: float
    row_h: float
    left: float
    ruler_h: float
    rows: int
    key_lines: list[tuple[str, str, list]]   # (kind, text, extra) lines of the key
    key_line_h: float
    height: float
    key_size: float = 8.0

    def record(self) -> dict[str, Any]:
        return drawing_record(self)


def _bit_plan(definition: Definition, changes: Any, width: float, *, row_h: float = 0.42,
              row_bits: int | None = None, left: float = 0.3, right: float = 0.3,
              ruler: bool = True, legend: bool = True,
              label_sizes: Sequence[float] = (9.0, 8.0, 7.0), key_size: float = 8.0) -> BitPlan:
    bits = row_bits or row_bits_of(definition)
    boxes = layout_fields(definition.fields, bits)
    matched = _match_changes(definition, changes)
    inner = width - left - right
    bit_w = inner / bits
    labels: dict[int, FittedLabel] = {}
    key = _Key(removed=list(matched.removed), kinds=list(matched.kinds))
    for box in boxes:
        f = box.field
        fc = matched.by_field.get(box.index)
        details = _details(f, fc)
        region_w, region_h = _label_region(box, bits)
        width_pt = region_w * bit_w / PT - (8 if box.variable else 0)
        height_pt = region_h * row_h / PT
        fitted = fit_label(_display_name(f), details, width_pt, height_pt, sizes=label_sizes)
        if fitted is None:
            number = len(key.callouts) + 1
            key.callouts.append((number, join_details([_display_name(f), *(t for t, _ in details)])))
            fitted = FittedLabel((str(number),), 8.0, 0, callout=number)
        labels[box.index] = fitted
        for style, on in (("variable", box.variable), ("optional", f.optional or bool(f.condition)),
                          ("reserved", f.reserved), ("repeated", f.repeated)):
            if on and style not in key.styles:
                key.styles.append(style)
    rows = max((s.row for b in boxes for s in b.segments), default=-1) + 1
    ruler_h = 0.2 if ruler else 0.0
    key_line_h = 0.22 * key_size / 8.0
    lines = _key_lines(key, width - left - right, legend=legend, size=key_size)
    height = ruler_h + rows * row_h + (0.12 + len(lines) * key_line_h if lines else 0.0)
    return BitPlan(definition, boxes, labels, matched, bits, width, bit_w, row_h, left, ruler_h,
                   rows, lines, key_line_h, height, key_size)


def _label_region(box: FieldBox, row_bits: int) -> tuple[int, int]:
    """(bits wide, rows high) of the biggest block of a box: one segment, or consecutive full rows."""
    best = max(((s.bits, 1) for s in box.segments), key=lambda wh: wh[0] * wh[1])
    run = 0
    for s in box.segments:
        run = run + 1 if (s.start == 0 and s.end == row_bits) else 0
        if run and row_bits * run > best[0] * best[1]:
            best = (row_bits, run)
    return best


def _label_anchor(box: FieldBox, row_bits: int) -> tuple[float, float, float, range]:
    """(x centre in bits, y centre in rows, width in bits, segment indices) of the block that
    holds the label: the biggest segment, or the longest run of full rows."""
    region = _label_region(box, row_bits)
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


STYLE_WORDS = {
    "variable": "torn edge: variable (or unread) length",
    "optional": "dashed: optional or conditional",
    "reserved": "hatched: reserved",
    "repeated": "double outline: repeated",
}


def _key_lines(key: _Key, width: float, *, legend: bool = True,
               size: float = 8.0) -> list[tuple[str, str, list]]:
    """The key under a drawing as lines that fit ``width`` inches at ``size`` pt."""
    lines: list[tuple[str, str, list]] = []
    limit = width / PT

    def wrap(prefix: str, items: list[str], kind: str) -> None:
        current = prefix
        for k, item in enumerate(items):
            piece = item + (", " if k + 1 < len(items) else "")
            if current != prefix and text_width(current + piece, size) > limit:
                lines.append((kind, current.rstrip(), []))
                current = "    "
            current += piece
        lines.append((kind, current.rstrip(), []))

    if key.callouts:         # flowing: "1 CWR   2 ECE   3 URG ..."
        current = ""
        for number, text in key.callouts:
            piece = f"{number}  {text}"
            if current and text_width(current + "     " + piece, size) > limit:
                lines.append(("callout", current, []))
                current = piece
            else:
                current = f"{current}     {piece}" if current else piece
        lines.append(("callout", current, []))
    if key.removed:
        from draftscope.analyses.definitions.story import field_words

        wrap("Removed: ", [field_words(f) for f in key.removed], "removed")
    if not legend:
        return lines
    if key.kinds:
        lines.append(("legend", "", list(key.kinds)))
    if key.styles:
        lines.append(("styles", "", list(key.styles)))
    return lines


@dataclass
class CardPlan:
    """A TLS struct or enum laid out as a card of rows."""

    definition: Definition
    rows: list[dict[str, Any]]      # {"depth", "cells": [type, name, size, default], "index", "change"}
    changes: _Changes
    width: float
    left: float
    columns: list[float]            # x of each column (inches, from the card's left)
    size: float                     # font size
    row_h: float
    head_h: float
    key_lines: list[tuple[str, str, list]]
    key_line_h: float
    height: float
    key_size: float = 8.0

    def record(self) -> dict[str, Any]:
        return drawing_record(self)


def _card_rows(definition: Definition, matched: _Changes) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    enum = definition.notation == "tls-enum"

    def add(fields: Sequence[Field], depth: int, top: bool) -> None:
        for index, f in enumerate(fields):
            fc = matched.by_field.get(index) if top else None
            if f.variants:
                head = f.name if f.name.startswith("select") else f"select ({f.name})"
                rows.append({"depth": depth, "cells": [f"{head} {{", "", "", ""],
                             "index": index if top else None, "change": fc.change if fc else None,
                             "old": None})
                for variant in f.variants:
                    rows.append({"depth": depth + 1, "cells": [f"case {variant.label}:", "", "", ""],
                                 "index": None, "change": None, "old": None})
                    add(variant.fields, depth + 2, False)
                rows.append({"depth": depth, "cells": ["};", "", "", ""], "index": None,
                             "change": None, "old": None})
                continue
            if enum:
                cells = [f.name, f"({f.value})" if f.value else "", "", ""]
            else:
                bounds = f.size if f.size and not f.size.isdigit() else ""
                default = f" = {f.value}" if f.value else ""
                cells = [f.type or "", f.name, bounds, default.strip()]
            old = None
            if fc is not None and fc.old is not None and fc.new is not None and fc.old.name != fc.new.name:
                old = fc.old.name
            rows.append({"depth": depth, "cells": cells, "index": index if top else None,
                         "change": fc.change if fc else None, "old": old})

    add(definition.fields, 0, True)
    return rows


def _card_plan(definition: Definition, changes: Any, width: float, *, left: float = 0.3,
               right: float = 0.3, legend: bool = True, key_size: float = 8.0) -> CardPlan:
    matched = _match_changes(definition, changes)
    rows = _card_rows(definition, matched)
    inner = width - left - right
    indent = 0.25
    for size in (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0):
        pad = 12 * PT
        col_w = [0.0, 0.0, 0.0, 0.0]
        for row in rows:
            for c, text in enumerate(row["cells"]):
                extra = row["depth"] * indent if c == 0 else 0.0
                wide = text_width(text, size, family=MONO) * PT
                if c == 1 and row["old"]:
                    wide += text_width(f"  was {row['old']}", size - 1) * PT
                if row["cells"][1:] == ["", "", ""] and c == 0:
                    continue          # select/case lines run over the columns
                col_w[c] = max(col_w[c], extra + wide)
        widths = [w + pad if w else 0.0 for w in col_w]
        spanning = max((row["depth"] * indent + text_width(row["cells"][0], size, family=MONO) * PT
                        for row in rows if row["cells"][1:] == ["", "", ""]), default=0.0)
        if sum(widths) <= inner - 0.2 and spanning <= inner - 0.2:
            break
    columns = [0.12]
    for w in widths[:-1]:
        columns.append(columns[-1] + w)
    row_h = size * 1.75 * PT
    head_h = 0.36
    key = _Key(removed=list(matched.removed), kinds=list(matched.kinds))
    lines = _key_lines(key, inner, legend=legend, size=key_size)
    key_line_h = 0.22 * key_size / 8.0
    height = head_h + len(rows) * row_h + 0.1 + (0.12 + len(lines) * key_line_h if lines else 0.0)
    return CardPlan(definition, rows, matched, width, left, columns, size, row_h, head_h, lines,
                    key_line_h, height, key_size)


def plan_drawing(definition: Definition, *, changes: Any = None, width: float = 8.0,
                 row_h: float = 0.42, row_bits: int | None = None, legend: bool = True,
                 compact: bool = False):
    """The drawing of ``definition`` laid out at ``width`` inches: a bit diagram or a card.
    ``compact``: smaller type, for the small multiples of a story strip."""
    if not definition.fields:
        raise NoDataError(f"{definition.name}: no fields to draw")
    if definition.notation in CARD_NOTATIONS:
        return _card_plan(definition, changes, width, legend=legend,
                          left=0.02 if compact else 0.3, right=0.02 if compact else 0.3,
                          key_size=7.0 if compact else 8.0)
    sizes = (8.0, 7.0, 6.5) if compact else (9.0, 8.0, 7.0)
    margin = 0.02 if compact else 0.3
    return _bit_plan(definition, changes, width, row_h=row_h, row_bits=row_bits, legend=legend,
                     label_sizes=sizes, left=margin, right=margin,
                     key_size=7.0 if compact else 8.0)


# --------------------------------------------------------------------------- drawing

def _draw_bits(ax: "Axes", plan: BitPlan, x0: float, y0: float) -> None:
    """Draw a bit diagram with its top-left corner at (x0, y0) inches (y grows downwards)."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    bit_w, row_h, bits = plan.bit_w, plan.row_h, plan.row_bits
    left = x0 + plan.left
    top = y0 + plan.ruler_h

    def xy(b: float, r: float) -> tuple[float, float]:
        return left + b * bit_w, top + r * row_h

    if plan.ruler_h:
        step = 1 if bit_w / PT >= 11 else 4
        ruler_size = 7.0 if bit_w / PT >= 11 else 6.0
        numbered = sorted(set(range(0, bits, step)) | {bits - 1})
        ax.add_artist(_numbers_patch([(left + (b + 0.5) * bit_w, top - 0.06, str(b % 100))
                                     for b in numbered], ruler_size, MUTED, gid="ruler"))
        ticks = []
        for b in range(bits + 1):
            tall = 0.06 if b % 8 == 0 else 0.03
            ticks.append([(left + b * bit_w, top), (left + b * bit_w, top - tall)])
        ax.add_artist(LineCollection(ticks, colors=MUTED, linewidths=0.6, gid="ruler-ticks"))

    highlighted = []
    for box in plan.boxes:
        f = box.field
        fc = plan.changes.by_field.get(box.index)
        kind = fc.change if fc is not None else None
        fill = CHANGE_FILLS.get(kind, BASE_FILL)
        edge = CHANGE_COLOURS.get(kind, BASE_EDGE)
        for k, s in enumerate(box.segments):
            x, y = xy(s.start, s.row)
            patch = Rectangle((x, y), s.bits * bit_w, row_h, facecolor=fill,
                              edgecolor=HATCH_COLOUR if f.reserved else "none",
                              hatch="////" if f.reserved else None, linewidth=0,
                              gid=f"field:{box.index}:{k}", zorder=1, antialiased=False)
            ax.add_artist(patch)
        dashed = f.optional or bool(f.condition)
        lines = [[xy(*a), xy(*b)] for a, b in outline_edges(box)]
        width = 1.6 if kind else 1.0
        collection = LineCollection(lines, colors=edge, linewidths=width,
                                    linestyles=(0, (4, 2.5)) if dashed else "solid",
                                    capstyle="projecting", gid=f"outline:{box.index}",
                                    zorder=3 if kind else 2)
        (highlighted if kind else []).append(collection)
        ax.add_artist(collection)
        last = box.segments[-1]
        if box.variable:
            ax.add_artist(_torn_edge(xy(last.end, last.row), row_h, bit_w, edge, width,
                                   gid=f"open-edge:{box.index}"))
        if f.repeated:
            inset = 3.0 * PT
            for s in box.segments:
                x, y = xy(s.start, s.row)
                ax.add_artist(Rectangle((x + inset, y + inset), s.bits * bit_w - 2 * inset,
                                       row_h - 2 * inset, fill=False, edgecolor=edge,
                                       linewidth=0.6, gid=f"repeated:{box.index}", zorder=2))
        label = plan.labels[box.index]
        cx, cy, _w, block = _label_anchor(box, bits)
        x, y = xy(cx, cy)
        if box.variable and block[-1] == len(box.segments) - 1:
            x -= 4 * PT            # centred in the room the torn edge leaves
        _draw_label(ax, x, y, label, gid=f"label:{box.index}", on_hatch=f.reserved)
        if label.callout is None:
            _draw_continuations(ax, box, block, label, xy, bit_w, row_h)


def _draw_continuations(ax: "Axes", box: FieldBox, block: range, label: FittedLabel, xy,
                        bit_w: float, row_h: float) -> None:
    """The field's name, small and grey, in the parts of a multi-row box outside its label block,
    so a reader sees where a field that wraps a row goes on (or where it began)."""
    name = " ".join(label.lines[:len(label.lines) - label.detail_lines])
    for k, s in enumerate(box.segments):
        if k in block:
            continue
        room = s.bits * bit_w / PT - 6 - (8 if box.variable and k == len(box.segments) - 1 else 0)
        text = f"{name} (cont.)" if k > block[-1] else f"{name} …"
        if text_width(text, 7.0) > room or row_h / PT < 12:
            text = "…"
            if text_width(text, 7.0) > room:
                continue
        x, y = xy((s.start + s.end) / 2, s.row + 0.5)
        ax.text(x, y, _plain(text), ha="center", va="center", fontsize=7.0, style="italic",
                color=MUTED, family=FONT, gid=f"label:{box.index}:cont", zorder=4)


@functools.lru_cache(maxsize=512)
def _glyph_path(text: str, size: float):
    """The outline of ``text`` at ``size`` pt (points, y up) and its advance width."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    path = TextPath((0, 0), text, size=size, prop=FontProperties(family=FONT))
    return path, text_width(text, size) / WIDTH_SAFETY


def _numbers_patch(items: Sequence[tuple[float, float, str]], size: float, colour: str, gid: str):
    """Many short numbers (a ruler) as one filled path, centred on x with their baseline at y:
    one artist instead of 32 texts, which keeps a story of many drawings fast to save."""
    import numpy as np
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    paths = []
    for x, y, text in items:
        glyphs, width = _glyph_path(text, size)
        vertices = np.array(glyphs.vertices, dtype=float)
        vertices[:, 0] = x + (vertices[:, 0] - width / 2) * PT
        vertices[:, 1] = y - vertices[:, 1] * PT          # the sheet's y grows downwards
        paths.append(MplPath(vertices, glyphs.codes))
    compound = MplPath.make_compound_path(*paths)
    return PathPatch(compound, facecolor=colour, edgecolor="none", linewidth=0, gid=gid)


def _torn_edge(top: tuple[float, float], height: float, bit_w: float, colour: str,
               width: float, gid: str):
    """A zigzag standing in for the right edge of a variable-length field."""
    from matplotlib.lines import Line2D

    x, y = top
    teeth = 4
    depth = min(0.6 * bit_w, 5 * PT)
    xs, ys = [], []
    for k in range(2 * teeth + 1):
        xs.append(x - (depth if k % 2 else 0.0))
        ys.append(y + height * k / (2 * teeth))
    return Line2D(xs, ys, color=colour, linewidth=width, gid=gid, zorder=3,
                  solid_joinstyle="miter")


def _draw_label(ax: "Axes", x: float, y: float, label: FittedLabel, gid: str,
                on_hatch: bool = False) -> None:
    """Name lines in ink, the detail lines smaller and grey, centred together on (x, y); on a
    hatched (reserved) box over a patch of the box's colour, so the hatching never runs through
    the letters."""
    backing = ({"boxstyle": "square,pad=0.1", "facecolor": BASE_FILL, "edgecolor": "none"}
               if on_hatch else None)
    size, small = label.size, label.size - 1.0
    names = label.lines[:len(label.lines) - label.detail_lines]
    details = label.lines[len(names):]
    total = (len(names) * size + len(details) * small) * LINE_SPACING * PT
    y_top = y - total / 2
    if label.callout is not None:
        ax.text(x, y, label.lines[0], ha="center", va="center", fontsize=size,
                fontweight="bold", color=INK, family=FONT, gid=gid, zorder=4,
                bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                      "edgecolor": MUTED, "linewidth": 0.6})
        return
    if names:
        h = len(names) * size * LINE_SPACING * PT
        ax.text(x, y_top + h / 2, _plain("\n".join(names)), ha="center", va="center",
                fontsize=size, color=INK, family=FONT, linespacing=LINE_SPACING, gid=gid, zorder=4,
                bbox=backing)
        y_top += h
    if details:
        h = len(details) * small * LINE_SPACING * PT
        ax.text(x, y_top + h / 2, _plain("\n".join(details)), ha="center", va="center",
                fontsize=small, color=MUTED, family=FONT, linespacing=LINE_SPACING,
                gid=f"{gid}:detail", zorder=4, bbox=backing)


def _draw_key(ax: "Axes", lines: list[tuple[str, str, list]], x: float, y: float,
              line_h: float, size: float = 8.0) -> None:
    from matplotlib.patches import Rectangle

    for k, (kind, text, items) in enumerate(lines):
        yy = y + (k + 0.5) * line_h
        if kind in ("callout", "removed"):
            ax.text(x, yy, _plain(text), ha="left", va="center", fontsize=size, family=FONT,
                    color=CHANGE_COLOURS["removed"] if kind == "removed" else INK, gid=f"key:{kind}")
            continue
        cursor = x
        for item in items:
            if kind == "legend":
                ax.add_artist(Rectangle((cursor, yy - 0.06), 0.16, 0.12, facecolor=CHANGE_FILLS[item],
                                       edgecolor=CHANGE_COLOURS[item], linewidth=1.2,
                                       gid=f"legend:{item}"))
                word = item
            else:
                _style_sample(ax, item, cursor, yy)
                word = STYLE_WORDS[item]
            ax.text(cursor + 0.22, yy, word, ha="left", va="center", fontsize=8, family=FONT,
                    color=INK, gid=f"key:{kind}")
            cursor += 0.22 + text_width(word, 8) * PT + 0.25


def _style_sample(ax: "Axes", style: str, x: float, y: float) -> None:
    from matplotlib.patches import Rectangle

    common = {"facecolor": BASE_FILL, "gid": f"style:{style}"}
    if style == "reserved":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=HATCH_COLOUR, hatch="////",
                               linewidth=0, **common))
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, fill=False, edgecolor=BASE_EDGE,
                               linewidth=0.8))
    elif style == "optional":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=BASE_EDGE, linewidth=0.9,
                               linestyle=(0, (3, 2)), **common))
    elif style == "repeated":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=BASE_EDGE, linewidth=0.9, **common))
        ax.add_artist(Rectangle((x + 0.025, y - 0.035), 0.11, 0.07, fill=False, edgecolor=BASE_EDGE,
                               linewidth=0.5))
    else:
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor="none", linewidth=0, **common))
        ax.plot([x + 0.16, x, x, x + 0.16], [y - 0.06, y - 0.06, y + 0.06, y + 0.06],
                color=BASE_EDGE, linewidth=0.9)
        ax.add_artist(_torn_edge((x + 0.16, y - 0.06), 0.12, 0.1, BASE_EDGE, 0.9, gid="style:torn"))


def _draw_card(ax: "Axes", plan: CardPlan, x0: float, y0: float) -> None:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left = x0 + plan.left
    inner = plan.width - 2 * plan.left
    body = plan.head_h + len(plan.rows) * plan.row_h + 0.1
    shape = {"boxstyle": "round,pad=0,rounding_size=0.06"}
    card = FancyBboxPatch((left, y0), inner, body, facecolor="white", edgecolor="none",
                          linewidth=0, gid="card", zorder=0, **shape)
    ax.add_artist(card)
    head = Rectangle((left, y0), inner, plan.head_h, facecolor=BASE_FILL, edgecolor="none",
                     gid="card-head", zorder=0.5)
    ax.add_artist(head)
    head.set_clip_path(card)
    ax.add_artist(FancyBboxPatch((left, y0), inner, body, fill=False, edgecolor=BASE_EDGE,
                                 linewidth=1.0, gid="card-outline", zorder=3, **shape))
    keyword = "enum" if plan.definition.notation == "tls-enum" else "struct"
    ax.text(left + 0.12, y0 + plan.head_h / 2, keyword, ha="left", va="center", fontsize=9,
            color=MUTED, family=MONO, gid="card-keyword")
    ax.text(left + 0.12 + text_width(keyword + " ", 9, family=MONO) * PT, y0 + plan.head_h / 2,
            _plain(plan.definition.name), ha="left", va="center", fontsize=10, fontweight="bold",
            color=INK, family=MONO, gid="card-name")
    size = plan.size
    indent = 0.25
    for k, row in enumerate(plan.rows):
        y = y0 + plan.head_h + 0.05 + k * plan.row_h
        kind = row["change"]
        if kind:
            ax.add_artist(Rectangle((left + 0.04, y), inner - 0.08, plan.row_h,
                                   facecolor=CHANGE_FILLS[kind], edgecolor=CHANGE_COLOURS[kind],
                                   linewidth=1.0, gid=f"field:{row['index']}:0"))
        yc = y + plan.row_h / 2
        spanning = row["cells"][1:] == ["", "", ""]
        for c, text in enumerate(row["cells"]):
            if not text:
                continue
            x = left + plan.columns[c] + (row["depth"] * indent if c == 0 else 0.0)
            gid = f"label:{row['index']}" if row["index"] is not None and (c == 1 or (c == 0 and (
                plan.definition.notation == "tls-enum" or spanning))) else "card-cell"
            ax.text(x, yc, _plain(text), ha="left", va="center", fontsize=size, family=MONO,
                    color=MUTED if c in (0, 2) and not spanning and plan.definition.notation != "tls-enum"
                    else INK, gid=gid)
            if c == 1 and row["old"]:
                ax.text(x + text_width(text, size, family=MONO) * PT + 0.08, yc,
                        _plain(f"was {row['old']}"), ha="left", va="center", fontsize=size - 1,
                        style="italic", color=CHANGE_COLOURS["renamed"], family=FONT,
                        gid=f"label:{row['index']}:detail")
    _draw_key(ax, plan.key_lines, left, y0 + body + 0.12, plan.key_line_h, plan.key_size)


def _draw_plan(ax: "Axes", plan, x0: float, y0: float) -> None:
    if isinstance(plan, CardPlan):
        _draw_card(ax, plan, x0, y0)
        return
    _draw_bits(ax, plan, x0, y0)
    key_top = y0 + plan.ruler_h + plan.rows * plan.row_h + 0.12
    _draw_key(ax, plan.key_lines, x0 + plan.left, key_top, plan.key_line_h, plan.key_size)


@contextlib.contextmanager
def drawing_style() -> Iterator[None]:
    """The part of the house style (plots.style.figure_style) a drawing uses: text kept as text
    in SVG, fixed SVG ids, screen dpi. Not seaborn's axes style: a drawing has no axes, and
    leaving seaborn unimported saves ~1.5 s per ``draw``/``story`` run."""
    import matplotlib as mpl

    rc = {"svg.fonttype": "none", "svg.hashsalt": "draftscope", "figure.dpi": 100,
          "hatch.linewidth": 0.7, "path.simplify": True}
    with mpl.rc_context(rc):
        yield


def _blank_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    return fig, ax


def _title_block(ax: "Axes", x: float, y: float, title: str, subtitle: str, width: float) -> float:
    """Title (bold, one line, cut with … if longer than ``width``) and grey subtitle (up to three
    lines) at (x, y); returns the height used (:func:`_title_height`)."""
    ax.text(x, y + 0.2, _plain(_fit_lines(title, 12, width, max_lines=1, weight="bold")[0]),
            ha="left", va="center", fontsize=12, fontweight="bold", color=INK, family=FONT,
            gid="title")
    lines = _fit_lines(subtitle, 9, width) if subtitle else []
    for k, line in enumerate(lines):
        ax.text(x, y + 0.43 + k * 0.18, _plain(line), ha="left", va="center", fontsize=9,
                color=MUTED, family=FONT, gid="subtitle")
    return _title_height(subtitle, width)


def _title_height(subtitle: str, width: float) -> float:
    return 0.36 + 0.18 * len(_fit_lines(subtitle, 9, width)) if subtitle else 0.4


def _fit_lines(text: str, size: float, width: float, max_lines: int = 3,
               weight: str = "normal") -> list[str]:
    """``text`` wrapped (by words) to ``width`` inches at ``size`` pt, at most ``max_lines``
    (the last cut with an ellipsis); a word longer than a line is cut too."""
    def fits(line: str) -> bool:
        return text_width(line, size, weight) * PT <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    cut = len(lines) > max_lines or any(not fits(line) for line in lines[:max_lines])
    lines = lines[:max_lines]
    if cut and lines:
        last = lines[-1]
        while last and not fits(last + " …"):
            last = last.rsplit(" ", 1)[0] if " " in last.strip() else last[:-1]
        lines[-1] = last.rstrip() + " …"
        lines = [line if fits(line) else _cut(line, size, width, weight) for line in lines]
    return lines or [""]


def _cut(line: str, size: float, width: float, weight: str) -> str:
    while line and text_width(line + "…", size, weight) * PT > width:
        line = line[:-1]
    return line + "…"


def default_subtitle(definition: Definition, label: str = "") -> str:
    section = f"§{definition.section}" if definition.section else ""
    notation = {"boxart": "box diagram", "fieldlist": "field list", "tls-struct": "TLS struct",
                "tls-enum": "TLS enum"}.get(definition.notation, definition.notation)
    return " · ".join(p for p in (label, section, notation) if p)


def draw_definition(definition: Definition, *, changes: Any = None, ax: "Axes | None" = None,
                    title: str | None = None, subtitle: str | None = None,
                    row_bits: int | None = None, width: float = 8.0) -> "Figure":
    """Draw one definition: a bit diagram (box art, field list) or a card (TLS struct/enum).

    ``changes``: what changed to get here (a ``DefinitionChange``, a story step, or field
    changes; a removed step shows every field removed); changed fields are coloured by kind, renamed ones say their old name, removed
    ones are listed under the drawing. ``ax``: draw into that Axes (its width sets the scale)
    instead of a new figure ``width`` inches wide. ``row_bits``: bits per row (default: what
    the definition records, else 32). Raises NoDataError for a definition without fields.
    """
    if hasattr(changes, "field_changes") and hasattr(changes, "definition"):
        changes = step_changes(changes)           # a story step: its changes as drawn
    with drawing_style():
        if ax is not None:
            fig = ax.figure
            bbox = ax.get_position()
            fig_w, fig_h = fig.get_size_inches()
            width = bbox.width * fig_w
        plan = plan_drawing(definition, changes=changes, width=width, row_bits=row_bits)
        head_text = title if title is not None else definition.name
        sub = subtitle if subtitle is not None else default_subtitle(definition)
        head = _title_height(sub, width - 0.6)
        height = 0.15 + head + 0.12 + plan.height + 0.15
        if ax is None:
            fig, ax = _blank_figure(width, height)
        else:
            ax.set_axis_off()
            ax.set_xlim(0, width)
            ax.set_ylim(height, 0)
        _title_block(ax, 0.3, 0.15, head_text, sub, width - 0.6)
        _draw_plan(ax, plan, 0.0, 0.15 + head + 0.12)
        fig._draftscope_plan = plan          # what was drawn, for drawing_record / tests
    return fig


def draw_story(steps: Sequence[Any], *, title: str | None = None, width: float = 8.0,
               columns: int | None = None) -> "Figure":
    """Every step of a story as small multiples (two columns from four steps on, else one),
    in reading order, each headed by its revision and date, with its changes in words and
    marked in the drawing; one legend for all at the bottom (the story strip)."""
    drawable = [s for s in steps if getattr(s, "definition", None) is not None
                and s.definition.fields]
    if not drawable:
        raise NoDataError("no step of the story has a drawing")
    ncols = columns or (2 if len(drawable) >= 4 else 1)
    gap = 0.25
    col_w = (width - 0.3 - 0.3 - gap * (ncols - 1)) / ncols
    compact = ncols > 1
    with drawing_style():
        blocks = []
        kinds: list[str] = []
        styles: list[str] = []
        for step in drawable:
            plan = plan_drawing(step.definition, changes=step_changes(step), width=col_w,
                                row_h=0.3 if compact else 0.34, legend=False, compact=compact)
            head = step.label + (f" · {step.date_text}" if step.date_text else "")
            words = _fit_lines(step.summary, 7.5 if compact else 8, col_w - 0.1,
                               max_lines=3 if compact else 2)
            blocks.append((step, plan, head, words))
            for kind in plan.changes.kinds:
                if kind not in kinds:
                    kinds.append(kind)
            for style in _plan_styles(plan):
                if style not in styles:
                    styles.append(style)
        line = 0.15 if compact else 0.16
        head_h = [0.26 + line * len(words) + 0.06 for _s, _p, _h, words in blocks]
        block_h = [h + plan.height + 0.22 for h, (_s, plan, _hd, _w) in zip(head_h, blocks)]
        grid_rows = [block_h[k:k + ncols] for k in range(0, len(blocks), ncols)]
        legend = _key_lines(_Key(kinds=[k for k in CHANGE_ORDER if k in kinds], styles=styles),
                            width - 0.6)
        top = 0.75
        total = top + sum(max(r) for r in grid_rows) + (0.1 + 0.22 * len(legend)) + 0.1
        fig, ax = _blank_figure(width, total)
        first = drawable[0]
        name = title or f"{first.key}: {len(drawable)} steps"
        span = (f"{drawable[0].label} ({drawable[0].date_text}) → {drawable[-1].label} "
                f"({drawable[-1].date_text})" if drawable[0].date_text
                else f"{drawable[0].label} → {drawable[-1].label}")
        _title_block(ax, 0.3, 0.08, name, span, width - 0.6)
        y = top
        for r, row in enumerate(grid_rows):
            for c in range(len(row)):
                k = r * ncols + c
                step, plan, head, words = blocks[k]
                x = 0.3 + c * (col_w + gap)
                ax.plot([x, x + col_w], [y, y], color="#cbd2d9", linewidth=0.8, gid="step-rule")
                ax.text(x, y + 0.15, _plain(f"{step.index + 1}. {head}"), ha="left", va="center",
                        fontsize=9 if compact else 10, fontweight="bold", color=INK, family=FONT,
                        gid=f"step:{step.index}")
                for n, text in enumerate(words):
                    ax.text(x, y + 0.32 + n * line, _plain(text), ha="left", va="center",
                            fontsize=7.5 if compact else 8, color=MUTED, family=FONT,
                            gid=f"step-words:{step.index}")
                _draw_plan(ax, plan, x - plan.left, y + head_h[k])
            y += max(row)
        _draw_key(ax, legend, 0.3, y + 0.05, 0.22)
    fig._draftscope_plans = [b[1] for b in blocks]
    return fig


def _plan_styles(plan) -> list[str]:
    if not isinstance(plan, BitPlan):
        return []
    out = []
    for box in plan.boxes:
        f = box.field
        for style, on in (("variable", box.variable), ("optional", f.optional or bool(f.condition)),
                          ("reserved", f.reserved), ("repeated", f.repeated)):
            if on and style not in out:
                out.append(style)
    return out


def step_changes(step: Any) -> Any:
    """A story step's changes as drawn: a removed definition shows every field removed."""
    if step.change == "removed" and step.definition is not None:
        return [FieldChange("removed", f, None) for f in step.definition.fields]
    if step.change == "added":
        return None
    return step.field_changes


# --------------------------------------------------------------------------- records and files

def _field_dict(f: Field) -> dict[str, Any]:
    out = {"name": f.name, "bits": f.bits, "size": f.size, "type": f.type, "optional": f.optional,
           "repeated": f.repeated, "value": f.value, "condition": f.condition,
           "reserved": f.reserved}
    if f.variants:
        out["variants"] = [{"label": v.label, "fields": [_field_dict(g) for g in v.fields]}
                           for v in f.variants]
    return out


def drawing_record(plan: BitPlan | CardPlan) -> dict[str, Any]:
    """The drawn field model as JSON: each field, where it was drawn, how it was labelled and
    what change it shows."""
    d = plan.definition
    out: dict[str, Any] = {"definition": d.name, "notation": d.notation, "section": d.section,
                           "line": d.line, "caption": d.caption}
    fields = []
    if isinstance(plan, BitPlan):
        out["kind"] = "bit-diagram"
        out["row_bits"] = plan.row_bits
        out["rows"] = plan.rows
        for box in plan.boxes:
            fc = plan.changes.by_field.get(box.index)
            label = plan.labels[box.index]
            fields.append({**_field_dict(box.field), "position": box.index,
                           "variable": box.variable,
                           "segments": [{"row": s.row, "start": s.start, "end": s.end}
                                        for s in box.segments],
                           "label": list(label.lines), "callout": label.callout,
                           "change": fc.change if fc else None,
                           "old_name": fc.old.name if fc and fc.old and fc.new else None})
    else:
        out["kind"] = "card"
        for index, f in enumerate(d.fields):
            fc = plan.changes.by_field.get(index)
            fields.append({**_field_dict(f), "position": index,
                           "change": fc.change if fc else None,
                           "old_name": fc.old.name if fc and fc.old and fc.new else None})
    out["fields"] = fields
    out["removed"] = [_field_dict(f) for f in plan.changes.removed]
    return out


def drawing_rows(plan: BitPlan | CardPlan) -> list[dict[str, Any]]:
    """One row per drawn field (the CSV beside a figure)."""
    record = drawing_record(plan)
    rows = []
    for f in record["fields"]:
        segments = f.get("segments") or []
        rows.append({"definition": record["definition"], "position": f["position"],
                     "field": f["name"], "bits": f["bits"], "size": f["size"], "type": f["type"],
                     "optional": f["optional"], "repeated": f["repeated"], "value": f["value"],
                     "condition": f["condition"], "reserved": f["reserved"],
                     "first_row": segments[0]["row"] if segments else None,
                     "first_bit": segments[0]["start"] if segments else None,
                     "rows": len(segments) or None, "change": f["change"],
                     "old_name": f["old_name"]})
    return rows


IMAGE_FORMATS = ("png", "svg", "pdf")


def save_drawing(fig: "Figure", out_dir: str | Path, stem: str,
                 formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Write ``stem.<format>`` for each format into ``out_dir``, atomically (temp name, then
    rename), deterministically (no dates in the files, fixed SVG ids)."""
    from draftscope.plots.style import PNG_DPI

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with drawing_style():
        for fmt in formats:
            if fmt not in IMAGE_FORMATS:
                raise ValueError(f"unknown image format {fmt!r}")
            target = out / f"{stem}.{fmt}"
            partial = target.with_name(f".{target.name}.partial")
            metadata = {"png": {"Software": None}, "svg": {"Date": None},
                        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None}}[fmt]
            try:
                fig.savefig(partial, format=fmt, dpi=PNG_DPI, metadata=metadata)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
            written.append(target)
    return written
