"""Structural diff of the definitions of two revisions: which were added, removed or changed,
and for each matched pair, what happened to every field."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import replace
from functools import lru_cache
from collections.abc import Sequence
from typing import TYPE_CHECKING

from draftscope.analyses.definitions.extract import extract_definitions
from draftscope.analyses.definitions.match import (base_name, is_placeholder, match_definitions,
                                                   match_fields, normalise_name)
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionChange,
    DefinitionsDiff,
    Field,
    FieldChange,
    VariantChange,
    field_change_kind,
    revision_label,
)

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.document import Document


def _flag(details: list[str], old: bool, new: bool, what: str) -> None:
    if old != new:
        details.append(f"now {what}" if new else f"no longer {what}")


def _size_text(f: Field) -> str:
    return f.size or (str(f.bits) if f.bits is not None else "?")


@lru_cache(maxsize=4096)
def _size_set(size: str) -> frozenset[int] | None:
    """The widths a size allows when it is a choice (``8/16/24/32``) or a byte-aligned range of
    bits (``8..32``: whole octets from 1 to 4): the same set spelled two ways is the same size."""
    if re.fullmatch(r"\d+(?:/\d+)+", size):
        return frozenset(int(x) for x in size.split("/"))
    m = re.fullmatch(r"(\d+)\.\.(\d+)", size)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo % 8 == 0 and hi % 8 == 0 and lo <= hi and hi - lo <= 8 * 64:
            return frozenset(range(lo, hi + 1, 8))
    return None


def same_size(a: Field, b: Field) -> bool:
    """Whether two fields have the same width: the same fixed bits, the same size as written,
    or the same set of widths spelled as a choice and as a range (``8/16/24/32``, ``8..32``)."""
    if a.bits != b.bits:
        return False
    if a.bits is not None or a.size == b.size:
        return True
    sa, sb = _size_set(a.size), _size_set(b.size)
    return sa is not None and sa == sb


_MAX_NUMBER_CHARS = 64   # a longer value is compared as written, never converted


@lru_cache(maxsize=4096)
def normalise_value(value: str) -> str:
    """A fixed value compared across notations: ``0x1a``, ``26`` and ``0x1A`` are one value;
    ``{ 3, 3 }`` and ``{3,3}`` too; anything else as written without blanks."""
    text = "".join(value.split())
    if len(text) > _MAX_NUMBER_CHARS:      # compared as written: int() of 4301 digits raises
        return text.lower() if re.fullmatch(r"0x[0-9a-fA-F]+", text) else text
    try:
        return str(int(text, 0))
    except ValueError:
        pass
    if text.isdigit():
        return str(int(text))
    return text.lower() if re.fullmatch(r"0x[0-9a-fA-F]+(?:\.\.0x[0-9a-fA-F]+)?", text) else text


def _is_placeholder(f: Field) -> bool:
    """A cell that labels bits rather than naming a field: blank, drawn bit values or letters."""
    return not f.name.strip() or is_placeholder(f.name) or (bool(f.value) and f.name == f.value)


def _drawn_as_repeated(fo: Field, fn: Field) -> str | None:
    """``ACK Ranges (*)`` drawn again as ``ACK Range (..) ...``: a sequence named in the plural
    on one side, its element marked repeated on the other. The note to report, or None."""
    for plural, single in ((fo, fn), (fn, fo)):
        if (single.repeated and not plural.repeated and plural.bits is None and single.bits is None
                and base_name(plural.name) != base_name(single.name)
                and normalise_name(plural.name) == normalise_name(single.name)):
            return f"drawn as repeated {fn.name}" if single is fn else f"drawn as {fn.name}"
    return None


def compare_fields(fo: Field, fn: Field, moved: bool = False) -> FieldChange:
    """The change of one matched pair of fields: the aspects that differ, the kind derived from
    them (:func:`field_change_kind`) and a readable detail per aspect."""
    aspects: set[str] = set()
    details: list[str] = []
    redraw_note = _drawn_as_repeated(fo, fn)
    if normalise_name(fo.name) != normalise_name(fn.name) or (
            fo.name.lower().split() != fn.name.lower().split() and not redraw_note):
        aspects.add("name")
    if not same_size(fo, fn):
        aspects.add("size")
        details.append(f"size {_size_text(fo)} -> {_size_text(fn)}")
    if fo.type != fn.type:
        aspects.add("type")
        details.append(f"type {fo.type or '-'} -> {fn.type or '-'}")
    if normalise_value(fo.value) != normalise_value(fn.value):
        aspects.add("value")
        details.append(f"value {fo.value or '-'} -> {fn.value or '-'}")
    if fo.optional != fn.optional:
        aspects.add("optional")
        _flag(details, fo.optional, fn.optional, "optional")
    if fo.repeated != fn.repeated and not redraw_note:
        aspects.add("repeated")
        _flag(details, fo.repeated, fn.repeated, "repeated")
    if " ".join(fo.condition.split()) != " ".join(fn.condition.split()):
        aspects.add("condition")
        details.append(f"condition {fo.condition or '-'} -> {fn.condition or '-'}")
    variants: tuple[VariantChange, ...] = ()
    if fo.variants or fn.variants:
        variants = variant_changes(fo, fn)
        if any(v.change != "unchanged" for v in variants):
            aspects.add("variants")
            details.append(_describe_variants(variants))
    if moved:
        aspects.add("position")
        details.append("moved")
    if redraw_note:
        details.append(redraw_note)
    return FieldChange(field_change_kind(aspects), fo, fn, tuple(details), frozenset(aspects), variants)


def _describe_variants(variants) -> str:
    return "; ".join(_describe_variant(v) for v in variants if v.change != "unchanged")


def _describe_variant(v: VariantChange) -> str:
    if v.change in ("added", "removed"):
        return f"case {v.label} {v.change}"
    parts = []
    for fc in v.fields:
        if fc.change == "added":
            parts.append(f"+{fc.new.name}")
        elif fc.change == "removed":
            parts.append(f"-{fc.old.name}")
        elif fc.change != "unchanged":
            name = f"{fc.old.name} -> {fc.new.name}" if fc.change == "renamed" else fc.new.name
            parts.append(f"{name} ({fc.change})")
    return f"case {v.label}: {', '.join(parts)}"


def variant_changes(old: Field, new: Field) -> tuple[VariantChange, ...]:
    """The cases of two matched ``select`` fields, paired by label (new order, removed last)."""
    def key(label: str) -> str:
        return " ".join(label.split())

    old_by = {key(v.label): v for v in old.variants}
    new_keys = {key(v.label) for v in new.variants}
    out: list[VariantChange] = []
    for v in new.variants:
        before = old_by.get(key(v.label))
        if before is None:
            out.append(VariantChange("added", v.label, tuple(FieldChange("added", None, f) for f in v.fields)))
            continue
        fields = _field_changes(before.fields, v.fields)
        same = all(f.change == "unchanged" for f in fields)
        out.append(VariantChange("unchanged" if same else "changed", v.label, fields))
    for v in old.variants:
        if key(v.label) not in new_keys:
            out.append(VariantChange("removed", v.label, tuple(FieldChange("removed", f, None) for f in v.fields)))
    return _moves_between_cases(out)


def _moves_between_cases(cases: list[VariantChange]) -> tuple[VariantChange, ...]:
    """A field removed from one case and added to another (same name) moved between them.
    The added fields are indexed by name (a loop over every case per removed field took 43 s
    for 20k cases, issue 20)."""
    added: dict[str, list[tuple[int, int]]] = {}
    for b, vb in enumerate(cases):
        for k, came in enumerate(vb.fields):
            if came.change == "added":
                added.setdefault(normalise_name(came.new.name), []).append((b, k))
    if not added:
        return tuple(cases)
    found: dict[tuple[int, int], FieldChange] = {}
    for a, va in enumerate(cases):
        for fa, gone in enumerate(va.fields):
            if gone.change != "removed":
                continue
            candidates = added.get(normalise_name(gone.old.name), [])
            hit = next((n for n, (b, k) in enumerate(candidates) if b != a), None)
            if hit is None:
                continue
            b, fb = candidates.pop(hit)
            vb = cases[b]
            came = vb.fields[fb]
            found[(a, fa)] = _moved_change(gone.old, came.new, f"to case {vb.label}")
            found[(b, fb)] = _moved_change(gone.old, came.new, f"from case {va.label}")
    if not found:
        return tuple(cases)
    out = []
    for a, v in enumerate(cases):
        fields = tuple(found.get((a, k), fc) for k, fc in enumerate(v.fields))
        change = v.change
        if change == "changed" and all(f.change == "unchanged" for f in fields):
            change = "unchanged"
        out.append(VariantChange(change, v.label, fields))
    return tuple(out)


def _field_changes(old_fields: tuple[Field, ...], new_fields: tuple[Field, ...]) -> tuple[FieldChange, ...]:
    pairs, moved = match_fields(old_fields, new_fields)
    by_new = {j: i for i, j in pairs}
    paired_old = {i for i, _ in pairs}
    out: list[FieldChange] = []
    pending_removed = deque(i for i in range(len(old_fields)) if i not in paired_old)

    def flush_removed(before_old: int) -> None:
        while pending_removed and pending_removed[0] < before_old:
            i = pending_removed.popleft()
            out.append(FieldChange("removed", old_fields[i], None))

    for j, fn in enumerate(new_fields):
        if j not in by_new:
            out.append(FieldChange("added", None, fn))
            continue
        i = by_new[j]
        flush_removed(i)
        out.append(compare_fields(old_fields[i], fn, i in moved))
    flush_removed(len(old_fields) + 1)
    return _moves_across_cases(tuple(out))


def _moved_change(old: Field, new: Field, where: str) -> FieldChange:
    moved = compare_fields(old, new, True)
    kind = "moved" if moved.change in ("moved", "unchanged") else moved.change
    return FieldChange(kind, old, new, moved.details[:-1] + (where,), moved.aspects)


def _case_index(select: FieldChange) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(``added``/``removed``, normalised name) -> its (case, field) places in a select's cases,
    in order."""
    index: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for vi, v in enumerate(select.variants):
        for fi, inner in enumerate(v.fields):
            if inner.change in ("added", "removed"):
                f = inner.new if inner.change == "added" else inner.old
                index.setdefault((inner.change, normalise_name(f.name)), []).append((vi, fi))
    for places in index.values():
        places.reverse()                        # pop() takes the first
    return index


