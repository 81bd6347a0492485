"""Definitions, diffs and histories as rows: plain dicts for CSV/JSON (no pandas, for the CLI)
and tidy pandas DataFrames for notebooks and plots (pandas imported only when asked for)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Union

from draftscope.analyses.definitions.diff import DRAWN_NOW, NOT_DRAWN
from draftscope.analyses.definitions.model import (
    FIELD_ASPECTS,
    Definition,
    DefinitionChange,
    DefinitionHistory,
    DefinitionsDiff,
    Field,
    FieldChange,
    Unread,
)
from draftscope.analyses.definitions.pattern import DefinitionPattern, definition_pattern

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.analyses.definitions.history import RevisionSource
    from draftscope.text.document import Document


def matching_keys(definition: str | DefinitionPattern, names: Iterable[tuple[Any, ...]], *,
                  ignore_case: bool = False) -> set[Any]:
    """The keys of the ``(key, definition name[, caption])`` rows that ``definition`` (a regular
    expression, case-sensitive unless ``ignore_case``; :mod:`~draftscope.analyses.definitions.pattern`)
    finds in the key (a definition's identity across renames), the name or the caption: ``ACK``
    finds ``ACK Frame`` and ``ACK_ECN``, not ``Packet``."""
    return definition_pattern(definition, ignore_case=ignore_case).matching_keys(names)


# one row per field; fields inside a TLS select's case follow the select field with the case's
# label in ``case`` (position counts within the case)
FIELD_COLUMNS = ["name", "rev", "definition", "notation", "section", "line", "position", "field",
                 "bits", "size", "type", "optional", "repeated", "value", "condition", "reserved",
                 "case", "example", "warnings", "unread", "unread_kind"]
HISTORY_COLUMNS = ["name", "rev", "label", "date", "key", "definition", "notation", "change",
                   "fields", "fields_added", "fields_removed", "fields_changed", "details",
                   "first_mentioned", "caption"]
# a figure no reader could read (``definitions --format json``'s "unread", history's per revision)
UNREAD_COLUMNS = ["line", "section", "caption", "notation", "kind", "reason", "example"]


def unread_record(u: Unread, *, with_lines: bool = True) -> dict[str, Any]:
    """One unread figure, for JSON: where it is, why it was not read and (``with_lines``) the
    figure as printed."""
    record: dict[str, Any] = {k: getattr(u, k) for k in UNREAD_COLUMNS}
    if with_lines:
        record["lines"] = list(u.lines)
    return record


def field_record(f: Field) -> dict[str, Any]:
    record: dict[str, Any] = {"name": f.name, "bits": f.bits, "size": f.size, "type": f.type,
                              "optional": f.optional, "repeated": f.repeated, "value": f.value,
                              "condition": f.condition, "reserved": f.reserved}
    if f.variants:
        record["variants"] = [{"label": v.label, "fields": [field_record(g) for g in v.fields]}
                              for v in f.variants]
    return record


def definition_record(d: Definition) -> dict[str, Any]:
    """One definition with its fields, for JSON."""
    return {"name": d.name, "notation": d.notation, "section": d.section, "line": d.line,
            "caption": d.caption, "example": d.example, "warnings": list(d.warnings),
            "fields": [field_record(f) for f in d.fields]}


def show_field(f: Field) -> str:
    """A field as a reader writes it: ``Type (i) = 0x00``, ``[ECN Counts (..)]``,
    ``ACK Range (..) ...``, TLS ``opaque label<7..255> = "tls13 " + Label``, ``warning(1)`` (a
    TLS enum member and its code point), ``select (x) {case a: f; case b: g}``."""
    if f.type == "enum":
        return f"{f.name}({f.value})" if f.value else f.name
    if f.variants:
        cases = "; ".join(f"case {v.label}: " + (", ".join(show_field(g) for g in v.fields) or "-")
                          for v in f.variants)
        return f"{f.name} {{{cases}}}"
    if f.type:                    # TLS: as the presentation language writes it
        vector = f.size if f.size.startswith(("<", "[")) else ""
        text = f"{f.type} {f.name}{vector}" if f.type != f.name else f"{f.name}{vector}"
    else:
        text = f"{f.name} ({f.size})" if f.size else f.name
    if f.value:
        text += f" = {f.value}"
    if f.condition:
        text += f" ({f.condition})"     # as written: "if E=0", "depending on flags"
    text = f"[{text}]" if f.optional else text
    return text + " ..." if f.repeated else text


def definition_summary(d: Definition) -> dict[str, Any]:
    """One definition on one line, for tables: its fields (:func:`show_field`) joined by ``, ``."""
    return {"name": d.name, "notation": d.notation, "section": d.section, "line": d.line,
            "fields": len(d.fields), "layout": ", ".join(show_field(f) for f in d.fields),
            "example": d.example, "warnings": list(d.warnings)}


def unread_name(u: Unread) -> str:
    """What an unread figure is called in tables: its caption, else its section, else its line."""
    return u.caption or u.section or f"line {u.line}"


def field_rows(definitions: Iterable[Definition], name: str = "", rev: str = "",
               unread: Iterable[Unread] = ()) -> list[dict[str, Any]]:
    """One row per field (tidy): the long form of a revision's definitions (:data:`FIELD_COLUMNS`).

    Each figure of ``unread`` is one row too, in document order, with no field, ``unread``
    saying why it was not read and ``unread_kind`` what it is ("unreadable" or "not a
    definition"; both "" on the rows of fields)."""
    rows: list[dict[str, Any]] = []

    def add(d: Definition, fields: Sequence[Field], case: str) -> None:
        warnings = "; ".join(d.warnings)
        for position, f in enumerate(fields):
            rows.append({"name": name, "rev": rev, "definition": d.name, "notation": d.notation,
                         "section": d.section, "line": d.line, "position": position,
                         "field": f.name, "bits": f.bits, "size": f.size, "type": f.type,
                         "optional": f.optional, "repeated": f.repeated, "value": f.value,
                         "condition": f.condition, "reserved": f.reserved, "case": case,
                         "example": d.example, "warnings": warnings, "unread": "",
                         "unread_kind": ""})
            for v in f.variants:
                add(d, v.fields, f"{case} / {v.label}" if case else v.label)

    figures = sorted(unread, key=lambda u: u.line)
    for d in definitions:
        while figures and figures[0].line < d.line:
            rows.append(_unread_row(figures.pop(0), name, rev))
        add(d, d.fields, "")
    rows.extend(_unread_row(u, name, rev) for u in figures)
    return rows


def _unread_row(u: Unread, name: str, rev: str) -> dict[str, Any]:
    row: dict[str, Any] = {column: None for column in FIELD_COLUMNS}
    row.update({"name": name, "rev": rev, "definition": unread_name(u), "notation": u.notation,
                "section": u.section, "line": u.line, "example": u.example, "unread": u.reason,
                "unread_kind": u.kind,
                "optional": False, "repeated": False, "reserved": False, "case": "",
                "warnings": ""})
    return row


def _ordered_aspects(aspects: Iterable[str]) -> list[str]:
    order = {a: k for k, a in enumerate(FIELD_ASPECTS)}
    return sorted(aspects, key=lambda a: order.get(a, len(order)))


def field_change_record(fc: FieldChange) -> dict[str, Any]:
    """A field change in the ``diff --format json`` contract (plus sizes, values and details).

    ``aspects`` lists what differs (:data:`FIELD_ASPECTS`); ``variants`` (a TLS select's cases)
    is present only for select fields."""
    record = {
        "change": fc.change,
        "from": fc.old.name if fc.old else None,
        "to": fc.new.name if fc.new else None,
        "bits_from": fc.old.bits if fc.old else None,
        "bits_to": fc.new.bits if fc.new else None,
        "size_from": fc.old.size if fc.old else None,
        "size_to": fc.new.size if fc.new else None,
        "details": list(fc.details),
        "value_from": fc.old.value if fc.old else None,
        "value_to": fc.new.value if fc.new else None,
        "type_from": fc.old.type if fc.old else None,
        "type_to": fc.new.type if fc.new else None,
        "aspects": _ordered_aspects(fc.aspects),
    }
    if fc.variants:
        record["variants"] = [{"change": v.change, "label": v.label,
                               "fields": [field_change_record(f) for f in v.fields]}
                              for v in fc.variants]
    return record


def definition_change_record(c: DefinitionChange) -> dict[str, Any]:
    return {
        "change": c.change,
        "from": c.old.name if c.old else None,
        "to": c.new.name if c.new else None,
        "notation_from": c.old.notation if c.old else None,
        "notation_to": c.new.notation if c.new else None,
        "score": c.score,
        "fields": [field_change_record(f) for f in c.fields],
    }


def diff_record(diff: DefinitionsDiff, *, include_unchanged: bool = True) -> dict[str, Any]:
    """The ``draftscope diff --format json`` document."""
    return {
        "from": diff.old_label,
        "to": diff.new_label,
        "definitions": [definition_change_record(c) for c in diff.changes
                        if include_unchanged or c.change != "unchanged"],
    }


DIFF_COLUMNS = ["from", "to", "definition_change", "definition_from", "definition_to",
                "notation_from", "notation_to", "case", "field_change", "field_from", "field_to",
                "bits_from", "bits_to", "size_from", "size_to", "value_from", "value_to", "aspects",
                "details"]


def diff_rows(diff: DefinitionsDiff) -> list[dict[str, Any]]:
    """``diff --format csv``: one row per field change (:data:`DIFF_COLUMNS`); the fields inside
    a TLS select's cases follow their select field with the case label in ``case``."""
    rows: list[dict[str, Any]] = []
    for c in diff.changes:
        head = {"from": diff.old_label, "to": diff.new_label, "definition_change": c.change,
                "definition_from": c.old.name if c.old else None,
                "definition_to": c.new.name if c.new else None,
                "notation_from": c.old.notation if c.old else None,
                "notation_to": c.new.notation if c.new else None}

        def add(changes: Sequence[FieldChange], case: str) -> None:
            for fc in changes:
                r = field_change_record(fc)
                rows.append({**head, "case": case, "field_change": fc.change, "field_from": r["from"],
                             "field_to": r["to"], "bits_from": r["bits_from"], "bits_to": r["bits_to"],
                             "size_from": r["size_from"], "size_to": r["size_to"],
                             "value_from": r["value_from"], "value_to": r["value_to"],
                             "aspects": " ".join(r["aspects"]), "details": "; ".join(fc.details)})
                for v in fc.variants:
                    add(v.fields, f"{case} / {v.label}" if case else v.label)

        add(c.fields, "")
    return rows


def describe_field_changes(changes: Sequence[FieldChange]) -> str:
    """``"+Type; ACK Ranges -> ACK Range (now repeated)"``: the field changes on one line."""
    parts = []
    for fc in changes:
        if fc.change == "added":
            parts.append(f"+{fc.new.name}" + (" (drawn now)" if DRAWN_NOW in fc.details else ""))
        elif fc.change == "removed":
            parts.append(f"-{fc.old.name}" + (" (not drawn any more)" if NOT_DRAWN in fc.details else ""))
        elif fc.change != "unchanged":
            text = f"{fc.old.name} -> {fc.new.name}" if fc.change == "renamed" else fc.new.name
            # "Length (moved)", not "(moved: moved)"; "Type (value: 0x1a -> 0x2a)", not "value: value"
            detail = ", ".join(d.removeprefix(f"{fc.change} ") for d in fc.details if d != fc.change)
            parts.append(f"{text} ({fc.change}{': ' + detail if detail else ''})"
                         if fc.change != "renamed" else f"{text}{' (' + detail + ')' if detail else ''}")
    return "; ".join(parts)



HistorySource = Union[DefinitionHistory, Sequence["RevisionSource"]]


def _history(history_or_revisions: HistorySource, **kwargs: Any) -> DefinitionHistory:
    if isinstance(history_or_revisions, DefinitionHistory):
        return history_or_revisions
    if not isinstance(history_or_revisions, (list, tuple)):
        raise TypeError("history_or_revisions= must be a DefinitionHistory or a list of "
                        f"Revisions, Documents or paths, not {type(history_or_revisions).__name__}")
    from draftscope.analyses.definitions.history import definition_history

    return definition_history(history_or_revisions, **kwargs)


def history_records(history_or_revisions: HistorySource, *,
                    definition: str | DefinitionPattern | None = None,
                    changes_only: bool = False, ignore_case: bool = False,
                    **kwargs: Any) -> list[dict[str, Any]]:
    """One row per (definition, revision) event; see :func:`history_frame` for the columns."""
    history = _history(history_or_revisions, **kwargs)
    events = history.events
    if definition:
        keys = matching_keys(definition, ((e.key, e.definition, e.caption) for e in events),
                             ignore_case=ignore_case)
        events = [e for e in events if e.key in keys]
    mentioned = {e.key: e.first_mentioned for e in events if e.change == "added"}
    rows = []
    for e in events:
        if changes_only and e.change == "unchanged":
            continue
        rows.append({
            "name": e.name, "rev": e.rev, "label": e.label,
            "date": e.date.isoformat() if hasattr(e.date, "isoformat") else e.date,
            "key": e.key, "definition": e.definition, "notation": e.notation, "change": e.change,
            "fields": e.fields, "fields_added": e.fields_added, "fields_removed": e.fields_removed,
            "fields_changed": e.fields_changed, "details": describe_field_changes(e.field_changes),
            "first_mentioned": mentioned.get(e.key), "caption": e.caption,
        })
    return rows


def history_unread_records(history: DefinitionHistory) -> list[dict[str, Any]]:
    """The figures each revision of a history could not read: one row per figure, in lineage
    order (``label`` first, then :data:`UNREAD_COLUMNS`; no lines)."""
    return [{"label": label, **unread_record(u, with_lines=False)}
            for label in history.labels for u in history.unread.get(label, ())]


def history_frame(history_or_revisions: HistorySource, *,
                  definition: str | DefinitionPattern | None = None,
                  changes_only: bool = False, ignore_case: bool = False, **kwargs: Any):
    """Tidy DataFrame of a definition history: one row per definition per revision.

    ``history_or_revisions`` is a :class:`DefinitionHistory`, a lineage's revisions (then
    :func:`definition_history` runs; ``kwargs`` go to it), or many lineages
    (``fetch_lineages``' ``{lineage: revisions}`` or a list of lineages: one history each).
    Columns:

    - ``lineage``: what ``fetch_lineages`` calls the lineage (its last draft name)
    - ``name``, ``rev``, ``label``, ``date``: the revision (``label`` is ``name-rev`` or
      ``rfcNNNN``; ``date`` a UTC datetime)
    - ``key``: identity of the definition across renames (its name where it last appears)
    - ``definition``: its name in this revision (in the previous one for ``removed``)
    - ``notation``: a registered notation's name (``boxart`` | ``fieldlist`` | ``tls-struct`` |
      ``tls-enum``; :func:`~draftscope.analyses.definitions.notations.notation_info` says its words)
    - ``change``: ``added`` (first drawn: every definition of the first revision, and any drawn
      later) | ``changed`` (a field added, removed, renamed, resized, retyped, given another
      value or flags, or moved) | ``redrawn`` (another notation or named placeholders, the same
      fields, widths and values) | ``removed`` | ``unchanged``; after ``removed`` a definition
      has no more rows
    - ``fields``: number of fields in this revision (0 when removed)
    - ``fields_added``, ``fields_removed``, ``fields_changed`` (any of ``CHANGED_FIELD_KINDS``)
    - ``details``: the field changes on one line (``"+Type; ACK Ranges -> ACK Range (now repeated)"``)
    - ``first_mentioned``: the label of the earliest revision, before it was first drawn, with a
      section heading naming the definition (PADDING Frame: described from -00, drawn from -29);
      None when its headings are no earlier than its drawing
    - ``caption``: its figure caption in this revision ("" when it has none)

    Per-lineage counts: ``frame.groupby("change").size()`` or
    ``(frame["change"] == "added").sum()``. ``definition`` keeps only definitions whose key, any
    name or caption matches that regular expression (case-sensitive unless ``ignore_case``;
    :mod:`~draftscope.analyses.definitions.pattern`); ``changes_only`` drops ``unchanged`` rows.
    """
    import pandas as pd

    from draftscope.fetch.names import is_rfc
    from draftscope.tables.keywords import lineage_groups

    rows = []
    for lineage, source in lineage_groups(history_or_revisions, "history_or_revisions"):
        found = history_records(source, definition=definition, changes_only=changes_only,
                                ignore_case=ignore_case, **kwargs)
        if not lineage:     # a bare history: named as fetch_lineages names it, its last draft
            drafts = [r["name"] for r in found if not is_rfc(r["name"])] or [r["name"] for r in found]
            lineage = drafts[-1] if drafts else ""
        rows += [{"lineage": lineage, **r} for r in found]
    frame = pd.DataFrame(rows, columns=["lineage", *HISTORY_COLUMNS])
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    for column in ("fields", "fields_added", "fields_removed", "fields_changed"):
        frame[column] = frame[column].astype(int)
    return frame


DefinitionsSource = Union["Document", "RevisionSource", Sequence["RevisionSource"], Sequence[Definition]]


def definitions_frame(sources: DefinitionsSource, *, examples: bool = False):
    """Tidy DataFrame of definitions, one row per field, and one per figure that was not read.

    ``sources`` is a Document, a path or Revision, a list of those (one per revision), many
    lineages (``fetch_lineages``' ``{lineage: revisions}`` or a list of lineages), or a list of
    :class:`Definition`. Columns: :data:`~draftscope.tables.keywords.IDENTITY_COLUMNS` (``lineage`` what ``fetch_lineages``
    calls it, or the document's name; ``label``; ``date`` a UTC datetime, missing for a path;
    empty for bare Definitions), then ``definition, notation, section, line,
    position`` (of the field in its definition), ``field, bits`` (None when not fixed), ``size``
    (as written, normalised: ``"32"``, ``"i"``, ``".."``, ``"0..160"``, ``"<0..2^16-1>"``),
    ``type`` (TLS), ``optional, repeated, value`` (fixed value, default or enum code point),
    ``condition, reserved``, ``case`` (the TLS select case holding the field, "" at the top
    level), ``example`` (the definition is a notation example), ``warnings`` (the
    definition's, joined by "; ": where its drawing and text disagreed and what won, TLS types
    left unresolved; "" when none), ``unread`` (on the row of a
    figure no reader could read: why, its ``definition`` its caption or section; "" on field
    rows), ``unread_kind`` ("unreadable": a drawing like a definition that could not be read;
    "not a definition": a table or flow diagram; "" on field rows). ``examples`` keeps notation
    examples.
    """
    import pandas as pd

    from draftscope.analyses.definitions.history import read_revision
    from draftscope.tables.keywords import IDENTITY_COLUMNS, lineage_groups
    from draftscope.text.document import Document

    if isinstance(sources, (list, tuple)) and sources and all(isinstance(d, Definition) for d in sources):
        rows = field_rows(sources)
    else:
        rows = []
        for lineage, items in lineage_groups(sources, "sources"):
            for item in items if isinstance(items, (list, tuple)) else [items]:
                if not isinstance(item, (Document, str, os.PathLike)) and not hasattr(item, "path"):
                    raise TypeError("definitions_frame: sources= must be Documents, Revisions, "
                                    f"paths or Definitions, not {type(item).__name__}")
                (name, rev, label, date), defs, _titles, unread = read_revision(item, examples)
                identity = {"lineage": lineage or name, "label": label, "date": date}
                rows.extend({**row, **identity} for row in field_rows(defs, name, rev, unread))
    frame = pd.DataFrame(rows, columns=[*IDENTITY_COLUMNS, *FIELD_COLUMNS[2:]])
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    frame["bits"] = frame["bits"].astype("Int64")     # missing when the width is not fixed
    frame["position"] = frame["position"].astype("Int64")    # missing on an unread figure's row
    return frame
