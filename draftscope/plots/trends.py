"""Figures over the whole archive, from a scan dataset (:mod:`draftscope.archive`).

Each figure has a ``*_series`` function (the frame it draws, saved as its CSV) and a ``plot_*``
function (``ax=`` draws into an existing Axes):

* :func:`density_series` / :func:`plot_density`: BCP 14 phrases per 1000 words of the RFCs by
  publication year, the median and the interquartile band;
* :func:`share_series` / :func:`plot_shares`: each phrase's share of all phrases in the RFCs of
  a year;
* :func:`group_series` / :func:`plot_groups`: the working groups whose revisions have the highest
  median density (groups with at least ``min_revisions`` revisions).

A revision counts once: its published text when it has one, else its XML; rows with an error,
no date (for the yearly figures) or no words are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from draftscope.analyses.bcp14 import DISPLAY_ORDER
from draftscope.archive.schema import PHRASE_COLUMNS
from draftscope.errors import PlotInputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from draftscope.outputs.figures import SavedFigure

DENSITY_COLUMNS = ("year", "documents", "median", "q1", "q3")
SHARE_COLUMNS = ("year", "keyword", "count", "share")
GROUP_COLUMNS = ("group", "revisions", "median", "q1", "q3")


def revisions_frame(frame: "pd.DataFrame") -> "pd.DataFrame":
    """One row per revision (txt preferred over xml), errors left out, with ``phrases`` (all
    eleven) and ``density`` (per 1000 words; NaN without words) added."""
    rows = frame[frame["error"].isna()].copy()
    rows["_order"] = (rows["format"] != "txt").astype(int)
    rows = rows.sort_values(["name", "rev", "_order", "path"]).drop_duplicates(["name", "rev"])
    rows["phrases"] = rows[list(PHRASE_COLUMNS)].sum(axis=1)
    words = rows["words"].where(rows["words"] > 0)
    rows["density"] = rows["phrases"] * 1000.0 / words
    return rows.drop(columns="_order").reset_index(drop=True)


def _rfcs_by_year(frame: "pd.DataFrame") -> "pd.DataFrame":
    rows = revisions_frame(frame)
    rows = rows[(rows["kind"] == "rfc") & rows["date"].notna() & rows["density"].notna()].copy()
    rows["year"] = rows["date"].dt.year
    return rows


def density_series(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Per year: RFCs, median and quartiles of their phrases per 1000 words."""
    import pandas as pd

    rows = _rfcs_by_year(frame)
    by_year = rows.groupby("year")["density"]
    out = pd.DataFrame({"documents": by_year.size(), "median": by_year.median(),
                        "q1": by_year.quantile(0.25), "q3": by_year.quantile(0.75)}).reset_index()
    return out[list(DENSITY_COLUMNS)]


