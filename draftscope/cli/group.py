"""``draftscope group`` and ``draftscope compare``: thin wrappers over
:mod:`draftscope.tables.group`, :mod:`draftscope.tables.compare` and
:mod:`draftscope.plots.compare` (the same calls notebook 3 makes).

Nothing heavy at import time: pandas, seaborn and matplotlib load only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from draftscope.cli.common import (DEFAULT_IMAGE_FORMATS, FIGURE_KEYWORDS, add_align_option,
                                   add_look_options, add_normalize_option, add_output_options,
                                   add_command, add_format_option,
                                   add_workers_option, check_output_dir, check_positive,
                                   check_target, format_table, network_options, parse_keywords,
                                   print_paths, session_from_args, show_progress, warn,
                                   write_records)
from draftscope.errors import OutputError, UsageError

GROUP_TABLE_COLUMNS = ("name", "state", "revisions", "first_rev", "last_rev", "first_date",
                       "last_date", "rfc", "rfc_date")
SUMMARY_TABLE_COLUMNS = ("lineage", "revisions", "months", "phrases_first", "phrases_last",
                         "density_last", "definitions_added", "definitions_removed", "rfc")


def register(subparsers: Any) -> None:
    common = network_options()

    group = add_command(
        subparsers, "group", parents=[common],
        help="list a working group's drafts: state, revisions, dates, RFC",
        description="List the drafts of working group WG from the datatracker (every page of\n"
                    "/api/v1/doc/document/?group__acronym=WG&order_by=id), each with its state,\n"
                    "its draft revisions (of that name; the RFC it became is in the rfc column,\n"
                    "the drafts it replaced have rows of their own), first and last revision\n"
                    "dates.\n"
                    "--offline uses the cached list and metadata.",
        examples=("draftscope group quic",
                  "draftscope group quic --format csv > quic.csv",
                  "draftscope group quic --include-replaced --format json --offline"),
    )
    group.add_argument("acronym", metavar="WG", help="working group acronym, e.g. quic")
    add_format_option(group)
    group.add_argument("--include-replaced", action="store_true",
                       help="also list the individual drafts each lineage replaced")
    group.add_argument("--page-size", type=int, default=100, metavar="N",
                       help="drafts per API page (default: 100)")
    group.set_defaults(func=run_group)

    plot_group = add_command(
        subparsers, "plot-group", parents=[common],
        help="a working group's documents over time: one row per lineage",
        description="Draw every lineage of working group WG as a row from its first revision\n"
                    "(the individual draft the group adopted, lighter, on the same row) to its\n"
                    "RFC or last revision, a tick per revision, the RFC number and status\n"
                    "(std_level, else intended_std_level; 'unknown' when the datatracker gives\n"
                    "none) at the end; rows by start date. Writes DIR/<wg>_group.png, .svg\n"
                    "(--image-format) and .csv (one line per revision drawn). Needs metadata\n"
                    "only, no texts.",
        examples=("draftscope plot-group quic --out figures/",
                  "draftscope plot-group mptcp --image-format svg --offline"),
    )
    plot_group.add_argument("acronym", metavar="WG", help="working group acronym, e.g. quic")
    add_output_options(plot_group)
    add_look_options(plot_group)
    plot_group.set_defaults(func=run_plot_group)

    compare = add_command(
        subparsers, "compare", parents=[common],
        help="compare drafts side by side: keyword figure and summary table",
        description="Fetch what the cache lacks of each NAME's lineage (or of every draft of\n"
                    "--group WG), count BCP 14 phrases and definitions per revision, then write\n"
                    "DIR/compare_keywords.png, .svg (--image-format) and .csv (the compared\n"
                    "data; the name also says --keywords, --normalize and --align when given) and\n"
                    "DIR/compare_summary.csv, and print the summary: per draft, revisions (draft\n"
                    "revisions; the RFC is in the rfc column),\n"
                    "months from -00 to RFC (or to now), phrases at first and last revision,\n"
                    "density per 1000 words at the last revision, definitions added/removed.",
        examples=("draftscope compare draft-ietf-quic-invariants draft-ietf-quic-qpack",
                  "draftscope compare --group quic --align progress --out figures/",
                  "draftscope compare --group quic --keywords MUST --normalize per-1000-words "
                  "--format csv"),
    )
    compare.add_argument("names", nargs="*", metavar="NAME", help="draft (or RFC) names")
    compare.add_argument("--group", metavar="WG", help="compare every draft of this working group")
    compare.add_argument("--keywords", default=FIGURE_KEYWORDS, metavar="K,K,...",
                         help=f"comma-separated phrases for the figure, or 'all' "
                              f"(default: {FIGURE_KEYWORDS})")
    add_normalize_option(compare)
    add_align_option(compare)
    compare.add_argument("--layout", choices=("auto", "facets", "hue"), default="auto",
                         help="a panel per draft (facets), one axis coloured per draft (hue), "
                              "or auto: hue for one keyword, facets otherwise (default: auto)")
    add_output_options(compare)
    add_look_options(compare)
    add_format_option(compare)
    add_workers_option(compare)
    compare.add_argument("--no-definitions", action="store_true",
                         help="skip definition extraction (faster; those summary columns empty)")
    compare.set_defaults(func=run_compare)


# --------------------------------------------------------------------------- commands

def run_group(args: argparse.Namespace) -> int:
    from draftscope.tables.group import GROUP_COLUMNS, group_records

    check_positive("--page-size", args.page_size)
    with session_from_args(args) as session:
        records = group_records(args.acronym, session=session,
                                include_replaced=args.include_replaced,
                                page_size=args.page_size, progress=show_progress(args))
    columns = list(GROUP_TABLE_COLUMNS)
    if args.include_replaced:
        columns += ["replaces", "replaced_by"]
    print_records(records, GROUP_COLUMNS if args.format != "table" else columns, args.format)
    return 0


def run_plot_group(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import check_group

    check_group(args.acronym)
    check_output_dir(args.out)
    with session_from_args(args) as session:
        saved = write_group_figure(args.acronym, args.out, session=session,
                                   progress=show_progress(args), formats=args.image_format,
                                   dpi=args.dpi, title=args.title, xlabel=args.xlabel,
                                   figsize=args.size)
    print_paths(saved.paths)
    return 0


def write_group_figure(acronym: str, out: Path, *, session: Any, progress: bool | None = None,
                       formats: Sequence[str] = DEFAULT_IMAGE_FORMATS, dpi: int | None = None,
                       title: str | None = None, xlabel: str | None = None,
                       figsize: tuple[float, float] | None = None) -> Any:
    """DIR/<wg>_group.<format> and .csv: :func:`draftscope.plots.group.plot_group` of the
    group's timeline; the SavedFigure."""
    from draftscope.errors import NoDataError
    from draftscope.plots.group import plot_group
    from draftscope.plots.style import save_figure
    from draftscope.tables.timeline import group_timeline, timeline_frame

    points = group_timeline(acronym, session=session, progress=progress)
    if not points:
        raise NoDataError(f"{acronym}: the datatracker lists no drafts for this group")
    frame = timeline_frame(points)
    fig = plot_group(frame, title=title, figsize=figsize)
    if xlabel is not None:
        fig.axes[0].set_xlabel(xlabel)
    try:
        return save_figure(fig, frame, out, f"{acronym}_group", formats=formats, dpi=dpi)
    except OSError as exc:
        raise OutputError(f"cannot write into --out {out}: {exc.strerror or exc}") from None


