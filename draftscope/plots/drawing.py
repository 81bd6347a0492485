"""A planned drawing (:mod:`.drawplan`) drawn with matplotlib artists: boxes, outlines, the
ruler, labels, the key; cards for TLS structs; the title block. Every text goes through
:func:`draftscope.plots.fonts.plain` (characters no font has replaced) and names the font chain."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Iterator

from draftscope.errors import PlotInputError

from draftscope.outputs.layout import CHANGE_KINDS, FieldBox, label_anchor, outline_edges
from draftscope.plots.drawplan import LISTED_REMOVED, LISTED_WORDS, BitPlan, CardPlan, legend_item
from draftscope.plots.fonts import MONO, drawing_rc, font_family, glyph_path, plain, text_width
from draftscope.plots.labels import LINE_SPACING, PT, FittedLabel, fit_lines

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

SANS = list(font_family())           # what every drawn text names (SVG: the fallback list)
MONO_FAMILY = list(font_family(mono=True))
INK = "#1f2933"
MUTED = "#52606d"
BASE_EDGE = "#3b4a5a"
BASE_FILL = "#f3f5f8"
HATCH_COLOUR = "#9aa5b1"
MIN_WIDTH, MAX_WIDTH = 2.0, 40.0       # inches

# change kind -> strong colour (edges, legend, removed list); fills are tints of it
CHANGE_COLOURS = dict(zip(CHANGE_KINDS, ("#2ca02c", "#d62728", "#ff7f0e", "#9467bd", "#1f77b4",
                                         "#17becf", "#b8860b", "#8c564b")))


def _tint(colour: str, strength: float = 0.25) -> str:
    """``colour`` mixed into white: a fill light enough for dark text on it."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * strength) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


CHANGE_FILLS = {kind: _tint(colour) for kind, colour in CHANGE_COLOURS.items()}


