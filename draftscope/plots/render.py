"""What ``draw`` and ``story`` make, as library calls: drawings of definitions and definitions'
stories written to a folder (images, Mermaid, the drawn model as JSON; the story's strip, its
CSV and Markdown). The CLI only parses options and prints the paths these return.

- :func:`render_drawings` -> one :class:`DrawingFiles` per definition, and a contact sheet of
  them all when there are several (``.sheet``);
- :func:`render_story` -> one :class:`Story` per definition's story, its figures drawn in a
  process pool when there are enough (workers die with the command: see
  :mod:`draftscope.analyses.parallel`).

Both are bounded (issue 20): they refuse, before drawing anything, to write more than
``max_files`` files (:data:`MAX_FILES`), and each drawing more than ``max_rows`` rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from draftscope.analyses.definitions.model import Definition
from draftscope.errors import NoDataError, PlotInputError
from draftscope.outputs.figures import prepare_folder
from draftscope.outputs.formats import DEFAULT_IMAGE_FORMATS, parse_image_formats
from draftscope.outputs.layout import MAX_ROWS
from draftscope.outputs.records import write_json, write_records, write_text

MAX_FILES = 1000           # files one call may write unless the caller raises max_files
# figures of a story from which drawing them in a process pool pays (forking, ~0.2 s rendering each)
DRAW_POOL_MIN_FIGURES = 4


def slug(text: str) -> str:
    """``NEW_CONNECTION_ID Frame`` -> ``new-connection-id-frame`` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "definition"


def check_file_count(count: int, max_files: int | None, what: str) -> None:
    """Refuse to write more than ``max_files`` files (None: no limit), saying how many."""
    if max_files is not None and (isinstance(max_files, bool) or not isinstance(max_files, int)
                                  or max_files < 1):
        raise PlotInputError(f"max_files= (--max-files) must be a whole number of at least 1, "
                             f"got {max_files!r}")
    if max_files is not None and count > max_files:
        raise PlotInputError(f"{what} would write {count} files (at most {max_files}; narrow "
                             f"the pattern or raise max_files= (--max-files))")


def _image_names(formats: Sequence[str]) -> tuple[str, ...]:
    return tuple(f for f in formats if f != "mermaid")


# --------------------------------------------------------------------------- draw

@dataclass(frozen=True)
class DrawingFiles:
    """The files written for one drawn definition."""

    definition: Definition
    stem: str
    images: tuple[Path, ...]       # in the formats' order (a .mmd for mermaid)
    record: Path                   # the drawn field model as JSON

    @property
    def paths(self) -> tuple[Path, ...]:
        return (*self.images, self.record)


def drawing_stems(definitions: Sequence[Definition], label: str) -> list[str]:
    """``<label>_<slug of the name>``, numbered ``-2``, ``-3``... when two names slug alike."""
    seen: dict[str, int] = {}
    stems = []
    for d in definitions:
        stem = f"{label}_{slug(d.name)}"
        seen[stem] = seen.get(stem, 0) + 1
        stems.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return stems


class Drawings(list):
    """What :func:`render_drawings` returns: a list of :class:`DrawingFiles` (one per drawn
    definition, as before) that also carries ``sheet``, the contact sheet's files (empty when
    one definition was drawn, or only Mermaid asked for)."""

    def __init__(self, files: Sequence[DrawingFiles] = (), sheet: Sequence[Path] = ()) -> None:
        super().__init__(files)
        self.sheet: tuple[Path, ...] = tuple(sheet)


def sheet_stem(label: str) -> str:
    return f"{label}_definitions"


