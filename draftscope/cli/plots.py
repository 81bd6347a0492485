"""``draftscope plot``, ``plot-definitions`` and ``figures``: thin wrappers over
:mod:`draftscope.plots` (the same calls the notebooks make).

Nothing heavy at import time: pandas, seaborn and matplotlib load only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterable

from draftscope.errors import DraftscopeError

EPIQ = "MUST,MUST NOT,SHOULD,SHOULD NOT"


class UsageError(DraftscopeError):
    """A command-line option that cannot be used as given."""

    exit_code = 2


def register(subparsers: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, default=Path("figures"), metavar="DIR",
                        help="folder for the PNG, SVG and CSV files (default: figures/)")
    common.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="cache folder (default: $DRAFTSCOPE_CACHE or ./cache)")
    common.add_argument("--offline", action="store_true",
                        help="use the cache only; fail naming what is missing")
    common.add_argument("--refresh", action="store_true",
                        help="ask the datatracker again for the revision lists (otherwise reused for a day)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bars")

    plot = subparsers.add_parser(
        "plot", parents=[common],
        help="keyword counts across a lineage, one line per phrase",
        description="Plot BCP 14 keyword counts across every revision of each NAME's lineage "
                    "(individual draft -> WG draft -> RFC). Writes DIR/<name>_keywords.png, "
                    ".svg and .csv (the plotted data, long form).",
        epilog="example: draftscope plot draft-ietf-quic-transport --mark 10='study start'",
    )
    plot.add_argument("names", nargs="+", metavar="NAME", help="draft name (draft-...)")
    plot.add_argument("--keywords", default=EPIQ, metavar="K,K,...",
                      help=f"comma-separated phrases (default: {EPIQ})")
    plot.add_argument("--normalize", choices=("none", "per-page", "per-1000-words"),
                      default="none", help="divide counts by the revision's size (default: none)")
    plot.add_argument("--x", choices=("revision", "date"), default="revision",
                      help="x axis: revisions in lineage order, or publication dates")
    plot.add_argument("--mark", action="append", default=[], metavar="REV=LABEL",
                      help="vertical marker at a revision, e.g. 10='study start' "
                           "(REV: 10, draft-x-10 or rfcNNNN; repeatable)")
    plot.add_argument("--compare", action="store_true",
                      help="one figure, one panel per NAME, shared y axis "
                           "(DIR/compare_keywords.*)")
    plot.set_defaults(func=run_plot)

    definitions = subparsers.add_parser(
        "plot-definitions", parents=[common],
        help="timeline of protocol definitions across a lineage",
        description="Draw definitions (rows) across revisions (columns): added, changed, "
                    "removed. Writes DIR/<name>_definitions.png, .svg and .csv.",
    )
    definitions.add_argument("name", metavar="NAME", help="draft name (draft-...)")
    definitions.add_argument("--definition", metavar="PATTERN",
                             help="only definitions whose name matches this regular expression")
    definitions.set_defaults(func=run_plot_definitions)

    figures = subparsers.add_parser(
        "figures", parents=[common],
        help="regenerate the reference figures (MPTCP post, QUIC, EPIQ'18)",
        description="Regenerate the reference figures into DIR: <draft>_keywords for "
                    "draft-ietf-mptcp-multiaddressed, draft-ietf-mptcp-rfc6824bis and "
                    "draft-ietf-quic-transport, and the EPIQ'18 figure "
                    "(epiq18_quic_transport_keywords). Fetches what the cache lacks. Exits "
                    "non-zero naming each lineage it could not fetch; the others are written.",
    )
    figures.set_defaults(func=run_figures)


def _settings(args: argparse.Namespace):
    from draftscope.fetch.config import Settings

    overrides = {"cache_dir": args.cache_dir} if args.cache_dir else {}
    return Settings.from_env(**overrides)


def _progress(iterable: Iterable, args: argparse.Namespace, desc: str):
    """A tqdm bar on stderr, silent with --quiet or when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, unit="figure", file=sys.stderr, leave=False,
                disable=args.quiet or not sys.stderr.isatty())


