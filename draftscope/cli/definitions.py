"""``draftscope definitions``, ``diff`` and ``history``: protocol definitions of one revision,
what changed between two, and how each evolved over a lineage.

Thin wrappers over :mod:`draftscope.analyses.definitions` and :mod:`draftscope.tables.definitions`
(the same calls the notebooks make). Nothing heavy at import time.
"""

from __future__ import annotations

import argparse
from typing import Any

from draftscope.cli.common import (add_command, check_pattern, check_positive, check_target,
                                   library_progress, network_options, progress_bar,
                                   settings_from_args, write_json, write_records)
from draftscope.errors import NoDataError, OfflineMissingError


TARGET_HELP = "draft-NAME-NN, draft-NAME (latest revision), rfcNNNN or a local .txt/.xml file"


def register(subparsers: Any) -> None:
    common = network_options()

    p = add_command(
        subparsers, "definitions", parents=[common],
        help="list the protocol definitions (packet/frame/message formats) of a revision",
        description="List the protocol definitions of one revision: ASCII box diagrams, QUIC\n"
                    "field lists (transport -28 on) and TLS struct/enum, each with its fields\n"
                    "(name, size in bits or as written, optional/repeated).",
        examples=("draftscope definitions draft-ietf-quic-transport-28",
                  "draftscope definitions rfc8446 --format csv > tls13-fields.csv",
                  "draftscope definitions ./draft-x-y-03.xml --format json"),
    )
    p.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="table: one line per definition; json: definitions with fields; "
                        "csv: one row per field (default: table)")
    p.set_defaults(func=run_definitions)

    d = add_command(
        subparsers, "diff", parents=[common],
        help="structural diff of the protocol definitions of two revisions",
        description="Match the definitions of A and B (even renamed or redrawn in another\n"
                    "notation) and report, field by field, what was added, removed, renamed,\n"
                    "resized or moved.",
        examples=("draftscope diff draft-ietf-quic-transport-27 draft-ietf-quic-transport-28",
                  "draftscope diff draft-ietf-quic-transport-34 rfc9000 --all",
                  "draftscope diff old.txt new.txt --format json"),
    )
    d.add_argument("a", metavar="A", help=TARGET_HELP)
    d.add_argument("b", metavar="B", help=TARGET_HELP)
    d.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: a readable report; json: the machine contract (default: text)")
    d.add_argument("--all", action="store_true",
                   help="also list unchanged definitions in the text report")
    d.set_defaults(func=run_diff)

    h = add_command(
        subparsers, "history", parents=[common],
        help="when each definition of a lineage appears, changes and disappears",
        description="Follow every protocol definition across NAME's lineage (individual\n"
                    "drafts -> WG draft -> RFC): the revision that introduces it, each change\n"
                    "with its field changes, and the revision that removes it.",
        examples=("draftscope history draft-ietf-quic-transport --definition ACK",
                  "draftscope history draft-ietf-quic-transport --definition '^ACK' "
                  "--format csv > ack.csv",
                  "draftscope history rfc9000 --changes-only --format json --jobs 4"),
    )
    h.add_argument("name", metavar="NAME", help="draft name (draft-...) or rfcNNNN")
    h.add_argument("--definition", metavar="PATTERN",
                   help="only definitions any of whose names match this regular expression")
    h.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table: one block per definition; csv/json: one row per definition "
                        "and revision, the columns of history_frame (default: table)")
    h.add_argument("--changes-only", action="store_true",
                   help="csv/json: drop the rows of revisions where nothing changed")
    h.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="extract revisions in N processes (default: 1)")
    h.set_defaults(func=run_history)


def _one_revision(target: str, args: argparse.Namespace):
    """The file of one revision (the latest of draft-NAME), fetched unless --offline."""
    from draftscope.fetch.targets import resolve_target

    check_target(target)
    revisions = resolve_target(target, settings=settings_from_args(args), offline=args.offline,
                               lineage=False, progress=library_progress(args),
                               refresh=args.refresh)
    usable = [r for r in revisions if r.path is not None]
    if not usable and args.offline:
        raise OfflineMissingError(f"{target}: not in the cache (drop --offline to fetch it)")
    if not usable:
        raise NoDataError(f"{target}: no file available")
    return usable[-1]


