"""``draftscope plot``, ``plot-definitions`` and ``figures``: thin wrappers over
:mod:`draftscope.plots` (the same calls the notebooks make).

Nothing heavy at import time: pandas, seaborn and matplotlib load only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from draftscope.cli.common import (FIGURE_KEYWORDS, NORMALIZATIONS, add_command,
                                   check_output_dir, check_pattern, library_progress,
                                   network_options, parse_keywords, progress_bar,
                                   session_from_args, settings_from_args)
from draftscope.errors import NoDataError, UsageError


def output_options() -> argparse.ArgumentParser:
    """Parent parser: the --out folder of the figure commands."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--out", type=Path, default=Path("figures"), metavar="DIR",
                        help="folder for the PNG, SVG and CSV files (default: figures/)")
    return parent


def register(subparsers: Any) -> None:
    common = [output_options(), network_options()]

    plot = add_command(
        subparsers, "plot", parents=common,
        help="keyword counts across a lineage, one line per phrase",
        description="Plot BCP 14 keyword counts across every revision of each NAME's lineage\n"
                    "(individual draft -> WG draft -> RFC). Writes DIR/<name>_keywords.png,\n"
                    ".svg and .csv (the plotted data, long form).",
        examples=("draftscope plot draft-ietf-quic-transport --mark 10='study start'",
                  "draftscope plot draft-ietf-quic-transport --normalize per-page --x date",
                  "draftscope plot draft-ietf-quic-transport draft-ietf-quic-recovery --compare"),
    )
    plot.add_argument("names", nargs="+", metavar="NAME",
                      help="draft-NAME or rfcNNNN (its whole lineage)")
    plot.add_argument("--keywords", default=FIGURE_KEYWORDS, metavar="K,K,...",
                      help=f"comma-separated phrases, or 'all' (default: {FIGURE_KEYWORDS})")
    plot.add_argument("--normalize", choices=NORMALIZATIONS,
                      default="none", help="divide counts by the revision's size (default: none)")
    plot.add_argument("--x", choices=("revision", "date"), default="revision",
                      help="x axis: revisions in lineage order, or publication dates "
                           "(default: revision)")
    plot.add_argument("--mark", action="append", default=[], metavar="REV=LABEL",
                      help="vertical marker at a revision, e.g. 10='study start' "
                           "(REV: 10, draft-x-10 or rfcNNNN; repeatable)")
    plot.add_argument("--compare", action="store_true",
                      help="one figure, one panel per NAME, shared y axis "
                           "(DIR/compare_keywords.*)")
    plot.set_defaults(func=run_plot)

    definitions = add_command(
        subparsers, "plot-definitions", parents=common,
        help="timeline of protocol definitions across a lineage",
        description="Draw definitions (rows) across revisions (columns): added (first drawn),\n"
                    "changed, redrawn (another notation, same fields), removed. Writes\n"
                    "DIR/<name>_definitions.png, .svg and .csv.",
        examples=("draftscope plot-definitions draft-ietf-quic-transport --definition '^ACK'",
                  "draftscope plot-definitions draft-ietf-quic-http --out figures/h3"),
    )
    definitions.add_argument("name", metavar="NAME",
                             help="draft-NAME or rfcNNNN (its whole lineage)")
    definitions.add_argument("--definition", metavar="PATTERN",
                             help="only definitions whose name matches this regular expression "
                                  "(case-sensitive)")
    definitions.add_argument("-i", "--ignore-case", action="store_true",
                             help="match --definition without regard to case")
    definitions.set_defaults(func=run_plot_definitions)

    figures = add_command(
        subparsers, "figures", parents=common,
        help="regenerate the reference figures (MPTCP post, QUIC, EPIQ'18)",
        description="Regenerate the reference figures into DIR: <draft>_keywords for\n"
                    "draft-ietf-mptcp-multiaddressed, draft-ietf-mptcp-rfc6824bis and\n"
                    "draft-ietf-quic-transport, and the EPIQ'18 figure\n"
                    "(epiq18_quic_transport_keywords). Fetches what the cache lacks. Exits\n"
                    "non-zero with one error line per figure it could not make (its lineage\n"
                    "could not be fetched); the others are written.",
        examples=("draftscope figures --out figures/",
                  "draftscope figures --offline --quiet"),
    )
    figures.set_defaults(func=run_figures)


