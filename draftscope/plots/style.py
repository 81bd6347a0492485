"""How draftscope figures look and how they are written to disk.

One place for the house style (the EPIQ'18 look: white grid, one coloured line with markers per
phrase, legend inside the axes) so every figure reads the same at blog width (~800 px), and one
function that writes a figure as PNG + SVG next to the exact data it plots as CSV.

matplotlib and seaborn are imported inside functions: the CLI imports this module at start-up.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from draftscope.errors import PlotInputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

# The four phrases of the EPIQ'18 figure, in its legend order.
EPIQ_KEYWORDS: tuple[str, ...] = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")

# The value axis of a keyword figure, by ``--normalize``.
VALUE_LABELS = {
    "none": "Number of appearances",
    "per-page": "Appearances per page",
    "per-1000-words": "Appearances per 1000 words",
}

# Blog width: 8 in at 100 dpi on screen, saved at 150 dpi -> 1200 px PNG that downsizes cleanly.
FIGSIZE: tuple[float, float] = (8.0, 4.5)
PNG_DPI = 150

# Stable colours per phrase so MUST is the same colour in every figure of a post.
_PHRASE_ORDER = (
    "MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "REQUIRED", "SHALL", "SHALL NOT",
    "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL",
)


def keyword_palette(keywords: list[str] | tuple[str, ...]) -> dict[str, tuple[float, float, float]]:
    """Colour per phrase, fixed by the phrase (not by its position in this figure)."""
    import seaborn as sns

    colours = sns.color_palette("tab10", 10) + sns.color_palette("Dark2", 8)
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


def lineage_palette(lineages: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    """Colour per draft when drafts are compared on one axis: shades of viridis (dark blue to
    green), so a draft never wears a phrase's colour (tab10's blue is MUST, its red SHOULD NOT
    in every keyword figure)."""
    import seaborn as sns

    lineages = list(dict.fromkeys(lineages))
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


def new_figure(figsize: tuple[float, float] = FIGSIZE, **subplots_kw):
    """A Figure and Axes not registered with pyplot (safe in long-running notebooks and servers),
    on an Agg canvas so it can be measured and saved whatever the interactive backend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(**subplots_kw)
    return fig, axes


# What ``--image-format`` may name; the default writes PNG (for the web) and SVG (to edit).
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
DEFAULT_IMAGE_FORMATS: tuple[str, ...] = ("png", "svg")


def parse_image_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"png,svg"`` (or a list) -> ``("png", "svg")``: known formats, each once, in the order
    given; a one-line error naming the unknown ones."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in items if f.strip()))
    unknown = [f for f in formats if f not in IMAGE_FORMATS]
    if unknown or not formats:
        raise PlotInputError(f"--image-format: unknown format(s) {', '.join(unknown) or '(none given)'} "
                                f"(choose from {', '.join(IMAGE_FORMATS)}, comma-separated)")
    return formats


def parse_figure_size(text: str | tuple[float, float]) -> tuple[float, float]:
    """``"8x4.5"`` (inches, width x height) -> ``(8.0, 4.5)``; 1 to 50 inches each way."""
    if isinstance(text, str):
        width, sep, height = text.lower().replace("\u00d7", "x").partition("x")
        try:
            size = (float(width), float(height)) if sep else None
        except ValueError:
            size = None
        if size is None:
            raise PlotInputError(f"--size wants WIDTHxHEIGHT in inches (e.g. 8x4.5), got {text!r}")
    else:
        size = (float(text[0]), float(text[1]))
    if not all(1.0 <= v <= 50.0 for v in size):
        raise PlotInputError(f"--size {size[0]:g}x{size[1]:g}: each side must be 1 to 50 inches")
    return size


def check_dpi(dpi: int | float | None) -> int | None:
    """A PNG resolution between 30 and 1200 dots per inch (None: the house :data:`PNG_DPI`);
    the CLI's --dpi checks the same range."""
    if dpi is not None and not 30 <= dpi <= 1200:
        raise PlotInputError(f"--dpi must be between 30 and 1200, got {dpi:g}")
    return None if dpi is None else int(dpi)


@dataclass(frozen=True)
class SavedFigure:
    """The files written for one figure: its images (``None`` for a format not asked for)
    and the CSV of the data it draws."""

    png: Path | None
    svg: Path | None
    csv: Path
    pdf: Path | None = None

    @property
    def images(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.png, self.svg, self.pdf) if p is not None)

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file written: the images, then the CSV."""
        return (*self.images, self.csv)


def save_figure(fig: "Figure", data: "pd.DataFrame", out_dir: str | Path, stem: str, *,
                formats: str | Sequence[str] = DEFAULT_IMAGE_FORMATS,
                dpi: int | None = None) -> SavedFigure:
    """Write ``stem.<format>`` for each of ``formats`` (png, svg, pdf) and ``stem.csv`` (the
    plotted data) into ``out_dir``. ``dpi`` is the PNG's resolution (default :data:`PNG_DPI`).

    Each file is written to a temporary name and renamed, so an interrupted run never leaves a
    half-written figure that looks complete. Reruns write identical bytes (no dates inside).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    formats = parse_image_formats(formats)
    dpi = check_dpi(dpi) or PNG_DPI
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fig.canvas is None or type(fig.canvas).__name__ == "FigureCanvasBase":
        FigureCanvasAgg(fig)
    paths = {fmt: out / f"{stem}.{fmt}" for fmt in formats}
    saved = SavedFigure(paths.get("png"), paths.get("svg"), out / f"{stem}.csv", paths.get("pdf"))

    def write(target: Path, writer) -> None:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")   # per process
        try:
            writer(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

    metadata = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    engine = fig.get_layout_engine()
    with figure_style():  # savefig reads svg.* settings at save time
        try:
            for index, fmt in enumerate(formats):
                write(paths[fmt], lambda p, fmt=fmt: fig.savefig(
                    p, format=fmt, dpi=dpi if fmt == "png" else 100, metadata=metadata[fmt]))
                if index == 0:
                    # the layout is settled by the first save: keep it rather than solve it
                    # again for the next format (~0.3 s)
                    fig.set_layout_engine("none")
        finally:
            fig.set_layout_engine(engine)
    write(saved.csv, lambda p: data.to_csv(p, index=False))
    return saved
