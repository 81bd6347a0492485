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
_FONT = re.compile(r"font-family: ?'DejaVu Sans'")


def figure_svg(fig: "Figure", *, drawing: bool = False) -> str:
    """``fig`` as SVG text, saved in the style it was drawn in (a bit diagram's or the house
    style: text kept as text, fixed ids), without a date."""
    if drawing:
        from draftscope.plots.bitdiagram import drawing_style as style
    else:
        from draftscope.plots.style import figure_style as style

    buffer = io.StringIO()
    with style():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def compact_svg(svg: str) -> str:
    """Drop the prolog, metadata and indentation; one decimal per coordinate (attributes only)."""
    svg = _PROLOG.sub("", svg)
    svg = _NO_ROTATION.sub("", svg)

    def numbers(match: re.Match) -> str:
        value = _LONG_DECIMAL.sub(r"\1", match.group(2))
        return match.group(1) + " ".join(value.split()) + match.group(3)

    svg = _NUMERIC_ATTRIBUTES.sub(numbers, svg)
    svg = _FONT.sub(f"font-family: {FONT_FALLBACK}", svg)
    return _BETWEEN_TAGS.sub("><", svg).strip()


def inline_svg(svg: str, *, prefix: str, alt: str, css_class: str = "figure") -> str:
    """A compact ``<svg>`` element for an HTML page: ids prefixed with ``prefix`` (several
    figures' ``clip-path`` ids never collide), the fixed width and height dropped (CSS scales it
    to the column, the viewBox keeps its shape), ``role="img"`` with ``alt`` as its
    ``<title>`` and ``aria-label``."""
    svg = compact_svg(svg)
    svg = _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}{m.group(3)}", svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    attributes = re.sub(r'\s(?:width|height)="[^"]*"', "", match.group(1))
    label = html.escape(alt, quote=True)
    opening = (f'<svg{attributes} class="{css_class}" role="img" aria-label="{label}" '
               f'preserveAspectRatio="xMidYMin meet"><title>{html.escape(alt)}</title>')
    return svg[:match.start()] + opening + svg[match.end():]


def svg_size(svg: str) -> tuple[float, float]:
    """The viewBox's width and height (points) of an SVG document."""
    match = re.search(r'viewBox="\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+([\d.]+)"', svg)
    if match is None:
        raise ValueError("SVG without a viewBox")
    return float(match.group(1)), float(match.group(2))
