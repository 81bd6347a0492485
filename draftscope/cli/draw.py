"""``draftscope draw`` and ``story``: protocol definitions drawn as bit diagrams (or TLS cards),
one revision at a time or along a whole lineage.

Thin wrappers over :func:`draftscope.plots.render.render_drawings` and
:func:`~draftscope.plots.render.render_story` (the calls notebooks make) after
:func:`~draftscope.analyses.definitions.story.definition_stories`. Nothing heavy at import time.
Paths written go to stdout, one per line; progress and notes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from draftscope.cli.common import (add_command, add_definition_options, add_examples_option,
                                   SHARED_HELP, add_output_options, add_workers_option, check_output_dir,
                                   check_target, definition_pattern, library_progress,
                                   network_options, note, positive_int, print_paths, progress_bar,
                                   settings_from_args)
from draftscope.errors import NoDataError, OfflineMissingError

# library defaults repeated so --help needs no import of the drawing stack (a test keeps them equal)
MAX_FILES = 1000           # plots.render.MAX_FILES
MAX_ROWS = 512             # outputs.layout.MAX_ROWS

TARGET_HELP = "draft-NAME-NN, draft-NAME (latest revision), rfcNNNN or a local .txt/.xml file"


def _width(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected inches, e.g. 8, got {text!r}") from None
    if not 2 <= value <= 40:
        raise argparse.ArgumentTypeError(f"must be 2 to 40 inches, got {text!r}")
    return value


def _columns(text: str) -> int:
    value = positive_int(text)
    if value > 4:
        raise argparse.ArgumentTypeError(f"must be 1 to 4, got {value}")
    return value


def _figure_options() -> argparse.ArgumentParser:
    """--definition (required here: a drawing is of named definitions), -i, --out,
    --image-format (mermaid too), the look (--title, --width) and the caps."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("what to draw and where")
    add_definition_options(group)
    for action in group._group_actions:
        if "--definition" in action.option_strings:
            action.required = True
    add_output_options(group, drawing=True)
    look = parent.add_argument_group("how it looks, how much")
    look.add_argument("--title", metavar="TEXT", help=SHARED_HELP["--title"])
    look.add_argument("--width", type=_width, default=8.0, metavar="INCHES",
                      help="figure width in inches, 2 to 40 (default: 8, a blog column at 150 dpi)")
    look.add_argument("--max-files", type=positive_int, default=MAX_FILES, metavar="N",
                      help=f"refuse to write more files than this (default: {MAX_FILES})")
    look.add_argument("--max-rows", type=positive_int, default=MAX_ROWS, metavar="N",
                      help=f"refuse a drawing of more rows of bits than this (default: {MAX_ROWS})")
    return parent


def register(subparsers: Any) -> None:
    common = [_figure_options(), network_options()]

    d = add_command(
        subparsers, "draw", parents=common,
        help="draw protocol definitions of one revision as bit diagrams",
        description="Draw each definition of TARGET matching PATTERN: packet, frame and option\n"
                    "formats (box art, QUIC field lists) as bit diagrams with a 0..31 ruler, TLS\n"
                    "structs and enums as cards. Writes DIR/<label>_<definition>.png and .svg\n"
                    "(.pdf, or .mmd Mermaid packet-beta text, with --image-format), and the drawn\n"
                    "field model as .json. When several definitions match, also one contact sheet\n"
                    "DIR/<label>_definitions.png/.svg: all of them in --columns columns on one bit\n"
                    "scale, titled --title or <label>. Prints the paths written.",
        examples=("draftscope draw draft-ietf-quic-transport-27 --definition '^ACK Frame'",
                  "draftscope draw rfc9000 --definition 'NEW_CONNECTION_ID' --image-format svg",
                  "draftscope draw ./rfc6824-join-dss.txt --definition 'MP_JOIN|DSS' --out mptcp",
                  "draftscope draw ./rfc6824-join-dss.txt --definition . --columns 2 "
                  "--title 'MPTCP options'"),
    )
    d.add_argument("target", metavar="TARGET", help=TARGET_HELP)
    d.add_argument("--columns", type=_columns, default=None, metavar="N",
                   help="drawings side by side on the contact sheet written when PATTERN "
                        "matches several, 1 to 4 (default: as many as --width holds)")
    add_examples_option(d)
    d.set_defaults(func=run_draw)

    s = add_command(
        subparsers, "story", parents=common,
        help="a definition's story along a lineage: one drawing per change",
        description="Follow each definition matching PATTERN along NAME's whole lineage\n"
                    "(individual drafts -> WG draft -> RFC) and draw it at every revision where\n"
                    "it was first drawn, changed or removed, with the changes marked. Per\n"
                    "definition: DIR/<name>_<definition>_story_NN_<rev>.png/.svg (one per step),\n"
                    "DIR/<name>_<definition>_story.png/.svg (every step stacked), _story.csv and\n"
                    "_story.md (revision, date, what changed in words). Prints the paths written.",
        examples=("draftscope story draft-ietf-quic-transport --definition '^ACK Frame'",
                  "draftscope story draft-ietf-quic-transport --definition 'NEW_CONNECTION_ID' "
                  "--with-redraws",
                  "draftscope story rfc6824 --definition ADD_ADDR -i --out mptcp"),
    )
    s.add_argument("name", metavar="NAME", help="draft-NAME or rfcNNNN (its whole lineage)")
    s.add_argument("--with-redraws", action="store_true",
                   help="also a step where the definition was only redrawn (another notation, "
                        "same fields)")
    s.add_argument("--columns", type=_columns, default=None, metavar="N",
                   help="steps side by side in the strip, 1 to 4 (default: 2 from four steps "
                        "on, else 1)")
    add_workers_option(s)
    s.set_defaults(func=run_story)


