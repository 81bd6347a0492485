"""``draftscope plot``, ``plot-definitions`` and ``figures``: thin wrappers over
:mod:`draftscope.plots` (the same calls the notebooks make).

Nothing heavy at import time: pandas, seaborn and matplotlib load only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from draftscope.cli.common import (FIGURE_KEYWORDS, NORMALIZATIONS, SHARED_HELP, add_align_option,
                                   add_command, add_look_options, add_output_options,
                                   check_local_file, check_output_dir, definition_pattern,
                                   is_local_target, library_progress, network_options,
                                   parse_figure_size, parse_keywords, positive_int, print_paths,
                                   progress_bar, session_from_args, settings_from_args)
from draftscope.errors import NoDataError, PlotInputError, UsageError, printable

# a bare --normalize: per 1000 words, measured the same way in every text (pages of texts
# without page breaks, RFCs since 8650 and XML, are estimated from their lines)
DEFAULT_NORMALIZATION = "per-1000-words"


def register(subparsers: Any) -> None:
    common = [network_options()]

    plot = add_command(
        subparsers, "plot", parents=common,
        help="keyword counts across a lineage, one line per phrase",
        description="Plot BCP 14 keyword counts across every revision of each NAME's lineage\n"
                    "(individual draft -> WG draft -> RFC), or across local .txt/.xml files\n"
                    "(one lineage, in the order given: an author's unpublished revisions).\n"
                    "Writes DIR/<name>_keywords[_OPTIONS].png, .svg (--image-format) and .csv\n"
                    "(the plotted data, long form); the name says the options that change\n"
                    "what is drawn (_all, _per-page, _by-date, _revisions-00..14), so figures\n"
                    "of one draft never overwrite each other. Prints the paths written.",
        examples=("draftscope plot draft-ietf-quic-transport --revisions 00..14 "
                  "--mark 10='study start'",
                  "draftscope plot draft-ietf-quic-transport --normalize --align date",
                  "draftscope plot draft-ietf-quic-transport --title 'QUIC' --size 6x3.5 "
                  "--image-format png,pdf",
                  "draftscope plot my-draft-00.txt my-draft-01.txt my-draft-02.xml",
                  "draftscope plot draft-ietf-quic-transport draft-ietf-quic-recovery --compare"),
    )
    plot.add_argument("names", nargs="+", metavar="NAME",
                      help="draft-NAME or rfcNNNN (its whole lineage), or local .txt/.xml files")
    plot.add_argument("--keywords", default=FIGURE_KEYWORDS, metavar="K,K,...",
                      help=f"comma-separated phrases, or 'all' (default: {FIGURE_KEYWORDS})")
    plot.add_argument("--normalize", choices=NORMALIZATIONS, nargs="?",
                      const=DEFAULT_NORMALIZATION, default="none",
                      help="divide counts by the revision's size; given alone: "
                           f"{DEFAULT_NORMALIZATION} (default: none)")
    plot.add_argument("--revisions", metavar="REVS",
                      help="only these revisions: a range 00..14, or a comma-separated list "
                           "(10,12,rfc9000; draft-x-07 where names share numbers)")
    add_align_option(plot)
    plot.add_argument("--mark", action="append", default=[], metavar="REV=LABEL",
                      help="vertical marker at a revision, e.g. 10='study start' "
                           "(REV: 10, draft-x-10 or rfcNNNN; repeatable)")
    plot.add_argument("--compare", action="store_true",
                      help="one figure, a panel per NAME, each with its own y axis "
                           "(DIR/<name>+<name>_keywords[_OPTIONS].*; three or more: "
                           "<first>+N-more_keywords...)")
    plot.add_argument("--explain", type=positive_int, nargs="?", const=3, default=None,
                      metavar="N", help="note at the N largest jumps (given alone: 3) the "
                                        "sections whose counts moved most")
    add_output_options(plot)
    add_look_options(plot)
    plot.set_defaults(func=run_plot)

    definitions = add_command(
        subparsers, "plot-definitions", parents=common,
        help="timeline of protocol definitions across a lineage",
        description="Draw definitions (rows) across revisions (columns): added (first drawn),\n"
                    "changed, redrawn (another notation, same fields), removed. Writes\n"
                    "DIR/<name>_definitions.png, .svg (--image-format) and .csv.",
        examples=("draftscope plot-definitions draft-ietf-quic-transport --definition '^ACK'",
                  "draftscope plot-definitions draft-ietf-quic-http --out figures/h3"),
    )
    definitions.add_argument("name", metavar="NAME",
                             help="draft-NAME or rfcNNNN (its whole lineage)")
    definitions.add_argument("--definition", metavar="PATTERN",
                             help=SHARED_HELP["--definition"])
    definitions.add_argument("-i", "--ignore-case", action="store_true",
                             help=SHARED_HELP["--ignore-case"])
    add_output_options(definitions)
    add_look_options(definitions)
    definitions.set_defaults(func=run_plot_definitions)

    figures = add_command(
        subparsers, "figures", parents=common,
        help="regenerate the reference figures (MPTCP post, QUIC, EPIQ'18)",
        description="Regenerate the reference figures into DIR: <draft>_keywords for\n"
                    "draft-ietf-mptcp-multiaddressed, draft-ietf-mptcp-rfc6824bis and\n"
                    "draft-ietf-quic-transport, and the EPIQ'18 figure\n"
                    "(epiq18_quic_transport_keywords: revisions 00..14, as plot --revisions\n"
                    "takes them). Fetches what the cache lacks. Exits non-zero with one error\n"
                    "line per figure it could not make (its lineage could not be fetched); the\n"
                    "others are written. Each figure has its own title and x label.",
        examples=("draftscope figures --out figures/",
                  "draftscope figures --offline --quiet --image-format png,pdf --dpi 200"),
    )
    add_output_options(figures)
    figures.add_argument("--dpi", type=_dpi, default=None, metavar="N", help=SHARED_HELP["--dpi"])
    figures.add_argument("--size", type=parse_figure_size, default=None, metavar="WxH",
                         help=SHARED_HELP["--size"])
    figures.set_defaults(func=run_figures)


def _dpi(text: str) -> int:
    """--dpi exactly as add_look_options checks it (figures takes no --title/--xlabel: it
    writes four figures, each with its own)."""
    from draftscope.cli import common

    return common._dpi(text)


def run_plot(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import parse_name
    from draftscope.plots.figures import figure_stem, write_keyword_figure
    from draftscope.plots.keywords import Mark, parse_revisions

    keywords = parse_keywords(args.keywords)
    marks = [Mark.parse(m) for m in args.mark]
    revisions = parse_revisions(args.revisions) if args.revisions is not None else None
    files = [n for n in args.names if is_local_target(n)]
    names = [n for n in args.names if not is_local_target(n)]
    for name in names:
        parse_name(name)
    for path in files:
        check_local_file(path)
    lineages = len(set(names)) + (1 if files else 0)
    if args.compare and lineages < 2:
        raise UsageError("--compare needs at least two NAMEs (different drafts)")
    if args.compare and marks:
        raise UsageError("--mark cannot be combined with --compare")
    if args.align == "progress" and not args.compare:
        raise UsageError("--align progress puts several lineages on one axis: use it with "
                         "--compare (one lineage: --align revision or date)")
    if args.explain and args.compare:
        raise UsageError("--explain cannot be combined with --compare")
    check_output_dir(args.out)
    with session_from_args(args) as session:
        frames = _lineage_frames(args, names, files, session)
        notes = {}
        if args.explain:
            from draftscope.plots.explain import explain_lineages

            notes = explain_lineages(frames, names + files, session, keywords, top=args.explain,
                                     normalize=args.normalize, revisions=revisions)
    if revisions is not None:
        _check_revisions(frames, revisions, each=not args.compare)
    look = {"title": args.title, "xlabel": args.xlabel, "figsize": args.size}
    save = {"formats": args.image_format, "dpi": args.dpi}
    if args.compare:
        saved = [_write_compare(frames, args, keywords, revisions, look, save)]
    else:
        saved = [
            write_keyword_figure(
                frame, args.out,
                figure_stem(name, keywords=keywords, normalize=args.normalize, align=args.align,
                            revisions=args.revisions),
                keywords=keywords, normalize=args.normalize, align=args.align, marks=marks,
                revisions=revisions, explain=notes.get(name, ()), **look, **save)
            for name, frame in frames.items()
        ]
    print_paths(path for figure in saved for path in figure.paths)
    return 0


def _lineage_frames(args: argparse.Namespace, names: list[str], files: list[str],
                    session: Any) -> dict:
    """Keyword frames by lineage: each NAME's lineage, then the local files as one lineage
    named after its first file's document name."""
    from draftscope.plots.figures import files_keywords, lineage_keywords

    sizes = args.normalize != "none"
    frames = {}
    for name in progress_bar(args, items=list(dict.fromkeys(names)), desc="plot",
                             unit="lineage", minimum=2):
        frames[name] = lineage_keywords(name, sizes=sizes, session=session)
    if files:
        frame = files_keywords(files, sizes=sizes, session=session)
        frames[str(frame["name"].iloc[0])] = frame
    return frames


