"""A working group's documents over time: one row per lineage (the MPTCP post's opening figure).

Tidy data in (:func:`draftscope.tables.timeline.timeline_frame`: ``row, lineage, name, kind,
rev, date, rfc, status``), Figure out. Each lineage is a bar from its first revision (the
individual draft the group adopted, drawn lighter on the same row) to its RFC or its last
revision, with a tick per revision; the RFC is a diamond, and the end of the row says the RFC
number and status ("RFC 9000 · Proposed Standard", "no RFC · status unknown"). The lineage's name
reads above its bar, inside the axes. Rows run from the earliest start at the top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from draftscope.errors import PlotInputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

KIND_COLOURS = {"individual": "#9aa5b1", "wg": "#1f77b4", "rfc": "#2ca02c"}
KIND_LABELS = {"individual": "individual draft", "wg": "working-group draft", "rfc": "RFC"}
ROW_GID = "group-row"          # gid prefix of a row's bar segments: "group-row:<row>:<kind>"
END_GID = "group-end"          # the RFC number and status at a row's end
NAME_GID = "group-name"        # the lineage's name above its bar


def end_text(rows: "pd.DataFrame") -> str:
    """``RFC 9000 · Proposed Standard`` / ``no RFC · status unknown`` for one row's points."""
    rfc = rows["rfc"].dropna()
    status = str(rows["status"].iloc[0]) if len(rows) else "unknown"
    label = f"RFC {str(rfc.iloc[0])[3:]}" if len(rfc) else "no RFC"
    return f"{label} \u00b7 {'status unknown' if status == 'unknown' else status}"


def plot_group(frame: "pd.DataFrame", *, title: str | None = None,
               figsize: tuple[float, float] | None = None, ax=None) -> "Figure":
    """Draw a working group's lineages over time (see the module docstring)."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    from draftscope.plots.style import figure_style, new_figure

    missing = {"row", "lineage", "name", "kind", "date", "rfc", "status"} - set(frame.columns)
    if missing:
        raise PlotInputError(f"a group timeline needs column(s) {', '.join(sorted(missing))}")
    data = frame.dropna(subset=["date"])
    if data.empty:
        raise PlotInputError("no dated revision to draw")
    data = data.assign(date=data["date"].dt.tz_convert(None) if data["date"].dt.tz is not None
                       else data["date"])
    rows = sorted(data["row"].unique())
    with figure_style():
        if ax is None:
            fig, ax = new_figure(figsize or (8.0, 1.2 + 0.55 * len(rows)))
        else:
            fig = ax.figure
        ends = []
        for row in rows:
            points = data[data["row"] == row].sort_values("date")
            y = float(row)
            dates = list(points["date"])
            kinds = list(points["kind"])
            for (d0, k0), (d1, _k1) in zip(zip(dates, kinds), zip(dates[1:], kinds[1:])):
                ax.plot([d0, d1], [y, y], color=KIND_COLOURS.get(k0, "0.5"), linewidth=5,
                        solid_capstyle="butt", gid=f"{ROW_GID}:{row}:{k0}")
            drafts = points[points["kind"] != "rfc"]
            for kind, part in drafts.groupby("kind"):
                ax.plot(part["date"], [y] * len(part), linestyle="none", marker="|",
                        markersize=11, markeredgewidth=1.1, color="0.15",
                        gid=f"revision-ticks:{row}:{kind}")
            rfc = points[points["kind"] == "rfc"]
            if len(rfc):
                ax.plot(rfc["date"], [y] * len(rfc), linestyle="none", marker="D", markersize=8,
                        color=KIND_COLOURS["rfc"], markeredgecolor="white", gid=f"rfc:{row}")
            name = ax.annotate(str(points["lineage"].iloc[0]), xy=(dates[0], y),
                               xytext=(0, 7), textcoords="offset points", ha="left",
                               va="bottom", fontsize="small")
            name.set_gid(f"{NAME_GID}:{row}")
            end = ax.annotate(end_text(points), xy=(dates[-1], y), xytext=(8, 0),
                              textcoords="offset points", ha="left", va="center",
                              fontsize="small", fontweight="bold" if len(rfc) else "normal")
            end.set_gid(f"{END_GID}:{row}")
            ends.append(end)
        ax.set_ylim(len(rows) - 0.4, -0.9)
        ax.set_yticks([])
        ax.grid(False, axis="y")
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        acronym = _acronym(data)
        ax.set_title(title if title is not None else
                     f"{acronym + ' working group' if acronym else 'Working group'}: "
                     f"{len(rows)} lineage{'s' if len(rows) != 1 else ''}, first revision to RFC")
        kinds = [k for k in KIND_COLOURS if k in set(data["kind"])]
        handles = [Line2D([], [], color=KIND_COLOURS[k], linewidth=5 if k != "rfc" else 0,
                          marker="D" if k == "rfc" else None, markersize=7, label=KIND_LABELS[k])
                   for k in kinds]
        handles.append(Line2D([], [], color="0.15", marker="|", linestyle="none", markersize=9,
                              label="revision"))
        legend = fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                            frameon=False, fontsize="small")
        legend.set_gid("group-legend")
        _fit_ends(fig, ax, ends, [d for d in data["date"]])
    return fig


def _acronym(data: "pd.DataFrame") -> str:
    """``quic`` from ``draft-ietf-quic-...`` when every WG draft shares it, else empty."""
    parts = {n.split("-")[2] for n in data.loc[data["kind"] == "wg", "name"]
             if n.count("-") >= 3}
    return parts.pop() if len(parts) == 1 else ""


def _fit_ends(fig, ax, texts, dates) -> None:
    """Widen the date axis on the right until every row's end text is inside the axes."""
    import matplotlib.dates as mdates

    first, last = mdates.date2num(min(dates)), mdates.date2num(max(dates))
    span = max(last - first, 30.0)
    ax.set_xlim(first - 0.03 * span, last + 0.05 * span)
    renderer = fig.canvas.get_renderer()
    for _attempt in range(4):
        fig.get_layout_engine().execute(fig) if fig.get_layout_engine() else None
        box = ax.get_window_extent(renderer)
        right = max(t.get_window_extent(renderer).x1 for t in texts)
        if right <= box.x1 - 4:
            break
        left, end = ax.get_xlim()
        per_pixel = (end - left) / box.width
        ax.set_xlim(left, end + (right - box.x1 + 8) * per_pixel * 1.15)