def density_points(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Each dated RFC's year and density (the dots behind :func:`plot_density`)."""
    return _rfcs_by_year(frame)[["name", "year", "density"]].reset_index(drop=True)


def share_series(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Per year and phrase: the phrase's count in that year's RFCs and its share of all."""
    import pandas as pd

    rows = _rfcs_by_year(frame)
    counts = rows.groupby("year")[list(PHRASE_COLUMNS)].sum()
    counts.columns = list(DISPLAY_ORDER)
    tidy = counts.reset_index().melt(id_vars="year", var_name="keyword", value_name="count")
    totals = tidy.groupby("year")["count"].transform("sum")
    tidy["share"] = tidy["count"] / totals
    tidy = tidy[totals > 0]   # a year without a phrase has no shares
    tidy["keyword"] = pd.Categorical(tidy["keyword"], categories=DISPLAY_ORDER, ordered=True)
    return tidy.sort_values(["year", "keyword"]).reset_index(drop=True)[list(SHARE_COLUMNS)]


def group_series(frame: "pd.DataFrame", *, top: int = 15, min_revisions: int = 5) -> "pd.DataFrame":
    """The ``top`` working groups by median phrases per 1000 words of their revisions."""
    import pandas as pd

    rows = revisions_frame(frame)
    rows = rows[rows["group"].notna() & rows["density"].notna()]
    by_group = rows.groupby("group")["density"]
    out = pd.DataFrame({"revisions": by_group.size(), "median": by_group.median(),
                        "q1": by_group.quantile(0.25), "q3": by_group.quantile(0.75)}).reset_index()
    out = out[out["revisions"] >= min_revisions]
    out = out.sort_values(["median", "group"], ascending=[False, True]).head(top)
    return out.reset_index(drop=True)[list(GROUP_COLUMNS)]


def _axes(ax: "Axes | None", figsize: tuple[float, float] | None):
    from draftscope.plots.style import FIGSIZE, new_figure

    if ax is not None:
        return ax.figure, ax
    return new_figure(figsize or FIGSIZE)


def plot_density(series: "pd.DataFrame", *, ax: "Axes | None" = None, title: str | None = None,
                 figsize: tuple[float, float] | None = None,
                 points: "pd.DataFrame | None" = None) -> "Figure":
    """The median density per year as a line, the interquartile range as a band; ``points``
    (``year``, ``density``: :func:`density_points`) adds each RFC as a faint dot."""
    from draftscope.plots.style import figure_style

    if series.empty:
        raise PlotInputError("no dated RFC with words in the dataset: nothing to draw")
    with figure_style():
        fig, ax = _axes(ax, figsize)
        if points is not None and len(points) <= 5000:
            ax.scatter(points["year"], points["density"], s=6, color="0.55", alpha=0.5,
                       linewidths=0, label="one RFC", zorder=1)
        ax.fill_between(series["year"], series["q1"], series["q3"], alpha=0.25, color="C0",
                        linewidth=0, label="middle half of the RFCs")
        ax.plot(series["year"], series["median"], color="C0", marker="o", markersize=3.5,
                label="median RFC")
        ax.set_xlabel("Year of publication")
        ax.set_ylabel("BCP 14 phrases per 1000 words")
        ax.set_ylim(bottom=0)
        ax.set_title(title if title is not None else "BCP 14 density of the RFCs, by year")
        ax.legend(loc="upper left")
    return fig


def plot_shares(series: "pd.DataFrame", *, ax: "Axes | None" = None, title: str | None = None,
                figsize: tuple[float, float] | None = None,
                keywords: Sequence[str] | None = None) -> "Figure":
    """Each phrase's share of the year's phrases, stacked (the phrases that occur at all)."""
    from draftscope.plots.style import figure_style, keyword_palette

    if series.empty:
        raise PlotInputError("no dated RFC with words in the dataset: nothing to draw")
    wide = series.pivot(index="year", columns="keyword", values="share").fillna(0.0)
    shown = [k for k in (keywords or DISPLAY_ORDER) if k in wide.columns and wide[k].sum() > 0]
    palette = keyword_palette(shown)
    with figure_style():
        fig, ax = _axes(ax, figsize)
        ax.stackplot(wide.index, *[wide[k] for k in shown], labels=shown,
                     colors=[palette[k] for k in shown], alpha=0.9)
        ax.set_xlim(wide.index.min(), wide.index.max())
        ax.set_ylim(0, 1)
        ax.set_xlabel("Year of publication")
        ax.set_ylabel("Share of the year's BCP 14 phrases")
        ax.set_title(title if title is not None else "Which BCP 14 phrases the RFCs use")
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5),
                  fontsize="small")
    return fig


def plot_groups(series: "pd.DataFrame", *, ax: "Axes | None" = None, title: str | None = None,
                figsize: tuple[float, float] | None = None) -> "Figure":
    """A bar per working group (median density), its interquartile range as a whisker."""
    from draftscope.plots.style import figure_style

    if series.empty:
        raise PlotInputError("no working group with enough revisions in the dataset: nothing to draw")
    rows = series.iloc[::-1]
    with figure_style():
        fig, ax = _axes(ax, figsize)
        ax.barh(rows["group"], rows["median"], color="C0", alpha=0.8)
        ax.errorbar(rows["median"], rows["group"],
                    xerr=[rows["median"] - rows["q1"], rows["q3"] - rows["median"]],
                    fmt="none", ecolor="0.3", capsize=3, linewidth=1)
        for y, (median, n) in enumerate(zip(rows["median"], rows["revisions"])):
            ax.annotate(f"{n} rev.", (0, y), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize="x-small", color="white")
        ax.set_xlabel("BCP 14 phrases per 1000 words (bar: median revision; whisker: middle half)")
        ax.set_ylabel("Working group")
        ax.set_title(title if title is not None else "Working groups by BCP 14 density")
    return fig


def write_trend_figures(frame: "pd.DataFrame", out: str | Path, *,
                        formats: Sequence[str] = ("png", "svg"), dpi: int | None = None,
                        top: int = 15, min_revisions: int = 5,
                        figsize: tuple[float, float] | None = None) -> list["SavedFigure"]:
    """The three figures of ``frame`` (a scan dataset as read by ``read_scan``) into ``out``
    (``figsize`` in inches for each; the group figure's height otherwise follows its bars)."""
    from draftscope.outputs.figures import save_figure

    density, shares = density_series(frame), share_series(frame)
    groups = group_series(frame, top=top, min_revisions=min_revisions)
    saved = []
    for stem, fig, data in (
        ("trends_density", plot_density(density, points=density_points(frame), figsize=figsize), density),
        ("trends_shares", plot_shares(shares, figsize=figsize), shares),
        ("trends_groups", plot_groups(groups, figsize=figsize or (8.0, max(3.0, 0.32 * len(groups) + 1.2))),
         groups),
    ):
        saved.append(save_figure(fig, data, out, stem, formats=formats, dpi=dpi))
    return saved
