"""Definitions, diffs and histories as rows: plain dicts for CSV/JSON (no pandas, for the CLI)
and tidy pandas DataFrames for notebooks and plots (pandas imported only when asked for)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionChange,
    DefinitionHistory,
    DefinitionsDiff,
    Field,
    FieldChange,
)
from draftscope.errors import DefinitionsInputError


def matching_keys(definition: str, names: Iterable[tuple[Any, Any]]) -> set[Any]:
    """The keys of the ``(key, definition name)`` pairs that ``definition`` (a case-insensitive
    regular expression) finds in the name or in the key (a definition's identity across renames)."""
    import re

    try:
        pattern = re.compile(definition, re.IGNORECASE)
    except re.error as exc:
        raise DefinitionsInputError(f"--definition {definition!r} is not a valid pattern: {exc}") from None
    return {key for key, name in names if pattern.search(str(name)) or pattern.search(str(key))}


FIELD_COLUMNS = ["name", "rev", "definition", "notation", "section", "line", "position", "field",
                 "bits", "size", "type", "optional", "repeated", "value"]
HISTORY_COLUMNS = ["name", "rev", "label", "date", "key", "definition", "notation", "change",
                   "fields", "fields_added", "fields_removed", "fields_changed", "details"]


def field_record(f: Field) -> dict[str, Any]:
    return {"name": f.name, "bits": f.bits, "size": f.size, "type": f.type,
            "optional": f.optional, "repeated": f.repeated, "value": f.value}


def definition_record(d: Definition) -> dict[str, Any]:
    """One definition with its fields, for JSON."""
    return {"name": d.name, "notation": d.notation, "section": d.section, "line": d.line,
            "caption": d.caption, "fields": [field_record(f) for f in d.fields]}


def definition_summary(d: Definition) -> dict[str, Any]:
    """One definition on one line, for tables: its fields as ``Name (size)`` joined by ``, ``."""
    def show(f: Field) -> str:
        text = f"{f.name} ({f.size})" if f.size else f.name
        text = f"[{text}]" if f.optional else text
        return text + " ..." if f.repeated else text
    return {"name": d.name, "notation": d.notation, "section": d.section, "line": d.line,
            "fields": len(d.fields), "layout": ", ".join(show(f) for f in d.fields)}


def field_rows(definitions: Iterable[Definition], name: str = "", rev: str = "") -> list[dict[str, Any]]:
    """One row per field (tidy): the long form of a revision's definitions."""
    rows = []
    for d in definitions:
        for position, f in enumerate(d.fields):
            rows.append({"name": name, "rev": rev, "definition": d.name, "notation": d.notation,
                         "section": d.section, "line": d.line, "position": position,
                         "field": f.name, "bits": f.bits, "size": f.size, "type": f.type,
                         "optional": f.optional, "repeated": f.repeated, "value": f.value})
    return rows


def field_change_record(fc: FieldChange) -> dict[str, Any]:
    """A field change in the ``diff --format json`` contract (plus sizes and details)."""
    return {
        "change": fc.change,
        "from": fc.old.name if fc.old else None,
        "to": fc.new.name if fc.new else None,
        "bits_from": fc.old.bits if fc.old else None,
        "bits_to": fc.new.bits if fc.new else None,
        "size_from": fc.old.size if fc.old else None,
        "size_to": fc.new.size if fc.new else None,
        "details": list(fc.details),
    }


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


def describe_field_changes(changes: Sequence[FieldChange]) -> str:
    """``"+Type; ACK Ranges -> ACK Range (now repeated)"``: the field changes on one line."""
    parts = []
    for fc in changes:
        if fc.change == "added":
            parts.append(f"+{fc.new.name}")
        elif fc.change == "removed":
            parts.append(f"-{fc.old.name}")
        elif fc.change != "unchanged":
            text = f"{fc.old.name} -> {fc.new.name}" if fc.change == "renamed" else fc.new.name
            detail = ", ".join(d for d in fc.details if d != "moved" or fc.change != "moved")
            parts.append(f"{text} ({fc.change}{': ' + detail if detail else ''})"
                         if fc.change != "renamed" else f"{text}{' (' + detail + ')' if detail else ''}")
    return "; ".join(parts)


def _history(history_or_revisions: Any, **kwargs: Any) -> DefinitionHistory:
    if isinstance(history_or_revisions, DefinitionHistory):
        return history_or_revisions
    from draftscope.analyses.definitions.history import definition_history

    return definition_history(history_or_revisions, **kwargs)


def history_records(history_or_revisions: Any, *, definition: str | None = None,
                    changes_only: bool = False, **kwargs: Any) -> list[dict[str, Any]]:
    """One row per (definition, revision) event; see :func:`history_frame` for the columns."""
    history = _history(history_or_revisions, **kwargs)
    events = history.events
    if definition:
        keys = matching_keys(definition, ((e.key, e.definition) for e in events))
        events = [e for e in events if e.key in keys]
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
        })
    return rows


