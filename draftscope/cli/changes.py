"""``draftscope changes``, ``textdiff`` and ``plot-changes``: what changed in each section from
revision to revision, the words themselves, and a heatmap of a lineage's churn.

Thin wrappers over :mod:`draftscope.analyses.changes`, :mod:`draftscope.tables.changes` and
:mod:`draftscope.plots.changes`. Nothing heavy at import time.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from draftscope.cli.common import _regex  # the --definition check: one message for a bad regex
from draftscope.cli.common import (add_command, add_format_option,
                                   add_look_options, add_output_options, add_workers_option,
                                   check_output_dir, check_target, format_table, network_options,
                                   print_paths, progress_bar, session_from_args, write_json,
                                   write_records)
from draftscope.errors import NoDataError, UsageError
from draftscope.fetch.names import is_rfc

TARGET_HELP = ("draft-NAME (its whole lineage), or two revisions: draft-NAME-NN, rfcNNNN or "
               "local .txt/.xml files")
REVISIONS_HELP = ("only these revisions of the lineage: a range 00..14, or a comma-separated "
                  "list (10,12,rfc9000)")


def register(subparsers: Any) -> None:
    common = [network_options()]
    c = add_command(
        subparsers, "changes", parents=common,
        help="what changed in each section, revision by revision",
        description="Match the sections of consecutive revisions (through renumbering, a new\n"
                    "place or title, a split or merge) and report per section one change:\n"
                    "added, removed, rewritten (half its words or more), renamed, moved,\n"
                    "edited or unchanged; the words added and removed (a word-level diff of\n"
                    "the unpaged text: reflow, page breaks and running headers are no\n"
                    "change), its BCP 14 keyword deltas and the definitions that changed in\n"
                    "it. One NAME: every step of its lineage; two targets: that one step.",
        examples=("draftscope changes draft-ietf-quic-transport --revisions 20..24",
                  "draftscope changes draft-ietf-quic-transport-27 draft-ietf-quic-transport-28",
                  "draftscope changes old.txt new.txt --format json",
                  "draftscope changes draft-ietf-quic-transport --format csv > changes.csv"),
    )
    c.add_argument("targets", nargs="+", metavar="TARGET", help=TARGET_HELP)
    add_format_option(c)
    c.add_argument("--revisions", metavar="REVS", help=REVISIONS_HELP)
    c.add_argument("--all", action="store_true",
                   help="also list the sections that did not change")
    c.add_argument("--no-definitions", action="store_true",
                   help="skip reading protocol definitions (faster; no 'definitions' column)")
    add_workers_option(c)
    c.set_defaults(func=run_changes)

    t = add_command(
        subparsers, "textdiff", parents=common,
        help="word-level diff of two revisions, section by section",
        description="Compare the words of two revisions section by section (sections matched\n"
                    "as 'changes' matches them), ignoring pagination and reflow. Prints the\n"
                    "changed paragraphs, removed words as [-...-] and added ones as {+...+}\n"
                    "(red and green on a terminal), or with --format html one self-contained\n"
                    "page with the two revisions side by side.",
        examples=("draftscope textdiff draft-ietf-quic-transport-00 draft-ietf-quic-transport-01",
                  "draftscope textdiff draft-ietf-quic-transport-27 draft-ietf-quic-transport-28 "
                  "--section 'Retry'",
                  "draftscope textdiff old.txt new.txt --format html > diff.html"),
    )
    t.add_argument("a", metavar="A", help="draft-NAME-NN, rfcNNNN or a local .txt/.xml file")
    t.add_argument("b", metavar="B", help="draft-NAME-NN, rfcNNNN or a local .txt/.xml file")
    t.add_argument("--format", choices=("text", "html"), default="text",
                   help="text: the changed paragraphs as a word diff; html: one side-by-side "
                        "page (default: text)")
    t.add_argument("--section", metavar="PATTERN", type=_regex,
                   help="only sections whose old or new number and title match this regular "
                        "expression (ignoring case), e.g. '^17\\.2' or 'retry'")
    t.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text diff: auto (when stdout is a terminal), always, never")
    t.add_argument("--context", action="store_true",
                   help="also show unchanged paragraphs and sections")
    t.set_defaults(func=run_textdiff)

    p = add_command(
        subparsers, "plot-changes", parents=common,
        help="heatmap of section changes across a lineage",
        description="Draw sections (rows, in the order of the last revision; removed ones where\n"
                    "they were) by revisions (columns), coloured by the share of the section's\n"
                    "words changed in that step; added, removed and renamed sections marked.\n"
                    "Subsections count towards their section at --depth. Writes\n"
                    "DIR/<name>_changes.png, .svg (--image-format) and .csv.",
        examples=("draftscope plot-changes draft-ietf-quic-transport",
                  "draftscope plot-changes draft-ietf-quic-transport --revisions 20..34 --depth 2"),
    )
    p.add_argument("name", metavar="NAME", help="draft-NAME or rfcNNNN (its whole lineage)")
    p.add_argument("--revisions", metavar="REVS", help=REVISIONS_HELP)
    p.add_argument("--depth", type=_depth, default=1, metavar="N",
                   help="one row per section down to this level: 1 = 4, 2 = 4.2 (default: 1)")
    add_workers_option(p)
    add_output_options(p)
    add_look_options(p)
    p.set_defaults(func=run_plot_changes)


def _depth(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 6:
        raise argparse.ArgumentTypeError(f"--depth takes a whole number from 1 to 6, not {text!r}")
    return int(text)


def _select(revisions: list, wanted: list[str]) -> list:
    """The revisions ``--revisions`` names (``07``, ``draft-x-07``, ``rfc9000``), in order."""
    def hit(r) -> bool:
        return any(w in (r.rev, f"{r.name}-{r.rev}", r.name if is_rfc(r.name) else None)
                   for w in wanted)

    chosen = [r for r in revisions if hit(r)]
    found = {w for w in wanted for r in chosen
             if w in (r.rev, f"{r.name}-{r.rev}", r.name if is_rfc(r.name) else None)}
    missing = [w for w in wanted if w not in found]
    if missing:
        raise NoDataError(f"--revisions: {', '.join(missing[:4])} not in the lineage")
    return chosen


def lineage_revisions(name: str, args: argparse.Namespace, session) -> list:
    """The text files of ``name``'s lineage (``--revisions`` applied), fetched unless offline."""
    check_target(name)
    revisions = session.resolve(name, lineage=True)
    revisions = [r for r in revisions if r.path is not None]
    if args.revisions is not None:
        from draftscope.plots.keywords import parse_revisions

        revisions = _select(revisions, parse_revisions(args.revisions))
    if len(revisions) < 2:
        raise NoDataError(f"{name}: {len(revisions)} revision(s) to compare, need two or more")
    return revisions