def render_drawings(definitions: Sequence[Definition], out_dir: str | os.PathLike, *,
                    label: str, formats: str | Sequence[str] = DEFAULT_IMAGE_FORMATS,
                    title: str | None = None, width: float = 8.0, columns: int | None = None,
                    max_files: int | None = MAX_FILES, max_rows: int | None = MAX_ROWS,
                    on_written: Callable[[DrawingFiles], object] | None = None,
                    ) -> Drawings:
    """Draw each definition with fields (of the revision ``label``) into ``out_dir``:
    ``<label>_<definition>.<ext>`` per format and ``.json`` (the drawn model). With two
    definitions or more, also the contact sheet ``<label>_definitions.<ext>`` (image formats
    only): every drawing in ``columns`` columns (1 to 4; default: as many as ``width`` holds) on
    one bit scale, titled ``title`` or ``label`` (:func:`draftscope.plots.sheet.draw_sheet`).
    ``on_written`` is called as each drawing is done (the CLI prints its paths then). Returns
    the drawings' files, a list whose ``.sheet`` is the sheet's paths."""
    from draftscope.plots.bitdiagram import default_subtitle, draw_definition, save_drawing
    from draftscope.plots.drawing import check_width
    from draftscope.plots.sheet import draw_sheet, sheet_columns

    formats = parse_image_formats(formats, holds="drawing")
    drawable = [d for d in definitions if d.fields]
    if not drawable:
        raise NoDataError("nothing to draw: no definition with fields")
    sheet_formats = _image_names(formats) if len(drawable) > 1 else ()
    sheet_columns(len(drawable), check_width(width), columns)     # bad columns=: before writing
    check_file_count(len(drawable) * (len(formats) + 1) + len(sheet_formats), max_files,
                     f"drawing {len(drawable)} definition{'s' if len(drawable) != 1 else ''}")
    out = prepare_folder(out_dir)
    written = Drawings()
    for d, stem in zip(drawable, drawing_stems(drawable, label)):
        drawn = draw_definition(d, title=title, subtitle=default_subtitle(d, label), width=width,
                                max_rows=max_rows)
        images = save_drawing(drawn, out, stem, formats, title=title)
        record = out / f"{stem}.json"
        write_json({"document": label, **drawn.record()}, record, indent=1)
        files = DrawingFiles(d, stem, tuple(images), record)
        written.append(files)
        if on_written is not None:
            on_written(files)
    if sheet_formats:
        sheet = draw_sheet(drawable, label=label, title=title, width=width, columns=columns,
                           max_rows=max_rows)
        written.sheet = tuple(save_drawing(sheet, out, sheet_stem(label), sheet_formats))
    return written


# --------------------------------------------------------------------------- story