def _moves_across_cases(changes: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
    """A field removed from the top level and added in a case of a select (or the reverse) is
    one field that moved into (out of) a branch, not a removal and an addition. Each select's
    cases are indexed once (linear in the fields, issue 20)."""
    selects = [k for k, fc in enumerate(changes) if fc.variants]
    if not selects:
        return changes
    out = list(changes)
    indexes = {s: _case_index(changes[s]) for s in selects}
    cases = {s: [list(v.fields) for v in changes[s].variants] for s in selects}
    touched: set[int] = set()
    for k, fc in enumerate(changes):
        if fc.change not in ("added", "removed"):
            continue
        into = fc.change == "removed"           # gone from the top level: into a case?
        mine = fc.old if into else fc.new
        key = ("added" if into else "removed", normalise_name(mine.name))
        for s in selects:
            places = indexes[s].get(key)
            if not places:
                continue
            vi, fi = places.pop()
            case = changes[s].variants[vi]
            inner = cases[s][vi][fi]
            old, new = (mine, inner.new) if into else (inner.old, mine)
            out[k] = _moved_change(old, new, f"{'into' if into else 'out of'} case {case.label}")
            cases[s][vi][fi] = out[k]
            touched.add(s)
            break
    for s in touched:
        select = changes[s]
        variants = tuple(VariantChange(v.change, v.label, tuple(fields))
                         for v, fields in zip(select.variants, cases[s]))
        before = _describe_variants(select.variants)
        out[s] = replace(select, variants=variants, details=tuple(
            _describe_variants(variants) if d == before else d for d in select.details))
    return tuple(out)


def field_changes(old: Definition, new: Definition) -> tuple[FieldChange, ...]:
    """Every field of both definitions, in the new definition's order (removed ones where they were)."""
    return _field_changes(old.fields, new.fields)


DRAWN_NOW = "drawn now (a fixed value the other notation left out)"
NOT_DRAWN = "not drawn any more (a fixed value this notation leaves out)"


def _redraw_only(fc: FieldChange, notation_changed: bool) -> bool:
    """Whether a field change is only a matter of drawing: unchanged, a placeholder (``T T``,
    ``1``) given its name, a plural sequence drawn as a repeated element, or, with a change of
    notation, a fixed-value field (the frame type) that one drawing leaves out."""
    if fc.change == "unchanged":
        return True
    if fc.change in ("added", "removed"):
        return notation_changed and (DRAWN_NOW in fc.details or NOT_DRAWN in fc.details)
    aspects = set(fc.aspects)
    if notation_changed and "value" in aspects and not (fc.old.value and fc.new.value):
        aspects.discard("value")        # a value only one notation writes down: stated, not changed
    if aspects == {"name"}:
        return _is_placeholder(fc.old) or _is_placeholder(fc.new)
    return not aspects


def compare_definitions(old: Definition, new: Definition, score: float = 1.0) -> DefinitionChange:
    """The change between two definitions already known to be the same one: ``unchanged``,
    ``redrawn`` (another notation or named placeholders, same fields, widths and values) or
    ``changed``."""
    fields = field_changes(old, new)
    notation_changed = old.notation != new.notation
    if notation_changed:
        fields = tuple(
            FieldChange(fc.change, fc.old, fc.new,
                        fc.details + (DRAWN_NOW if fc.change == "added" else NOT_DRAWN,), fc.aspects)
            if fc.change in ("added", "removed") and (fc.new or fc.old).value
            and not (fc.new or fc.old).reserved else fc for fc in fields)
    same_name = normalise_name(old.name) == normalise_name(new.name)
    if all(f.change == "unchanged" for f in fields) and not notation_changed and same_name:
        kind = "unchanged"
    elif all(_redraw_only(f, notation_changed) for f in fields) and (notation_changed or same_name):
        kind = "redrawn"
    else:
        kind = "changed"
    return DefinitionChange(kind, old, new, fields, round(score, 3))  # type: ignore[arg-type]


def diff_definition_lists(old: list[Definition], new: list[Definition],
                          old_label: str = "", new_label: str = "") -> DefinitionsDiff:
    """Diff two lists of definitions (pure): matched pairs in new order, removed ones where they were."""
    pairs = match_definitions(old, new)
    by_new = {j: (i, s) for i, j, s in pairs}
    paired_old = {i for i, _, _ in pairs}
    removed = deque(i for i in range(len(old)) if i not in paired_old)
    changes: list[DefinitionChange] = []
    for j, d in enumerate(new):
        if j in by_new:
            i, s = by_new[j]
            while removed and removed[0] < i:
                r = removed.popleft()
                changes.append(DefinitionChange("removed", old[r], None,
                                                tuple(FieldChange("removed", f, None) for f in old[r].fields)))
            changes.append(compare_definitions(old[i], d, s))
        else:
            changes.append(DefinitionChange("added", None, d,
                                            tuple(FieldChange("added", None, f) for f in d.fields)))
    for r in removed:
        changes.append(DefinitionChange("removed", old[r], None,
                                        tuple(FieldChange("removed", f, None) for f in old[r].fields)))
    return DefinitionsDiff(old_label, new_label, tuple(changes))


def _definitions_and_label(x: "Document | Sequence[Definition]", parameter: str,
                           ) -> tuple[list[Definition], str]:
    from draftscope.text.document import Document

    if isinstance(x, Document):
        return extract_definitions(x), revision_label(x.name, x.rev)
    if isinstance(x, (list, tuple)):
        for k, item in enumerate(x):
            if not isinstance(item, Definition):
                raise TypeError(f"diff_definitions: {parameter}= must be a Document or a list of "
                                f"Definitions; item {k} is {type(item).__name__}")
        return list(x), ""
    raise TypeError(f"diff_definitions: {parameter}= must be a Document (load a file or Revision "
                    f"with draftscope.load_document) or a list of Definitions, not "
                    f"{type(x).__name__}")


def diff_definitions(old: "Document | Sequence[Definition]", new: "Document | Sequence[Definition]",
                     *, old_label: str | None = None, new_label: str | None = None) -> DefinitionsDiff:
    """What changed in the protocol definitions from ``old`` to ``new``.

    ``old`` and ``new`` are each a :class:`~draftscope.text.document.Document` (load a file or a
    Revision with ``load_document``) or lists of :class:`Definition`; the labels default to the
    documents' (``draft-x-07``) or "".
    """
    before, la = _definitions_and_label(old, "old")
    after, lb = _definitions_and_label(new, "new")
    return diff_definition_lists(before, after, old_label if old_label is not None else la,
                                 new_label if new_label is not None else lb)
