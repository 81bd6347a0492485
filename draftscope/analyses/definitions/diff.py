"""Structural diff of the definitions of two revisions: which were added, removed or changed,
and for each matched pair, what happened to every field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from draftscope.analyses.definitions.extract import extract_definitions
from draftscope.analyses.definitions.match import match_definitions, match_fields, normalise_name
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionChange,
    DefinitionsDiff,
    Field,
    FieldChange,
    revision_label,
)


def _flag(details: list[str], old: bool, new: bool, what: str) -> None:
    if old != new:
        details.append(f"now {what}" if new else f"no longer {what}")


def _size_text(f: Field) -> str:
    return f.size or (str(f.bits) if f.bits is not None else "?")


def field_changes(old: Definition, new: Definition) -> tuple[FieldChange, ...]:
    """Every field of both definitions, in the new definition's order (removed ones where they were)."""
    pairs, moved = match_fields(old.fields, new.fields)
    by_new = {j: i for i, j in pairs}
    paired_old = {i for i, _ in pairs}
    out: list[FieldChange] = []
    pending_removed = [i for i in range(len(old.fields)) if i not in paired_old]

    def flush_removed(before_old: int) -> None:
        while pending_removed and pending_removed[0] < before_old:
            i = pending_removed.pop(0)
            out.append(FieldChange("removed", old.fields[i], None))

    for j, fn in enumerate(new.fields):
        if j not in by_new:
            out.append(FieldChange("added", None, fn))
            continue
        i = by_new[j]
        flush_removed(i)
        fo = old.fields[i]
        details: list[str] = []
        renamed = normalise_name(fo.name) != normalise_name(fn.name) or (
            fo.name.lower().split() != fn.name.lower().split())
        resized = fo.shape != fn.shape
        if resized:
            details.append(f"size {_size_text(fo)} -> {_size_text(fn)}")
            if fo.type != fn.type:
                details.append(f"type {fo.type or '-'} -> {fn.type or '-'}")
        _flag(details, fo.optional, fn.optional, "optional")
        _flag(details, fo.repeated, fn.repeated, "repeated")
        if fo.value != fn.value:
            details.append(f"value {fo.value or '-'} -> {fn.value or '-'}")
        if i in moved:
            details.append("moved")
        if renamed:
            kind = "renamed"
        elif resized or fo.optional != fn.optional or fo.repeated != fn.repeated:
            kind = "resized"
        elif i in moved:
            kind = "moved"
        else:
            kind = "unchanged"
        out.append(FieldChange(kind, fo, fn, tuple(details)))  # type: ignore[arg-type]
    flush_removed(len(old.fields) + 1)
    return tuple(out)


def compare_definitions(old: Definition, new: Definition, score: float = 1.0) -> DefinitionChange:
    """The change between two definitions already known to be the same one."""
    fields = field_changes(old, new)
    same = (
        all(f.change == "unchanged" for f in fields)
        and old.notation == new.notation
        and normalise_name(old.name) == normalise_name(new.name)
    )
    return DefinitionChange("unchanged" if same else "changed", old, new, fields, round(score, 3))


def diff_definition_lists(old: list[Definition], new: list[Definition],
                          old_label: str = "", new_label: str = "") -> DefinitionsDiff:
    """Diff two lists of definitions (pure): matched pairs in new order, removed ones where they were."""
    pairs = match_definitions(old, new)
    by_new = {j: (i, s) for i, j, s in pairs}
    paired_old = {i for i, _, _ in pairs}
    removed = [i for i in range(len(old)) if i not in paired_old]
    changes: list[DefinitionChange] = []
    for j, d in enumerate(new):
        if j in by_new:
            i, s = by_new[j]
            while removed and removed[0] < i:
                r = removed.pop(0)
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


def _definitions_and_label(x: Any) -> tuple[list[Definition], str]:
    if isinstance(x, list):
        return x, ""
    if isinstance(x, (str, Path)) or not hasattr(x, "lines"):
        from draftscope.text.document import load_document

        x = load_document(x)
    return extract_definitions(x), revision_label(x.name, x.rev)


def diff_definitions(a: Any, b: Any, *, old_label: str | None = None,
                     new_label: str | None = None) -> DefinitionsDiff:
    """What changed in the protocol definitions from ``a`` to ``b``.

    ``a`` and ``b`` are Documents, lists of :class:`Definition`, paths or Revisions.
    """
    old, la = _definitions_and_label(a)
    new, lb = _definitions_and_label(b)
    return diff_definition_lists(old, new, old_label if old_label is not None else la,
                                 new_label if new_label is not None else lb)