@dataclass(frozen=True)
class Story:
    """The files written for one definition's story, and the steps they show."""

    key: str
    lineage: str
    steps: tuple[Any, ...]                     # StoryStep, in order
    images: Mapping[int, tuple[Path, ...]]     # step index -> its figure's files
    strip: tuple[Path, ...]                    # every step in one figure
    csv: Path
    markdown: Path

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file, in the order the CLI prints them: steps, strip, CSV, Markdown."""
        steps = [p for s in self.steps for p in self.images.get(s.index, ())]
        return (*steps, *self.strip, self.csv, self.markdown)


@dataclass(frozen=True)
class _Job:
    """One figure of a story to draw (module-level data: crosses into pool workers)."""

    key: str
    step: Any                       # a StoryStep, or None for the strip
    stem: str
    steps: tuple[Any, ...]          # the strip's steps
    out: Path
    formats: tuple[str, ...]
    title: str | None
    columns: int | None
    width: float
    lineage: str
    max_rows: int | None


def story_base(lineage: str, key: str) -> str:
    return f"{lineage}_{slug(key)}_story"


def _as_stories(stories: Any) -> dict[str, list[Any]]:
    if isinstance(stories, Mapping):
        return {key: list(steps) for key, steps in stories.items()}
    grouped: dict[str, list[Any]] = {}
    for step in stories:
        grouped.setdefault(step.key, []).append(step)
    return grouped


def story_jobs(stories: Mapping[str, Sequence[Any]], out: Path, formats: tuple[str, ...], *,
               lineage: str, title: str | None = None, columns: int | None = None,
               width: float = 8.0, max_rows: int | None = MAX_ROWS) -> list[_Job]:
    """The figures to draw: per story its strip first (the longest job, so a pool that starts
    it first finishes soonest; not for Mermaid alone), then each drawn step."""
    jobs = []
    strip_formats = _image_names(formats)
    for key, steps in stories.items():
        base = story_base(lineage, key)
        drawn = [s for s in steps if s.definition is not None and s.definition.fields]
        common = dict(out=out, title=title, columns=columns, width=width, lineage=lineage,
                      max_rows=max_rows)
        if drawn and strip_formats:
            jobs.append(_Job(key, None, base, tuple(steps), formats=strip_formats, **common))
        for step in drawn:
            jobs.append(_Job(key, step, f"{base}_{step.index + 1:02d}_{step.rev}", (),
                             formats=formats, **common))
    return jobs


def render_story(stories: Any, out_dir: str | os.PathLike, *, lineage: str,
                 formats: str | Sequence[str] = DEFAULT_IMAGE_FORMATS,
                 workers: int | None = None, title: str | None = None,
                 columns: int | None = None, width: float = 8.0,
                 max_files: int | None = MAX_FILES, max_rows: int | None = MAX_ROWS,
                 progress: Callable[[int], object] | None = None) -> list[Story]:
    """Write what ``draftscope story`` writes for each story (``{key: [StoryStep]}`` as
    :func:`~draftscope.analyses.definitions.story.definition_stories` returns, or one story's
    steps) into ``out_dir``: one figure per drawn step
    (``<lineage>_<key>_story_NN_<rev>.<ext>``), the strip of every step (``..._story.<ext>``),
    the steps as CSV and as Markdown. ``workers``: drawing processes (None: one per CPU; a
    pool only from :data:`DRAW_POOL_MIN_FIGURES` figures). ``progress`` gets 1 per figure."""
    from draftscope.analyses.parallel import default_workers, parallel_map

    grouped = _as_stories(stories)
    if not grouped:
        raise NoDataError("no story to render")
    formats = parse_image_formats(formats, holds="drawing")
    out = prepare_folder(out_dir)
    jobs = story_jobs(grouped, out, formats, lineage=lineage, title=title, columns=columns,
                      width=width, max_rows=max_rows)
    count = sum(len(job.formats) for job in jobs) + 2 * len(grouped)
    check_file_count(count, max_files, f"{len(grouped)} stor{'ies' if len(grouped) != 1 else 'y'}"
                                       f" of {len(jobs)} figures")
    n_workers = default_workers() if workers is None else workers
    import gc

    gc.freeze()     # the lineage's definitions stay: spare them the collector's passes while drawing
    if n_workers > 1 and len(jobs) >= DRAW_POOL_MIN_FIGURES:
        # import the drawing stack once, here, so the forked workers inherit it
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401

        import draftscope.plots.bitdiagram  # noqa: F401
    # min_seconds=0: no serial sample first. Every figure costs ~0.1-0.3 s of rendering, so a
    # few always pay for a pool, and a timed sample would draw the strip (the longest job, a
    # third of the work) alone before the pool starts
    written = parallel_map(draw_job, jobs, workers=n_workers, min_items=DRAW_POOL_MIN_FIGURES,
                           min_seconds=0, progress=progress)
    return [_write_story(key, steps, jobs, written, out, lineage) for key, steps in grouped.items()]


def _write_story(key: str, steps: list[Any], jobs: list[_Job], written: list[tuple],
                 out: Path, lineage: str) -> Story:
    from draftscope.tables.story import STORY_COLUMNS, story_markdown, story_records

    images: dict[int, tuple[Path, ...]] = {}
    mermaid: dict[int, str] = {}
    strip: tuple[Path, ...] = ()
    for job, (paths, text) in zip(jobs, written):
        if job.key != key:
            continue
        if job.step is None:
            strip = tuple(paths)
            continue
        images[job.step.index] = tuple(paths)
        if text:
            mermaid[job.step.index] = text
    base = story_base(lineage, key)
    csv_path = out / f"{base}.csv"
    write_records(story_records(steps), STORY_COLUMNS, "csv", csv_path)
    md_path = out / f"{base}.md"
    pictures = {index: next((p.name for p in paths if p.suffix != ".mmd"), None)
                for index, paths in images.items()}
    write_text(md_path, story_markdown(
        steps, lineage=lineage, images={k: v for k, v in pictures.items() if v},
        strip=strip[0].name if strip else None, mermaid=mermaid))
    return Story(key, lineage, tuple(steps), images, strip, csv_path, md_path)


def step_subtitle(step: Any) -> str:
    """A step figure's subtitle: revision, date, what happened, where it is drawn."""
    from draftscope.plots.bitdiagram import default_subtitle
    from draftscope.tables.story import CHANGE_WORDS

    return " · ".join(p for p in (step.label, step.date_text,
                                  CHANGE_WORDS.get(step.change, step.change),
                                  default_subtitle(step.definition)) if p)


def draw_job(job: _Job) -> tuple[list[Path], str]:
    """Draw and save one figure of a story: a step, or the strip (module level: runs in a
    pool). Returns the paths written and the step's Mermaid text (when asked for)."""
    from draftscope.plots.bitdiagram import draw_definition, draw_story, save_drawing

    if job.step is None:
        drawn = draw_story(job.steps, title=job.title, columns=job.columns, width=job.width,
                           lineage=job.lineage, max_rows=job.max_rows)
        return save_drawing(drawn, job.out, job.stem, job.formats), ""
    drawn = draw_definition(job.step.definition, changes=job.step, subtitle=step_subtitle(job.step),
                            width=job.width, max_rows=job.max_rows)
    paths = save_drawing(drawn, job.out, job.stem, job.formats)
    text = ""
    if "mermaid" in job.formats and not drawn.layout.is_card:
        text = drawn.mermaid()
    return paths, text
