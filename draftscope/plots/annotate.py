"""Notes written into a keyword figure's axes where they overlap nothing.

:func:`annotate_jumps` writes each :class:`Explanation` (a jump and the sections behind it,
computed by :mod:`draftscope.plots.explain`) next to its point where it overlaps no line,
marker, tick label, legend or other note, measured on the drawn figure: candidate places
around the point, nearest first, and more headroom above the lines when none is free. Only
matplotlib here, so the keyword figure can call it without importing the analysis behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation

SECTIONS_SHOWN = 2
MAX_SECTION_LABEL = 30
ANNOTATION_GID = "explain"
_RADII = (18, 30, 45, 62, 82, 105, 135, 170, 210)      # points from the point explained
_DIRECTIONS = 16


@dataclass(frozen=True)
class Jump:
    """One step of a lineage where a phrase moved: the revisions before and after (name, rev),
    the position of the later one on the x axis, the value drawn there and the count change."""

    keyword: str
    old: tuple[str, str]
    new: tuple[str, str]
    position: int
    value: float
    delta: float          # of the value drawn (a count, or a normalised count)
    count_delta: int
    where: str = ""       # the later revision's tick text ("03", "RFC 9000")


@dataclass(frozen=True)
class Explanation:
    jump: Jump
    sections: tuple[tuple[str, int], ...]     # (section label, change of the phrase), largest first

def _short(label: str) -> str:
    return label if len(label) <= MAX_SECTION_LABEL else label[:MAX_SECTION_LABEL - 1].rstrip() + "\u2026"


def annotation_text(explanation: Explanation, shown: int = SECTIONS_SHOWN, *,
                    more: bool = True) -> str:
    """``"-03: +41 MUST"`` then the sections that moved it most, one a line."""
    jump = explanation.jump
    where = f"-{jump.where}" if jump.where.isdigit() else jump.where
    lines = [f"{where}: {jump.count_delta:+d} {jump.keyword}"]
    lines += [f"{_short(label)} {delta:+d}" for label, delta in explanation.sections[:shown]]
    rest = len(explanation.sections) - shown
    if rest > 0 and more:
        lines.append(f"+ {rest} more section{'s' if rest > 1 else ''}")
    return "\n".join(lines)


def _obstacles(ax: "Axes", renderer: Any, skip: Sequence[Any]) -> tuple[list, list]:
    """(paths in display space with their marker radius in pixels, boxes) to keep clear of."""
    fig = ax.figure
    paths = []
    for line in ax.lines:
        if line in skip or len(line.get_xdata()) == 0:
            continue
        path = line.get_transform().transform_path(line.get_path())
        radius = (line.get_markersize() / 2 * fig.dpi / 72) if line.get_marker() not in (None, "None", "", " ") else 0.0
        paths.append((path, radius + line.get_linewidth() * fig.dpi / 72 / 2))
    boxes = [label.get_window_extent(renderer) for label in ax.get_xticklabels() + ax.get_yticklabels()
             if label.get_visible() and label.get_text()]
    boxes += [t.get_window_extent(renderer) for t in ax.texts if t not in skip and t.get_visible()]
    legend = ax.get_legend()
    if legend is not None:
        boxes.append(legend.get_window_extent(renderer))
    boxes.append(ax.title.get_window_extent(renderer))
    return paths, boxes


def _box_of(note: "Annotation", renderer: Any):
    """The note's text with its rounded box (the box's pad is 0.3 of the font size), without
    the leader."""
    from matplotlib.text import Text

    pad = 0.3 * note.get_fontsize() * note.figure.dpi / 72 + 1.0
    note.update_positions(renderer)       # the text's place follows xyann only once updated
    return Text.get_window_extent(note, renderer).padded(pad)


def _clear(box, inside, paths, boxes, margin: float = 2.0) -> bool:
    from matplotlib.transforms import Bbox

    if box.x0 < inside.x0 + margin or box.x1 > inside.x1 - margin or \
            box.y0 < inside.y0 + margin or box.y1 > inside.y1 - margin:
        return False
    for path, radius in paths:
        grown = Bbox.from_extents(box.x0 - radius - margin, box.y0 - radius - margin,
                                  box.x1 + radius + margin, box.y1 + radius + margin)
        if path.intersects_bbox(grown, filled=False):
            return False
    return not any(box.overlaps(other) for other in boxes)


def _segment(note: "Annotation", renderer: Any, box, short: float = 0.0):
    """The leader from the note's box to its point as a display-space Path; ``short``: pixels
    left out at the point's end (where the leader meets its own line)."""
    from matplotlib.path import Path

    x, y = note.axes.transData.transform(note.xy)
    cx = min(max(x, box.x0), box.x1)
    cy = min(max(y, box.y0), box.y1)
    length = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    if short and length > short:
        x, y = x + (cx - x) * short / length, y + (cy - y) * short / length
    return Path([(cx, cy), (x, y)])


def _place(ax: "Axes", note: "Annotation", renderer: Any, paths, boxes, notes_boxes) -> bool:
    """The nearest free place whose leader crosses no line, else the nearest free place."""
    return (_place_once(ax, note, renderer, paths, boxes, notes_boxes, leader_clear=True)
            or _place_once(ax, note, renderer, paths, boxes, notes_boxes, leader_clear=False))


