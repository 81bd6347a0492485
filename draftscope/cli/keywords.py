"""``draftscope keywords``: BCP 14 keyword counts per revision or per section.

A thin layer over :func:`draftscope.tables.keywords.keyword_records` (the rows notebooks get as
a DataFrame from ``keywords_frame``). Nothing heavy at import time: pandas is never loaded here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from draftscope.cli.common import (add_command, add_format_option,
                                   add_workers_option, check_local_file, check_target,
                                   is_local_target, network_options, parse_keywords,
                                   progress_bar, session_from_args)
from draftscope.errors import NoDataError

TABLE_WIDTH = 100          # the terminal table stays within this many columns when it can
MIN_SECTION_WIDTH = 16     # ... by cutting section titles (with an ellipsis) down to this

DESCRIPTION = """\
Count the 11 BCP 14 phrases (MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT, SHOULD,
SHOULD NOT, RECOMMENDED, NOT RECOMMENDED, MAY, OPTIONAL) exactly: all capitals, whole
words, a two-word phrase once even across a line or page break, page furniture and
the table of contents skipped, the BCP 14 boilerplate paragraph reported apart.
XML with <bcp14> markup is counted from the markup.

csv/json: one row per revision and phrase, zeros included: name, rev, date, keyword,
count (+ section, title with --by section). The table has a line per revision (or
section) and a column per phrase that occurs (or per --keywords phrase); its total
counts all 11 phrases."""

EXAMPLES = (
    "draftscope keywords draft-ietf-quic-transport --format csv > quic.csv",
    "draftscope keywords draft-ietf-quic-transport-34 --by section --format json",
    "draftscope keywords ./draft-x-y-07.txt rfc9000 --lowercase",
    "draftscope keywords rfc9000 --keywords MUST,SHOULD --workers 1",
)


def register(subparsers: Any) -> None:
    p = add_command(
        subparsers, "keywords",
        help="count BCP 14 keywords (MUST, MUST NOT, ...) per revision or per section",
        description=DESCRIPTION, examples=EXAMPLES, parents=[network_options()])
    p.add_argument(
        "targets", nargs="+", metavar="TARGET",
        help="draft-NAME (whole lineage), draft-NAME-NN, rfcNNNN, or a local .txt/.xml file "
             "(name and revision from a file name like draft-x-y-07.txt)",
    )
    p.add_argument("--by", choices=("revision", "section"), default="revision",
                   help="one count per revision, or per section of each revision (default: revision)")
    p.add_argument("--keywords", metavar="K,K,...",
                   help="comma-separated phrases to show, or 'all' (default: all; the table "
                        "leaves out phrases that occur nowhere)")
    add_format_option(p)
    p.add_argument("--include-boilerplate", action="store_true",
                   help="add the phrases quoted in the BCP 14 boilerplate paragraph to the counts")
    p.add_argument("--lowercase", action="store_true",
                   help="also count the lowercase words must, should, may, shall, required, "
                        "recommended, optional (separate rows, never folded into the BCP 14 "
                        "counts; per revision only, refused with --by section)")
    p.add_argument("--xml", action="store_true",
                   help="count the XML source of draft targets instead of the published text")
    add_workers_option(p)
    p.set_defaults(func=run_keywords)


def _local_revision(target: str):
    """A local file as a Revision without loading the fetch stage's HTTP client (no date: a
    local file is not looked up in the cache's metadata); named by the text stage's file-name
    rule."""
    from draftscope.fetch.records import Revision
    from draftscope.text.document import name_from_path

    path = check_local_file(target)
    fmt = "xml" if path.suffix.lower() == ".xml" else "txt"
    name, rev = name_from_path(path)
    return Revision(name, rev, None, path, fmt)


def resolve_targets(args: argparse.Namespace) -> list:
    """Revisions of every target, in the order given."""
    for target in args.targets:
        check_target(target)
    if all(is_local_target(t) for t in args.targets):
        return [_local_revision(t) for t in args.targets]
    formats = ("xml",) if args.xml else ("txt",)
    revisions = []
    with session_from_args(args) as session:          # one client for every target
        for target in args.targets:
            found = session.resolve(target, lineage=True, formats=formats)
            if not found:
                raise NoDataError(f"{target}: no revision to count")
            revisions.extend(found)
    return revisions


def run_keywords(args: argparse.Namespace) -> int:
    from draftscope.tables.keywords import (RECORD_COLUMNS, SECTION_COLUMNS, check_by,
                                            keyword_records)

    keywords = parse_keywords(args.keywords) if args.keywords else None
    check_by(args.by, lowercase=args.lowercase)
    revisions = resolve_targets(args)
    with progress_bar(args, total=len(revisions), desc="counting", unit="rev", minimum=2) as bar:
        rows = keyword_records(
            revisions, by=args.by, include_boilerplate=args.include_boilerplate,
            lowercase=args.lowercase, progress=bar.update, workers=args.workers,
        )
    if args.format in ("csv", "json"):
        from draftscope.cli.common import write_records

        if keywords is not None:
            shown = set(keywords)
            rows = [r for r in rows if r["keyword"] in shown or r["keyword"].islower()]
        columns = list(RECORD_COLUMNS) + (list(SECTION_COLUMNS) if args.by == "section" else [])
        write_records(rows, columns, args.format)
    else:
        sys.stdout.write(format_table(rows, by=args.by, keywords=keywords))
    return 0


def format_table(rows: list[dict], *, by: str = "revision", keywords: list[str] | None = None,
                 width: int = TABLE_WIDTH) -> str:
    """Phrases as columns, one line per revision (or per section with counts), for a terminal.

    Columns: the ``keywords`` given, else every phrase that occurs somewhere (all 11 rarely do),
    then ``total`` (all 11 phrases), per revision ``boilerplate``, then the lowercase words
    counted with ``--lowercase``. Two-word phrases are
    headed on two lines (MUST over NOT) and each document's name heads its revisions, so the
    table fits ``width`` columns; section titles are cut with an ellipsis to fit it too.
    """
    from draftscope.analyses.keywords import DISPLAY_ORDER

    counts: dict[tuple, dict[str, int]] = {}
    boiler: dict[tuple, int] = {}
    for row in rows:
        key = (row["name"], row["rev"], row.get("format", "txt"))
        if by == "section":
            key += (row["section"], row["title"])
        counts.setdefault(key, {})[row["keyword"]] = row["count"]
        boiler[key] = boiler.get(key, 0) + row.get("boilerplate", 0)
    if by == "section":  # sections without any phrase make noise
        counts = {k: v for k, v in counts.items() if any(v.values())}
    lowercase = list(dict.fromkeys(k for r in rows for k in [r["keyword"]] if k.islower()))
    if keywords is None:
        keywords = [p for p in DISPLAY_ORDER if any(c.get(p) for c in counts.values())]
    show_boiler = by == "revision"
    heads = [p.split(" ", 1) if " " in p else ["", p] for p in keywords]
    heads += [["", "total"]] + ([["boiler", "plate"]] if show_boiler else [])
    heads += [["lower", word] if i == 0 else ["", word] for i, word in enumerate(lowercase)]

    # body: first cell, then numbers; a heading line before each document's rows
    lines: list[tuple[str | None, list[str]]] = []   # (heading or None, cells)
    current = None
    for key, row_counts in counts.items():
        name, rev, fmt = key[:3]
        document = name if rev in ("", name) else f"{name}-{rev}"
        document += " (xml)" if fmt == "xml" else ""
        group = document if by == "section" else (name if rev not in ("", name) else None)
        if group is not None and group != current:
            lines.append((group, []))
        current = group
        if by == "section":
            first = f"{key[3]} {key[4]}".strip() or "(front)"
        elif rev not in ("", name):
            first = f"  {rev}" + (" (xml)" if fmt == "xml" else "")
        else:
            first = document
        total = sum(v for k, v in row_counts.items() if not k.islower())
        cells = [first] + [str(row_counts.get(p, 0)) for p in keywords] + [str(total)]
        cells += [str(boiler[key])] if show_boiler else []
        cells += [str(row_counts.get(word, 0)) for word in lowercase]
        lines.append((None, cells))

    label = "section" if by == "section" else "revision"
    widths = [max([len(h[0]), len(h[1])] + [len(c[i + 1]) for _, c in lines if c])
              for i, h in enumerate(heads)]
    first_width = max([len(label)] + [len(c[0]) for _, c in lines if c])
    if by == "section":  # titles give way so the numbers fit the terminal
        room = width - sum(widths) - 2 * len(widths)
        first_width = max(min(first_width, room), MIN_SECTION_WIDTH, len(label))

    def fit(text: str) -> str:
        return text if len(text) <= first_width else text[:first_width - 1].rstrip() + "\u2026"

    def fmt(first: str, cells: Sequence[str]) -> str:
        return "  ".join([fit(first).ljust(first_width)]
                         + [c.rjust(w) for c, w in zip(cells, widths)]).rstrip()

    out = []
    if any(h[0] for h in heads):
        out.append(fmt("", [h[0] for h in heads]))
    out.append(fmt(label, [h[1] for h in heads]))
    for heading, cells in lines:
        out.append(heading if heading is not None else fmt(cells[0], cells[1:]))
    if show_boiler:
        out.append("(boilerplate: phrases in the BCP 14 boilerplate paragraph, not in the counts)")
    if not any(c.get(p) for c in counts.values() for p in DISPLAY_ORDER):
        out.append("(no BCP 14 keywords)")
    return "\n".join(out) + "\n"
