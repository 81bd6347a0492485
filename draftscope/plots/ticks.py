"""Which revisions of a lineage get a labelled tick: chosen from the real text widths (at draw
time, from the axes' real width), so labels never touch at any figure size, the first and last
revision and every name change are labelled, and no stretch is left without a label.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable, Sequence

from draftscope.plots.lineage import LineageStep

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

# Room between two tick labels, in multiples of the label font's size (1 em).
_TICK_GAP_EM = 1.0


def fitting_tick_positions(widths: Sequence[float], anchors: Sequence[int] = (), *,
                   gap: float = 0.0) -> list[int]:
    """Which revisions get a tick label so that no two labels touch and none leaves a hole.

    ``widths`` are the labels' widths and ``gap`` the room wanted between two labels, both in
    revisions (x data units; a label more than twice the typical width gets twice the gap).
    The first and the last revision are always labelled, then the ``anchors`` (first revisions
    of each name, the last draft before the RFC) where they fit. Between two labelled revisions,
    every ``stride``-th one (the smallest of 1, 2, 3, 5, 10, ... at which typical labels fit)
    counted from the earlier while it fits; where that leaves a hole of two strides or more
    before the later (the grid meeting the RFC), the tail of the grid is spread evenly instead.
    """
    n = len(widths)
    if n == 0:
        return []
    kept: list[int] = []
    typical = sorted(widths)[len(widths) // 2]

    def air(p: int, k: int) -> float:
        # a wide label (RFC 9000 among two-digit revisions) gets twice the air: a narrow gap
        # next to it reads as one label "30 RFC 9000"
        return gap * (2.0 if max(widths[p], widths[k]) > 2 * typical else 1.0)

    def clear(p: int, k: int) -> bool:
        return abs(p - k) >= (widths[p] + widths[k]) / 2 + air(p, k)

    def fits(p: int, among: Iterable[int] = ()) -> bool:
        return all(clear(p, k) for k in [*kept, *among] if k != p)

    kept.append(n - 1)
    if n > 1:
        kept.append(0)   # the first and the last revision are labelled whatever their room
    for p in anchors:
        if 0 <= p < n and p not in kept and fits(p):
            kept.append(p)
    stride = next(s for s in _strides() if s >= typical + gap)
    bounds = sorted(kept)
    for a, b in zip(bounds, bounds[1:]):
        kept.extend(_fill_between(a, b, stride, fits))
    return sorted(kept)


def _fill_between(a: int, b: int, stride: int, fits) -> list[int]:
    """Labels strictly between labelled ``a`` < ``b``: the stride grid from ``a`` (27, 30, RFC
    9000, not 27, 31), its tail respaced up to ``b`` only if it leaves a hole of two strides."""
    grid: list[int] = []
    for p in range(a + stride, b, stride):
        if not fits(p, grid):
            break
        grid.append(p)

    def widest(placed: list[int]) -> int:
        edges = [a, *placed, b]
        return max(y - x for x, y in zip(edges, edges[1:]))

    best: list[int] | None = None
    for j in range(len(grid), -1, -1):          # the most grid labels first
        head = grid[:j]
        start = head[-1] if head else a
        options = [head] if j == len(grid) else []
        # spread evenly up to ``b``, or up to the last revision that keeps clear of ``b``
        # (a wide RFC label) and then that one
        last = next((p for p in range(b - 1, start, -1) if fits(p, head)), None)
        ends = [(b, [])] + ([(last, [last])] if last is not None else [])
        for end, extra in ends:
            length = end - start
            for parts in {max(1, math.ceil(length / stride)), max(1, math.ceil(length / stride) - 1)}:
                tail = sorted({start + round(i * length / parts) for i in range(1, parts)}) + extra
                if all(fits(p, head + tail) for p in tail):
                    options.append(head + tail)
        for placed in options:
            if widest(placed) < 2 * stride:
                return placed
            if best is None or widest(placed) < widest(best):
                best = placed
    return best if best is not None else []


def _strides():
    yield from (1, 2, 3, 4, 5)
    scale = 10
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def tick_positions(labels: Sequence[str], steps: Sequence[LineageStep], max_labels: int) -> list[int]:
    """Which revisions get a tick label, from a label budget (``max_labels`` across the axis):
    the rule of a fixed-width axis such as the definitions timeline's, whose real width is not
    known here. Keyword figures measure the real labels at draw time instead.

    A label's room: a stride for two characters a line, two for four (the RFC's stacked), else
    three; then :func:`fitting_tick_positions` chooses: first and last, each name's first
    revision and the last draft before its RFC where they fit, the stride grid between.
    """
    n = len(labels)
    if n == 0:
        return []
    stride = max(1, math.ceil(n / max(1, max_labels)))
    chars = [max(map(len, label.split("\n"))) for label in labels]   # of the longest line
    rooms = [stride * (1.0 if c <= 2 else 2.0 if c <= 4 else 3.0) for c in chars]
    anchors = [s.position for s in steps]
    if n > 2 and labels[-1].startswith("RFC") and not labels[-2].startswith("RFC"):
        anchors.append(n - 2)
    return fitting_tick_positions(rooms, anchors)


class _RevisionLocator:
    """Chooses, at draw time, which revisions get a labelled tick: from the axes' real width
    and the labels' real text widths, so labels never touch at any figure size."""

    def __init__(self, labels: Sequence[str], anchors: Sequence[int]) -> None:
        self.labels = list(labels)
        self.anchors = list(anchors)
        self.texts = {i: label for i, label in enumerate(self.labels)}
        import matplotlib as mpl
        from matplotlib.font_manager import FontProperties

        # the tick labels' font as the house style sets it while the figure is drawn
        self.prop = FontProperties(size=mpl.rcParams["xtick.labelsize"])
        self._widths: dict[str, float] = {}

    def positions(self, ax: "Axes") -> list[int]:
        size = self.prop.get_size_in_points()
        lo, hi = ax.get_xlim()
        width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72.0
        per_unit = width_pt / max(hi - lo, 1e-9)   # points per revision
        gap = _TICK_GAP_EM * size / per_unit

        one_line = list(self.labels)
        anchors = list(self.anchors)
        if len(one_line) > 2 and one_line[-1].startswith("RFC ") and not one_line[-2].startswith("RFC "):
            anchors.append(len(one_line) - 2)   # the last draft, right before its RFC
        stacked = [t.replace(" ", "\n", 1) if t.startswith("RFC ") else t for t in self.labels]
        best = fitting_tick_positions([self._width(t) / per_unit for t in one_line], anchors, gap=gap)
        self.texts = dict(enumerate(one_line))
        if stacked != one_line:
            alternative = fitting_tick_positions([self._width(t) / per_unit for t in stacked],
                                                 anchors, gap=gap)
            if len(alternative) > len(best):
                best, self.texts = alternative, dict(enumerate(stacked))
        return best

    def _width(self, text: str) -> float:
        """Width of a (possibly two-line) tick label in points, measured once per text."""
        if text not in self._widths:
            from matplotlib.textpath import text_to_path

            self._widths[text] = max(
                text_to_path.get_text_width_height_descent(line, self.prop, ismath=False)[0]
                for line in text.split("\n"))
        return self._widths[text]


def _revision_ticks(ax: "Axes", series: "pd.DataFrame", steps: Sequence[LineageStep]) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, Locator

    revisions = series.drop_duplicates("position").sort_values("position")
    labels = list(revisions["label"])
    chooser = _RevisionLocator(labels, [s.position for s in steps])

    class Major(Locator):
        def __call__(self):
            return chooser.positions(self.axis.axes)

    ax.xaxis.set_major_locator(Major())
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _pos: chooser.texts.get(int(round(value)), "")))
    ax.xaxis.set_minor_locator(FixedLocator(range(len(labels))))
    ax.set_xlim(-0.7, len(labels) - 0.3)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.tick_params(axis="x", which="major", length=5)
    ax.grid(False, axis="x", which="minor")
