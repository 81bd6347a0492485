"""The library's option vocabulary, once: defaults and the checks of values a caller passes.

Below every stage (like :mod:`draftscope.errors`; imports nothing else of draftscope but the
errors), so the fetch stage, the plots and the CLI's ``--help`` share one default and one check
per option. Library errors name the Python parameter (``jobs=``, ``mark=``, ``figsize=``): a
notebook user reads the name they typed. The CLI maps those names to its options
(:func:`cli_words`: ``figsize=`` -> ``--size``) when it prints the error line.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from draftscope.errors import InputError, PlotInputError, SettingsError

# where the IETF's documents come from (Settings' defaults; --help quotes them)
DEFAULT_DATATRACKER_URL = "https://datatracker.ietf.org"
DEFAULT_ARCHIVE_URL = "https://www.ietf.org/archive/id"
DEFAULT_RFC_URL = "https://www.rfc-editor.org/rfc"
DEFAULT_CACHE_DIR = "cache"
DEFAULT_RETRIES = 5          # per request: connection errors, 5xx, 429, truncated bodies

DEFAULT_JOBS = 4             # parallel text downloads (jobs=, --jobs)
MAX_JOBS = 16

# the tables' and figures' choices (tables.keywords, tables.compare, plots.style use these)
NORMALIZATIONS = ("none", "per-page", "per-1000-words")
ALIGNMENTS = ("revision", "date", "progress")
EPIQ_KEYWORDS: tuple[str, ...] = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")   # EPIQ'18's four

# figures: the size range (formats and dpi are the output stage's: draftscope.outputs)
FIGURE_INCHES = (1.0, 50.0)

# parameter -> the CLI option that sets it (the error line of a command speaks its options)
CLI_OPTIONS = {
    "jobs": "--jobs", "workers": "--workers", "retries": "--retries", "mark": "--mark",
    "marks": "--mark", "revisions": "--revisions", "figsize": "--size", "dpi": "--dpi",
    "formats": "--image-format", "by": "--by", "lowercase": "--lowercase",
    "normalize": "--normalize", "align": "--align", "keywords": "--keywords",
    "offline": "--offline", "layout": "--layout", "out_dir": "--out",
}
_BOTH = re.compile(r"(?<![\w.-])[a-z_]+= \((--[a-z-]+)\)")    # "dpi= (--dpi)": said both ways
_PARAMETER = re.compile(r"(?<![\w.-])([a-z_]+)=('[^']*'|True\b|False\b|-?[\d.]+|(?=[\s:,)]|$))")


def cli_words(message: str) -> str:
    """A library message in the CLI's words: ``figsize= wants ...`` -> ``--size wants ...``,
    ``by='section'`` -> ``--by section``, ``offline=True`` -> ``--offline``."""
    def option(match: re.Match) -> str:
        name, value = match.group(1), match.group(2)
        if name not in CLI_OPTIONS:
            return match.group(0)
        if not value or value == "True":
            return CLI_OPTIONS[name]
        return f"{CLI_OPTIONS[name]} {value.strip(chr(39))}"
    return _PARAMETER.sub(option, _BOTH.sub(r"\1", message))


def check_count(parameter: str, value: object, *, minimum: int = 1, maximum: int | None = None,
                error: type[InputError] = SettingsError) -> int:
    """A whole number (not a bool) in ``minimum..maximum``; else a TypeError (not a number) or
    ``error`` naming ``parameter``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{parameter}= must be a whole number, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        span = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise error(f"{parameter}= must be {span}, got {value}")
    return value


def check_jobs(jobs: object) -> int:
    """Parallel download connections: 1 to :data:`MAX_JOBS`."""
    return check_count("jobs", jobs, maximum=MAX_JOBS)


def check_workers(workers: object) -> int | None:
    """Analysis processes: None (one per CPU) or 1 or more."""
    return None if workers is None else check_count("workers", workers)


def check_number(parameter: str, value: object, *, positive: bool = True,
                 error: type[InputError] = SettingsError) -> float:
    """A finite real number, above 0 (``positive``) or at least 0; NaN and infinity refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{parameter}= must be a number, got {value!r}")
    if not math.isfinite(value) or (value <= 0 if positive else value < 0):
        raise error(f"{parameter}= must be a {'positive' if positive else 'non-negative'} "
                    f"finite number, got {value!r}")
    return value


def parse_figure_size(text: str | Sequence[float]) -> tuple[float, float]:
    """``"8x4.5"`` or ``(8, 4.5)`` (inches, width x height) -> ``(8.0, 4.5)``; each side 1 to
    50 inches."""
    size: tuple[float, float] | None = None
    if isinstance(text, str):
        width, sep, height = text.lower().replace("\u00d7", "x").partition("x")
        try:
            size = (float(width), float(height)) if sep else None
        except ValueError:
            size = None
        if size is None:
            raise PlotInputError(f"figsize= wants WIDTHxHEIGHT in inches (e.g. 8x4.5), got {text!r}")
    else:
        try:
            width, height = text
            size = (float(width), float(height))
        except (TypeError, ValueError):
            raise TypeError(f"figsize= must be (width, height) in inches, got {text!r}") from None
    low, high = FIGURE_INCHES
    if not all(low <= v <= high for v in size):
        raise PlotInputError(f"figsize= {size[0]:g}x{size[1]:g}: each side must be "
                             f"{low:g} to {high:g} inches")
    return size
