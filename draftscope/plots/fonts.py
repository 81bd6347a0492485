"""Fonts of the drawings: a fallback chain, text measured without a renderer, and a stand-in for
characters no font has.

Drawings are laid out in inches before they are drawn, so every label is measured first
(:func:`text_width`: glyph advances from a private FT2Font, microseconds a label). The chain
(:data:`FONT_FAMILY`) is DejaVu Sans, then any installed font of :data:`FALLBACK_FAMILIES` (CJK,
Thai, Hangul... where the machine has them), then the generic ``sans-serif`` whose list
(:data:`SANS_SERIF`) is what an SVG names for a reader's browser: fonts no wider than DejaVu
Sans, so a label measured for DejaVu never overflows its box there. A character none of the
installed fonts has (and a control character) is drawn as U+FFFD (:func:`drawable`): a field
named in a script this machine cannot show is drawn, not a crash ("failed to find glyph").
"""

from __future__ import annotations

import functools
import os
import unicodedata
from typing import Any

FONT = "DejaVu Sans"               # measured and drawn with: the same glyphs (and sizes) everywhere
MONO = "DejaVu Sans Mono"
# what an SVG lists after the drawing font, for machines without it (none wider than DejaVu Sans)
SANS_SERIF = ["DejaVu Sans", "Bitstream Vera Sans", "Liberation Sans", "Arial", "Helvetica",
              "Noto Sans", "sans-serif"]
MONO_FALLBACK = ["DejaVu Sans Mono", "Bitstream Vera Sans Mono", "Liberation Mono", "Menlo",
                 "Consolas", "monospace"]
# used for glyphs DejaVu lacks, where installed
FALLBACK_FAMILIES = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Noto Sans Thai",
                     "Noto Sans", "WenQuanYi Zen Hei", "Droid Sans Fallback", "Unifont")
REPLACEMENT = "\ufffd"

# Advances summed undercount what Agg draws at small sizes (hinting rounds glyphs up, up to ~6%
# on DejaVu at 7-9 pt): measured widths are scaled up so a label never spills out of its box.
WIDTH_SAFETY = 1.07


@functools.lru_cache(maxsize=None)
def installed(family: str) -> str | None:
    """The font file of ``family`` when it is installed (no fallback to another), else None."""
    from matplotlib.font_manager import FontProperties, findfont

    try:
        return findfont(FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None


@functools.lru_cache(maxsize=None)
def font_family(mono: bool = False) -> tuple[str, ...]:
    """The chain a drawn text names: the drawing font, installed fallbacks, the generic family."""
    first = MONO if mono else FONT
    extra = [f for f in FALLBACK_FAMILIES if installed(f) and installed(f) != installed(first)]
    return (first, *extra, "monospace" if mono else "sans-serif")


@functools.lru_cache(maxsize=8)
def _chain(mono: bool, weight: str) -> tuple[list[Any], dict[str, tuple[int, float]]]:
    """Private FT2Fonts (100 pt / 72 dpi; not matplotlib's shared, resized-by-everyone ones) of
    the installed fonts of the chain, and a cache char -> (font index, advance in points)."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    fonts = []
    seen = set()
    for family in font_family(mono)[:-1]:
        path = findfont(FontProperties(family=family, weight=weight), fallback_to_default=False) \
            if installed(family) else None
        if path and path not in seen:
            seen.add(path)
            font = FT2Font(path)
            font.set_size(100, 72)
            fonts.append(font)
    return fonts, {}


# An FT2Font reads its file through a stream whose file offset a forked child would share with
# its parent and siblings: interleaved reads garble glyphs ("too many hints", seen in story's
# drawing pool). Each process opens its own, as matplotlib does for its font cache.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_chain.cache_clear)


def _glyph(char: str, mono: bool, weight: str) -> tuple[int, float] | None:
    """(font index in the chain, advance in points at 100 pt) of ``char``, None if no font has it."""
    from matplotlib.ft2font import LoadFlags

    fonts, cache = _chain(mono, weight)
    found = cache.get(char)
    if found is None and char not in cache:
        found = None
        if not unicodedata.category(char).startswith("C") or char in "\t":
            for index, font in enumerate(fonts):
                if font.get_char_index(ord(char)):
                    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
                    found = (index, glyph.linearHoriAdvance / 65536)
                    break
        cache[char] = found
    return found


@functools.lru_cache(maxsize=4096)
def drawable(text: str, mono: bool = False) -> str:
    """``text`` with each character no installed font of the chain has (and each control or
    unassigned character) replaced by U+FFFD, runs of them by one; newlines kept."""
    out = []
    for char in text:
        if char == "\n" or _glyph(char, mono, "normal") is not None:
            out.append(char)
        elif not out or out[-1] != REPLACEMENT:
            out.append(REPLACEMENT)
    return "".join(out)


def family_of(family: str) -> bool:
    """Whether a ``family=`` argument means the monospaced chain."""
    return family in (MONO, "monospace")


@functools.lru_cache(maxsize=20000)
def text_width(text: str, size: float, weight: str = "normal", family: str = FONT) -> float:
    """Width in points of one line of text as drawn (after :func:`drawable`), from glyph
    advances with a safety margin for hinting: microseconds instead of the renderer's layout
    (a story measures thousands of labels)."""
    if not text:
        return 0.0
    mono = family_of(family)
    total = 0.0
    for char in drawable(text, mono):
        found = _glyph(char, mono, weight)
        total += found[1] if found else 60.0
    return total * size / 100 * WIDTH_SAFETY


def plain(text: str, mono: bool = False) -> str:
    """Text as matplotlib must be given it to print it verbatim: drawable characters only, no
    mathtext (``$`` escaped)."""
    return drawable(text, mono).replace("$", r"\$")


@functools.lru_cache(maxsize=512)
def glyph_path(text: str, size: float):
    """The outline of ``text`` at ``size`` pt (points, y up) and its advance width."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    path = TextPath((0, 0), text, size=size, prop=FontProperties(family=FONT))
    return path, text_width(text, size) / WIDTH_SAFETY


def drawing_rc() -> dict[str, Any]:
    """The rcParams a drawing is drawn and saved under: text kept as text in SVG with the
    fallback list, fixed SVG ids, screen dpi."""
    return {"svg.fonttype": "none", "svg.hashsalt": "draftscope", "figure.dpi": 100,
            "hatch.linewidth": 0.7, "path.simplify": True,
            "font.sans-serif": SANS_SERIF, "font.monospace": MONO_FALLBACK}