def _one_revision(target: str, args: argparse.Namespace):
    from draftscope.fetch.session import resolve_target

    revisions = resolve_target(target, settings=settings_from_args(args), offline=args.offline,
                               lineage=False, progress=library_progress(args),
                               refresh=args.refresh, jobs=args.jobs)
    usable = [r for r in revisions if r.path is not None]
    if not usable and args.offline:
        raise OfflineMissingError(f"{target}: not in the cache (drop --offline to fetch it)")
    if not usable:
        raise NoDataError(f"{target}: no file available")
    return usable[-1]


def run_draw(args: argparse.Namespace) -> int:
    check_target(args.target)
    check_output_dir(args.out)
    pattern = definition_pattern(args)           # compiled once, before any I/O
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.analyses.definitions.story import matching_definitions
    from draftscope.plots.render import render_drawings
    from draftscope.text.document import load_document

    revision = _one_revision(args.target, args)
    label = revision_label(revision.name, revision.rev)
    definitions = extract_definitions(load_document(revision), examples=args.examples)
    chosen = matching_definitions(definitions, pattern)
    if not chosen:
        names = ", ".join(dict.fromkeys(d.name for d in definitions))
        raise pattern.no_match(
            args.target, within=(f" (it has {len(definitions)}: {_shorten(names)})" if definitions
                                 else " (it has no definitions)"),
            would_match_ignoring_case=bool(matching_definitions(definitions, pattern.folded())))
    drawable = [d for d in chosen if d.fields]
    if not drawable:
        raise NoDataError(f"{args.target}: nothing to draw for --definition {args.definition!r}: "
                          f"{', '.join(d.name for d in chosen)} ha{'s' if len(chosen) == 1 else 've'} "
                          "no fields")
    with progress_bar(args, total=len(drawable), desc="drawing", unit="fig", minimum=3) as bar:
        def written(files) -> None:
            print_paths(files.paths)
            sys.stdout.flush()
            bar.update(1)

        drawings = render_drawings(drawable, args.out, label=label, formats=args.image_format,
                                   title=args.title, width=args.width, columns=args.columns,
                                   max_files=args.max_files, max_rows=args.max_rows,
                                   on_written=written)
    print_paths(drawings.sheet)                  # the contact sheet last, once all are drawn
    return 0


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(", ", 1)[0] + ", ..."


def run_story(args: argparse.Namespace) -> int:
    check_target(args.name)
    check_output_dir(args.out)
    pattern = definition_pattern(args)           # compiled once, before any I/O
    from draftscope.analyses.definitions.story import definition_stories
    from draftscope.fetch.session import resolve_target
    from draftscope.plots.render import render_story, story_jobs

    revisions = resolve_target(args.name, settings=settings_from_args(args), offline=args.offline,
                               lineage=True, progress=library_progress(args), refresh=args.refresh,
                               jobs=args.jobs)
    readable = [r for r in revisions if r.path is not None]
    if not readable:
        raise NoDataError(f"{args.name}: no revision available to read")
    with progress_bar(args, total=len(readable), desc="definitions", unit="rev") as bar:
        try:
            stories = definition_stories(readable, pattern,
                                         with_redraws=args.with_redraws, workers=args.workers,
                                         progress=bar.update)
        except NoDataError as exc:
            raise NoDataError(f"{args.name}: {exc}") from None
    note(args, f"draftscope: {len(stories)} definition{'s' if len(stories) != 1 else ''} match "
                f"--definition {args.definition!r}: "
                + ", ".join(f"{key} ({len(steps)} step{'s' if len(steps) != 1 else ''})"
                           for key, steps in stories.items()))
    figures = len(story_jobs(stories, args.out, tuple(args.image_format), lineage=args.name))
    with progress_bar(args, total=figures, desc="drawing", unit="fig") as bar:
        written = render_story(stories, args.out, lineage=args.name, formats=args.image_format,
                               workers=args.workers, title=args.title, columns=args.columns,
                               width=args.width, max_files=args.max_files,
                               max_rows=args.max_rows, progress=bar.update)
    for story in written:
        print_paths(story.paths)                 # the steps, then the strip, then CSV and Markdown
        sys.stdout.flush()
    return 0