def run_definitions(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.tables.definitions import (FIELD_COLUMNS, definition_record,
                                               definition_summary, field_rows)

    revision = _one_revision(args.target, args)
    definitions = extract_definitions(revision)
    label = revision_label(revision.name, revision.rev)
    if args.format == "json":
        write_json({"document": label, "definitions": [definition_record(d) for d in definitions]},
                   indent=2)
    elif args.format == "csv":
        write_records(field_rows(definitions, revision.name, revision.rev), FIELD_COLUMNS, "csv")
    else:
        print(f"{label}: {len(definitions)} definitions")
        for d in definitions:
            s = definition_summary(d)
            print(f"{s['line']:>6}  {s['notation']:<10} {s['name']}  [{s['section']}]")
            print(f"        {s['layout']}")
    return 0


def format_diff_text(record: dict, *, show_unchanged: bool = False) -> str:
    """The readable ``diff`` report from a :func:`diff_record` document (pure)."""
    from collections import Counter

    defs = record["definitions"]
    counts = Counter(d["change"] for d in defs)
    lines = [f"definitions {record['from']} -> {record['to']}: "
             + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "removed", "changed", "unchanged"))]
    marks = {"added": "+", "removed": "-", "changed": "~", "unchanged": "="}
    for d in defs:
        if d["change"] == "unchanged" and not show_unchanged:
            continue
        if d["change"] == "added":
            head = f"{d['to']} ({d['notation_to']})"
        elif d["change"] == "removed":
            head = f"{d['from']} ({d['notation_from']})"
        else:
            name = d["to"] if d["from"] == d["to"] else f"{d['from']} -> {d['to']}"
            notation = (d["notation_to"] if d["notation_from"] == d["notation_to"]
                        else f"{d['notation_from']} -> {d['notation_to']}")
            head = f"{name} ({notation})"
        lines.append(f"{marks[d['change']]} {head}")
        if d["change"] != "changed":
            continue
        for f in d["fields"]:
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
            tag = f"{f['change']}" + (f": {', '.join(f['details'])}" if f["details"] else "")
            lines.append(f"    {text:<48} {tag if f['change'] != 'unchanged' else ''}".rstrip())
    return "\n".join(lines)


def run_diff(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions import diff_definitions
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.tables.definitions import diff_record

    a = _one_revision(args.a, args)
    b = _one_revision(args.b, args)
    diff = diff_definitions(a, b, old_label=revision_label(a.name, a.rev),
                            new_label=revision_label(b.name, b.rev))
    record = diff_record(diff)
    if args.format == "json":
        write_json(record, indent=2)
    else:
        print(format_diff_text(record, show_unchanged=args.all))
    return 0


def format_history_text(history, definition: str | None = None) -> str:
    """One block per definition: introduced, changes with field details, removed (pure)."""
    from draftscope.tables.definitions import history_records

    rows = history_records(history, definition=definition)
    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["key"], []).append(row)
    noun = "definition" if len(by_key) == 1 else "definitions"
    lines = [f"{len(by_key)} {noun} over {len(history.labels)} revisions "
             f"({history.labels[0]} .. {history.labels[-1]})" if history.labels else "no revisions"]
    for key, events in by_key.items():
        lines.append(key)
        notation_before = None
        for e in events:
            notation = e["notation"]
            if e["change"] == "changed" and notation_before not in (None, notation):
                notation = f"{notation_before} -> {notation}"   # redrawn, e.g. as a field list
            notation_before = e["notation"]
            if e["change"] == "unchanged":
                continue
            what = {"added": "introduced", "removed": "removed", "changed": "changed"}[e["change"]]
            name = f" as {e['definition']}" if e["definition"] != key and e["change"] != "removed" else ""
            detail = f": {e['details']}" if e["change"] == "changed" and e["details"] else ""
            lines.append(f"  {e['label']:<32} {what}{name} ({notation}){detail}")
    return "\n".join(lines)


def run_history(args: argparse.Namespace) -> int:
    from draftscope.analyses.definitions import definition_history
    from draftscope.fetch.targets import resolve_target
    from draftscope.tables.definitions import HISTORY_COLUMNS, history_records

    check_target(args.name)
    check_pattern("--definition", args.definition)
    check_positive("--jobs", args.jobs)
    revisions = resolve_target(args.name, settings=settings_from_args(args), offline=args.offline,
                               lineage=True, progress=library_progress(args), refresh=args.refresh)
    with progress_bar(args, total=len(revisions), desc="definitions", unit="rev") as bar:
        history = definition_history(revisions, workers=args.jobs, progress=bar.update)
    if not history.labels:
        raise NoDataError(f"{args.name}: no revision available to read")
    if args.format == "table":
        print(format_history_text(history, args.definition))
        return 0
    rows = history_records(history, definition=args.definition, changes_only=args.changes_only)
    if args.format == "json":
        write_json({"name": args.name, "revisions": history.labels, "events": rows}, indent=2)
    else:
        write_records(rows, HISTORY_COLUMNS, "csv")
    return 0