def _draw_bits(ax: "Axes", plan: BitPlan, x0: float, y0: float) -> None:
    """Draw a bit diagram with its top-left corner at (x0, y0) inches (y grows downwards)."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    bit_w, row_h, bits = plan.bit_w, plan.row_h, plan.row_bits
    left = x0 + plan.left
    top = y0 + plan.ruler_h

    def xy(b: float, r: float) -> tuple[float, float]:
        return left + b * bit_w, top + r * row_h

    if plan.ruler_h:
        step = 1 if bit_w / PT >= 11 else 4
        ruler_size = 7.0 if bit_w / PT >= 11 else 6.0
        numbered = sorted(set(range(0, bits, step)) | {bits - 1})
        ax.add_artist(_numbers_patch([(left + (b + 0.5) * bit_w, top - 0.06, str(b % 100))
                                     for b in numbered], ruler_size, MUTED, gid="ruler"))
        ticks = []
        for b in range(bits + 1):
            tall = 0.06 if b % 8 == 0 else 0.03
            ticks.append([(left + b * bit_w, top), (left + b * bit_w, top - tall)])
        ax.add_artist(LineCollection(ticks, colors=MUTED, linewidths=0.6, gid="ruler-ticks"))

    highlighted = []
    for box in plan.boxes:
        f = box.field
        fc = plan.changes.by_field.get(box.index)
        kind = fc.change if fc is not None else None
        fill = CHANGE_FILLS.get(kind, BASE_FILL)
        edge = CHANGE_COLOURS.get(kind, BASE_EDGE)
        for k, s in enumerate(box.segments):
            x, y = xy(s.start, s.row)
            patch = Rectangle((x, y), s.bits * bit_w, row_h, facecolor=fill,
                              edgecolor=HATCH_COLOUR if f.reserved else "none",
                              hatch="////" if f.reserved else None, linewidth=0,
                              gid=f"field:{box.index}:{k}", zorder=1, antialiased=False)
            ax.add_artist(patch)
        dashed = f.optional or bool(f.condition)
        lines = [[xy(*a), xy(*b)] for a, b in outline_edges(box)]
        width = 1.6 if kind else 1.0
        collection = LineCollection(lines, colors=edge, linewidths=width,
                                    linestyles=(0, (4, 2.5)) if dashed else "solid",
                                    capstyle="projecting", gid=f"outline:{box.index}",
                                    zorder=3 if kind else 2)
        (highlighted if kind else []).append(collection)
        ax.add_artist(collection)
        last = box.segments[-1]
        if box.variable:
            ax.add_artist(_torn_edge(xy(last.end, last.row), row_h, bit_w, edge, width,
                                   gid=f"open-edge:{box.index}"))
        if f.repeated:
            inset = 3.0 * PT
            for s in box.segments:
                x, y = xy(s.start, s.row)
                ax.add_artist(Rectangle((x + inset, y + inset), s.bits * bit_w - 2 * inset,
                                       row_h - 2 * inset, fill=False, edgecolor=edge,
                                       linewidth=0.6, gid=f"repeated:{box.index}", zorder=2))
        label = plan.labels[box.index]
        cx, cy, _w, block = label_anchor(box, bits)
        x, y = xy(cx, cy)
        if box.variable and block[-1] == len(box.segments) - 1:
            x -= 4 * PT            # centred in the room the torn edge leaves
        _draw_label(ax, x, y, label, gid=f"label:{box.index}", on_hatch=f.reserved)
        if label.callout is None:
            _draw_continuations(ax, box, block, label, xy, bit_w, row_h)


def _draw_continuations(ax: "Axes", box: FieldBox, block: range, label: FittedLabel, xy,
                        bit_w: float, row_h: float) -> None:
    """The field's name, small and grey, in the parts of a multi-row box outside its label block,
    so a reader sees where a field that wraps a row goes on (or where it began)."""
    name = " ".join(label.lines[:len(label.lines) - label.detail_lines])
    for k, s in enumerate(box.segments):
        if k in block:
            continue
        room = s.bits * bit_w / PT - 6 - (8 if box.variable and k == len(box.segments) - 1 else 0)
        text = f"{name} (cont.)" if k > block[-1] else f"{name} …"
        if text_width(text, 7.0) > room or row_h / PT < 12:
            text = "…"
            if text_width(text, 7.0) > room:
                continue
        x, y = xy((s.start + s.end) / 2, s.row + 0.5)
        ax.text(x, y, plain(text), ha="center", va="center", fontsize=7.0, style="italic",
                color=MUTED, family=SANS, gid=f"label:{box.index}:cont", zorder=4)


def _numbers_patch(items: Sequence[tuple[float, float, str]], size: float, colour: str, gid: str):
    """Many short numbers (a ruler) as one filled path, centred on x with their baseline at y:
    one artist instead of 32 texts, which keeps a story of many drawings fast to save."""
    import numpy as np
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    paths = []
    for x, y, text in items:
        glyphs, width = glyph_path(text, size)
        vertices = np.array(glyphs.vertices, dtype=float)
        vertices[:, 0] = x + (vertices[:, 0] - width / 2) * PT
        vertices[:, 1] = y - vertices[:, 1] * PT          # the sheet's y grows downwards
        paths.append(MplPath(vertices, glyphs.codes))
    compound = MplPath.make_compound_path(*paths)
    return PathPatch(compound, facecolor=colour, edgecolor="none", linewidth=0, gid=gid)


def _torn_edge(top: tuple[float, float], height: float, bit_w: float, colour: str,
               width: float, gid: str):
    """A zigzag standing in for the right edge of a variable-length field."""
    from matplotlib.lines import Line2D

    x, y = top
    teeth = 4
    depth = min(0.6 * bit_w, 5 * PT)
    xs, ys = [], []
    for k in range(2 * teeth + 1):
        xs.append(x - (depth if k % 2 else 0.0))
        ys.append(y + height * k / (2 * teeth))
    return Line2D(xs, ys, color=colour, linewidth=width, gid=gid, zorder=3,
                  solid_joinstyle="miter")


def _draw_label(ax: "Axes", x: float, y: float, label: FittedLabel, gid: str,
                on_hatch: bool = False) -> None:
    """Name lines in ink, the detail lines smaller and grey, centred together on (x, y); on a
    hatched (reserved) box over a patch of the box's colour, so the hatching never runs through
    the letters."""
    backing = ({"boxstyle": "square,pad=0.1", "facecolor": BASE_FILL, "edgecolor": "none"}
               if on_hatch else None)
    size, small = label.size, label.size - 1.0
    names = label.lines[:len(label.lines) - label.detail_lines]
    details = label.lines[len(names):]
    total = (len(names) * size + len(details) * small) * LINE_SPACING * PT
    y_top = y - total / 2
    if label.callout is not None:
        ax.text(x, y, label.lines[0], ha="center", va="center", fontsize=size,
                fontweight="bold", color=INK, family=SANS, gid=gid, zorder=4,
                bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                      "edgecolor": MUTED, "linewidth": 0.6})
        return
    if names:
        h = len(names) * size * LINE_SPACING * PT
        ax.text(x, y_top + h / 2, plain("\n".join(names)), ha="center", va="center",
                fontsize=size, color=INK, family=SANS, linespacing=LINE_SPACING, gid=gid, zorder=4,
                bbox=backing)
        y_top += h
    if details:
        h = len(details) * small * LINE_SPACING * PT
        ax.text(x, y_top + h / 2, plain("\n".join(details)), ha="center", va="center",
                fontsize=small, color=MUTED, family=SANS, linespacing=LINE_SPACING,
                gid=f"{gid}:detail", zorder=4, bbox=backing)


def draw_key(ax: "Axes", lines: list[tuple[str, str, list]], x: float, y: float,
              line_h: float, size: float = 8.0) -> None:
    from matplotlib.patches import Rectangle

    for k, (kind, text, items) in enumerate(lines):
        yy = y + (k + 0.5) * line_h
        if kind in ("callout", "removed"):
            ax.text(x, yy, plain(text), ha="left", va="center", fontsize=size, family=SANS,
                    color=CHANGE_COLOURS["removed"] if kind == "removed" else INK, gid=f"key:{kind}")
            continue
        cursor = x
        for item in items:
            sample, word = legend_item(kind, item)
            if item == LISTED_REMOVED:       # drawn as the removed list is: red words
                ax.text(cursor, yy, LISTED_WORDS[0], ha="left", va="center", fontsize=8,
                        family=SANS, color=CHANGE_COLOURS["removed"], gid="legend:removed")
            elif kind == "legend":
                ax.add_artist(Rectangle((cursor, yy - 0.06), 0.16, 0.12, facecolor=CHANGE_FILLS[item],
                                       edgecolor=CHANGE_COLOURS[item], linewidth=1.2,
                                       gid=f"legend:{item}"))
            else:
                _style_sample(ax, item, cursor, yy)
            ax.text(cursor + sample, yy, word, ha="left", va="center", fontsize=8, family=SANS,
                    color=INK, gid=f"key:{kind}")
            cursor += sample + text_width(word, 8) * PT + 0.25


def _style_sample(ax: "Axes", style: str, x: float, y: float) -> None:
    from matplotlib.patches import Rectangle

    common = {"facecolor": BASE_FILL, "gid": f"style:{style}"}
    if style == "reserved":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=HATCH_COLOUR, hatch="////",
                               linewidth=0, **common))
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, fill=False, edgecolor=BASE_EDGE,
                               linewidth=0.8))
    elif style == "optional":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=BASE_EDGE, linewidth=0.9,
                               linestyle=(0, (3, 2)), **common))
    elif style == "repeated":
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor=BASE_EDGE, linewidth=0.9, **common))
        ax.add_artist(Rectangle((x + 0.025, y - 0.035), 0.11, 0.07, fill=False, edgecolor=BASE_EDGE,
                               linewidth=0.5))
    else:
        ax.add_artist(Rectangle((x, y - 0.06), 0.16, 0.12, edgecolor="none", linewidth=0, **common))
        ax.plot([x + 0.16, x, x, x + 0.16], [y - 0.06, y - 0.06, y + 0.06, y + 0.06],
                color=BASE_EDGE, linewidth=0.9)
        ax.add_artist(_torn_edge((x + 0.16, y - 0.06), 0.12, 0.1, BASE_EDGE, 0.9, gid="style:torn"))


def _draw_card(ax: "Axes", plan: CardPlan, x0: float, y0: float) -> None:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    left = x0 + plan.left
    inner = plan.width - 2 * plan.left
    body = plan.head_h + len(plan.rows) * plan.row_h + 0.1
    shape = {"boxstyle": "round,pad=0,rounding_size=0.06"}
    card = FancyBboxPatch((left, y0), inner, body, facecolor="white", edgecolor="none",
                          linewidth=0, gid="card", zorder=0, **shape)
    ax.add_artist(card)
    head = Rectangle((left, y0), inner, plan.head_h, facecolor=BASE_FILL, edgecolor="none",
                     gid="card-head", zorder=0.5)
    ax.add_artist(head)
    head.set_clip_path(card)
    ax.add_artist(FancyBboxPatch((left, y0), inner, body, fill=False, edgecolor=BASE_EDGE,
                                 linewidth=1.0, gid="card-outline", zorder=3, **shape))
    keyword = "enum" if plan.definition.notation == "tls-enum" else "struct"
    ax.text(left + 0.12, y0 + plan.head_h / 2, keyword, ha="left", va="center", fontsize=9,
            color=MUTED, family=MONO_FAMILY, gid="card-keyword")
    ax.text(left + 0.12 + text_width(keyword + " ", 9, family=MONO) * PT, y0 + plan.head_h / 2,
            plain(plan.definition.name), ha="left", va="center", fontsize=10, fontweight="bold",
            color=INK, family=MONO_FAMILY, gid="card-name")
    size = plan.size
    indent = 0.25
    for k, row in enumerate(plan.rows):
        y = y0 + plan.head_h + 0.05 + k * plan.row_h
        kind = row["change"]
        if kind:
            ax.add_artist(Rectangle((left + 0.04, y), inner - 0.08, plan.row_h,
                                   facecolor=CHANGE_FILLS[kind], edgecolor=CHANGE_COLOURS[kind],
                                   linewidth=1.0, gid=f"field:{row['index']}:0"))
        yc = y + plan.row_h / 2
        spanning = row["cells"][1:] == ["", "", ""]
        for c, text in enumerate(row["cells"]):
            if not text:
                continue
            x = left + plan.columns[c] + (row["depth"] * indent if c == 0 else 0.0)
            gid = f"label:{row['index']}" if row["index"] is not None and (c == 1 or (c == 0 and (
                plan.definition.notation == "tls-enum" or spanning))) else "card-cell"
            ax.text(x, yc, plain(text), ha="left", va="center", fontsize=size, family=MONO_FAMILY,
                    color=MUTED if c in (0, 2) and not spanning and plan.definition.notation != "tls-enum"
                    else INK, gid=gid)
            if c == 1 and row["old"]:
                ax.text(x + text_width(text, size, family=MONO) * PT + 0.08, yc,
                        plain(f"was {row['old']}"), ha="left", va="center", fontsize=size - 1,
                        style="italic", color=CHANGE_COLOURS["renamed"], family=SANS,
                        gid=f"label:{row['index']}:detail")
    draw_key(ax, plan.key_lines, left, y0 + body + 0.12, plan.key_line_h, plan.key_size)


def draw_plan(ax: "Axes", plan, x0: float, y0: float) -> None:
    if isinstance(plan, CardPlan):
        _draw_card(ax, plan, x0, y0)
        return
    _draw_bits(ax, plan, x0, y0)
    key_top = y0 + plan.ruler_h + plan.rows * plan.row_h + 0.12
    draw_key(ax, plan.key_lines, x0 + plan.left, key_top, plan.key_line_h, plan.key_size)


def blank_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    return fig, ax


TITLE_SIZE = 12
TITLE_LINE = 0.22
SUBTITLE_LINE = 0.18


def title_lines(title: str, subtitle: str, width: float) -> tuple[list[str], list[str]]:
    """The title wrapped to at most two lines (bold, 12 pt) and the subtitle to three (9 pt)."""
    heads = fit_lines(title, TITLE_SIZE, width, max_lines=2, weight="bold") if title else []
    subs = fit_lines(subtitle, 9, width) if subtitle else []
    return heads, subs


def title_block(ax: "Axes", x: float, y: float, title: str, subtitle: str, width: float) -> float:
    """Title (bold, wrapped over two lines, the rest cut with …) and grey subtitle (up to three
    lines) at (x, y); returns the height used (:func:`title_height`)."""
    heads, subs = title_lines(title, subtitle, width)
    for k, line in enumerate(heads):
        ax.text(x, y + 0.2 + k * TITLE_LINE, plain(line), ha="left", va="center",
                fontsize=TITLE_SIZE, fontweight="bold", color=INK, family=SANS, gid="title")
    top = y + 0.2 + max(len(heads) - 1, 0) * TITLE_LINE
    for k, line in enumerate(subs):
        ax.text(x, top + 0.23 + k * SUBTITLE_LINE, plain(line), ha="left", va="center",
                fontsize=9, color=MUTED, family=SANS, gid="subtitle")
    return title_height(title, subtitle, width)


def title_height(title: str, subtitle: str, width: float) -> float:
    heads, subs = title_lines(title, subtitle, width)
    extra = max(len(heads) - 1, 0) * TITLE_LINE
    return extra + (0.36 + SUBTITLE_LINE * len(subs) if subs else 0.4)


@contextlib.contextmanager
def drawing_style() -> Iterator[None]:
    """The part of the house style a drawing uses (:func:`.fonts.drawing_rc`): text kept as text
    in SVG with a font fallback list, fixed SVG ids, screen dpi. Not seaborn's axes style: a
    drawing has no axes, and leaving seaborn unimported saves ~1.5 s per ``draw``/``story`` run."""
    import matplotlib as mpl

    with mpl.rc_context(drawing_rc()):
        yield


def check_width(width: Any) -> float:
    """A drawing's width in inches, 2 to 40 (PlotInputError naming ``width=`` otherwise)."""
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not (
            MIN_WIDTH <= width <= MAX_WIDTH):
        raise PlotInputError(f"width= (--width) must be {MIN_WIDTH:g} to {MAX_WIDTH:g} inches, "
                             f"got {width!r}")
    return float(width)