def run_compare(args: argparse.Namespace) -> int:
    from draftscope.fetch.notices import forget_partial
    from draftscope.tables import compare as tables

    check_positive("--workers", args.workers)
    check_positive("--jobs", args.jobs)
    keywords = parse_keywords(args.keywords)
    tables.check_options(args.normalize, args.align, keywords)
    if bool(args.names) == bool(args.group):
        raise UsageError("give draft NAMEs or --group WG (one of the two)")
    for name in args.names:
        check_target(name)
    check_output_dir(args.out)
    progress = show_progress(args)
    names = args.names
    with session_from_args(args) as session:
        if args.group:
            names = [d["name"] for d in session.group(args.group)]
        lineages = session.lineages(names)
    for lineage, labels in lineages.missing.items():   # warnings are data; said here, once
        if labels:
            warn(tables.missing_message(lineage, labels, offline=args.offline))
    forget_partial()                                   # said: no second line at the end
    analyses = tables.analyse_lineages(lineages, definitions=not args.no_definitions,
                                       workers=args.workers, progress=progress)
    frame = tables.compare_frame(analyses, keywords=keywords, normalize=args.normalize,
                                 align=args.align)
    summary = tables.summary_rows(analyses)
    saved = write_compare_outputs(frame, summary, args.out, keywords=keywords,
                                  normalize=args.normalize, align=args.align, layout=args.layout,
                                  formats=args.image_format, dpi=args.dpi, title=args.title,
                                  xlabel=args.xlabel, figsize=args.size)
    print_records([_plain(row) for row in summary],
                  tables.SUMMARY_COLUMNS if args.format != "table" else SUMMARY_TABLE_COLUMNS,
                  args.format)
    print_paths(saved, args)
    return 0


def write_compare_outputs(frame: Any, summary: list[dict], out: Path, *, keywords: Sequence[str],
                          normalize: str, align: str, layout: str,
                          formats: Sequence[str] = DEFAULT_IMAGE_FORMATS, dpi: int | None = None,
                          title: str | None = None, xlabel: str | None = None,
                          figsize: tuple[float, float] | None = None) -> list[Path]:
    """The figure (one file per format of ``formats``) and its data as CSV, named by the
    options that change what is drawn (``compare_keywords``, ``compare_keywords_per-page``...,
    never plot's names), and compare_summary.csv, in ``out``."""
    from draftscope.plots.compare import plot_compare
    from draftscope.plots.figures import figure_stem
    from draftscope.plots.style import save_figure
    from draftscope.tables.compare import SUMMARY_COLUMNS

    fig = plot_compare(frame, keywords, normalize=normalize, align=align, layout=layout,
                       title=title, xlabel=xlabel, figsize=figsize, style="house")
    stem = figure_stem("compare", keywords=keywords, normalize=normalize, align=align)
    summary_path = Path(out) / "compare_summary.csv"
    try:
        saved = save_figure(fig, frame, out, stem, formats=formats, dpi=dpi)
    except OSError as exc:
        raise OutputError(f"cannot write into --out {out}: {exc.strerror or exc}") from None
    write_records([_plain(row) for row in summary], SUMMARY_COLUMNS, "csv", summary_path)
    return [*saved.paths, summary_path]


# --------------------------------------------------------------------------- helpers

def _plain(row: dict) -> dict:
    """Dates as ``YYYY-MM-DD`` for tables, CSV and JSON."""
    return {k: (v.date().isoformat() if hasattr(v, "date") and callable(v.date) else v)
            for k, v in row.items()}


def print_records(records: list[dict], columns: Sequence[str], fmt: str) -> None:
    """Records on stdout as an aligned table (for people), CSV or JSON (for scripts)."""
    if fmt == "table":
        sys.stdout.write(format_table(records, columns))
    else:
        write_records(records, columns, fmt)
