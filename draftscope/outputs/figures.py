"""The one place a figure is written to disk: images in the formats of the registry, atomically
(:mod:`draftscope.files`: an exclusive temp file with an unpredictable name in the destination
folder, then a rename; stale temp files of killed runs swept first), reproducibly (no dates or
versions inside, fixed SVG ids), beside the data it draws.

:func:`save_images` writes any matplotlib figure (and text renderings such as Mermaid given by
the caller); :func:`save_figure` is a chart with its CSV. matplotlib is imported lazily.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from draftscope.errors import OutputError, PlotInputError
from draftscope.files import atomic_writer, check_stem, sweep_partials
from draftscope.outputs.formats import DEFAULT_IMAGE_FORMATS, FORMATS, parse_image_formats

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

PNG_DPI = 150          # blog width: 8 in at 150 dpi -> a 1200 px PNG that downsizes cleanly
VECTOR_DPI = 100
MAX_PIXELS = 60_000_000   # a PNG larger than this (~7700 x 7700) is refused: raise max_pixels=
# rcParams every saved figure gets: text kept as text in SVG, deterministic ids
SAVE_RC = {"svg.fonttype": "none", "svg.hashsalt": "draftscope"}


def check_out_dir(out_dir: Any) -> Path:
    """``out_dir`` as a Path; ``""`` and non-paths refused (an empty --out would mean the current
    folder silently)."""
    if not isinstance(out_dir, (str, os.PathLike)):
        raise TypeError(f"out_dir= wants a folder path, got {type(out_dir).__name__}")
    if not os.fspath(out_dir).strip():
        raise PlotInputError("out_dir= (--out) is empty: name a folder (. for this one)")
    return Path(out_dir)


def prepare_folder(out_dir: str | os.PathLike) -> Path:
    """Make ``out_dir`` and sweep what killed writers left in it."""
    out = check_out_dir(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}") from None
    sweep_partials(out)
    return out


@contextlib.contextmanager
def _rc(rc: Mapping[str, Any] | None) -> Iterator[None]:
    import matplotlib as mpl

    with mpl.rc_context({**SAVE_RC, **(rc or {})}):
        yield


def _write(target: Path, writer: Callable[[Any], None]) -> Path:
    try:
        with atomic_writer(target) as handle:
            writer(handle)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def check_dpi(dpi: int | float | None) -> int | None:
    """A PNG resolution between 30 and 1200 dots per inch (None: the house :data:`PNG_DPI`);
    the CLI's --dpi checks the same range."""
    if dpi is not None and (isinstance(dpi, bool) or not isinstance(dpi, (int, float))
                            or not 30 <= dpi <= 1200):
        raise PlotInputError(f"dpi= (--dpi) must be between 30 and 1200, got {dpi!r}")
    return None if dpi is None else int(dpi)


def check_pixels(fig: "Figure", dpi: float, max_pixels: int | None = MAX_PIXELS) -> None:
    """Refuse a PNG of more than ``max_pixels`` pixels before rendering it (a 1,000,000-bit
    field once asked for 1200 x 1,968,773 px and 9.5 GB)."""
    width, height = fig.get_size_inches()
    pixels = width * dpi * height * dpi
    if max_pixels is not None and pixels > max_pixels:
        raise PlotInputError(f"the image would be {width * dpi:.0f} x {height * dpi:.0f} pixels "
                             f"(at most {max_pixels:,}; raise max_pixels= to write it anyway)")


def save_images(fig: "Figure | None", out_dir: str | os.PathLike, stem: str,
                formats: str | Sequence[str] = DEFAULT_IMAGE_FORMATS, *, dpi: int | None = None,
                rc: Mapping[str, Any] | None = None, texts: Mapping[str, str] | None = None,
                holds: str = "figure", max_pixels: int | None = MAX_PIXELS) -> list[Path]:
    """Write ``stem.<ext>`` into ``out_dir`` for each format, in the order given: matplotlib
    formats from ``fig`` (under ``rc``), text formats (``mermaid``) from ``texts[name]``.
    Returns the paths written. ``holds``: which formats are allowed (``figure``/``drawing``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    formats = parse_image_formats(formats, holds=holds)
    check_stem(stem)
    dpi = dpi or PNG_DPI
    out = prepare_folder(out_dir)
    if fig is not None:
        if "png" in formats:
            check_pixels(fig, dpi, max_pixels)
        if fig.canvas is None or type(fig.canvas).__name__ == "FigureCanvasBase":
            FigureCanvasAgg(fig)
    written = []
    engine = fig.get_layout_engine() if fig is not None else None
    with _rc(rc):       # savefig reads svg.* settings at save time
        try:
            for fmt in formats:
                spec = FORMATS[fmt]
                target = out / f"{stem}{spec.extension}"
                if not spec.savefig:
                    if not texts or fmt not in texts:
                        raise PlotInputError(f"formats: {fmt} is written only for drawings")
                    data = texts[fmt].encode("utf-8")
                    written.append(_write(target, lambda h, data=data: h.write(data)))
                    continue
                if fig is None:
                    raise PlotInputError(f"formats: {fmt} needs a figure")
                written.append(_write(target, lambda h, fmt=fmt, spec=spec: fig.savefig(
                    h, format=fmt, dpi=dpi if fmt == "png" else VECTOR_DPI,
                    metadata=spec.metadata)))
                if engine is not None:
                    # the layout is settled by the first save: keep it rather than solve it
                    # again for the next format (~0.3 s)
                    fig.set_layout_engine("none")
        finally:
            if fig is not None and engine is not None:
                fig.set_layout_engine(engine)
    return written


def image_bytes(fig: "Figure", fmt: str = "svg", *, dpi: int | None = None,
                rc: Mapping[str, Any] | None = None) -> bytes:
    """The figure as one format's bytes, in memory (an SVG to inline in HTML, a notebook's
    PNG), written exactly as :func:`save_images` would write the file."""
    import io

    spec = FORMATS.get(fmt)
    if spec is None or not spec.savefig:
        raise PlotInputError(f"fmt: {fmt!r} is not an image format (choose from png, svg, pdf)")
    buffer = io.BytesIO()
    with _rc(rc):
        fig.savefig(buffer, format=fmt, dpi=(dpi or PNG_DPI) if fmt == "png" else VECTOR_DPI,
                    metadata=spec.metadata)
    return buffer.getvalue()


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
                dpi: int | None = None, rc: Mapping[str, Any] | None = None) -> SavedFigure:
    """Write ``stem.<format>`` for each of ``formats`` (png, svg, pdf) and ``stem.csv`` (the
    plotted data) into ``out_dir``. ``dpi`` is the PNG's resolution (default :data:`PNG_DPI`);
    ``rc``: rcParams to save under (the house style's SVG settings are always applied).

    Each file is written to a temporary name and renamed, so an interrupted run never leaves a
    half-written figure that looks complete. Reruns write identical bytes (no dates inside).
    """
    import pandas as pd

    if not isinstance(data, pd.DataFrame):    # checked before any file is written
        raise TypeError(f"data= must be the DataFrame the figure draws (saved as CSV), got "
                        f"{type(data).__name__}")
    dpi = check_dpi(dpi)
    paths = save_images(fig, out_dir, stem, formats, dpi=dpi, rc=rc)
    by_ext = {p.suffix.lstrip("."): p for p in paths}
    csv = _write(Path(out_dir) / f"{stem}.csv",
                 lambda h: h.write(data.to_csv(index=False).encode("utf-8")))
    return SavedFigure(by_ext.get("png"), by_ext.get("svg"), csv, by_ext.get("pdf"))
