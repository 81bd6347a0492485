"""``draftscope report``: one self-contained web page per lineage, or per lineage of a working
group plus an index (a thin wrapper over :mod:`draftscope.report.build`).

Nothing heavy at import time: the report stage loads only when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from draftscope.cli.common import (add_command, add_definition_options, add_workers_option,
                                   check_output_dir, library_progress,
                                   network_options, note, positive_int, print_paths,
                                   session_from_args, SHARED_HELP)
from draftscope.errors import UsageError


def register(subparsers: Any) -> None:
    report = add_command(
        subparsers, "report", parents=[network_options()],
        help="a web page per lineage: figures, definitions' stories, revisions",
        description="Write DIR/<lineage>.html, one self-contained page (inline SVG and CSS, no\n"
                    "script, nothing fetched when it is viewed) for NAME's lineage: the keyword\n"
                    "figure and its table, the definitions timeline, every definition's story\n"
                    "(strip and steps in words), the lineage's names and revisions with links\n"
                    "to each revision's text on the datatracker (--datatracker-url), and how\n"
                    "the page was made. With --group WG: a page per lineage of the group and\n"
                    "DIR/index.html with the group's timeline. Prints the paths written.",
        examples=("draftscope report draft-ietf-quic-transport --out site/",
                  "draftscope report --group quic --out site/quic --max-stories 10",
                  "draftscope report rfc9000 --definition 'Frame$' --offline"),
    )
    report.add_argument("name", nargs="?", metavar="NAME",
                        help="draft-NAME or rfcNNNN (its whole lineage)")
    report.add_argument("--group", metavar="WG", help="a page for every lineage of this working "
                                                      "group, and an index")
    report.add_argument("--out", type=Path, default=Path("figures"), metavar="DIR",
                        help=SHARED_HELP["--out"])
    add_definition_options(report)
    report.add_argument("--max-stories", type=positive_int, default=None, metavar="N",
                        help="draw at most N definitions' stories per page, the first to "
                             "appear (default: all)")
    report.add_argument("--no-changes", action="store_true",
                        help="leave out the section changes (faster: no section of any "
                             "revision is compared with the next's)")
    add_workers_option(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from draftscope.report.build import build_group_report, build_report

    if bool(args.name) == bool(args.group):
        raise UsageError("give a NAME or --group WG (one of the two)")
    if args.name:
        from draftscope.fetch.names import parse_name

        parse_name(args.name)
    else:
        from draftscope.fetch.names import check_group

        check_group(args.group)
    check_output_dir(args.out)
    options = dict(definition=args.definition or ".", ignore_case=args.ignore_case,
                   max_stories=args.max_stories, workers=args.workers,
                   changes=not args.no_changes)
    with session_from_args(args) as session:
        if args.name:
            result = build_report(args.name, args.out, session=session,
                                  progress=library_progress(args), **options)
            pages = [result]
            print_paths([result.path])
        else:
            group = build_group_report(args.group, args.out, session=session,
                                       progress=library_progress(args), **options)
            pages = group.pages
            print_paths(group.paths)
            for failure in group.failures:
                note(args, f"draftscope: {failure}")
    for page in pages:
        note(args, f"draftscope: {page.path.name}: {page.revisions} revisions, "
                   f"{page.stories_drawn} of {page.stories_total} stories drawn, "
                   f"{_size(page.bytes)}")
    return 0


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"