def _write_compare(frames: dict, args: argparse.Namespace, keywords: list[str],
                   revisions: list[str] | None, look: dict, save: dict):
    """One figure, a panel per lineage each with its own y axis (the working-group
    comparison's :func:`~draftscope.plots.compare.plot_compare`), and the data it draws.
    Named after the lineages, so it never overwrites ``compare``'s ``compare_keywords``."""
    import pandas as pd

    from draftscope.plots.compare import compare_series, plot_compare
    from draftscope.plots.figures import figure_stem
    from draftscope.plots.keywords import keyword_series
    from draftscope.plots.style import save_figure

    if revisions is not None:   # each lineage's own revisions among those asked for
        frames = {name: _only(frame, keyword_series(frame, keywords, revisions=revisions))
                  for name, frame in frames.items()}
    combined = pd.concat(
        [frame.assign(lineage=name) for name, frame in frames.items()], ignore_index=True)
    fig = plot_compare(combined, keywords, normalize=args.normalize, align=args.align,
                       layout="facets", style="house", **look)
    data = compare_series(combined, keywords, normalize=args.normalize, align=args.align)
    joined = "+".join(frames) if len(frames) == 2 else f"{next(iter(frames))}+{len(frames) - 1}-more"
    stem = figure_stem(joined, keywords=keywords, normalize=args.normalize, align=args.align,
                       revisions=args.revisions)
    return save_figure(fig, data, args.out, stem, **save)


