"""Labels fitted to their room: a field's name wrapped and shrunk into its box (or replaced by a
numbered callout), titles and captions wrapped to a width. Measured with
:func:`draftscope.plots.fonts.text_width`; no drawing here."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from draftscope.outputs.layout import join_details
from draftscope.plots.fonts import FONT, text_width

PT = 1 / 72                        # inches per point
LINE_SPACING = 1.2


def _wrap_words(text: str, lines: int) -> list[str] | None:
    """``text`` in ``lines`` lines of balanced width (by words), or None if it has fewer words."""
    words = text.split()
    if lines == 1:
        return [" ".join(words)]
    if len(words) < lines:
        return None
    best = None
    width = max(1, math.ceil(len(" ".join(words)) / lines))
    for w in range(width, len(text) + 1):
        wrapped = textwrap.wrap(" ".join(words), w, break_long_words=False, break_on_hyphens=True)
        if len(wrapped) <= lines:
            best = wrapped
            break
    return best


@dataclass(frozen=True)
class FittedLabel:
    """A label as it will be drawn: lines and size, or a numbered callout."""

    lines: tuple[str, ...]       # name lines then the detail line (if any)
    size: float
    detail_lines: int            # how many of the last lines are the (smaller, grey) detail
    callout: int | None = None   # the number drawn instead of the label (explained in the key)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def fit_label(name: str, details: Sequence[tuple[str, bool]], width_pt: float, height_pt: float,
              *, sizes: Sequence[float] = (9.0, 8.0, 7.0), family: str = FONT) -> FittedLabel | None:
    """The largest readable label for a box ``width_pt`` x ``height_pt``: ``name`` wrapped over
    up to three lines, then the ``details`` (``(text, required)``: size, value, old name...) on a
    smaller line; details not required are dropped first when room is short. None when even
    the smallest size does not fit (the caller numbers the box and explains it in a key)."""
    pad = 3.0
    avail_w, avail_h = width_pt - 2 * pad, height_pt - 2 * pad
    every = [text for text, _required in details]
    required = [text for text, needed in details if needed]
    choices = [every] + ([required] if required != every else [])
    for size in sizes:
        small = size - 1.0
        for chosen in choices:
            detail = join_details(chosen)
            for n in (1, 2, 3):
                wrapped = _wrap_words(name, n)
                if wrapped is None:
                    break
                lines = list(wrapped)
                height = len(lines) * size * LINE_SPACING
                detail_lines: list[str] = []
                if detail:
                    detail_lines = [detail]
                    if text_width(detail, small, family=family) > avail_w:
                        detail_lines = _wrap_words(detail, 2) or [detail]
                    height += len(detail_lines) * small * LINE_SPACING
                if height > avail_h:
                    break
                widths = [text_width(line, size, family=family) for line in lines]
                widths += [text_width(line, small, family=family) for line in detail_lines]
                if max(widths) <= avail_w:
                    return FittedLabel(tuple(lines + detail_lines), size, len(detail_lines))
    return None


def fit_lines(text: str, size: float, width: float, max_lines: int = 3,
              weight: str = "normal") -> list[str]:
    """``text`` wrapped (by words) to ``width`` inches at ``size`` pt, at most ``max_lines``
    (the last cut with an ellipsis); a word longer than a line is cut too."""
    def fits(line: str) -> bool:
        return text_width(line, size, weight) * PT <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    cut = len(lines) > max_lines or any(not fits(line) for line in lines[:max_lines])
    lines = lines[:max_lines]
    if cut and lines:
        last = lines[-1]
        while last and not fits(last + " …"):
            last = last.rsplit(" ", 1)[0] if " " in last.strip() else last[:-1]
        lines[-1] = last.rstrip() + " …"
        lines = [line if fits(line) else _cut(line, size, width, weight) for line in lines]
    return lines or [""]


def _cut(line: str, size: float, width: float, weight: str) -> str:
    while line and text_width(line + "…", size, weight) * PT > width:
        line = line[:-1]
    return line + "…"
