"""``draftscope draw`` and ``story``: protocol definitions drawn as bit diagrams (or TLS cards),
one revision at a time or along a whole lineage.

Thin wrappers over :mod:`draftscope.plots.bitdiagram`, :mod:`draftscope.analyses.definitions.story`
and :mod:`draftscope.tables.story` (the calls notebooks make). Nothing heavy at import time.
Paths written go to stdout, one per line; progress and notes to stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from draftscope.cli.common import (add_command, add_definition_options, add_examples_option,
                                   add_output_options,
                                   add_workers_option, check_output_dir, check_target,
                                   definition_flags, library_progress, network_options, note,
                                   print_paths, progress_bar, settings_from_args,
                                   write_file_atomically, write_json, write_records)
from draftscope.errors import NoDataError, OfflineMissingError

# figures of a story from which drawing them in a process pool pays (forking, ~0.2 s rendering each)
DRAW_POOL_MIN_FIGURES = 4

TARGET_HELP = "draft-NAME-NN, draft-NAME (latest revision), rfcNNNN or a local .txt/.xml file"


def slug(text: str) -> str:
    """``NEW_CONNECTION_ID Frame`` -> ``new-connection-id-frame`` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "definition"


def _figure_options() -> argparse.ArgumentParser:
    """--definition (required here: a drawing is of named definitions), -i, --out, --image-format."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("what to draw and where")
    add_definition_options(group)
    for action in group._group_actions:
        if "--definition" in action.option_strings:
            action.required = True
    add_output_options(group)
    return parent


def register(subparsers: Any) -> None:
    common = [_figure_options(), network_options()]

    d = add_command(
        subparsers, "draw", parents=common,
        help="draw protocol definitions of one revision as bit diagrams",
        description="Draw each definition of TARGET matching PATTERN: packet, frame and option\n"
                    "formats (box art, QUIC field lists) as bit diagrams with a 0..31 ruler, TLS\n"
                    "structs and enums as cards. Writes DIR/<label>_<definition>.png and .svg,\n"
                    "and the drawn field model as .json; prints the paths written.",
        examples=("draftscope draw draft-ietf-quic-transport-27 --definition '^ACK Frame'",
                  "draftscope draw rfc9000 --definition 'NEW_CONNECTION_ID' --image-format svg",
                  "draftscope draw ./rfc6824-join-dss.txt --definition 'MP_JOIN|DSS' --out mptcp"),
    )
    d.add_argument("target", metavar="TARGET", help=TARGET_HELP)
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
    add_workers_option(s)
    s.set_defaults(func=run_story)


def _ignore_case(args: argparse.Namespace) -> bool:
    return bool(definition_flags(args))


def _one_revision(target: str, args: argparse.Namespace):
    from draftscope.fetch.targets import resolve_target

    revisions = resolve_target(target, settings=settings_from_args(args), offline=args.offline,
                               lineage=False, progress=library_progress(args),
                               refresh=args.refresh)
    usable = [r for r in revisions if r.path is not None]
    if not usable and args.offline:
        raise OfflineMissingError(f"{target}: not in the cache (drop --offline to fetch it)")
    if not usable:
        raise NoDataError(f"{target}: no file available")
    return usable[-1]


def run_draw(args: argparse.Namespace) -> int:
    check_target(args.target)
    check_output_dir(args.out)
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.analyses.definitions.model import revision_label
    from draftscope.analyses.definitions.story import matching_definitions
    from draftscope.plots.bitdiagram import default_subtitle, draw_definition, save_drawing

    revision = _one_revision(args.target, args)
    label = revision_label(revision.name, revision.rev)
    definitions = [d for d in extract_definitions(revision) if args.examples or not getattr(d, "example", False)]
    chosen = matching_definitions(definitions, args.definition, ignore_case=_ignore_case(args))
    if not chosen:
        names = ", ".join(dict.fromkeys(d.name for d in definitions))
        raise NoDataError(
            f"{args.target}: no definition matches --definition {args.definition!r}"
            + (f" (it has {len(definitions)}: {_shorten(names)})" if definitions
               else " (it has no definitions)")
            + ("; the pattern is case-sensitive, -i ignores case"
               if not _ignore_case(args)
               and matching_definitions(definitions, args.definition, ignore_case=True)
               else ""))
    drawable = [d for d in chosen if d.fields]
    if not drawable:
        raise NoDataError(f"{args.target}: nothing to draw for --definition {args.definition!r}: "
                          f"{', '.join(d.name for d in chosen)} ha{'s' if len(chosen) == 1 else 've'} "
                          "no fields")
    stems: dict[str, int] = {}
    with progress_bar(args, total=len(drawable), desc="drawing", unit="fig", minimum=3) as bar:
        for d in drawable:
            stem = f"{label}_{slug(d.name)}"
            stems[stem] = stems.get(stem, 0) + 1
            if stems[stem] > 1:
                stem = f"{stem}-{stems[stem]}"
            fig = draw_definition(d, subtitle=default_subtitle(d, label))
            json_path = args.out / f"{stem}.json"
            paths = save_drawing(fig, args.out, stem, args.image_format)
            write_json({"document": label, **fig._draftscope_plan.record()}, json_path, indent=1)
            print_paths([*paths, json_path])
            sys.stdout.flush()
            bar.update(1)
    return 0


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(", ", 1)[0] + ", ..."


def run_story(args: argparse.Namespace) -> int:
    check_target(args.name)
    check_output_dir(args.out)
    from draftscope.analyses.definitions.story import definition_stories
    from draftscope.fetch.targets import resolve_target
    from draftscope.tables.story import STORY_COLUMNS, story_markdown, story_records

    revisions = resolve_target(args.name, settings=settings_from_args(args), offline=args.offline,
                               lineage=True, progress=library_progress(args), refresh=args.refresh)
    readable = [r for r in revisions if r.path is not None]
    if not readable:
        raise NoDataError(f"{args.name}: no revision available to read")
    with progress_bar(args, total=len(readable), desc="definitions", unit="rev") as bar:
        try:
            stories = definition_stories(readable, args.definition, ignore_case=_ignore_case(args),
                                         with_redraws=args.with_redraws, workers=args.workers,
                                         progress=bar.update)
        except NoDataError as exc:
            raise NoDataError(f"{args.name}: {exc}") from None
    lineage = args.name
    note(args, f"draftscope: {len(stories)} definition{'s' if len(stories) != 1 else ''} match "
                f"--definition {args.definition!r}: "
                + ", ".join(f"{key} ({len(steps)} step{'s' if len(steps) != 1 else ''})"
                           for key, steps in stories.items()))
    # (key, step or None for the strip, stem, (steps, title) for the strip); each strip first:
    # it is the longest job, so a pool that starts it first finishes soonest
    jobs: list[tuple] = []
    for key, steps in stories.items():
        base = f"{lineage}_{slug(key)}_story"
        drawn = [s for s in steps if s.definition is not None and s.definition.fields]
        if drawn:
            jobs.append((key, None, base, (steps, f"{key}: {len(steps)} step{'s' if len(steps) != 1 else ''} in {lineage}")))
        for step in drawn:
            jobs.append((key, step, f"{base}_{step.index + 1:02d}_{step.rev}", None))
    from draftscope.analyses.parallel import default_workers, parallel_map

    workers = default_workers() if args.workers is None else args.workers
    import gc

    gc.freeze()     # the lineage's definitions stay: spare them the collector's passes while drawing
    if workers > 1 and len(jobs) >= DRAW_POOL_MIN_FIGURES:
        # import the drawing stack once, here, so the forked workers inherit it
        import draftscope.plots.bitdiagram  # noqa: F401
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401
    with progress_bar(args, total=len(jobs), desc="drawing", unit="fig") as bar:
        # min_seconds=0: no serial sample first. Every figure costs ~0.1-0.3 s of rendering, so
        # a few always pay for a pool, and a timed sample would draw the strip (the longest job,
        # a third of the work) alone before the pool starts
        written = parallel_map(_draw_job, [(job, args.out, tuple(args.image_format)) for job in jobs],
                               workers=workers, min_items=DRAW_POOL_MIN_FIGURES, min_seconds=0,
                               progress=bar.update)
    for key, steps in stories.items():
        base = f"{lineage}_{slug(key)}_story"
        images: dict[int, str] = {}
        strip = None
        strip_paths: list[Path] = []
        for (job_key, step, _stem, _strip), paths in zip(jobs, written):
            if job_key != key:
                continue
            if step is not None:
                print_paths(paths)
                images[step.index] = paths[0].name
            else:
                strip, strip_paths = paths[0].name, paths
        print_paths(strip_paths)                 # the steps, then the strip, then CSV and Markdown
        csv_path = args.out / f"{base}.csv"
        write_records(story_records(steps), STORY_COLUMNS, "csv", csv_path)
        md_path = args.out / f"{base}.md"
        write_file_atomically(md_path, story_markdown(steps, lineage=lineage, images=images,
                                                      strip=strip))
        print_paths([csv_path, md_path])
        sys.stdout.flush()
    return 0


def _draw_job(item: tuple) -> list[Path]:
    """Draw and save one figure of a story: a step, or the strip (module level: runs in a pool)."""
    (key, step, stem, strip), out, formats = item
    from draftscope.plots.bitdiagram import (default_subtitle, draw_definition, draw_story,
                                             save_drawing)
    from draftscope.tables.story import CHANGE_WORDS

    if step is None:
        steps, title = strip
        fig = draw_story(steps, title=title)
    else:
        subtitle = " · ".join(p for p in (
            step.label, step.date_text, CHANGE_WORDS.get(step.change, step.change),
            default_subtitle(step.definition)) if p)
        fig = draw_definition(step.definition, changes=step, subtitle=subtitle)
    return save_drawing(fig, out, stem, formats)
