"""The one registry of output formats (pygments' formatters are the model).

Each format is defined once here: its name (what ``--image-format`` and ``--format`` take), its
file extension, what it can hold, and what matplotlib needs to write it reproducibly. The
savers (:mod:`draftscope.outputs.figures`, :mod:`draftscope.outputs.records`) and the CLI's
options read this table; a new format is a new row here plus its writer.

- ``figure`` formats are matplotlib's (``savefig``): png, svg, pdf;
- ``drawing`` formats are what a drawing of a definition can be written as: the figure formats
  plus ``mermaid`` (``packet-beta`` text a Markdown page renders, from the same layout);
- ``records`` formats hold rows: csv, json; ``text`` formats hold prose: markdown, table.

Light at import (the CLI's ``--help`` reads it): no matplotlib, no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from draftscope.errors import PlotInputError


@dataclass(frozen=True)
class OutputFormat:
    """One format: how it is named, where it is stored, what it can hold."""

    name: str
    extension: str                      # with the dot: ".png"
    holds: frozenset[str]               # "figure", "drawing", "records", "text"
    description: str
    savefig: bool = False               # written by matplotlib's Figure.savefig
    binary: bool = False
    # savefig metadata that keeps reruns byte-identical (no dates, no version strings)
    metadata: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    mime: str = "text/plain"


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("png", ".png", frozenset({"figure", "drawing"}), "PNG image (for the web)",
                 savefig=True, binary=True, metadata={"Software": None}, mime="image/png"),
    OutputFormat("svg", ".svg", frozenset({"figure", "drawing"}),
                 "SVG image, text kept as text (to edit)", savefig=True,
                 metadata={"Date": None}, mime="image/svg+xml"),
    OutputFormat("pdf", ".pdf", frozenset({"figure", "drawing"}), "PDF (for print)",
                 savefig=True, binary=True,
                 metadata={"CreationDate": None, "ModDate": None, "Producer": None},
                 mime="application/pdf"),
    OutputFormat("mermaid", ".mmd", frozenset({"drawing"}),
                 "Mermaid packet-beta text (GitHub and blogs render it)", mime="text/vnd.mermaid"),
    OutputFormat("csv", ".csv", frozenset({"records"}), "comma-separated records",
                 mime="text/csv"),
    OutputFormat("json", ".json", frozenset({"records"}), "JSON records",
                 mime="application/json"),
    OutputFormat("markdown", ".md", frozenset({"text"}), "Markdown", mime="text/markdown"),
    OutputFormat("table", ".txt", frozenset({"text"}), "an aligned plain-text table"),
)}


def formats_holding(kind: str) -> tuple[str, ...]:
    """Names of the formats that can hold ``kind`` (``figure``, ``drawing``...), in table order."""
    return tuple(name for name, f in FORMATS.items() if kind in f.holds)


FIGURE_FORMATS: tuple[str, ...] = formats_holding("figure")        # png, svg, pdf
DRAWING_FORMATS: tuple[str, ...] = formats_holding("drawing")      # + mermaid
RECORD_FORMATS: tuple[str, ...] = formats_holding("records")       # csv, json
DEFAULT_IMAGE_FORMATS: tuple[str, ...] = ("png", "svg")
# the name the CLI and users may also type for a format
ALIASES = {"mmd": "mermaid", "md": "markdown"}


def get_format(name: str) -> OutputFormat:
    """The format called ``name`` (or an alias such as ``mmd``); ValueError naming the known ones."""
    key = ALIASES.get(name, name)
    if key not in FORMATS:
        raise ValueError(f"unknown output format {name!r} (known: {', '.join(FORMATS)})")
    return FORMATS[key]


def parse_image_formats(text: str | Sequence[str], *, holds: str = "figure",
                        parameter: str = "formats") -> tuple[str, ...]:
    """``"png,SVG"`` (or a list) -> ``("png", "svg")``: formats able to hold ``holds``, each once,
    in the order given; a PlotInputError naming ``parameter`` and the choices otherwise."""
    if isinstance(text, str):
        items = text.split(",")
    elif isinstance(text, (list, tuple)) and all(isinstance(t, str) for t in text):
        items = list(text)
    else:
        raise PlotInputError(f"{parameter}= wants format names such as 'png,svg', got {text!r}")
    names = [ALIASES.get(n, n) for n in (f.strip().lower().lstrip(".") for f in items) if n]
    formats = tuple(dict.fromkeys(names))
    allowed = formats_holding(holds)
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise PlotInputError(f"{parameter}: unknown format(s) {', '.join(unknown) or '(none given)'} "
                             f"(choose from {', '.join(allowed)}, comma-separated)")
    return formats
