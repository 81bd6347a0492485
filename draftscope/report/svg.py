"""Figures as SVG text a page can inline: written in the figure's own style, made compact, their
ids made unique on the page, and given a title (the alt text) and an ARIA role.

matplotlib's SVG carries an XML prolog, RDF metadata, indentation and six decimals per
coordinate; a story strip is ~150 kB of it. Inlined into one page, coordinates are cut to one
decimal (0.1 pt, below a screen pixel), the rest dropped: about half the bytes. Text content is
never touched (a field's name stays as the document wrote it); only attribute values are.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# the drawings name DejaVu Sans, which they are measured for; a reader without it gets the
# closest metric-compatible faces, then any sans-serif, instead of the browser's serif default
FONT_FALLBACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif"

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<metadata>.*?</metadata>\s*", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")
_NUMERIC_ATTRIBUTES = re.compile(r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|transform|style|points)=")'
                                 r'([^"]*)(")')
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
_NO_ROTATION = re.compile(r'\stransform="rotate\(-?0(?:\.0)? [^")]*\)"')
_ID = re.compile(r'(\sid=")([^"]+)(")')
_REFERENCE = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_FONT = re.compile(r"font-family: ?'DejaVu Sans'(?=[;\"])")   # the font alone, no fallback
_CLIP = re.compile(r'\sclip-path="url\(#[^)"]+\)"')
_PATH_DATA = re.compile(r'(\sd=")([^"]*)(")')
_PATH_TOKEN = re.compile(r"[MLQCZmlqcz]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")
_ARGUMENTS = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


# a mesh of more cells than this (a section-changes grid of 800 sections x 36 revisions) is
# embedded as one image: as vector paths it is megabytes and seconds to load
MAX_VECTOR_CELLS = 5000
RASTER_DPI = 150


def figure_svg(fig: "Figure", *, drawing: bool = False) -> str:
    """``fig`` as SVG text, saved in the style it was drawn in (a bit diagram's or the house
    style: text kept as text, fixed ids), without a date. Meshes of more than
    :data:`MAX_VECTOR_CELLS` cells are rasterised (an embedded PNG; text stays text)."""
    from matplotlib.collections import QuadMesh

    if drawing:
        from draftscope.plots.bitdiagram import drawing_style as style
    else:
        from draftscope.plots.style import figure_style as style

    for mesh in fig.findobj(QuadMesh):
        if mesh.get_array() is not None and mesh.get_array().size > MAX_VECTOR_CELLS:
            mesh.set_rasterized(True)
    buffer = io.StringIO()
    with style():
        fig.savefig(buffer, format="svg", metadata={"Date": None}, dpi=RASTER_DPI)
    return buffer.getvalue()


def _tenths(value: int) -> str:
    """A number of tenths as short as SVG reads it: 12 -> 1.2, -3 -> -.3, 10 -> 1."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    whole, tenth = divmod(value, 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{tenth}"


def relative_path(d: str) -> str:
    """matplotlib's absolute path data (M, L, Q, C, z) as relative commands on a 0.1 grid: the
    same outline within 0.05 pt, about half the characters. Each point is rounded where it is,
    so rounding never accumulates along a path. Data it does not know is returned as it is."""
    tokens = _PATH_TOKEN.findall(d)
    out: list[str] = []
    x = y = start_x = start_y = 0
    i = 0
    try:
        while i < len(tokens):
            command = "Z" if tokens[i] == "z" else tokens[i]
            if command not in _ARGUMENTS:        # relative data already, or arcs: leave it
                return d
            count = _ARGUMENTS[command]
            values = [round(float(v) * 10) for v in tokens[i + 1:i + 1 + count]]
            if len(values) != count:
                return d
            i += 1 + count
            if command == "Z":
                out.append("z")
                x, y = start_x, start_y
                continue
            deltas = []
            for k in range(0, count, 2):
                deltas += [values[k] - x, values[k + 1] - y]
            if command == "M" and not out:
                out.append("M" + " ".join(_tenths(v) for v in values[:2]))
            else:
                out.append(command.lower() + " ".join(_tenths(v) for v in deltas))
            x, y = values[-2], values[-1]
            if command == "M":
                start_x, start_y = x, y
    except (ValueError, IndexError):
        return d
    return "".join(out).replace(" -", "-")


def compact_svg(svg: str, *, unclip: bool = False) -> str:
    """Drop the prolog, metadata and indentation; path data relative on a 0.1 grid, one
    decimal for every other coordinate (attributes only). ``unclip``: drop clip paths, for a
    drawing whose axes is the whole figure (they clip nothing)."""
    svg = _PROLOG.sub("", svg)
    svg = _NO_ROTATION.sub("", svg)
    if unclip:
        svg = _CLIP.sub("", svg)
    svg = _PATH_DATA.sub(lambda m: m.group(1) + relative_path(m.group(2)) + m.group(3), svg)

    def numbers(match: re.Match) -> str:
        value = _LONG_DECIMAL.sub(r"\1", match.group(2))
        return match.group(1) + " ".join(value.split()) + match.group(3)

    svg = _NUMERIC_ATTRIBUTES.sub(numbers, svg)
    svg = _FONT.sub(f"font-family: {FONT_FALLBACK}", svg)
    return _BETWEEN_TAGS.sub("><", svg).strip()


def inline_svg(svg: str, *, prefix: str, alt: str, css_class: str = "figure",
               unclip: bool = False) -> str:
    """A compact ``<svg>`` element for an HTML page: ids prefixed with ``prefix`` (several
    figures' ``clip-path`` ids never collide), the fixed width and height dropped (CSS scales it
    to the column, the viewBox keeps its shape), ``role="img"`` with ``alt`` as its
    ``<title>`` and ``aria-label``."""
    svg = compact_svg(svg, unclip=unclip)
    svg = _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}{m.group(3)}", svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    svg = _style_classes(svg, prefix)
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    attributes = re.sub(r'\s(?:width|height)="[^"]*"', "", match.group(1))
    label = html.escape(alt, quote=True)
    opening = (f'<svg{attributes} class="{css_class}" role="img" aria-label="{label}" '
               f'preserveAspectRatio="xMidYMin meet"><title>{html.escape(alt)}</title>')
    return svg[:match.start()] + opening + svg[match.end():]


_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _style_classes(svg: str, prefix: str) -> str:
    """A style written on many elements (every ruler digit's font) becomes one CSS class,
    named after ``prefix`` so another figure's classes never apply; once-used styles stay."""
    counts: dict[str, int] = {}
    for style in _STYLE.findall(svg):
        counts[style] = counts.get(style, 0) + 1
    shared = [style for style, count in counts.items() if count > 1 and "{" not in style
              and "}" not in style and "<" not in style]
    if not shared:
        return svg
    names = {style: f"{prefix}-s{i}" for i, style in enumerate(shared)}
    svg = _STYLE.sub(lambda m: f' class="{names[m.group(1)]}"' if m.group(1) in names
                     else m.group(0), svg)
    rules = "".join(f".{name}{{{html.unescape(style)}}}" for style, name in names.items())
    match = _SVG_OPEN.search(svg)
    return svg[:match.end()] + f"<style>{rules}</style>" + svg[match.end():]

