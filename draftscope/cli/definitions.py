"""``draftscope definitions``, ``diff`` and ``history``: protocol definitions of one revision,
what changed between two, and how each evolved over a lineage.

Thin wrappers over :mod:`draftscope.analyses.definitions` and :mod:`draftscope.tables.definitions`
(the same calls the notebooks make). Nothing heavy at import time.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from draftscope.cli.common import (add_command, add_definition_options, add_examples_option,
                                   add_format_option, add_strict_option,
                                   add_workers_option, check_target, definition_pattern,
                                   network_options, note, progress_bar, session_from_args,
                                   write_json, write_records)
from draftscope.errors import NoDataError, OfflineMissingError, ParseError, UsageError


TARGET_HELP = "draft-NAME-NN, draft-NAME (latest revision), rfcNNNN or a local .txt/.xml file"


def register(subparsers: Any) -> None:
    common = network_options()

    p = add_command(
        subparsers, "definitions", parents=[common],
        help="list the protocol definitions (packet/frame/message formats) of a revision",
        description="List the protocol definitions of one revision: ASCII box diagrams, QUIC\n"
                    "field lists (transport -28 on) and TLS struct/enum, each with its fields\n"
                    "(name, size in bits or as written, fixed value or code point,\n"
                    "[optional], repeated ..., the cases of a TLS select).\n"
                    "A figure drawn with box lines that no notation reader could read is\n"
                    "listed as unread, with its kind and reason: 'unreadable' (drawn like a\n"
                    "definition: --strict exits 1) or 'not a definition' (a table, a flow).\n"
                    "table: one block per definition, then the unread figures; json:\n"
                    "definitions with their fields and the unread figures; csv: one row per\n"
                    "field and one per unread figure (unread: the reason, unread_kind).",
        examples=("draftscope definitions draft-ietf-quic-transport-28",
                  "draftscope definitions rfc8446 --format csv > tls13-fields.csv",
                  "draftscope definitions ./draft-x-y-03.xml --format json"),
    )
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    add_format_option(p)
    add_examples_option(p)
    add_strict_option(p)
    p.set_defaults(func=run_definitions)

    d = add_command(
        subparsers, "diff", parents=[common],
        help="structural diff of the protocol definitions of two revisions",
        description="Match the definitions of A and B (even renamed or redrawn in another\n"
                    "notation) and report, field by field, what was added, removed, renamed,\n"
                    "resized, retyped, given another value or flags, or moved. A definition\n"
                    "drawn in another notation with the same fields, widths and values is\n"
                    "'redrawn', not 'changed'. table: the changes (--all: everything); csv:\n"
                    "one row per field change; json: the machine contract, every definition.",
        examples=("draftscope diff draft-ietf-quic-transport-27 draft-ietf-quic-transport-28",
                  "draftscope diff draft-ietf-quic-transport-34 rfc9000 --all",
                  "draftscope diff draft-ietf-quic-transport-27 draft-ietf-quic-transport-28 "
                  "--definition '^ACK'",
                  "draftscope diff old.txt new.txt --format json"),
    )
    d.add_argument("a", metavar="A", help=TARGET_HELP)
    d.add_argument("b", metavar="B", help=TARGET_HELP)
    add_format_option(d)
    d.add_argument("--all", action="store_true",
                   help="table: also list unchanged definitions and unchanged fields")
    add_definition_options(d)
    add_examples_option(d)
    add_strict_option(d)
    d.set_defaults(func=run_diff)

    h = add_command(
        subparsers, "history", parents=[common],
        help="when each definition of a lineage is first drawn, changes and disappears",
        description="Follow every protocol definition across NAME's lineage (individual\n"
                    "drafts -> WG draft -> RFC): the revision that first draws it (and an\n"
                    "earlier one whose section headings already name it), each change with its\n"
                    "field changes, each redraw in another notation, and the revision that\n"
                    "removes it. table: one block per definition, changes only; csv/json: one\n"
                    "row per definition and revision (HISTORY_COLUMNS: history_frame without\n"
                    "its lineage column).",
        examples=("draftscope history draft-ietf-quic-transport --definition '^ACK Frame'",
                  "draftscope history draft-ietf-quic-transport --definition '^ack' -i "
                  "--format csv > ack.csv",
                  "draftscope history rfc9000 --changes-only --format json --workers 4"),
    )
    h.add_argument("name", metavar="NAME", help="draft name (draft-...) or rfcNNNN")
    add_definition_options(h)
    add_format_option(h)
    h.add_argument("--changes-only", action="store_true",
                   help="csv/json: drop the rows of revisions where nothing changed (the table "
                        "lists changes only already)")
    add_workers_option(h)
    add_examples_option(h)
    add_strict_option(h)
    h.set_defaults(func=run_history)


def _one_revision(target: str, args: argparse.Namespace, session):
    """The file of one revision (the latest of draft-NAME), fetched unless --offline."""
    check_target(target)
    revisions = session.resolve(target, lineage=False)
    usable = [r for r in revisions if r.path is not None]
    if not usable and args.offline:
        raise OfflineMissingError(f"{target}: not in the cache (drop --offline to fetch it)")
    if not usable:
        raise NoDataError(f"{target}: no file available")
    return usable[-1]


def _read(revision: Any, examples: bool):
    """The definitions and unread figures of one fetched revision (notation examples only with
    ``examples``): the file is loaded here, at the edge."""
    from draftscope.analyses.definitions import read_definitions
    from draftscope.analyses.definitions.model import Extraction
    from draftscope.text.document import load_document

    found = read_definitions(load_document(revision))
    if examples:
        return found
    return Extraction(tuple(d for d in found.definitions if not d.example),
                      tuple(u for u in found.unread if not u.example))


def strict_error(where: str, count: int, first: str) -> ParseError:
    """``--strict``: the one line that says how many figures drawn like definitions could not
    be read and the first (``first``: "line 70 (reason)", with the revision's label before it
    along a lineage). Figures that are no definition (tables, flows) never count."""
    more = f" and {count - 1} more" if count > 1 else ""
    noun = "figure" if count == 1 else "figures"
    return ParseError(f"{where}: {count} {noun} not read (--strict): {first}{more}; "
                      "'draftscope definitions' lists them")


def unreadable(unread: Sequence[Any]) -> list[Any]:
    """The unread figures (Unread objects or their records) that --strict fails on: drawings
    like a definition that could not be read, not tables or flow diagrams."""
    from draftscope.analyses.definitions.model import UNREADABLE

    return [u for u in unread if (u["kind"] if isinstance(u, dict) else u.kind) == UNREADABLE]


def unread_counts(unread: Sequence[Any]) -> str:
    """"3 unreadable, 6 not a definition": the unread figures counted by kind."""
    bad = len(unreadable(unread))
    return f"{bad} unreadable, {len(unread) - bad} not a definition"


def format_definitions_text(label: str, definitions: list, unread: tuple | list = ()) -> str:
    """The ``definitions`` table: one labelled block per definition, then one per unread
    figure (pure)."""
    from draftscope.analyses.definitions.notations import notation_label
    from draftscope.tables.definitions import definition_summary, unread_name

    noun = "definition" if len(definitions) == 1 else "definitions"
    head = f"{label}: {len(definitions)} {noun}"
    if unread:
        head += (f", {len(unread)} figure{'s' if len(unread) != 1 else ''} not read "
                 f"({unread_counts(unread)})")
    lines = [head]
    if definitions:
        lines.append(f"{'line':>6}  {'notation':<10} name  [section]")
        lines.append(f"{'':>6}  fields: name (size) = value, [optional], repeated ...")
    for d in definitions:
        s = definition_summary(d)
        example = "  (notation example)" if s["example"] else ""
        lines.append(f"{s['line']:>6}  {notation_label(s['notation']):<10} {s['name']}  "
                     f"[{s['section']}]{example}")
        lines.extend(f"{'':>6}  {part}" for part in wrap_fields(s["layout"]))
        for warning in s["warnings"]:
            lines.extend(f"{'':>6}  {part}" for part in wrap_fields(f"warning: {warning}"))
    if unread:
        lines.append("not read (figures drawn with box lines that no notation reader could read):")
    for u in unread:
        lines.append(f"{u.line:>6}  {notation_label(u.notation):<10} {unread_name(u)}  [{u.section}]")
        lines.extend(f"{'':>6}  {part}" for part in wrap_fields(f"{u.kind}: {u.reason}"))
    return "\n".join(lines)


TABLE_WIDTH = 100    # the terminal tables' width (the keywords table keeps to it too)


def wrap_fields(layout: str, width: int = TABLE_WIDTH - 8) -> list[str]:
    """A definition's ``"A (8), B (i), ..."`` in lines of at most ``width`` characters, broken
    after a field's comma or a select case's semicolon only (a longer field keeps its line);
    joined with spaces the lines are ``layout`` again (pure). RFC 9000's Initial Packet was one
    300-column line, RFC 5246's Handshake body 390."""
    import re

    lines: list[str] = []
    for piece in re.split(r"(?<=[,;]) ", layout):
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines or [""]