def history_frame(history_or_revisions: Any, *, definition: str | None = None,
                  changes_only: bool = False, **kwargs: Any):
    """Tidy DataFrame of a definition history: one row per definition per revision.

    ``history_or_revisions`` is a :class:`DefinitionHistory` or the lineage's revisions (then
    :func:`definition_history` runs; ``kwargs`` go to it). Columns:

    - ``name``, ``rev``, ``label``, ``date``: the revision (``label`` is ``name-rev`` or ``rfcNNNN``)
    - ``key``: identity of the definition across renames (its name where it last appears)
    - ``definition``: its name in this revision (in the previous one for ``removed``)
    - ``notation``: ``boxart`` | ``fieldlist`` | ``tls-struct`` | ``tls-enum``
    - ``change``: ``added`` | ``changed`` | ``removed`` | ``unchanged`` (every definition of the
      first revision is ``added``; after ``removed`` a definition has no more rows)
    - ``fields``: number of fields in this revision (0 when removed)
    - ``fields_added``, ``fields_removed``, ``fields_changed`` (renamed, resized or moved)
    - ``details``: the field changes on one line (``"+Type; ACK Ranges -> ACK Range (now repeated)"``)

    Per-lineage counts: ``frame.groupby("change").size()`` or
    ``(frame["change"] == "added").sum()``. ``definition`` keeps only definitions whose any name
    matches that regular expression; ``changes_only`` drops ``unchanged`` rows.
    """
    import pandas as pd

    rows = history_records(history_or_revisions, definition=definition, changes_only=changes_only,
                           **kwargs)
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for column in ("fields", "fields_added", "fields_removed", "fields_changed"):
        frame[column] = frame[column].astype(int)
    return frame


def definitions_frame(sources: Any):
    """Tidy DataFrame of definitions, one row per field.

    ``sources`` is a Document, a path or Revision, a list of those (one per revision), or a list
    of :class:`Definition`. Columns: ``name, rev, definition, notation, section, line,
    position`` (of the field in its definition), ``field, bits`` (None when not fixed), ``size``
    (as written, normalised: ``"32"``, ``"i"``, ``".."``, ``"0..160"``, ``"<0..2^16-1>"``),
    ``type`` (TLS), ``optional, repeated, value``.
    """
    import pandas as pd

    from draftscope.analyses.definitions.history import extract_revision

    if isinstance(sources, list) and sources and all(isinstance(d, Definition) for d in sources):
        rows = field_rows(sources)
    else:
        items = sources if isinstance(sources, (list, tuple)) else [sources]
        rows = []
        for item in items:
            (name, rev, _label, _date), defs = extract_revision(item)
            rows.extend(field_rows(defs, name, rev))
    frame = pd.DataFrame(rows, columns=FIELD_COLUMNS)
    frame["bits"] = frame["bits"].astype("Int64")     # missing when the width is not fixed
    return frame
