"""Section churn across a lineage as a heatmap: sections (rows) by revisions (columns).

Each cell is one section at one revision step, coloured by the share of its words that changed
(words added plus removed over words before plus after, subsections counted in their section at
``depth``); a section added, removed or renamed at that step is marked. Rows follow the last
revision's order, removed sections stay where they were. :func:`changes_grid` turns the tidy
``changes_frame`` into the drawn data (saved as the figure's CSV); :func:`plot_changes` draws it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from draftscope.errors import PlotInputError
from draftscope.fetch.names import is_rfc
from draftscope.plots.keywords import lineage_steps, tick_label, tick_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

# Marks drawn in a cell, by the change of the row's own section at that step.
MARKS = {"added": "+", "removed": "\u2212", "renamed": "R"}
MARK_NAMES = {"added": "+ added", "removed": "\u2212 removed", "renamed": "R renamed"}
GRID_COLUMNS = ("row", "section", "name", "rev", "label", "share_changed", "words_changed",
                "words", "mark")
_NUMBER = re.compile(r"^((?:\d+|[A-Z])(?:\.\d+)*)\s")
MAX_ROW_LABEL = 34


def _number(label: str) -> str:
    match = _NUMBER.match(label or "")
    return match.group(1) if match else ""


def _ancestor(numbers: dict[str, int], number: str, depth: int) -> int | None:
    """Index of the section numbered like ``number`` cut to ``depth`` parts, if there is one."""
    if not number or number.count(".") < depth:
        return None
    return numbers.get(".".join(number.split(".")[:depth]))


def _present(value: Any) -> bool:
    """A section index that is there (not None, NaN or pandas' NA)."""
    import pandas as pd

    return not pd.isna(value)


def _tracks(frame: "pd.DataFrame", steps: list[tuple[str, str]]) -> dict[tuple[str, int], int]:
    """A row id for every (revision label, section index): one id through a section's life."""
    track: dict[tuple[str, int], int] = {}
    count = 0
    for old, new in steps:
        rows = frame[(frame["from"] == old) & (frame["to"] == new)]
        for i_from, i_to in zip(rows["index_from"], rows["index_to"]):
            if _present(i_from) and (old, int(i_from)) not in track:
                track[(old, int(i_from))] = count
                count += 1
            if _present(i_to):
                if _present(i_from):
                    track[(new, int(i_to))] = track[(old, int(i_from))]
                else:
                    track[(new, int(i_to))] = count
                    count += 1
    return track


def _section_numbers(frame: "pd.DataFrame") -> dict[str, dict[str, int]]:
    """Per revision label, section number -> index, from every row that names the revision."""
    numbers: dict[str, dict[str, int]] = {}
    for side in ("from", "to"):
        for label, section, index in zip(frame[side], frame[f"section_{side}"], frame[f"index_{side}"]):
            if _present(index) and _number(section):
                numbers.setdefault(label, {})[_number(section)] = int(index)
    return numbers


def changes_grid(frame: "pd.DataFrame", *, depth: int = 1) -> "pd.DataFrame":
    """One row per (section, revision step): :data:`GRID_COLUMNS`. ``frame`` is
    ``changes_frame``'s (every section, unchanged ones included); subsections deeper than
    ``depth`` count in their enclosing section."""
    import pandas as pd

    if frame.empty:
        raise PlotInputError("no section changes to draw (fewer than two revisions?)")
    steps = list(dict.fromkeys(zip(frame["from"], frame["to"])))
    track = _tracks(frame, steps)
    cells: dict[tuple[int, str], dict[str, Any]] = {}
    order: dict[str, list[int]] = {}
    labels: dict[int, str] = {}
    numbers = _section_numbers(frame)
    for old, new in steps:
        rows = frame[(frame["from"] == old) & (frame["to"] == new)]
        for r in rows.itertuples(index=False):
            side = "to" if _present(r.index_to) else "from"
            label = new if side == "to" else old
            index = int(getattr(r, f"index_{side}"))
            section = getattr(r, f"section_{side}")
            top = _ancestor(numbers.get(label, {}), _number(section), depth)
            own = top is None or top == index
            key = (label, top if top is not None else index)
            if key not in track:       # a part split off at this step: its own row from here
                track[key] = max(track.values(), default=-1) + 1
            row = track[key]
            cell = cells.setdefault((row, new), {"changed": 0, "words": 0, "mark": ""})
            cell["changed"] += r.words_added + r.words_removed
            cell["words"] += r.words_before + r.words_after
            if own:
                cell["mark"] = r.change if r.change in MARKS else ""
                if side == "to":
                    labels[row] = section
                else:
                    labels.setdefault(row, section)
                order.setdefault(new, [])
                if side == "to":
                    order[new].append(row)
        if not order.get(new):
            order[new] = []
    rows_in_order = _row_order([sorted(set(order[new]), key=order[new].index) for _, new in steps],
                               [(row, rev) for (row, rev) in cells])
    names = dict(zip(frame["to"], zip(frame["name"], frame["rev"])))
    out = []
    for row in rows_in_order:
        for _, new in steps:
            cell = cells.get((row, new))
            name, rev = names[new]
            if cell is None:
                out.append({"row": row, "section": labels[row], "name": name, "rev": rev,
                            "label": new, "share_changed": None, "words_changed": 0,
                            "words": 0, "mark": ""})
                continue
            share = 1.0 if cell["mark"] in ("added", "removed") else (
                cell["changed"] / cell["words"] if cell["words"] else 0.0)
            out.append({"row": row, "section": labels[row], "name": name, "rev": rev,
                        "label": new, "share_changed": round(share, 4),
                        "words_changed": cell["changed"], "words": cell["words"],
                        "mark": cell["mark"]})
    return pd.DataFrame(out, columns=list(GRID_COLUMNS))


def _row_order(orders: list[list[int]], cells: list[tuple[int, str]]) -> list[int]:
    """The last revision's rows in order; a row gone before it goes after the row that
    preceded it where it was last seen."""
    result = list(orders[-1]) if orders else []
    for order in reversed(orders[:-1]):
        for k, row in enumerate(order):
            if row in result:
                continue
            before = next((order[j] for j in range(k - 1, -1, -1) if order[j] in result), None)
            result.insert(result.index(before) + 1 if before is not None else 0, row)
    for row, _ in cells:          # removed at the first step: never a "to" section
        if row not in result:
            result.append(row)
    return result


def _short(label: str) -> str:
    return label if len(label) <= MAX_ROW_LABEL else label[:MAX_ROW_LABEL - 1].rstrip() + "\u2026"


def plot_changes(grid: "pd.DataFrame", *, title: str | None = None, xlabel: str | None = None,
                 figsize: tuple[float, float] | None = None) -> "Figure":
    """Draw :func:`changes_grid`'s cells: colour = share of words changed, marks for added,
    removed and renamed sections. Text sizes follow the cell size, so no label overlaps
    another at any ``figsize`` (rows and columns that cannot all be labelled are thinned)."""
    import numpy as np

    from draftscope.plots.style import figure_style, new_figure

    rows = list(dict.fromkeys(grid["row"]))
    columns = grid.drop_duplicates("label")
    n_rows, n_cols = len(rows), len(columns)
    matrix = grid["share_changed"].astype(float).to_numpy().reshape(n_rows, n_cols)
    marks = grid["mark"].to_numpy().reshape(n_rows, n_cols)
    row_labels = [_short(s) for s in grid.drop_duplicates("row")["section"]]
    ticks = [tick_label(n, r) for n, r in zip(columns["name"], columns["rev"])]
    if figsize is None:
        figsize = (8.0, min(24.0, max(3.5, 0.2 * n_rows + 1.8)))
    with figure_style():
        fig, ax = new_figure(figsize)
        cmap = _colour_map()
        mesh = ax.pcolormesh(np.ma.masked_invalid(matrix), cmap=cmap, vmin=0, vmax=1,
                             edgecolors="white", linewidth=0.4)
        mesh.set_gid("changes-grid")
        ax.set_facecolor("#f4f4f4")
        ax.invert_yaxis()
        ax.grid(False)
        ax.set_xlim(0, n_cols)
        ax.set_ylim(n_rows, 0)
        name = next((n for n in columns["name"] if not is_rfc(str(n))), columns["name"].iloc[-1])
        ax.set_title(title if title is not None else f"Section changes in {name}", fontsize="medium")
        ax.set_xlabel(xlabel if xlabel is not None else "Revision (changes since the previous one)",
                      fontsize="small")
        bar = fig.colorbar(mesh, ax=ax, shrink=min(1.0, 6.0 / max(figsize[1], 1)), pad=0.01,
                           aspect=30)
        bar.set_label("share of the section's words changed", fontsize="x-small")
        bar.ax.tick_params(labelsize="x-small")
        _label_axes(fig, ax, row_labels, ticks, columns)
        _draw_marks(fig, ax, marks, matrix)
        _mark_legend(ax, marks)
    return fig


def _colour_map():
    import matplotlib as mpl

    return mpl.colormaps["rocket_r"] if "rocket_r" in mpl.colormaps else mpl.colormaps["viridis_r"]


def _cell_points(fig, ax, n_rows: int, n_cols: int) -> tuple[float, float]:
    """(width, height) of one cell in points, from the laid-out axes."""
    fig.canvas.draw()   # settle the constrained layout
    box = ax.get_window_extent()
    scale = 72.0 / fig.dpi
    return box.width * scale / max(n_cols, 1), box.height * scale / max(n_rows, 1)


def _label_axes(fig, ax, row_labels: list[str], ticks: list[str], columns) -> None:
    import numpy as np

    n_rows, n_cols = len(row_labels), len(ticks)
    cell_w, cell_h = _cell_points(fig, ax, n_rows, n_cols)
    size = max(3.5, min(8.0, cell_h * 0.8))
    every = 1 if cell_h * 1.05 >= size else int(np.ceil(size * 1.15 / cell_h))
    kept_rows = list(range(0, n_rows, every))
    ax.set_yticks([k + 0.5 for k in kept_rows], [row_labels[k] for k in kept_rows], fontsize=size)
    steps = lineage_steps(columns.assign(position=range(n_cols)))
    tick_size = 7.0
    budget = max(2, int(cell_w * n_cols / (tick_size * 2.6)))
    kept = tick_positions(ticks, steps, budget)
    ax.set_xticks([p + 0.5 for p in kept], [ticks[p] for p in kept], fontsize=tick_size)
    ax.tick_params(axis="both", length=0, pad=2)
    for step in steps[1:]:
        line = ax.axvline(step.position, color="0.2", linestyle=":", linewidth=1.0)
        line.set_gid("lineage-step")
    _thin_overlapping(fig, ax)


def _thin_overlapping(fig, ax) -> None:
    """Drop x tick labels that would touch their neighbour (measured, after layout)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    last = None
    for label in ax.get_xticklabels():
        if not label.get_text():
            continue
        box = label.get_window_extent(renderer)
        if last is not None and box.x0 < last.x1 + 2:
            label.set_visible(False)
            continue
        last = box


def _draw_marks(fig, ax, marks, matrix) -> None:
    n_rows, n_cols = marks.shape
    cell_w, cell_h = _cell_points(fig, ax, n_rows, n_cols)
    size = min(cell_w, cell_h) * 0.75
    if size < 3.0:
        return   # cells too small to hold a glyph: the legend says so
    for i in range(n_rows):
        for j in range(n_cols):
            mark = marks[i, j]
            if not mark:
                continue
            value = matrix[i, j]
            dark = value == value and value > 0.55
            text = ax.text(j + 0.5, i + 0.5, MARKS[mark], ha="center", va="center",
                           fontsize=size, color="white" if dark else "0.1", fontweight="bold")
            text.set_gid(f"mark:{mark}")


def _mark_legend(ax, marks) -> None:
    from matplotlib.lines import Line2D

    present = [m for m in MARKS if (marks == m).any()]
    if not present:
        return
    handles = [Line2D([], [], linestyle="none", marker=f"${MARKS[m]}$", color="0.1", markersize=6,
                      label=MARK_NAMES[m].split(" ", 1)[1]) for m in present]
    # below everything, in room the constrained layout makes for it
    legend = ax.figure.legend(handles=handles, loc="outside lower right", ncols=len(handles),
                              frameon=False, fontsize="x-small", handletextpad=0.2,
                              columnspacing=1.0)
    legend.set_gid("marks-legend")
