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
    """A story strip and the plan of each step drawn in it (in step order)."""

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
    if columns is not None and (isinstance(columns, bool) or not isinstance(columns, int)
                                or not 1 <= columns <= MAX_COLUMNS):
        raise PlotInputError(f"columns= (--columns) must be 1 to {MAX_COLUMNS}, got {columns!r}")
    width = check_width(width)
    ncols = min(columns or (2 if len(drawable) >= 4 else 1), len(drawable))
    gap = 0.25
    col_w = (width - 0.6 - gap * (ncols - 1)) / ncols
    compact = ncols > 1
    bits = story_row_bits(drawable)
    with drawing_style():
        blocks, kinds, styles = _plan_steps(drawable, col_w, compact, bits, max_rows)
        line = 0.15 if compact else 0.16
        head_h = [0.26 + line * len(words) + 0.06 for _s, _p, _h, words in blocks]
        block_h = [h + plan.height + 0.22 for h, (_s, plan, _hd, _w) in zip(head_h, blocks)]
        grid_rows = [block_h[k:k + ncols] for k in range(0, len(blocks), ncols)]
        legend = key_lines(Key(kinds=kinds, styles=styles), width - 0.6)
        name = title if title is not None else drawable[0].key
        subtitle = story_subtitle(drawable, lineage)
        top = 0.08 + title_height(name, subtitle, width - 0.6) + 0.12
        total = top + sum(max(r) for r in grid_rows) + (0.1 + 0.22 * len(legend)) + 0.1
        fig, ax = blank_figure(width, total)
        title_block(ax, 0.3, 0.08, name, subtitle, width - 0.6)
        y = top
        for r, row in enumerate(grid_rows):
            for c in range(len(row)):
                k = r * ncols + c
                step, plan, head, words = blocks[k]
                x = 0.3 + c * (col_w + gap)
                ax.plot([x, x + col_w], [y, y], color="#cbd2d9", linewidth=0.8, gid="step-rule")
                ax.text(x, y + 0.15, plain(f"{step.index + 1}. {head}"), ha="left", va="center",
                        fontsize=9 if compact else 10, fontweight="bold", color=INK, family=SANS,
                        gid=f"step:{step.index}")
                for n, text in enumerate(words):
                    ax.text(x, y + 0.32 + n * line, plain(text), ha="left", va="center",
                            fontsize=7.5 if compact else 8, color=MUTED, family=SANS,
                            gid=f"step-words:{step.index}")
                draw_plan(ax, plan, x - plan.left, y + head_h[k])
            y += max(row)
        draw_key(ax, legend, 0.3, y + 0.05, 0.22)
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
        for box in getattr(plan, "boxes", ()):
            for style in box_styles(box):
                if style not in styles:
                    styles.append(style)
    from draftscope.outputs.layout import CHANGE_KINDS

    order = {k: n for n, k in enumerate(CHANGE_KINDS)}
    kinds.sort(key=lambda k: order.get(k.split(":")[0], 99))
    return blocks, kinds, styles


def _plan(step: Any, col_w: float, compact: bool, bits: int | None, max_rows: int | None):
    from draftscope.plots.drawplan import plan_drawing

    return plan_drawing(step.definition, changes=step_changes(step), width=col_w,
                        row_h=0.3 if compact else 0.34, legend=False, compact=compact,
                        row_bits=bits, max_rows=max_rows)
