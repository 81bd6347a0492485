"""Definition history as a timeline: definitions (rows) across revisions (columns).

Each cell says what happened to a definition (a packet/frame format) at a revision: added (first
drawn), changed (fields added, removed, renamed, resized, retyped, given other values or flags,
or moved), redrawn (another notation, the same fields), removed, present unchanged, or absent.
Tidy data in (the definitions stage's ``history_frame``), Figure out; :func:`definition_grid` is
the pure step in between and exactly what is saved as CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from draftscope.analyses.definitions.model import revision_label
from draftscope.errors import NoDataError, PlotInputError
from draftscope.fetch.names import is_rfc
from draftscope.plots.lineage import lineage_steps, tick_label
from draftscope.plots.ticks import tick_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Cell states, in the order of the colour map (and the legend).
STATES = ("absent", "unchanged", "redrawn", "added", "changed", "removed")
STATE_COLOURS = {
    "absent": "#f7f7f7",
    "unchanged": "#c6cdd6",
    "redrawn": "#6baed6",     # a calm blue: the drawing changed, the protocol did not
    "added": "#2ca02c",
    "changed": "#ff9f1c",
    "removed": "#d62728",
}
STATE_LABELS = {"added": "added (first drawn)", "redrawn": "redrawn (same fields)"}


def definition_grid(
    history: "pd.DataFrame",
    *,
    definition: str | None = None,
    revisions: Sequence[str] | None = None,
    ignore_case: bool = False,
) -> "pd.DataFrame":
    """One row per (definition, revision) with its ``state`` (see :data:`STATES`).

    ``history`` has the columns of ``history_frame`` (``name, rev, definition, change`` and
    ``fields_added/removed/changed``; ``key`` identifies a definition across renames when
    present). Revisions without an event keep the previous state (present or absent), so a
    history that lists only changes gives the same grid as one that lists every revision.
    ``definition`` is a regular expression (case-sensitive unless ``ignore_case``) searched in
    every name and caption a definition went by and its key
    (:mod:`draftscope.analyses.definitions.pattern`). ``revisions`` fixes the columns (labels ``name-rev`` or ``rfcNNNN``).
    """
    import pandas as pd

    missing = {"name", "rev", "definition", "change"} - set(history.columns)
    if missing:
        raise PlotInputError(f"definitions history lacks column(s) {', '.join(sorted(missing))}")
    if history.empty:
        raise PlotInputError("no definitions found in any revision")
    events = history.copy()
    if "key" not in events.columns:
        events["key"] = events["definition"]
    events["label"] = [revision_label(n, r) for n, r in zip(events["name"], events["rev"])]
    for column in ("fields_added", "fields_removed", "fields_changed"):
        counts = events[column] if column in events.columns else 0
        events[column] = pd.Series(counts, index=events.index).fillna(0).astype(int)

    if definition:
        from draftscope.analyses.definitions.pattern import definition_pattern

        pattern = definition_pattern(definition, ignore_case=ignore_case)
        captions = events["caption"] if "caption" in events.columns else [""] * len(events)
        names = list(zip(events["key"], events["definition"], captions))
        keys = pattern.matching_keys(names)
        if not keys:
            # no data rather than a usage mistake (exit 1, as history, draw and story say it)
            shown = len(revisions) if revisions is not None else events["label"].nunique()
            raise pattern.no_match("", within=f" in {shown} revisions",
                                   would_match_ignoring_case=bool(pattern.folded().matching_keys(names)))
        events = events[events["key"].isin(keys)]

    columns = list(revisions) if revisions is not None else list(dict.fromkeys(events["label"]))
    names = {label: (n, r) for label, n, r in zip(events["label"], events["name"], events["rev"])}
    by_cell = {(k, label): row for k, label, row in zip(
        events["key"], events["label"], events.itertuples(index=False))}
    keys_in_order = list(dict.fromkeys(events["key"]))

    rows = []
    for key in keys_in_order:
        present = False
        display = key
        for label in columns:
            event = by_cell.get((key, label))
            state = ("unchanged" if present else "absent") if event is None else event.change
            if state not in STATES:
                raise PlotInputError(f"unknown change {state!r} for {key} in {label}")
            if event is not None and state != "removed":
                display = event.definition
            present = state in ("added", "changed", "redrawn", "unchanged")
            name, rev = names.get(label, _split_label(label))
            rows.append({
                "key": key, "definition": display, "name": name, "rev": rev, "label": label,
                "state": state,
                "fields_added": event.fields_added if event is not None else 0,
                "fields_removed": event.fields_removed if event is not None else 0,
                "fields_changed": event.fields_changed if event is not None else 0,
            })
    grid = pd.DataFrame(rows)
    # a row is shown under the last name the definition went by
    last_name = grid[grid["state"] != "absent"].groupby("key", sort=False)["definition"].last()
    grid["definition"] = grid["key"].map(last_name).fillna(grid["definition"])
    return grid


def _split_label(label: str) -> tuple[str, str]:
    if is_rfc(label):
        return label, label
    name, _, rev = label.rpartition("-")
    return name, rev


def plot_definitions(
    history: "pd.DataFrame",
    *,
    definition: str | None = None,
    revisions: Sequence[str] | None = None,
    title: str | None = None,
    ax: "Axes | None" = None,
    ignore_case: bool = False,
    figsize: tuple[float, float] | None = None,
    style: str | None = None,
) -> "Figure":
    """Timeline of definitions across a lineage: one row each, one column per revision.
    ``figsize`` in inches (default 8 wide, a row's height per definition); the revision labels
    are chosen for the axes' real width, none touching, all inside the axes. In the caller's
    rcParams unless ``style="house"`` (the CLI's look); the state colours are the figure's
    meaning and stay fixed."""
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from draftscope.plots.style import check_style, new_figure, plot_style

    grid = definition_grid(history, definition=definition, revisions=revisions,
                           ignore_case=ignore_case)
    labels = list(dict.fromkeys(grid["label"]))
    keys = list(dict.fromkeys(grid["key"]))
    codes = grid["state"].map({s: i for i, s in enumerate(STATES)}).to_numpy()
    matrix = codes.reshape(len(keys), len(labels))
    row_names = list(grid.drop_duplicates("key")["definition"])
    columns = grid.drop_duplicates("label")
    # the RFC's label stacked (RFC over 9000): on one line it is three columns wide and
    # sticks out past the last one
    tick_text = [tick_label(n, r).replace(" ", "\n", 1) if is_rfc(n) else tick_label(n, r)
                 for n, r in zip(columns["name"], columns["rev"])]

    style = check_style(style)
    with plot_style(style):
        if ax is None:
            height = min(30.0, max(3.0, 0.22 * len(keys) + 1.6))
            fig, ax = new_figure(figsize=figsize or (8.0, height))
        else:
            fig = ax.figure
        cmap = ListedColormap([STATE_COLOURS[s] for s in STATES])
        norm = BoundaryNorm(np.arange(-0.5, len(STATES)), cmap.N)
        mesh = ax.pcolormesh(matrix, cmap=cmap, norm=norm, edgecolors="white", linewidth=0.5)
        mesh.set_gid("definition-grid")
        ax.set_yticks(np.arange(len(keys)) + 0.5, row_names, fontsize="x-small")
        ax.invert_yaxis()
        steps = lineage_steps(columns.assign(position=range(len(columns))))
        ax.set_xticks(np.arange(len(labels)) + 0.5, minor=True)
        _revision_ticks(ax, tick_text, steps, width_in=6.0)
        for step in steps[1:]:
            line = ax.axvline(step.position, color="0.2", linestyle=":", linewidth=1.2)
            line.set_gid("lineage-step")
        ax.grid(False)
        ax.set_xlabel("Draft version")
        ax.set_ylabel("")
        lineage = [n for n in dict.fromkeys(columns["name"]) if not is_rfc(n)]
        ax.set_title(title if title is not None else
                     f"Definitions in {lineage[-1] if lineage else labels[-1]}")
        handles = [Patch(facecolor=STATE_COLOURS[s], edgecolor="0.6", label=STATE_LABELS.get(s, s))
                   for s in STATES]
        if steps[1:]:     # the dotted line, as the keyword figures name it
            handles.append(Line2D([], [], color="0.2", linestyle=":", linewidth=1.2,
                                  label="name change"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  fontsize="small")
        fit_revision_ticks(fig, ax, tick_text, steps)
    return fig


def _revision_ticks(ax: "Axes", tick_text: Sequence[str], steps, *, width_in: float) -> None:
    """Labelled ticks for an axes ``width_in`` inches wide (a budget of 3.2 labels an inch;
    :func:`fit_revision_ticks` lowers it while labels touch)."""
    kept = tick_positions(tick_text, steps, max(2, int(width_in * 3.2)))
    ax.set_xticks([p + 0.5 for p in kept], [tick_text[p] for p in kept])


def fit_revision_ticks(fig: "Figure", ax: "Axes", tick_text: Sequence[str], steps) -> None:
    """Choose the revision labels for the axes' real width (after the layout: the definitions'
    names take a varying share of the figure), fewer while two touch, then keep the first and
    last inside the axes (:func:`keep_tick_labels_inside`)."""
    if fig.get_layout_engine() is None:
        return
    renderer = fig.canvas.get_renderer()
    fig.get_layout_engine().execute(fig)
    width_in = ax.get_window_extent(renderer).width / fig.dpi
    for _attempt in range(8):
        _revision_ticks(ax, tick_text, steps, width_in=width_in)
        extents = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        if all(b.x0 - a.x1 >= 4 for a, b in zip(extents, extents[1:])):
            break
        width_in *= 0.85
    keep_tick_labels_inside(fig, ax)


def keep_tick_labels_inside(fig: "Figure", ax: "Axes") -> None:
    """Widen the x axis until the first and last tick labels end inside the axes (each is
    centred on its column; the RFC's, the widest, would stick out past the last one)."""
    if fig.get_layout_engine() is None:
        return
    renderer = fig.canvas.get_renderer()
    for _attempt in range(3):
        fig.get_layout_engine().execute(fig)
        box = ax.get_window_extent(renderer)
        extents = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        if not extents:
            return
        left_over = max(0.0, box.x0 - min(e.x0 for e in extents))
        right_over = max(0.0, max(e.x1 for e in extents) - box.x1)
        if not left_over and not right_over:
            return
        left, end = ax.get_xlim()
        per_pixel = (end - left) / box.width
        ax.set_xlim(left - (left_over + 2) * per_pixel * bool(left_over),
                    end + (right_over + 2) * per_pixel * bool(right_over))