def _step_revisions(args: argparse.Namespace) -> list:
    if len(args.targets) > 2:
        raise UsageError("changes takes one NAME (its lineage) or two revisions A B")
    if len(args.targets) == 2 and args.revisions is not None:
        raise UsageError("--revisions applies to one NAME's lineage, not to two revisions A B")
    if len(args.targets) == 2:
        return _two_revisions(args, *args.targets)
    with session_from_args(args) as session:
        return lineage_revisions(args.targets[0], args, session)


SECTION_WIDTH = 64   # the table's section column: longer text is cut with an ellipsis


def _cut(text: str, width: int = SECTION_WIDTH) -> str:
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def _where(record: dict) -> str:
    old, new = record["from"], record["to"]
    text = new if old in (None, new) else (old if new is None else f"{old} -> {new}")
    if record["split"]:
        text += f" (split: {', '.join(record['split'])})"
    if record["merged"]:
        text += f" (merged: {', '.join(record['merged'])})"
    return text


def format_changes_text(steps: list[dict]) -> str:
    """The ``changes`` table: per step a heading with the kinds and keyword deltas, then one
    row per section that changed (pure)."""
    from collections import Counter

    from draftscope.analyses.changes import CHANGE_KINDS

    out = []
    for step in steps:
        kinds = Counter(s["change"] for s in step["sections"])
        totals: Counter = Counter()
        for s in step["sections"]:
            totals.update(s["keywords"])
        summary = ", ".join(f"{kinds[k]} {k}" for k in CHANGE_KINDS if kinds.get(k))
        keywords = ", ".join(f"{p} {n:+d}" for p, n in totals.items() if n)
        out.append(f"{step['from']} -> {step['to']}: {summary or 'no change'}"
                   + (f"; {keywords}" if keywords else ""))
        rows = [{"change": s["change"], "section": _cut(_where(s)), "added": s["words_added"],
                 "removed": s["words_removed"],
                 "keywords": ", ".join(f"{p} {n:+d}" for p, n in s["keywords"].items()),
                 "definitions": "; ".join(s["definitions"])} for s in step["sections"]]
        if rows:
            table = format_table(rows, ["change", "section", "added", "removed", "keywords",
                                        "definitions"])
            out.extend("  " + line for line in table.rstrip("\n").split("\n"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def run_changes(args: argparse.Namespace) -> int:
    from draftscope.tables.changes import CHANGES_COLUMNS, lineage_rows, step_record

    revisions = _step_revisions(args)
    with progress_bar(args, total=len(revisions), desc="changes", unit="rev", minimum=3) as bar:
        diffs, rows = lineage_rows(revisions, definitions=not args.no_definitions,
                                   workers=args.workers, progress=bar.update,
                                   unchanged=args.all)
    if args.format == "csv":
        write_records(rows, CHANGES_COLUMNS, "csv")
        return 0
    steps = [step_record(d, unchanged=args.all) for d in diffs]
    if args.format == "json":
        write_json(steps, indent=1)
    else:
        sys.stdout.write(format_changes_text(steps))
    return 0


def _two_revisions(args: argparse.Namespace, a: str, b: str) -> list:
    """A and B: local files read as they are (no fetch stage), else fetched unless offline."""
    from draftscope.cli.common import is_local_target

    if is_local_target(a) and is_local_target(b):
        from draftscope.cli.keywords import _local_revision

        return [_local_revision(a), _local_revision(b)]
    from draftscope.cli.definitions import _one_revision

    with session_from_args(args) as session:
        return [_one_revision(a, args, session), _one_revision(b, args, session)]


def run_textdiff(args: argparse.Namespace) -> int:
    from draftscope.analyses.changes import text_diff
    from draftscope.cli.textdiff import render_html, render_text

    a, b = _two_revisions(args, args.a, args.b)
    old, new, diffs = text_diff(a, b, section=args.section, flags=re.IGNORECASE)
    if args.section is not None and not diffs:
        raise NoDataError(f"no section of {old} or {new} matches --section {args.section!r}")
    if args.format == "html":
        sys.stdout.write(render_html(old, new, diffs, context=args.context))
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    write = getattr(sys.stdout, "write_coloured", sys.stdout.write) if color else sys.stdout.write
    write(render_text(old, new, diffs, color=color, context=args.context))
    return 0


def run_plot_changes(args: argparse.Namespace) -> int:
    from draftscope.plots.changes import changes_grid, plot_changes
    from draftscope.plots.style import save_figure
    from draftscope.tables.changes import changes_frame

    check_output_dir(args.out)
    with session_from_args(args) as session:
        revisions = lineage_revisions(args.name, args, session)
    frame = changes_frame(revisions, definitions=False, workers=args.workers)
    grid = changes_grid(frame, depth=args.depth)
    fig = plot_changes(grid, title=args.title, xlabel=args.xlabel, figsize=args.size)
    stem = f"{args.name}_changes" + (f"_depth-{args.depth}" if args.depth != 1 else "") + \
        (f"_revisions-{args.revisions.replace(',', '+')}" if args.revisions else "")
    saved = save_figure(fig, grid, args.out, stem, formats=args.image_format, dpi=args.dpi)
    print_paths(saved.paths)
    return 0