def run_definitions(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.tables.definitions import (FIELD_COLUMNS, definition_record, field_rows,
                                               unread_record)

    with session_from_args(args) as session:
        revision = _one_revision(args.target, args, session)
    found = _read(revision, args.examples)
    definitions, unread = list(found.definitions), list(found.unread)
    label = revision_label(revision.name, revision.rev)
    if args.format == "json":
        write_json({"document": label, "definitions": [definition_record(d) for d in definitions],
                    "unread": [unread_record(u) for u in unread]}, indent=2)
    elif args.format == "csv":
        write_records(field_rows(definitions, revision.name, revision.rev, unread), FIELD_COLUMNS,
                      "csv")
    else:
        print(format_definitions_text(label, definitions, unread))
    failing = unreadable(unread)
    if args.strict and failing:
        raise strict_error(label, len(failing), f"line {failing[0].line} ({failing[0].reason})")
    return 0


DIFF_MARKS = {"added": "+", "removed": "-", "changed": "~", "redrawn": "*", "unchanged": "="}


def _field_line(f: dict) -> str:
    size_from, size_to = f["size_from"], f["size_to"]
    if f["change"] == "added":
        text = f"+ {f['to']} ({size_to})"
    elif f["change"] == "removed":
        text = f"- {f['from']} ({size_from})"
    elif f["change"] == "renamed":
        text = f"~ {f['from']} -> {f['to']}"
    elif f["change"] == "unchanged":
        text = f"  {f['to']}"
    else:
        text = f"~ {f['to']}"
    # not "moved: moved", not "value: value - -> 0"
    details = [d.removeprefix(f"{f['change']} ") for d in f["details"] if d != f["change"]]
    tag = f"{f['change']}" + (f": {', '.join(details)}" if details else "")
    return f"    {text:<48} {tag if f['change'] != 'unchanged' else ''}".rstrip()


def format_diff_text(record: dict, *, show_unchanged: bool = False) -> str:
    """The readable ``diff`` report from a :func:`diff_record` document (pure): the changes;
    ``show_unchanged`` adds unchanged definitions and the unchanged fields of the others."""
    from collections import Counter

    from draftscope.analyses.definitions.notations import notation_label

    defs = record["definitions"]
    counts = Counter(d["change"] for d in defs)
    lines = [f"definitions {record['from']} -> {record['to']}: "
             + ", ".join(f"{counts.get(k, 0)} {k}"
                         for k in ("added", "removed", "changed", "redrawn", "unchanged"))]
    for d in defs:
        if d["change"] == "unchanged" and not show_unchanged:
            continue
        old_notation = notation_label(d["notation_from"]) if d["notation_from"] else ""
        new_notation = notation_label(d["notation_to"]) if d["notation_to"] else ""
        if d["change"] == "added":
            head = f"{d['to']} ({new_notation})"
        elif d["change"] == "removed":
            head = f"{d['from']} ({old_notation})"
        else:
            name = d["to"] if d["from"] == d["to"] else f"{d['from']} -> {d['to']}"
            notation = (new_notation if d["notation_from"] == d["notation_to"]
                        else f"{old_notation} -> {new_notation}")
            head = f"{name} ({notation})" + (" redrawn" if d["change"] == "redrawn" else "")
        lines.append(f"{DIFF_MARKS[d['change']]} {head}")
        if d["change"] in ("added", "removed"):
            continue
        for f in d["fields"]:
            if f["change"] != "unchanged" or show_unchanged:
                lines.append(_field_line(f))
            for case in f.get("variants", ()):
                if case["change"] == "unchanged" and not show_unchanged:
                    continue
                lines.append(f"      case {case['label']}: {case['change']}")
                for g in case["fields"]:
                    if g["change"] != "unchanged" or show_unchanged:
                        lines.append("    " + _field_line(g))
    return "\n".join(lines)


def _only_matching(diff: Any, pattern: Any, where: str) -> Any:
    """The changes of the definitions ``pattern`` finds in the old or the new revision (a
    definition renamed into or out of a match stays one change)."""
    from dataclasses import replace

    def hit(p: Any) -> list:
        return [c for c in diff.changes
                if any(d is not None and p.matches_definition(d) for d in (c.old, c.new))]

    kept = hit(pattern)
    if not kept:
        raise pattern.no_match(where, would_match_ignoring_case=bool(hit(pattern.folded())))
    return replace(diff, changes=tuple(kept))


def run_diff(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions import diff_definition_lists
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.tables.definitions import DIFF_COLUMNS, diff_record, diff_rows

    pattern = definition_pattern(args)          # compiled once, checked before any I/O
    with session_from_args(args) as session:       # one client: the lineage asked for once
        a = _one_revision(args.a, args, session)
        b = _one_revision(args.b, args, session)
    old, new = _read(a, args.examples), _read(b, args.examples)
    labels = revision_label(a.name, a.rev), revision_label(b.name, b.rev)
    diff = diff_definition_lists(list(old.definitions), list(new.definitions), *labels)
    if pattern is not None:
        diff = _only_matching(diff, pattern, f"{labels[0]} -> {labels[1]}")
    if args.format == "csv":
        write_records(diff_rows(diff), DIFF_COLUMNS, "csv")
    else:
        record = diff_record(diff)
        if args.format == "json":
            write_json(record, indent=2)
        else:
            print(format_diff_text(record, show_unchanged=args.all))
    for label, found in zip(labels, (old, new)):
        if found.unread:
            failing = unreadable(found.unread)
            if args.strict and failing:
                first = failing[0]
                raise strict_error(label, len(failing), f"line {first.line} ({first.reason})")
            note(args, f"draftscope: {label}: {len(found.unread)} figure"
                       f"{'s' if len(found.unread) != 1 else ''} not read ("
                       f"{unread_counts(found.unread)}), not compared "
                       f"('draftscope definitions {label}' lists them)")
    return 0


def format_history_text(history, definition: Any = None, *, ignore_case: bool = False,
                        rows: list[dict] | None = None) -> str:
    """One block per definition: first drawn (and first mentioned), changes and redraws with
    field details, removed; a last line counts the figures not read (pure). ``rows``: the
    history's records already computed (:func:`history_records`), else they are computed here
    for the definitions ``definition`` matches."""
    from draftscope.analyses.definitions.notations import notation_label
    from draftscope.analyses.definitions.pattern import revisions_text
    from draftscope.tables.definitions import history_records

    if rows is None:
        rows = history_records(history, definition=definition, ignore_case=ignore_case)

    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["key"], []).append(row)
    noun = "definition" if len(by_key) == 1 else "definitions"
    lines = [f"{len(by_key)} {noun} over {revisions_text(history.labels)}"
             if history.labels else "no revisions"]
    for key, events in by_key.items():
        lines.append(key)
        notation_before = None
        for e in events:
            notation = notation_label(e["notation"])
            if e["change"] in ("changed", "redrawn") and notation_before not in (None, e["notation"]):
                # redrawn, e.g. as a field list
                notation = f"{notation_label(notation_before)} -> {notation}"
            notation_before = e["notation"]
            if e["change"] == "unchanged":
                continue
            what = {"added": "first drawn", "removed": "removed", "changed": "changed",
                    "redrawn": "redrawn"}[e["change"]]
            name = f" as {e['definition']}" if e["definition"] != key and e["change"] != "removed" else ""
            detail = (f": {e['details']}" if e["change"] in ("changed", "redrawn") and e["details"]
                      else "")
            if e["change"] == "added" and e["first_mentioned"]:
                detail = f"; named in section headings since {e['first_mentioned']}"
            lines.append(f"  {e['label']:<32} {what}{name} ({notation}){detail}")
    everything = [u for figures in history.unread.values() for u in figures]
    if everything:
        unread = len(everything)
        revisions = sum(1 for u in history.unread.values() if u)
        lines.append(f"not read: {unread} figure{'s' if unread != 1 else ''} drawn with box lines "
                     f"in {revisions} revision{'s' if revisions != 1 else ''} "
                     f"({unread_counts(everything)}; "
                     "'draftscope definitions REVISION' lists them and why)")
    return "\n".join(lines)


def run_history(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions import definition_history
    from draftscope.analyses.definitions.pattern import revisions_text
    from draftscope.tables.definitions import (HISTORY_COLUMNS, history_records,
                                               history_unread_records)

    check_target(args.name)
    if args.changes_only and args.format == "table":
        raise UsageError("--changes-only applies to --format csv or json (the table lists "
                         "changes only)")
    pattern = definition_pattern(args)          # compiled once, checked before any I/O
    with session_from_args(args) as session:
        revisions = session.resolve(args.name, lineage=True)
    with progress_bar(args, total=len(revisions), desc="definitions", unit="rev") as bar:
        history = definition_history(revisions, workers=args.workers, progress=bar.update,
                                     examples=args.examples)
    if not history.labels:
        raise NoDataError(f"{args.name}: no revision available to read")
    rows = history_records(history, definition=pattern)          # computed once
    if pattern is not None and not rows:
        # as draw and story say it: an empty table would read as "nothing ever changed"
        raise pattern.no_match(args.name, within=f" in {revisions_text(history.labels)}",
                               would_match_ignoring_case=bool(history_records(
                                   history, definition=pattern.folded())))
    unread = history_unread_records(history)
    if args.format == "table":
        print(format_history_text(history, rows=rows))
    else:
        if args.changes_only:
            rows = [r for r in rows if r["change"] != "unchanged"]
        if args.format == "json":
            write_json({"name": args.name, "revisions": history.labels, "events": rows,
                        "unread": unread}, indent=2)
        else:
            write_records(rows, HISTORY_COLUMNS, "csv")
            if unread and not (args.strict and unreadable(unread)):
                note(args, f"draftscope: {len(unread)} figure{'s' if len(unread) != 1 else ''} "
                           f"not read ({unread_counts(unread)}; '--format json' lists them)")
    failing = unreadable(unread)
    if args.strict and failing:
        first = failing[0]
        raise strict_error(args.name, len(failing),
                           f"{first['label']} line {first['line']} ({first['reason']})")
    return 0