def _candidates(note: "Annotation", renderer: Any):
    """(dx, dy, ha, va, box) for each place around the point, nearest first, upwards first;
    the box is computed from the text's size, measured once."""
    import math

    from matplotlib.transforms import Bbox

    note.xyann = (0, 0)
    note.set_horizontalalignment("left")
    note.set_verticalalignment("bottom")
    size = _box_of(note, renderer)
    pad = 0.3 * note.get_fontsize() * note.figure.dpi / 72 + 1.0
    width, height = size.width - 2 * pad, size.height - 2 * pad
    x, y = note.axes.transData.transform(note.xy)
    scale = note.figure.dpi / 72
    for radius in _RADII:
        for k in range(_DIRECTIONS):
            turn = (k + 1) // 2 * (1 if k % 2 else -1)
            angle = math.pi / 2 + turn * 2 * math.pi / _DIRECTIONS
            dx, dy = radius * math.cos(angle), radius * math.sin(angle)
            ha = "left" if dx > 4 else "right" if dx < -4 else "center"
            va = "bottom" if dy > 4 else "top" if dy < -4 else "center"
            px, py = x + dx * scale, y + dy * scale
            x0 = px if ha == "left" else px - width if ha == "right" else px - width / 2
            y0 = py if va == "bottom" else py - height if va == "top" else py - height / 2
            yield dx, dy, ha, va, Bbox.from_bounds(x0, y0, width, height).padded(pad)


def _place_once(ax: "Axes", note: "Annotation", renderer: Any, paths, boxes, notes_boxes, *,
                leader_clear: bool) -> bool:
    inside = ax.get_window_extent(renderer)
    marker = max((radius for _, radius in paths), default=0.0) + 3.0
    for dx, dy, ha, va, box in _candidates(note, renderer):
        if not _clear(box, inside, paths, boxes) or any(
                _segment(note, renderer, box).intersects_bbox(other, filled=False)
                for other in notes_boxes):
            continue
        if leader_clear:
            leader = _segment(note, renderer, box, short=marker)
            if any(leader.intersects_path(path, filled=False) for path, _ in paths):
                continue
        note.set_horizontalalignment(ha)
        note.set_verticalalignment(va)
        note.xyann = (dx, dy)
        return True
    return False


def _variants(explanation: Explanation, *, bare: bool) -> list[str]:
    """The note's texts, longest first; ``bare``: down to the jump alone, without a section
    (only when more headroom did not help)."""
    texts = [annotation_text(explanation), annotation_text(explanation, more=False),
             annotation_text(explanation, 1, more=False)]
    if bare or not explanation.sections:
        texts.append(annotation_text(explanation, 0, more=False))
    return list(dict.fromkeys(texts))


def _place_all(ax: "Axes", explanations: Sequence[Explanation], to_x: Mapping[int, Any],
               fontsize: float, bare: bool) -> tuple[list, list]:
    """One try at placing every note on the axes as they are: (placed, not placed)."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    notes: list[Annotation] = []
    unplaced: list[Annotation] = []
    for explanation in explanations:
        jump = explanation.jump
        note = ax.annotate(
            annotation_text(explanation),
            xy=(ax.convert_xunits(to_x[jump.position]), jump.value),    # dates as numbers
            xytext=(0, 0), textcoords="offset points", fontsize=fontsize, color="0.15",
            multialignment="left",
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.55", "lw": 0.6},
            arrowprops={"arrowstyle": "-", "color": "0.35", "lw": 0.7, "shrinkA": 0,
                        "shrinkB": 2},
            annotation_clip=False, zorder=5)
        note.set_gid(ANNOTATION_GID)
        paths, boxes = _obstacles(ax, renderer, notes + unplaced + [note])
        notes_boxes = [_box_of(other, renderer) for other in notes]
        paths += [(_segment(other, renderer, b), 1.0) for other, b in zip(notes, notes_boxes)]
        for text in _variants(explanation, bare=bare):     # shorter texts when needed
            note.set_text(text)
            if _place(ax, note, renderer, paths, boxes + notes_boxes, notes_boxes):
                notes.append(note)
                break
        else:
            unplaced.append(note)
    return notes, unplaced


# (headroom added above the lines before the try, as a share of the y range; whether a note
# may lose its sections)
_TRIES = ((0.0, False), (0.0, True), (0.25, True), (0.25, True))


def annotate_jumps(ax: "Axes", explanations: Sequence[Explanation], to_x: Mapping[int, Any], *,
                   fontsize: float = 7.0) -> list["Annotation"]:
    """Write each explanation next to its point (see the module docstring); returns the notes.
    ``to_x`` maps a series position to its x value (revision position or date). A note that
    finds no free place even then is left out: never a note over a line."""
    notes: list = []
    for k, (headroom, bare) in enumerate(_TRIES):
        if headroom:
            low, high = ax.get_ylim()
            ax.set_ylim(low, high + (high - low) * headroom)
        notes, unplaced = _place_all(ax, explanations, to_x, fontsize, bare)
        last = k == len(_TRIES) - 1
        for note in unplaced if last else notes + unplaced:
            if unplaced:
                note.remove()
        if not unplaced or last:
            return notes
    return notes
