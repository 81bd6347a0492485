"""A definition's story in one figure: every step as a small drawing, in reading order, each
headed by its revision and date with its changes in words, on ONE bit scale (the widest step's
ruler: a 24-bit step of a 32-bit story keeps 32 px a bit), the draft's name always in the
subtitle, one legend for all at the bottom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from draftscope.errors import NoDataError, PlotInputError
from draftscope.outputs.layout import CARD_NOTATIONS, MAX_ROWS, row_bits_of
from draftscope.plots.drawing import (INK, MUTED, SANS, blank_figure, check_width, draw_key,
                                      draw_plan, drawing_style, title_block, title_height)
from draftscope.plots.drawplan import (BitPlan, CardPlan, Key, box_styles, key_lines,
                                       legend_kinds, step_changes)
from draftscope.plots.fonts import plain
from draftscope.plots.labels import fit_lines

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

MAX_COLUMNS = 4


@dataclass(frozen=True)
class DrawnStory:
    """A story strip (or ``draw``'s contact sheet, :mod:`.sheet`) and the plan of each drawing
    in it, in reading order."""

    figure: "Figure"
    plans: tuple[BitPlan | CardPlan, ...]
    row_bits: int                  # the one bit scale of every bit diagram in it

    def image(self, fmt: str = "svg", dpi: int | None = None) -> bytes:
        """The strip as PNG/SVG/PDF bytes (an SVG to inline in a page)."""
        from draftscope.outputs.figures import image_bytes
        from draftscope.plots.fonts import drawing_rc

        return image_bytes(self.figure, fmt, dpi=dpi, rc=drawing_rc())

    def _repr_png_(self) -> bytes:
        return self.image("png", dpi=100)

    def __getattr__(self, name: str) -> Any:
        """What a DrawnStory lacks is its figure's (``savefig``, ``axes``)."""
        if name.startswith("__") or name in ("figure", "plans", "row_bits"):
            raise AttributeError(name)
        return getattr(self.figure, name)


def story_row_bits(steps: Sequence[Any]) -> int:
    """The one ruler of a story: the widest of its bit diagrams' rulers (32 unless one is wider)."""
    widths = [row_bits_of(s.definition) for s in steps
              if s.definition is not None and s.definition.notation not in CARD_NOTATIONS]
    return max(widths, default=32)


def story_subtitle(steps: Sequence[Any], lineage: str | None = None) -> str:
    """``draft-ietf-mptcp-rfc6824bis · 3 steps · draft-...-00 (2014-06-30) → rfc8684 (...)``."""
    first, last = steps[0], steps[-1]
    span = (f"{first.label} ({first.date_text}) → {last.label} ({last.date_text})"
            if first.date_text else f"{first.label} → {last.label}")
    count = f"{len(steps)} step{'s' if len(steps) != 1 else ''}"
    return " · ".join(p for p in (lineage or first.name, count, span) if p)


@dataclass(frozen=True)
class Panel:
    """One drawing of a grid: its plan, a bold heading, grey lines of words under it, and the
    number its texts' gids carry (``<gid>:<number>``, ``<gid>-words:<number>``)."""

    plan: BitPlan | CardPlan
    head: str
    words: tuple[str, ...]
    number: int


GAP = 0.25                    # inches between two columns of a grid
MIN_PANEL_WIDTH = 3.5         # the narrowest column an automatic column count makes


def grid_columns(columns: int | None, count: int, default: int) -> int:
    """``columns`` checked (1 to :data:`MAX_COLUMNS`; None: ``default``), at most ``count``."""
    if columns is not None and (isinstance(columns, bool) or not isinstance(columns, int)
                                or not 1 <= columns <= MAX_COLUMNS):
        raise PlotInputError(f"columns= (--columns) must be 1 to {MAX_COLUMNS}, got {columns!r}")
    return max(1, min(columns or default, count))


def columns_that_fit(width: float) -> int:
    """How many columns of at least :data:`MIN_PANEL_WIDTH` inches a ``width`` figure holds."""
    return max(1, min(MAX_COLUMNS, int((width - 0.6 + GAP) // (MIN_PANEL_WIDTH + GAP))))


def column_width(width: float, ncols: int) -> float:
    return (width - 0.6 - GAP * (ncols - 1)) / ncols


def draw_grid(panels: Sequence[Panel], *, ncols: int, width: float, title: str, subtitle: str,
              legend: list, gid: str = "step") -> "Figure":
    """Panels in ``ncols`` columns, in reading order, under a title block and over one legend,
    in one figure ``width`` inches wide (the story strip and ``draw``'s contact sheet). Each
    panel's plan must be planned :func:`column_width` wide; the grid draws, it does not scale.
    A heading wider than its column wraps over two lines (the rest cut with …).
    Every column starts with a thin rule (gid ``<gid>-rule``) above its panel's heading."""
    compact = ncols > 1
    col_w = column_width(width, ncols)
    line = 0.15 if compact else 0.16
    head_size = 9 if compact else 10
    head_line = 0.17 if compact else 0.19
    heads = [fit_lines(p.head, head_size, col_w - 0.05, max_lines=2, weight="bold")
             for p in panels]
    head_h = [0.26 + head_line * (len(h) - 1) + line * len(p.words) + 0.06
              for h, p in zip(heads, panels)]
    # the drawings of one grid row start level: below the row's tallest heading
    head_h = [max(head_h[k - k % ncols:k - k % ncols + ncols]) for k in range(len(panels))]
    block_h = [h + p.plan.height + 0.22 for h, p in zip(head_h, panels)]
    grid_rows = [block_h[k:k + ncols] for k in range(0, len(panels), ncols)]
    top = 0.08 + title_height(title, subtitle, width - 0.6) + 0.12
    total = top + sum(max(r) for r in grid_rows) + (0.1 + 0.22 * len(legend)) + 0.1
    fig, ax = blank_figure(width, total)
    title_block(ax, 0.3, 0.08, title, subtitle, width - 0.6)
    y = top
    for r, row in enumerate(grid_rows):
        for c in range(len(row)):
            k = r * ncols + c
            panel = panels[k]
            x = 0.3 + c * (col_w + GAP)
            ax.plot([x, x + col_w], [y, y], color="#cbd2d9", linewidth=0.8, gid=f"{gid}-rule")
            for n, text in enumerate(heads[k]):
                ax.text(x, y + 0.15 + n * head_line, plain(text), ha="left", va="center",
                        fontsize=head_size, fontweight="bold", color=INK, family=SANS,
                        gid=f"{gid}:{panel.number}")
            below = y + 0.32 + head_line * (len(heads[k]) - 1)
            for n, text in enumerate(panel.words):
                ax.text(x, below + n * line, plain(text), ha="left", va="center",
                        fontsize=7.5 if compact else 8, color=MUTED, family=SANS,
                        gid=f"{gid}-words:{panel.number}")
            draw_plan(ax, panel.plan, x - panel.plan.left, y + head_h[k])
        y += max(row)
    draw_key(ax, legend, 0.3, y + 0.05, 0.22)
    return fig


def draw_story(steps: Sequence[Any], *, title: str | None = None, width: float = 8.0,
               columns: int | None = None, lineage: str | None = None,
               max_rows: int | None = MAX_ROWS) -> DrawnStory:
    """Every step of a story as small multiples (two columns from four steps on, else one;
    ``columns`` 1 to 4 to choose), in reading order, on one bit scale. The title (default: the
    definition's key) wraps over two lines; the subtitle names ``lineage`` (default: the first
    step's document), the number of steps and their span."""
    drawable = [s for s in steps if getattr(s, "definition", None) is not None
                and s.definition.fields]
    if not drawable:
        raise NoDataError("no step of the story has a drawing")
    ncols = grid_columns(columns, len(drawable), 2 if len(drawable) >= 4 else 1)
    width = check_width(width)
    col_w = column_width(width, ncols)
    bits = story_row_bits(drawable)
    with drawing_style():
        blocks, kinds, styles = _plan_steps(drawable, col_w, ncols > 1, bits, max_rows)
        panels = [Panel(plan, f"{step.index + 1}. {head}", tuple(words), step.index)
                  for step, plan, head, words in blocks]
        legend = key_lines(Key(kinds=kinds, styles=styles), width - 0.6)
        name = title if title is not None else drawable[0].key
        fig = draw_grid(panels, ncols=ncols, width=width, title=name,
                        subtitle=story_subtitle(drawable, lineage), legend=legend)
    return DrawnStory(fig, tuple(b[1] for b in blocks), bits)


def _plan_steps(drawable: Sequence[Any], col_w: float, compact: bool, bits: int,
                max_rows: int | None) -> tuple[list[tuple], list[str], list[str]]:
    """Each step's plan, heading and words; the change kinds and styles of all, in order."""
    blocks = []
    kinds: list[str] = []
    styles: list[str] = []
    for step in drawable:
        is_card = step.definition.notation in CARD_NOTATIONS
        plan = _plan(step, col_w, compact, None if is_card else bits, max_rows)
        head = step.label + (f" · {step.date_text}" if step.date_text else "")
        words = fit_lines(step.summary, 7.5 if compact else 8, col_w - 0.1,
                          max_lines=3 if compact else 2)
        blocks.append((step, plan, head, words))
        for kind in legend_kinds(plan.changes):
            if kind not in kinds:
                kinds.append(kind)
        styles.extend(s for s in plan_styles([plan]) if s not in styles)
    from draftscope.outputs.layout import CHANGE_KINDS

    order = {k: n for n, k in enumerate(CHANGE_KINDS)}
    kinds.sort(key=lambda k: order.get(k.split(":")[0], 99))
    return blocks, kinds, styles


def plan_styles(plans: Sequence[BitPlan | CardPlan]) -> list[str]:
    """The box styles (optional, reserved, variable, repeated) the plans draw, first seen first:
    what the legend under them explains."""
    styles: list[str] = []
    for plan in plans:
        for box in getattr(plan, "boxes", ()):
            styles.extend(s for s in box_styles(box) if s not in styles)
    return styles


def _plan(step: Any, col_w: float, compact: bool, bits: int | None, max_rows: int | None):
    from draftscope.plots.drawplan import plan_drawing

    return plan_drawing(step.definition, changes=step_changes(step), width=col_w,
                        row_h=0.3 if compact else 0.34, legend=False, compact=compact,
                        row_bits=bits, max_rows=max_rows)
