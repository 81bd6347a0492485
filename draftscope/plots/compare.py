"""Several drafts' keyword counts in one figure: small multiples, or one axis with a hue per draft.

Tidy data in, Figure out. :func:`plot_compare` takes either :func:`draftscope.compare_frame`'s
output (``lineage, x, keyword, value, ...``) or the keyword stage's frames of several lineages
concatenated with a ``lineage`` (else ``name``) column, as ``draftscope plot NAME... --compare``
builds it; :func:`compare_series` is the pure step in between and is exactly what gets drawn.

Layout ``auto`` picks what reads better: one keyword -> one axis, a colour per draft (the
drafts are what is compared); several keywords -> a panel per draft with a shared y axis and the
house colour per phrase, so every panel reads like the single-lineage figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from draftscope.plots.style import EPIQ_KEYWORDS, VALUE_LABELS
from draftscope.errors import CompareInputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

LAYOUTS = ("auto", "facets", "hue")
ALIGN_LABELS = {
    "revision": "Revision (index in the lineage)",
    "date": "Publication date",
    "progress": "Progress through the lineage (first revision = 0, RFC = 1)",
}
MAX_COLUMNS = 3
# Characters of a panel title across the whole figure width (small font, 8 in): a third each.
TITLE_CHARACTERS = 100
# Keywords per row of the legend above small multiples ("all" makes three rows, not one too wide).
LEGEND_COLUMNS = 4


def compare_series(frame: "pd.DataFrame", keywords: Sequence[str] = EPIQ_KEYWORDS, *,
                   normalize: str = "none", align: str = "revision") -> "pd.DataFrame":
    """The data a comparison figure draws: ``lineage, name, rev, x, keyword, count, value``.

    A frame that already has ``x`` and ``value`` (from ``compare_frame``) is only filtered;
    otherwise each lineage's revisions are placed on the ``align`` axis in frame order and the
    counts normalised (``per-page``/``per-1000-words`` need ``pages``/``words`` columns).
    """
    import pandas as pd

    from draftscope.tables.compare import ALIGNMENTS
    from draftscope.tables.keywords import check_normalization, normalized_counts

    if align not in ALIGNMENTS:
        raise CompareInputError(f"unknown alignment {align!r} (choose from {', '.join(ALIGNMENTS)})")
    check_normalization(normalize)
    keywords = list(dict.fromkeys(keywords))
    missing = {"rev", "keyword", "count"} - set(frame.columns)
    if missing or not ({"lineage", "name"} & set(frame.columns)):
        raise CompareInputError(f"a comparison needs columns lineage (or name), rev, keyword, count; "
                                f"missing {', '.join(sorted(missing)) or 'lineage'}")
    if "section" in frame.columns:
        raise CompareInputError("a comparison needs counts per revision, not per section")
    data = frame if "lineage" in frame.columns else frame.assign(lineage=frame["name"])
    if "name" not in data.columns:
        data = data.assign(name=data["lineage"])
    data = data[data["keyword"].isin(keywords)]
    if data.empty:
        raise CompareInputError(f"no counts for {', '.join(keywords)} to compare")

    if not {"x", "value"} <= set(data.columns):
        parts = []
        for _lineage, rows in data.groupby("lineage", sort=False):
            order = list(dict.fromkeys(zip(rows["name"], rows["rev"])))
            index = {key: i for i, key in enumerate(order)}
            rows = rows.copy()
            rows["position"] = [index[key] for key in zip(rows["name"], rows["rev"])]
            n = len(order)
            if align == "revision":
                rows["x"] = rows["position"].astype(float)
            elif align == "progress":
                rows["x"] = rows["position"] / (n - 1) if n > 1 else 0.0
            else:
                if "date" not in rows.columns or rows["date"].isna().any():
                    raise CompareInputError("--align date needs every revision's date")
                rows["x"] = pd.to_datetime(rows["date"], utc=True)
            rows["value"] = normalized_counts(rows, normalize)
            parts.append(rows)
        data = pd.concat(parts, ignore_index=True)
    columns = ["lineage", "name", "rev", "x", "keyword", "count", "value"]
    return data[columns].reset_index(drop=True)


def plot_compare(frame: "pd.DataFrame", keywords: Sequence[str] = EPIQ_KEYWORDS, *,
                 normalize: str = "none", align: str = "revision", layout: str = "auto",
                 title: str | None = None) -> "Figure":
    """Draw several lineages' keyword counts; returns the Figure (see the module docstring).

    ``layout``: ``facets`` (a panel per lineage, shared y), ``hue`` (one axis, a colour per
    lineage, a line style per keyword) or ``auto``.
    """
    import seaborn as sns

    from draftscope.plots.style import figure_style, keyword_palette, new_figure

    if layout not in LAYOUTS:
        raise CompareInputError(f"unknown layout {layout!r} (choose from {', '.join(LAYOUTS)})")
    keywords = list(dict.fromkeys(keywords))
    series = compare_series(frame, keywords, normalize=normalize, align=align)
    if align == "date":
        series = series.assign(x=_naive_utc(series["x"]))
    lineages = list(dict.fromkeys(series["lineage"]))
    if layout == "auto":
        layout = "hue" if len(keywords) == 1 or len(lineages) == 1 else "facets"

    with figure_style():
        if layout == "hue":
            fig, ax = new_figure()
            if len(keywords) == 1:   # a colour and a marker per draft: a short one still shows
                style = {"style": "lineage", "style_order": lineages, "markers": True,
                         "dashes": False, "markersize": 5, "markeredgewidth": 0}
            else:                    # a colour per draft, a dash pattern per keyword
                style = {"style": "keyword", "style_order": keywords, "units": "keyword"}
            sns.lineplot(data=series, x="x", y="value", hue="lineage", hue_order=lineages,
                         errorbar=None, estimator=None, sort=True, ax=ax, **style)
            _finish_axis(ax, align, last_x=series["x"].max())
            ax.set_ylim(bottom=0)
            ax.set_ylabel(VALUE_LABELS[normalize])
            if ax.get_legend() is not None:
                sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1.0), title=None,
                                frameon=False, fontsize="small")
            ax.set_title(title if title is not None else
                         f"{', '.join(keywords)} across {len(lineages)} drafts")
            return fig

        columns = min(MAX_COLUMNS, len(lineages))
        title_width = TITLE_CHARACTERS // columns
        rows = math.ceil(len(lineages) / columns)
        fig, axes = new_figure(figsize=(8.0, 1.0 + 2.4 * rows), nrows=rows, ncols=columns,
                               sharey=True, squeeze=False)
        palette = keyword_palette(keywords)
        for index, ax in enumerate(axes.flat):
            if index >= len(lineages):
                ax.set_visible(False)
                continue
            lineage = lineages[index]
            rows_of_lineage = series[series["lineage"] == lineage]
            sns.lineplot(data=rows_of_lineage, x="x", y="value",
                         hue="keyword", hue_order=keywords, style="keyword",
                         style_order=keywords, markers=True, dashes=False, markersize=5,
                         markeredgewidth=0,   # seaborn's white edge blanks markers this small
                         palette=palette, errorbar=None, estimator=None, sort=True, ax=ax,
                         legend=index == 0)
            ax.set_title(wrap_name(lineage, title_width), fontsize="small")
            _finish_axis(ax, align, last_x=rows_of_lineage["x"].max())
            ax.set_xlabel("")
            ax.set_ylabel(VALUE_LABELS[normalize] if index % columns == 0 else "")
        first = axes.flat[0]
        if first.get_legend() is not None:
            handles, labels = first.get_legend_handles_labels()
            first.get_legend().remove()
            fig.legend(handles, labels, loc="outside upper center",
                       ncols=min(len(keywords), LEGEND_COLUMNS), frameon=False)
        top = float(series["value"].max())
        for ax in axes.flat:   # shared y: one scale for all panels, from 0
            ax.set_ylim(0, top * 1.05 if top > 0 else 1.0)
        fig.supxlabel(ALIGN_LABELS[align], fontsize="medium")
        if title:
            fig.suptitle(title)
        return fig


def wrap_name(name: str, width: int) -> str:
    """A draft name broken after hyphens into lines of at most ``width`` characters, so the
    titles of neighbouring panels never run into each other."""
    lines, current = [], ""
    for part in name.split("-"):
        joined = f"{current}-{part}" if current else part
        if current and len(joined) + 1 > width:   # + the hyphen that ends a broken line
            lines.append(f"{current}-")
            current = part
        else:
            current = joined
    return "\n".join([*lines, current])


def _finish_axis(ax, align: str, *, last_x) -> None:
    """x label, limits and ticks for ``align``; ``last_x`` is the largest x drawn on ``ax``."""
    ax.set_xlabel(ALIGN_LABELS[align])
    if align == "progress":
        ax.set_xlim(-0.03, 1.03)
    elif align == "revision":
        from matplotlib.ticker import MaxNLocator

        # whole revisions only, and room for two ticks when a lineage has a single revision
        ax.set_xlim(-0.5, max(float(last_x), 1.0) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    elif align == "date":
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _naive_utc(values: "pd.Series") -> "pd.Series":
    import pandas as pd

    return pd.to_datetime(values, utc=True).dt.tz_localize(None)
