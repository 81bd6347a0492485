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
from typing import TYPE_CHECKING, Iterator

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


@dataclass(frozen=True)
class SavedFigure:
    """The three files written for one figure."""

    png: Path
    svg: Path
    csv: Path

    @property
    def paths(self) -> tuple[Path, Path, Path]:
        return (self.png, self.svg, self.csv)


def save_figure(fig: "Figure", data: "pd.DataFrame", out_dir: str | Path, stem: str) -> SavedFigure:
    """Write ``stem.png``, ``stem.svg`` and ``stem.csv`` (the plotted data) into ``out_dir``.

    Each file is written to a temporary name and renamed, so an interrupted run never leaves a
    half-written figure that looks complete.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fig.canvas is None or type(fig.canvas).__name__ == "FigureCanvasBase":
        FigureCanvasAgg(fig)
    saved = SavedFigure(out / f"{stem}.png", out / f"{stem}.svg", out / f"{stem}.csv")

    def write(target: Path, writer) -> None:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")   # per process
        try:
            writer(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

    engine = fig.get_layout_engine()
    with figure_style():  # savefig reads svg.* settings at save time
        write(saved.png, lambda p: fig.savefig(p, format="png", dpi=PNG_DPI))
        # the layout is settled by the first save: keep it rather than solve it again (~0.3 s)
        fig.set_layout_engine("none")
        try:
            write(saved.svg, lambda p: fig.savefig(p, format="svg", metadata={"Date": None}))
        finally:
            fig.set_layout_engine(engine)
    write(saved.csv, lambda p: data.to_csv(p, index=False))
    return saved