def run_plot(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import parse_name
    from draftscope.plots.figures import lineage_keywords, write_keyword_figure
    from draftscope.plots.keywords import Mark

    keywords = parse_keywords(args.keywords)
    marks = [Mark.parse(m) for m in args.mark]
    for name in args.names:
        parse_name(name)
    if args.compare and len(set(args.names)) < 2:
        raise UsageError("--compare needs at least two NAMEs (different drafts)")
    if args.compare and marks:
        raise UsageError("--mark cannot be combined with --compare")
    check_output_dir(args.out)
    sizes = args.normalize != "none"
    frames = {}
    with session_from_args(args) as session:
        for name in progress_bar(args, items=args.names, desc="plot", unit="lineage", minimum=2):
            frames[name] = lineage_keywords(name, sizes=sizes, session=session)
    if args.compare:
        saved = [_write_compare(frames, args, keywords)]
    else:
        saved = [
            write_keyword_figure(frame, args.out, f"{name}_keywords", keywords=keywords,
                                 normalize=args.normalize, x=args.x, marks=marks)
            for name, frame in frames.items()
        ]
    for figure in saved:
        for path in figure.paths:
            print(path)
    return 0


def _write_compare(frames: dict, args: argparse.Namespace, keywords: list[str]):
    """One figure, a panel per lineage with a shared y axis (the working-group comparison's
    :func:`~draftscope.plots.compare.plot_compare`), and the data it draws."""
    import pandas as pd

    from draftscope.plots.compare import compare_series, plot_compare
    from draftscope.plots.style import save_figure

    combined = pd.concat(
        [frame.assign(lineage=name) for name, frame in frames.items()], ignore_index=True)
    fig = plot_compare(combined, keywords, normalize=args.normalize, align=args.x,
                       layout="facets")
    data = compare_series(combined, keywords, normalize=args.normalize, align=args.x)
    return save_figure(fig, data, args.out, "compare_keywords")


def run_plot_definitions(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import parse_name
    from draftscope.plots.definitions import definition_grid, plot_definitions
    from draftscope.plots.style import save_figure
    from draftscope.tables.definitions import history_frame

    parse_name(args.name)
    check_pattern("--definition", args.definition)
    check_output_dir(args.out)
    with session_from_args(args) as session:
        revisions = session.lineage(args.name).revisions
    history = history_frame(revisions)
    labels = [r.label for r in revisions if r.format == "txt"]
    if history.empty:
        raise NoDataError(f"{args.name}: no protocol definitions in any of its "
                             f"{len(labels)} revisions, nothing to draw")
    fig = plot_definitions(history, definition=args.definition, revisions=labels,
                           ignore_case=args.ignore_case)
    grid = definition_grid(history, definition=args.definition, revisions=labels,
                           ignore_case=args.ignore_case)
    saved = save_figure(fig, grid, args.out, f"{args.name}_definitions")
    for path in saved.paths:
        print(path)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    from draftscope.plots.figures import REFERENCE_FIGURES, make_figures

    check_output_dir(args.out)
    settings = settings_from_args(args)
    bar = progress_bar(args, total=len(REFERENCE_FIGURES), desc="figures", unit="figure")
    result = make_figures(args.out, settings=settings, offline=args.offline,
                          refresh=args.refresh, progress=library_progress(args),
                          on_figure=lambda stem: bar.update(1))
    bar.close()
    for figure in result.written:
        for path in figure.paths:
            print(path)
    for failure in result.failures:
        print(f"draftscope: error: {failure}", file=sys.stderr)
    return 0 if result.ok else 1