def parse_keywords(text: str) -> list[str]:
    """``"must,MUST NOT"`` -> ``["MUST", "MUST NOT"]``, refusing phrases BCP 14 does not have."""
    from draftscope.analyses.keywords import PHRASES

    keywords = [" ".join(k.split()).upper() for k in text.split(",") if k.strip()]
    unknown = [k for k in keywords if k not in PHRASES]
    if unknown or not keywords:
        raise UsageError(
            f"--keywords: unknown phrase(s) {', '.join(unknown) or '(none given)'} "
            f"(BCP 14 phrases: {', '.join(sorted(PHRASES))})"
        )
    return keywords


def run_plot(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import parse_name
    from draftscope.plots.figures import lineage_keywords, write_keyword_figure
    from draftscope.plots.keywords import Mark

    keywords = parse_keywords(args.keywords)
    marks = [Mark.parse(m) for m in args.mark]
    for name in args.names:
        parse_name(name)
    settings = _settings(args)
    sizes = args.normalize != "none"
    frames = {}
    for name in _progress(args.names, args, "plot"):
        frames[name] = lineage_keywords(name, settings=settings, offline=args.offline,
                                        refresh=args.refresh, sizes=sizes,
                                        progress=False if args.quiet else None)
    if args.compare:
        saved = [_write_compare(frames, args, keywords, marks)]
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


def _write_compare(frames: dict, args: argparse.Namespace, keywords: list[str], marks: list):
    """One figure, a panel per lineage with a shared y axis (the working-group comparison's
    :func:`~draftscope.plots.compare.plot_compare`), and the data it draws."""
    import pandas as pd

    from draftscope.plots.compare import compare_series, plot_compare
    from draftscope.plots.style import save_figure

    if len(frames) < 2:
        raise UsageError("--compare needs at least two NAMEs")
    if marks:
        raise UsageError("--mark cannot be combined with --compare")
    combined = pd.concat(
        [frame.assign(lineage=name) for name, frame in frames.items()], ignore_index=True)
    fig = plot_compare(combined, keywords, normalize=args.normalize, align=args.x,
                       layout="facets")
    data = compare_series(combined, keywords, normalize=args.normalize, align=args.x)
    return save_figure(fig, data, args.out, "compare_keywords")


def run_plot_definitions(args: argparse.Namespace) -> int:
    from draftscope.fetch.lineage import fetch_lineage
    from draftscope.fetch.names import parse_name
    from draftscope.plots.definitions import definition_grid, plot_definitions
    from draftscope.plots.style import save_figure
    from draftscope.tables.definitions import history_frame

    parse_name(args.name)
    revisions = fetch_lineage(args.name, settings=_settings(args), offline=args.offline,
                              refresh=args.refresh, progress=False if args.quiet else None)
    history = history_frame(revisions)
    labels = [r.label for r in revisions if r.format == "txt"]
    fig = plot_definitions(history, definition=args.definition, revisions=labels)
    grid = definition_grid(history, definition=args.definition, revisions=labels)
    saved = save_figure(fig, grid, args.out, f"{args.name}_definitions")
    for path in saved.paths:
        print(path)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    from draftscope.plots.figures import REFERENCE_FIGURES, make_figures

    bar = _progress(REFERENCE_FIGURES, args, "figures")
    result = make_figures(args.out, settings=_settings(args), offline=args.offline,
                          refresh=args.refresh, progress=False if args.quiet else None,
                          on_figure=lambda stem: bar.update(1))
    bar.close()
    for figure in result.written:
        for path in figure.paths:
            print(path)
    for failure in result.failures:
        print(f"draftscope: error: {failure}", file=sys.stderr)
    return 0 if result.ok else 1
