"""How draftscope figures look and how they are written to disk.

One place for the house style (the EPIQ'18 look: white grid, one coloured line with markers per
phrase, legend inside the axes) so every figure reads the same at blog width (~800 px). Saving
(:func:`save_figure`: PNG + SVG next to the exact data it plots as CSV) is the output stage's,
:mod:`draftscope.outputs.figures`, re-exported here.

matplotlib and seaborn are imported inside functions: the CLI imports this module at start-up.
"""

from __future__ import annotations

import contextlib
from typing import Iterator, Sequence

from draftscope.errors import PlotInputError
# formats and saving live in the output stage (one registry, one saver); importable here too
from draftscope.outputs.figures import PNG_DPI, SavedFigure, check_dpi, save_figure  # noqa: F401
from draftscope.outputs.formats import DEFAULT_IMAGE_FORMATS, parse_image_formats  # noqa: F401
from draftscope.outputs.formats import FIGURE_FORMATS as IMAGE_FORMATS  # noqa: F401

# The four phrases of the EPIQ'18 figure, in its legend order.
from draftscope.options import EPIQ_KEYWORDS  # noqa: E402,F401 - plots import it from here

# The value axis of a keyword figure, by ``--normalize``.
VALUE_LABELS = {
    "none": "Number of appearances",
    "per-page": "Appearances per page",
    "per-1000-words": "Appearances per 1000 words",
}

# Blog width: 8 in at 100 dpi on screen, saved at 150 dpi -> 1200 px PNG that downsizes cleanly.
FIGSIZE: tuple[float, float] = (8.0, 4.5)

# Stable colours per phrase so MUST is the same colour in every figure of a post.
_PHRASE_ORDER = (
    "MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "REQUIRED", "SHALL", "SHALL NOT",
    "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL",
)


# ``style=``: "house" draws in the house style (the CLI's figures); None (or "user") leaves the
# user's rcParams and seaborn palette alone (a notebook's own look).
HOUSE = "house"


def check_style(style: str | None) -> str | None:
    """``"house"``, or None for the user's own rcParams (``"user"`` is the same as None)."""
    if style is None or style == "user":
        return None
    if style != HOUSE:
        raise PlotInputError(f"style= must be 'house' or None (the user's rcParams), got {style!r}")
    return HOUSE


@contextlib.contextmanager
def plot_style(style: str | None) -> Iterator[None]:
    """The house style (:func:`figure_style`) inside the block when ``style`` asks for it;
    otherwise nothing: the caller's rcParams (fonts, background, colour cycle) are used."""
    if check_style(style) == HOUSE:
        with figure_style():
            yield
    else:
        yield


def _colours(palette: "str | Sequence | None", house: Sequence) -> list:
    """The colours ``palette`` names: ``"house"`` -> ``house``; None -> the current colour
    cycle (what ``sns.set_palette`` or ``axes.prop_cycle`` set); a seaborn palette name or a
    list of colours otherwise."""
    import seaborn as sns

    if isinstance(palette, str) and palette == HOUSE:
        return list(house)
    if palette is None:
        return list(sns.color_palette())
    try:
        return list(sns.color_palette(palette))
    except (ValueError, TypeError) as exc:
        raise PlotInputError(f"palette= must be a seaborn palette name, a list of colours or a "
                             f"dict, got {palette!r}") from exc


def keyword_palette(keywords: list[str] | tuple[str, ...],
                    palette: "str | Sequence | dict | None" = HOUSE
                    ) -> dict[str, tuple[float, float, float]]:
    """Colour per phrase, fixed by the phrase (not by its position in this figure): from the
    house colours, the current palette (``palette=None``) or the palette given; a dict maps
    phrases to colours itself."""
    import seaborn as sns

    if isinstance(palette, dict):
        missing = [k for k in keywords if k not in palette]
        if missing:
            raise PlotInputError(f"palette= has no colour for {', '.join(missing)}")
        return {k: palette[k] for k in keywords}
    colours = _colours(palette, sns.color_palette("tab10", 10) + sns.color_palette("Dark2", 8))
    palette = {}
    for keyword in keywords:
        index = _PHRASE_ORDER.index(keyword) if keyword in _PHRASE_ORDER else (
            len(_PHRASE_ORDER) + len(palette)
        )
        palette[keyword] = colours[index % len(colours)]
    return palette


# A fixed marker per phrase (in _PHRASE_ORDER), so a phrase keeps its marker whichever others
# are drawn; no "^", which marks a name change on the x axis.
_PHRASE_MARKERS = ("o", "X", "s", "P", "D", "*", "v", "<", ">", "p", "h")


def keyword_markers(keywords: Sequence[str]) -> dict[str, str]:
    """Marker per phrase, fixed by the phrase like :func:`keyword_palette`'s colours."""
    markers = {}
    for keyword in keywords:
        index = _PHRASE_ORDER.index(keyword) if keyword in _PHRASE_ORDER else len(markers)
        markers[keyword] = _PHRASE_MARKERS[index % len(_PHRASE_MARKERS)]
    return markers


def lineage_palette(lineages: Sequence[str], palette: "str | Sequence | dict | None" = HOUSE
                    ) -> dict[str, tuple[float, float, float]]:
    """Colour per draft when drafts are compared on one axis: in the house style shades of
    viridis (dark blue to green), so a draft never wears a phrase's colour (tab10's blue is
    MUST, its red SHOULD NOT in every keyword figure); otherwise the current palette
    (``palette=None``) or the one given, in the drafts' order."""
    import seaborn as sns

    lineages = list(dict.fromkeys(lineages))
    if isinstance(palette, dict):
        missing = [name for name in lineages if name not in palette]
        if missing:
            raise PlotInputError(f"palette= has no colour for {', '.join(missing)}")
        return {name: palette[name] for name in lineages}
    if not (isinstance(palette, str) and palette == HOUSE):
        colours = _colours(palette, ())
        return {name: colours[i % len(colours)] for i, name in enumerate(lineages)}
    shades = sns.color_palette("viridis", as_cmap=True)
    if len(lineages) == 1:
        return {lineages[0]: tuple(shades(0.25)[:3])}
    # 0.0 (dark violet) .. 0.85 (light green): the yellow end is too light on white
    return {name: tuple(shades(0.85 * i / (len(lineages) - 1))[:3])
            for i, name in enumerate(lineages)}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the house style for the figures drawn inside the ``with`` block only."""
    import matplotlib as mpl
    import seaborn as sns

    rc = {
        **sns.axes_style("whitegrid"),
        **sns.plotting_context("notebook", font_scale=1.0),
        "svg.fonttype": "none",  # text stays text in SVG (searchable, smaller files)
        "svg.hashsalt": "draftscope",  # deterministic SVG ids
        "figure.dpi": 100,
        "legend.frameon": True,
    }
    with mpl.rc_context(rc):
        yield


def new_figure(figsize: tuple[float, float] | None = FIGSIZE, **subplots_kw):
    """A Figure and Axes not registered with pyplot (safe in long-running notebooks and servers),
    on an Agg canvas so it can be measured and saved whatever the interactive backend;
    ``figsize=None``: the rcParams' ``figure.figsize``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(**subplots_kw)
    return fig, axes


# the one figure-size check (errors name figsize=; the CLI says --size)
from draftscope.options import parse_figure_size  # noqa: E402,F401
