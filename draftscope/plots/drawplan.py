"""A definition's drawing planned in inches: the layout (:mod:`draftscope.outputs.layout`) with
every label fitted to its box and the key under it, ready to be drawn (:mod:`.drawing`) and
recorded as JSON (:func:`drawing_record`). No matplotlib artists here, only measuring."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field as dc_field
from typing import Any

from draftscope.analyses.definitions.model import Definition, Field, FieldChange
from draftscope.errors import NoDataError
from draftscope.outputs.layout import (CARD_NOTATIONS, MAX_ROWS, FieldBox, Layout, MatchedChanges,
                                       display_name, field_details, field_dict, join_details,
                                       label_region, layout_definition)
from draftscope.plots.fonts import MONO, text_width
from draftscope.plots.labels import PT, FittedLabel, fit_label

STYLE_WORDS = {
    "variable": "torn edge: variable (or unread) length",
    "optional": "dashed: optional or conditional",
    "reserved": "hatched: reserved",
    "repeated": "double outline: repeated",
}
# a removed field no longer in the drawing is listed in red words under it: the legend says so
LISTED_REMOVED = "removed:listed"


@dataclass
class Key:
    """Lines drawn under a drawing: callouts, removed fields, the colour and style legend."""

    callouts: list[tuple[int, str]] = dc_field(default_factory=list)
    removed: list[Field] = dc_field(default_factory=list)
    kinds: list[str] = dc_field(default_factory=list)
    styles: list[str] = dc_field(default_factory=list)     # "optional", "reserved", "variable", "repeated"


def legend_kinds(changes: MatchedChanges) -> list[str]:
    """The change kinds a legend shows: ``removed`` as a box when a removed field is drawn,
    as red words when removed fields are only listed under the drawing."""
    drawn_removed = any(fc.change == "removed" for fc in changes.by_field.values())
    out = []
    for kind in changes.kinds:
        if kind == "removed" and not drawn_removed:
            out.append(LISTED_REMOVED)
        else:
            out.append(kind)
    return out


def box_styles(box: FieldBox) -> list[str]:
    f = box.field
    return [style for style, on in (("variable", box.variable),
                                    ("optional", f.optional or bool(f.condition)),
                                    ("reserved", f.reserved), ("repeated", f.repeated)) if on]


class _Planned:
    """What every plan says of itself: the definition, its changes, its JSON record."""

    layout: Layout

    @property
    def definition(self) -> Definition:
        return self.layout.definition

    @property
    def changes(self) -> MatchedChanges:
        return self.layout.changes

    def record(self) -> dict[str, Any]:
        return drawing_record(self)


@dataclass
class BitPlan(_Planned):
    """A bit diagram laid out in inches at a given width, ready to draw."""

    layout: Layout
    labels: dict[int, FittedLabel]
    width: float                   # inches
    bit_w: float
    row_h: float
    left: float
    ruler_h: float
    key_lines: list[tuple[str, str, list]]   # (kind, text, extra) lines of the key
    key_line_h: float
    height: float
    key_size: float = 8.0

    @property
    def boxes(self) -> tuple[FieldBox, ...]:
        return self.layout.boxes

    @property
    def row_bits(self) -> int:
        return self.layout.row_bits

    @property
    def rows(self) -> int:
        return self.layout.rows


def _bit_plan(layout: Layout, width: float, *, row_h: float = 0.42, left: float = 0.3,
              right: float = 0.3, ruler: bool = True, legend: bool = True,
              label_sizes: Sequence[float] = (9.0, 8.0, 7.0), key_size: float = 8.0) -> BitPlan:
    bits = layout.row_bits
    inner = width - left - right
    bit_w = inner / bits
    labels: dict[int, FittedLabel] = {}
    key = Key(removed=list(layout.changes.removed), kinds=legend_kinds(layout.changes))
    for box in layout.boxes:
        fc = layout.changes.by_field.get(box.index)
        details = field_details(box.field, fc)
        region_w, region_h = label_region(box, bits)
        width_pt = region_w * bit_w / PT - (8 if box.variable else 0)
        height_pt = region_h * row_h / PT
        fitted = fit_label(display_name(box.field), details, width_pt, height_pt, sizes=label_sizes)
        if fitted is None:
            number = len(key.callouts) + 1
            key.callouts.append((number, join_details([display_name(box.field),
                                                       *(t for t, _ in details)])))
            fitted = FittedLabel((str(number),), 8.0, 0, callout=number)
        labels[box.index] = fitted
        for style in box_styles(box):
            if style not in key.styles:
                key.styles.append(style)
    ruler_h = 0.2 if ruler else 0.0
    key_line_h = 0.22 * key_size / 8.0
    lines = key_lines(key, width - left - right, legend=legend, size=key_size)
    height = ruler_h + layout.rows * row_h + (0.12 + len(lines) * key_line_h if lines else 0.0)
    return BitPlan(layout, labels, width, bit_w, row_h, left, ruler_h, lines, key_line_h, height,
                   key_size)


# the legend's word for a kind where the kind's name alone would mislead
LEGEND_WORDS = {"flags": "optional / condition"}
LISTED_WORDS = ("Removed:", "listed below")


def legend_item(kind: str, item: str) -> tuple[float, str]:
    """(sample width in inches, word) of one legend entry, as :func:`.drawing.draw_key` draws it."""
    if item == LISTED_REMOVED:
        return text_width(LISTED_WORDS[0] + " ", 8) * PT, LISTED_WORDS[1]
    if kind == "legend":
        return 0.22, LEGEND_WORDS.get(item, item)
    return 0.22, STYLE_WORDS[item]


def _split_legend(kind: str, items: list[str], width: float) -> list[tuple[str, str, list]]:
    lines: list[tuple[str, str, list]] = []
    current: list[str] = []
    used = 0.0
    for item in items:
        sample, word = legend_item(kind, item)
        wide = sample + text_width(word, 8) * PT + 0.25
        if current and used + wide - 0.25 > width:
            lines.append((kind, "", current))
            current, used = [], 0.0
        current.append(item)
        used += wide
    if current:
        lines.append((kind, "", current))
    return lines


def key_lines(key: Key, width: float, *, legend: bool = True,
              size: float = 8.0) -> list[tuple[str, str, list]]:
    """The key under a drawing as lines that fit ``width`` inches at ``size`` pt: callouts and
    removed fields flowing (a piece longer than a line wrapped by words), the legend entries
    wrapped too."""
    from draftscope.plots.labels import fit_lines

    lines: list[tuple[str, str, list]] = []
    limit = width / PT

    def flow(pieces: list[str], kind: str, gap: str, indent: str) -> None:
        current = ""
        for piece in pieces:
            candidate = f"{current}{gap}{piece}" if current.strip() else f"{current}{piece}"
            if text_width(candidate, size) <= limit:
                current = candidate
                continue
            if current.strip():
                lines.append((kind, current.rstrip(), []))
                current = indent
            if text_width(current + piece, size) <= limit:
                current += piece
                continue
            parts = fit_lines(piece, size, width - text_width(indent, size) * PT, max_lines=4)
            for part in parts[:-1]:
                lines.append((kind, (current + part).rstrip(), []))
                current = indent
            current += parts[-1]
        if current.strip():
            lines.append((kind, current.rstrip(), []))

    if key.callouts:         # flowing: "1 CWR   2 ECE   3 URG ..."
        flow([f"{number}  {text}" for number, text in key.callouts], "callout", "     ", "    ")
    if key.removed:
        from draftscope.analyses.definitions.story import field_words

        words = [field_words(f) for f in key.removed]
        pieces = [("Removed: " if k == 0 else "") + w + ("," if k + 1 < len(words) else "")
                  for k, w in enumerate(words)]
        flow(pieces, "removed", " ", "    ")
    if not legend:
        return lines
    if key.kinds:
        lines += _split_legend("legend", list(key.kinds), width)
    if key.styles:
        lines += _split_legend("styles", list(key.styles), width)
    return lines


@dataclass
class CardPlan(_Planned):
    """A TLS struct or enum laid out as a card of rows."""

    layout: Layout
    rows: list[dict[str, Any]]      # {"depth", "cells": [type, name, size, default], "index", "change"}
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


def _card_row(depth: int, cells: list[str], index: int | None = None, change: str | None = None,
              old: str | None = None) -> dict[str, Any]:
    return {"depth": depth, "cells": cells, "index": index, "change": change, "old": old}


def card_rows(definition: Definition, matched: MatchedChanges) -> list[dict[str, Any]]:
    """The lines of a TLS card, ``select`` cases indented (iteratively: no recursion limit)."""
    rows: list[dict[str, Any]] = []
    enum = definition.notation == "tls-enum"
    stack: list[tuple[Any, int, bool, int]] = [(iter(enumerate(definition.fields)), 0, True, -1)]
    while stack:
        items, depth, top, close_depth = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            if close_depth >= 0:
                rows.append(_card_row(close_depth, ["};", "", "", ""]))
            continue
        index, f = item
        if index is None:              # a case head
            rows.append(_card_row(depth, [f"case {f}:", "", "", ""]))
            continue
        fc = matched.by_field.get(index) if top else None
        if f.variants:
            head = f.name if f.name.startswith("select") else f"select ({f.name})"
            rows.append(_card_row(depth, [f"{head} {{", "", "", ""], index if top else None,
                                  fc.change if fc else None))
            cases = [(variant.label, variant.fields) for variant in f.variants]
            # popped in order: each case's head line, its fields; then the closing brace
            stack.append((iter(()), depth, False, depth))           # closes the select
            for label, fields in reversed(cases):
                stack.append((iter(enumerate(fields)), depth + 2, False, -1))
                stack.append((iter([(None, label)]), depth + 1, False, -1))
            continue
        if enum:
            cells = [f.name, f"({f.value})" if f.value else "", "", ""]
        else:
            bounds = f.size if f.size and not f.size.isdigit() else ""
            cells = [f.type or "", f.name, bounds, f"= {f.value}" if f.value else ""]
        old = None
        if fc is not None and fc.old is not None and fc.new is not None and fc.old.name != fc.new.name:
            old = fc.old.name
        rows.append(_card_row(depth, cells, index if top else None, fc.change if fc else None, old))
    return rows


def _card_plan(layout: Layout, width: float, *, left: float = 0.3, right: float = 0.3,
               legend: bool = True, key_size: float = 8.0) -> CardPlan:
    rows = card_rows(layout.definition, layout.changes)
    inner = width - left - right
    indent = 0.25
    spans = [row for row in rows if row["cells"][1:] == ["", "", ""]]
    for size in (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0):
        col_w = [0.0, 0.0, 0.0, 0.0]
        for row in rows:
            if row in spans:
                continue          # select/case lines run over the columns
            for c, text in enumerate(row["cells"]):
                extra = row["depth"] * indent if c == 0 else 0.0
                wide = text_width(text, size, family=MONO) * PT
                if c == 1 and row["old"]:
                    wide += text_width(f"  was {row['old']}", size - 1) * PT
                col_w[c] = max(col_w[c], extra + wide)
        widths = [w + 12 * PT if w else 0.0 for w in col_w]
        spanning = max((row["depth"] * indent + text_width(row["cells"][0], size, family=MONO) * PT
                        for row in spans), default=0.0)
        if sum(widths) <= inner - 0.2 and spanning <= inner - 0.2:
            break
    columns = [0.12]
    for w in widths[:-1]:
        columns.append(columns[-1] + w)
    row_h = size * 1.75 * PT
    head_h = 0.36
    key = Key(removed=list(layout.changes.removed), kinds=legend_kinds(layout.changes))
    lines = key_lines(key, inner, legend=legend, size=key_size)
    key_line_h = 0.22 * key_size / 8.0
    height = head_h + len(rows) * row_h + 0.1 + (0.12 + len(lines) * key_line_h if lines else 0.0)
    return CardPlan(layout, rows, width, left, columns, size, row_h, head_h, lines, key_line_h,
                    height, key_size)


def plan_drawing(definition: Definition, *, changes: Any = None, width: float = 8.0,
                 row_h: float = 0.42, row_bits: int | None = None, legend: bool = True,
                 compact: bool = False, max_rows: int | None = MAX_ROWS) -> BitPlan | CardPlan:
    """The drawing of ``definition`` laid out at ``width`` inches: a bit diagram or a card.
    ``compact``: smaller type, for the small multiples of a story strip. ``max_rows``: refuse
    (PlotInputError) a drawing taller than that (None: no limit)."""
    if not definition.fields:
        raise NoDataError(f"{definition.name}: no fields to draw")
    layout = layout_definition(definition, changes=changes, row_bits=row_bits, max_rows=max_rows)
    if definition.notation in CARD_NOTATIONS:
        return _card_plan(layout, width, legend=legend,
                          left=0.02 if compact else 0.3, right=0.02 if compact else 0.3,
                          key_size=7.0 if compact else 8.0)
    margin = 0.02 if compact else 0.3
    return _bit_plan(layout, width, row_h=row_h, legend=legend,
                     label_sizes=(8.0, 7.0, 6.5) if compact else (9.0, 8.0, 7.0),
                     left=margin, right=margin, key_size=7.0 if compact else 8.0)


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
            first, last = box.offset(plan.row_bits)
            fields.append({**field_dict(box.field), "position": box.index,
                           "variable": box.variable, "offset": first, "width": last - first + 1,
                           "segments": [{"row": s.row, "start": s.start, "end": s.end}
                                        for s in box.segments],
                           "label": list(label.lines), "callout": label.callout,
                           "change": fc.change if fc else None,
                           "old_name": fc.old.name if fc and fc.old and fc.new else None})
    else:
        out["kind"] = "card"
        for index, f in enumerate(d.fields):
            fc = plan.changes.by_field.get(index)
            fields.append({**field_dict(f), "position": index,
                           "change": fc.change if fc else None,
                           "old_name": fc.old.name if fc and fc.old and fc.new else None})
    out["fields"] = fields
    out["removed"] = [field_dict(f) for f in plan.changes.removed]
    return out


def step_changes(step: Any) -> Any:
    """A story step's changes as drawn: a removed definition shows every field removed."""
    if step.change == "removed" and step.definition is not None:
        return [FieldChange("removed", f, None) for f in step.definition.fields]
    if step.change == "added":
        return None
    return step.field_changes
