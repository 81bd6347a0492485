"""``draw``'s contact sheet: every drawn definition of one revision in one figure, in N columns
(:func:`draw_sheet`), laid out by the story strip's grid (:func:`.storystrip.draw_grid`) and,
like a story, on ONE bit scale: the widest ruler of its bit diagrams (32 unless one is wider), so
a bit is as wide in every panel and a 24-bit option is not stretched to the width of a 32-bit
one. TLS cards keep their own layout."""

from __future__ import annotations

from collections.abc import Sequence

from draftscope.analyses.definitions.model import Definition
from draftscope.errors import NoDataError
from draftscope.outputs.layout import CARD_NOTATIONS, MAX_ROWS
from draftscope.plots.drawing import check_width, drawing_style
from draftscope.plots.drawplan import Key, key_lines, plan_drawing
from draftscope.plots.labels import fit_lines
from draftscope.plots.storystrip import (DrawnStory, Panel, column_width, columns_that_fit,
                                         draw_grid, grid_columns, plan_styles, story_row_bits)


class _Step:                      # what story_row_bits reads of a step: its definition
    __slots__ = ("definition",)

    def __init__(self, definition: Definition) -> None:
        self.definition = definition


def sheet_columns(count: int, width: float, columns: int | None = None) -> int:
    """The sheet's columns: ``columns`` (1 to 4), else as many of at least 3.5 inches as
    ``width`` holds (2 at 8 inches, 3 at 12), never more than ``count`` drawings."""
    return grid_columns(columns, count, columns_that_fit(width))


def draw_sheet(definitions: Sequence[Definition], *, label: str = "", title: str | None = None,
               width: float = 8.0, columns: int | None = None,
               max_rows: int | None = MAX_ROWS) -> DrawnStory:
    """Every definition with fields as a panel of one figure ``width`` inches wide, in
    ``columns`` columns (default: :func:`sheet_columns`), in the order given, each headed by its
    name and where it is (section, notation), on one bit scale. The title (default: ``label``,
    else the first definition's name) wraps over two lines; the subtitle says the document
    (``label``, when the title is not already it), how many definitions and the bit scale."""
    from draftscope.plots.bitdiagram import default_subtitle

    drawable = [d for d in definitions if d.fields]
    if not drawable:
        raise NoDataError("nothing to draw: no definition with fields")
    width = check_width(width)
    ncols = sheet_columns(len(drawable), width, columns)
    compact = ncols > 1
    col_w = column_width(width, ncols)
    bits = story_row_bits([_Step(d) for d in drawable])
    with drawing_style():
        panels = []
        for n, d in enumerate(drawable):
            is_card = d.notation in CARD_NOTATIONS
            plan = plan_drawing(d, width=col_w, row_h=0.3 if compact else 0.34, legend=False,
                                compact=compact, row_bits=None if is_card else bits,
                                max_rows=max_rows)
            words = fit_lines(default_subtitle(d), 7.5 if compact else 8, col_w - 0.1,
                              max_lines=2)
            panels.append(Panel(plan, d.name, tuple(words), n))
        plans = [p.plan for p in panels]
        legend = key_lines(Key(styles=plan_styles(plans)), width - 0.6)
        count = f"{len(drawable)} definition{'s' if len(drawable) != 1 else ''}"
        ruler = f"one {bits}-bit scale" if any(d.notation not in CARD_NOTATIONS
                                               for d in drawable) else ""
        name = title if title is not None else (label or drawable[0].name)
        document = label if label and label != name else ""     # the label once, not twice
        subtitle = " · ".join(p for p in (document, count, ruler) if p)
        fig = draw_grid(panels, ncols=ncols, width=width, title=name, subtitle=subtitle,
                        legend=legend, gid="panel")
    return DrawnStory(fig, tuple(plans), bits)
