"""``draftscope keywords``: BCP 14 keyword counts per revision or per section.

A thin layer over :func:`draftscope.tables.keywords.keyword_records` (the rows notebooks get as
a DataFrame from ``keywords_frame``). Nothing heavy at import time: pandas is never loaded here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from draftscope.cli.common import (add_command, check_local_file, check_positive, check_target,
                                   is_local_target, library_progress, network_options,
                                   progress_bar, settings_from_args, write_records)
from draftscope.errors import NoDataError

FORMATS = ("table", "csv", "json")

DESCRIPTION = """\
Count the 11 BCP 14 phrases (MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT, SHOULD,
SHOULD NOT, RECOMMENDED, NOT RECOMMENDED, MAY, OPTIONAL) exactly: all capitals, whole
words, a two-word phrase once even across a line or page break, page furniture and
the table of contents skipped, the BCP 14 boilerplate paragraph reported apart.
XML with <bcp14> markup is counted from the markup."""

EXAMPLES = (
    "draftscope keywords draft-ietf-quic-transport --format csv > quic.csv",
    "draftscope keywords draft-ietf-quic-transport-34 --by section --format json",
    "draftscope keywords ./draft-x-y-07.txt rfc9000 --lowercase",
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
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="table: phrases as columns, for people; csv: long form "
                        "name,rev,keyword,count[,section,title]; json: the same records (default: table)")
    p.add_argument("--include-boilerplate", action="store_true",
                   help="add the phrases quoted in the BCP 14 boilerplate paragraph to the counts")
    p.add_argument("--lowercase", action="store_true",
                   help="also count lowercase must/should/may/shall/required/recommended/optional "
                        "(separate rows, never folded into the BCP 14 counts; per revision only)")
    p.add_argument("--xml", action="store_true",
                   help="count the XML source of draft targets instead of the published text")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="count in N processes: revisions spread over them, and a very large text "
                        "file is split between them (default: one per CPU)")
    p.set_defaults(func=run_keywords)


def _local_revision(target: str):
    """A local file as a Revision without loading the fetch stage's HTTP client (the CLI prints
    no dates, so the cache's metadata is not needed); named by the text stage's file-name rule."""
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
    from draftscope.fetch.targets import resolve_target

    settings = settings_from_args(args)
    formats = ("xml",) if args.xml else ("txt",)
    revisions = []
    for target in args.targets:
        found = resolve_target(target, settings=settings, offline=args.offline, lineage=True,
                               formats=formats, progress=library_progress(args),
                               refresh=args.refresh)
        if not found:
            raise NoDataError(f"{target}: no revision to count")
        revisions.extend(found)
    return revisions


def run_keywords(args: argparse.Namespace) -> int:
    from draftscope.tables.keywords import keyword_records

    check_positive("--jobs", args.jobs)
    revisions = resolve_targets(args)
    with progress_bar(args, total=len(revisions), desc="counting", unit="rev", minimum=2) as bar:
        rows = keyword_records(
            revisions, by=args.by, include_boilerplate=args.include_boilerplate,
            lowercase=args.lowercase, progress=bar.update, workers=args.jobs,
        )
    columns = ["name", "rev", "keyword", "count"] + (["section", "title"] if args.by == "section" else [])
    if args.format in ("csv", "json"):
        write_records(rows, columns, args.format)
    else:
        sys.stdout.write(format_table(rows, by=args.by))
    return 0


def format_table(rows: list[dict], *, by: str = "revision") -> str:
    """Phrases as columns, one line per revision (or per section with counts)."""
    keywords: list[str] = list(dict.fromkeys(row["keyword"] for row in rows))
    table: dict[tuple, dict[str, int]] = {}
    boiler: dict[tuple, int] = {}
    for row in rows:
        label = row["rev"] if row["rev"] and row["rev"] != row["name"] else ""
        if row.get("format") == "xml":
            label = f"{label} (xml)" if label else "(xml)"
        key = (row["name"], label) + ((row["section"], row["title"]) if by == "section" else ())
        table.setdefault(key, {})[row["keyword"]] = row["count"]
        boiler.setdefault(key, 0)
        boiler[key] += row.get("boilerplate", 0)
    if by == "section":  # sections without any phrase make noise
        table = {k: v for k, v in table.items() if any(v.values())}
    show_boiler = by == "revision"
    heads = ["document"] + (["section"] if by == "section" else []) + keywords + ["total"]
    heads += ["boilerplate"] if show_boiler else []
    lines = []
    for key, counts in table.items():
        doc = f"{key[0]}-{key[1]}".replace("-(xml)", " (xml)") if key[1] else key[0]
        cells = [doc]
        if by == "section":
            cells.append(f"{key[2]} {key[3]}".strip()[:40])
        cells += [str(counts.get(k, 0)) for k in keywords]
        cells.append(str(sum(v for k, v in counts.items() if k.isupper())))
        if show_boiler:
            cells.append(str(boiler[key]))
        lines.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in lines)) if lines else len(h) for i, h in enumerate(heads)]
    left = 2 if by == "section" else 1

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    note = "(boilerplate: phrases in the BCP 14 boilerplate paragraph, not in the counts)\n" if show_boiler else ""
    return "\n".join([fmt(heads)] + [fmt(r) for r in lines]) + "\n" + note