def _check_revisions(frames: dict, revisions: list[str], *, each: bool) -> None:
    """Refuse ``--revisions`` naming a revision that is not there (in each lineage plotted, or
    with --compare in none of them), naming the revisions there are: a figure named
    ``_revisions-05..99`` must show 05..99."""
    from draftscope.plots.lineage import missing_revisions, revision_span

    def listed(absent: list[str]) -> str:
        return ", ".join(absent) if len(absent) <= 4 else \
            f"{', '.join(absent[:3])} ... {absent[-1]} ({len(absent)} revisions)"

    missing = {name: missing_revisions(frame, revisions) for name, frame in frames.items()}
    if each:
        for name, absent in missing.items():
            if absent:
                raise PlotInputError(
                    f"--revisions: {listed(absent)} not in {name} (it has "
                    f"{revision_span(frames[name])})")
    else:
        absent = [r for r in revisions if all(r in m for m in missing.values())]
        if absent:
            spans = "; ".join(f"{n}: {revision_span(f)}" for n, f in frames.items())
            raise PlotInputError(f"--revisions: {listed(absent)} in none of the lineages "
                                 f"({spans})")


def _only(frame: Any, series: Any) -> Any:
    """The rows of ``frame`` for the revisions ``series`` kept."""
    kept = set(zip(series["name"], series["rev"]))
    return frame[[key in kept for key in zip(frame["name"], frame["rev"])]]


def run_plot_definitions(args: argparse.Namespace) -> int:
    from draftscope.fetch.names import parse_name
    from draftscope.plots.definitions import definition_grid, plot_definitions
    from draftscope.plots.style import save_figure
    from draftscope.tables.definitions import history_frame

    parse_name(args.name)
    pattern = definition_pattern(args)           # compiled once, before any I/O
    check_output_dir(args.out)
    with session_from_args(args) as session:
        revisions = session.lineage(args.name).revisions
    history = history_frame(revisions)
    labels = [r.label for r in revisions if r.format == "txt"]
    if history.empty:
        raise NoDataError(f"{args.name}: no protocol definitions in any of its "
                             f"{len(labels)} revisions, nothing to draw")
    fig = plot_definitions(history, definition=pattern, revisions=labels, title=args.title,
                           figsize=args.size, style="house")
    if args.xlabel is not None:
        fig.axes[0].set_xlabel(args.xlabel)
    grid = definition_grid(history, definition=pattern, revisions=labels)
    saved = save_figure(fig, grid, args.out, f"{args.name}_definitions",
                        formats=args.image_format, dpi=args.dpi)
    print_paths(saved.paths)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    from draftscope.plots.figures import REFERENCE_FIGURES, make_figures

    check_output_dir(args.out)
    settings = settings_from_args(args)
    bar = progress_bar(args, total=len(REFERENCE_FIGURES), desc="figures", unit="figure")
    result = make_figures(args.out, settings=settings, offline=args.offline,
                          refresh=args.refresh, jobs=args.jobs, progress=library_progress(args),
                          on_figure=lambda stem: bar.update(1), formats=args.image_format,
                          dpi=args.dpi, figsize=args.size)
    bar.close()
    print_paths(path for figure in result.written for path in figure.paths)
    for failure in result.failures:
        print(f"draftscope: error: {printable(str(failure))}", file=sys.stderr)
    return 0 if result.ok else 1
