"""Protocol definitions drawn: bit diagrams for packet/frame/option formats, cards for TLS structs.

A bit-level definition (box art, QUIC field list) is drawn the way RFCs draw packets, but
typeset: a 0..31 ruler on top, one box per field spanning its bits (a field longer than a row
spans rows), variable-length fields with a torn right edge and their size written in, optional
and conditional fields dashed, reserved fields hatched, fixed values shown (``= 0x1a``),
repeated fields with a double outline. A TLS struct or enum is drawn as a card (type, name,
bounds, default; ``select`` branches indented). With ``changes`` (a diff, a story step) the
fields are coloured by change kind, renamed fields carry their old name, and removed fields are
listed under the drawing.

The parts, in the order a drawing is made:

- :mod:`draftscope.outputs.layout`: fields -> rows of bits (pure; Mermaid and JSON use it too);
- :mod:`.fonts`: the font chain, text measured without a renderer, characters no font has;
- :mod:`.labels`: labels fitted into boxes, titles wrapped;
- :mod:`.drawplan`: everything placed in inches (:class:`BitPlan`, :class:`CardPlan`), the
  JSON record (:func:`drawing_record`);
- :mod:`.drawing`: the matplotlib artists;
- :mod:`.storystrip`: every step of a story in one figure (:func:`draw_story`);
- this module: :func:`draw_definition` (-> :class:`DrawnDefinition`, the figure with the plan it
  was drawn from) and :func:`save_drawing` (PNG/SVG/PDF and Mermaid, through
  :func:`draftscope.outputs.figures.save_images`).

matplotlib is imported only inside functions (the CLI imports this module lazily anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftscope.analyses.definitions.model import Definition
from draftscope.errors import PlotInputError
from draftscope.outputs.layout import (CARD_NOTATIONS, CHANGE_KINDS,  # noqa: F401
                                       MAX_ROWS, ROW_BITS, FieldBox, Layout, Segment,
                                       display_name, is_variable, join_details, label_anchor,
                                       layout_fields, outline_edges, row_bits_of, size_label)
from draftscope.plots.drawing import (BASE_EDGE, BASE_FILL, CHANGE_COLOURS,  # noqa: F401
                                      CHANGE_FILLS, INK, MUTED, blank_figure, draw_plan,
                                      title_block, title_height)
from draftscope.plots.drawplan import (BitPlan, CardPlan, drawing_record,  # noqa: F401
                                       plan_drawing)
from draftscope.plots.drawing import check_width, drawing_style  # noqa: F401
from draftscope.plots.drawplan import step_changes
from draftscope.plots.fonts import FONT, MONO, drawing_rc, text_width  # noqa: F401
from draftscope.plots.labels import FittedLabel, fit_label  # noqa: F401
from draftscope.plots.storystrip import DrawnStory, draw_story  # noqa: F401

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_display_name = display_name           # the names tests and older callers used
_label_anchor = label_anchor


@dataclass(frozen=True)
class DrawnDefinition:
    """A drawing and the plan it was drawn from (what :func:`drawing_record` and the Mermaid
    writer read). Shows itself in a notebook like its figure."""

    figure: "Figure"
    plan: BitPlan | CardPlan

    @property
    def layout(self) -> Layout:
        return self.plan.layout

    def record(self) -> dict[str, Any]:
        return drawing_record(self.plan)

    def mermaid(self, title: str | None = None) -> str:
        from draftscope.outputs.mermaid import mermaid_packet

        return mermaid_packet(self.layout, title=title)

    def image(self, fmt: str = "svg", dpi: int | None = None) -> bytes:
        """The drawing as PNG/SVG/PDF bytes, as :func:`save_drawing` writes them (an SVG to
        inline in a page)."""
        from draftscope.outputs.figures import image_bytes

        return image_bytes(self.figure, fmt, dpi=dpi, rc=drawing_rc())

    def _repr_png_(self) -> bytes:
        return self.image("png", dpi=100)

    def __getattr__(self, name: str) -> Any:
        """What a DrawnDefinition lacks is its figure's (``savefig``, ``axes``, ``canvas``):
        code written when draw_definition returned the Figure keeps working."""
        if name.startswith("__") or name in ("figure", "plan"):
            raise AttributeError(name)
        return getattr(self.figure, name)


def _check_text(value: Any, parameter: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{parameter}= wants text, got {type(value).__name__}")
    return value


def default_subtitle(definition: Definition, label: str = "") -> str:
    section = f"§{definition.section}" if definition.section else ""
    from draftscope.analyses.definitions.notations import notation_label

    notation = notation_label(definition.notation)
    return " · ".join(p for p in (label, section, notation) if p)


def draw_definition(definition: Definition, *, changes: Any = None, ax: "Axes | None" = None,
                    title: str | None = None, subtitle: str | None = None,
                    row_bits: int | None = None, width: float = 8.0,
                    max_rows: int | None = MAX_ROWS) -> DrawnDefinition:
    """Draw one definition: a bit diagram (box art, field list) or a card (TLS struct/enum).

    ``changes``: what changed to get here (a ``DefinitionChange``, a story step, or field
    changes; a removed step shows every field removed); changed fields are coloured by kind,
    renamed ones say their old name, removed ones are listed under the drawing. ``ax``: draw
    into that Axes (its width sets the scale) instead of a new figure ``width`` inches wide.
    ``row_bits``: bits per row (default: what the definition records, else 32). ``max_rows``:
    refuse a taller drawing (PlotInputError; None: no limit). Returns the figure with its plan.
    Raises NoDataError for a definition without fields.
    """
    if not isinstance(definition, Definition):
        raise TypeError(f"definition= wants a Definition (from extract_definitions), got "
                        f"{type(definition).__name__}")
    _check_text(title, "title")
    _check_text(subtitle, "subtitle")
    if hasattr(changes, "field_changes") and hasattr(changes, "definition"):
        changes = step_changes(changes)           # a story step: its changes as drawn
    with drawing_style():
        if ax is not None:
            fig = ax.figure
            bbox = ax.get_position()
            width = bbox.width * fig.get_size_inches()[0]
        width = check_width(width)
        plan = plan_drawing(definition, changes=changes, width=width, row_bits=row_bits,
                            max_rows=max_rows)
        head_text = title if title is not None else definition.name
        sub = subtitle if subtitle is not None else default_subtitle(definition)
        head = title_height(head_text, sub, width - 0.6)
        height = 0.15 + head + 0.12 + plan.height + 0.15
        if ax is None:
            fig, ax = blank_figure(width, height)
        else:
            ax.set_axis_off()
            ax.set_xlim(0, width)
            ax.set_ylim(height, 0)
        title_block(ax, 0.3, 0.15, head_text, sub, width - 0.6)
        draw_plan(ax, plan, 0.0, 0.15 + head + 0.12)
    return DrawnDefinition(fig, plan)


def save_drawing(drawn: Any, out_dir: str | Path, stem: str,
                 formats: str | Sequence[str] = ("png", "svg"), *,
                 title: str | None = None, dpi: int | None = None) -> list[Path]:
    """Write ``stem.<ext>`` for each format (png, svg, pdf, mermaid) into ``out_dir``, atomically
    and deterministically (:func:`draftscope.outputs.figures.save_images`). ``drawn``: a
    :class:`DrawnDefinition` (Mermaid needs its plan), a :class:`~.storystrip.DrawnStory` or a
    Figure. ``title``: the Mermaid title (default: the definition's name)."""
    from draftscope.outputs.figures import save_images
    from draftscope.outputs.formats import parse_image_formats
    from draftscope.outputs.mermaid import mermaid_packet

    formats = parse_image_formats(formats, holds="drawing")
    figure = getattr(drawn, "figure", drawn)
    texts = {}
    if "mermaid" in formats:
        layouts = [drawn.plan.layout] if isinstance(drawn, DrawnDefinition) else [
            p.layout for p in getattr(drawn, "plans", ())]
        if not layouts:
            raise PlotInputError("formats: mermaid needs a DrawnDefinition or DrawnStory")
        texts["mermaid"] = "\n".join(mermaid_packet(layout, title=title) for layout in layouts
                                     if not layout.is_card) or "%% no bit diagram to write\n"
    return save_images(figure, out_dir, stem, formats, dpi=dpi, rc=drawing_rc(), texts=texts,
                       holds="drawing")
