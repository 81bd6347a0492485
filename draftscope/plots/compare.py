"""Several drafts' keyword counts in one figure: small multiples, or one axis with a hue per draft.

Tidy data in, Figure out. :func:`plot_compare` takes either :func:`draftscope.compare_frame`'s
output (``lineage, x, keyword, value, ...``) or the keyword stage's frames of several lineages
concatenated with a ``lineage`` (else ``name``) column, as ``draftscope plot NAME... --compare``
builds it; :func:`compare_series` is the pure step in between and is exactly what gets drawn.

Layout ``auto`` picks what reads better: one keyword -> one axis, a colour per draft (the
drafts are what is compared; the drafts' colours are never the phrases' colours, which mean
MUST, SHOULD... in every other figure); several keywords -> a panel per draft, each with its own
y axis from 0 (a draft with 5 MUSTs is not flattened by one with 200), the house colour per
phrase, so every panel reads like the single-lineage figure. A draft that never uses the phrases
gets a note in its panel, and the figure a title saying what is compared.
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
                 title: str | None = None, xlabel: str | None = None,
                 figsize: tuple[float, float] | None = None) -> "Figure":
    """Draw several lineages' keyword counts; returns the Figure (see the module docstring).

    ``layout``: ``facets`` (a panel per lineage, each with its own y axis from 0, so a small
    draft is not flattened by a big one), ``hue`` (one axis, a colour per lineage from
    :func:`~draftscope.plots.style.lineage_palette`, never the phrases' colours, and a line
    style per keyword) or ``auto``. ``title`` defaults to what is compared; ``figsize`` is in
    inches.
    """
    import seaborn as sns

    from draftscope.plots.style import (FIGSIZE, figure_style, keyword_markers, keyword_palette,
                                        lineage_palette, new_figure)

    if layout not in LAYOUTS:
        raise CompareInputError(f"unknown layout {layout!r} (choose from {', '.join(LAYOUTS)})")
    keywords = list(dict.fromkeys(keywords))
    series = compare_series(frame, keywords, normalize=normalize, align=align)
    if align == "date":
        series = series.assign(x=_naive_utc(series["x"]))
    lineages = list(dict.fromkeys(series["lineage"]))
    if layout == "auto":
        layout = "hue" if len(keywords) == 1 or len(lineages) == 1 else "facets"
    what = _and_list(keywords) if len(keywords) <= len(EPIQ_KEYWORDS) else (
        "BCP 14 keywords" if len(keywords) == len(_ALL_PHRASES) else
        f"{len(keywords)} BCP 14 keywords")
    default_title = f"{what} in {len(lineages)} drafts" if len(lineages) > 1 \
        else f"{what} in {lineages[0]}"
    title = title if title is not None else default_title

    with figure_style():
        if layout == "hue":
            fig, ax = new_figure(figsize or FIGSIZE)
            # a draft whose line lies flat on 0 says so in the legend, not only by hiding there
            silent = {l for l in lineages
                      if not (series.loc[series["lineage"] == l, "count"] > 0).any()}
            none = f"no {keywords[0]}" if len(keywords) == 1 else "none of them"
            names = {l: f"{l} ({none})" if l in silent else l for l in lineages}
            series = series.assign(lineage=series["lineage"].map(names))
            lineages = [names[l] for l in lineages]
            palette = lineage_palette(lineages)
            if len(keywords) == 1:   # a colour and a marker per draft: a short one still shows
                style = {"style": "lineage", "style_order": lineages, "markers": True,
                         "dashes": False, "markersize": 5, "markeredgewidth": 0}
            else:                    # a colour per draft, a dash pattern per keyword
                style = {"style": "keyword", "style_order": keywords, "units": "keyword"}
            sns.lineplot(data=series, x="x", y="value", hue="lineage", hue_order=lineages,
                         palette=palette, errorbar=None, estimator=None, sort=True, ax=ax,
                         **style)
            _finish_axis(ax, align, last_x=series["x"].max())
            if xlabel is not None:
                ax.set_xlabel(xlabel)
            _value_axis(ax, series["value"], normalize)
            ax.set_ylabel(VALUE_LABELS[normalize])
            if ax.get_legend() is not None:
                sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1.0), title=None,
                                frameon=False, fontsize="small")
            ax.set_title(title)
            return fig

        columns = min(MAX_COLUMNS, len(lineages))
        title_width = TITLE_CHARACTERS // columns
        rows = math.ceil(len(lineages) / columns)
        fig, axes = new_figure(figsize=figsize or (8.0, 1.4 + 2.4 * rows), nrows=rows,
                               ncols=columns, squeeze=False)
        palette = keyword_palette(keywords)
        markers = keyword_markers(keywords)
        for index, ax in enumerate(axes.flat):
            if index >= len(lineages):
                ax.set_visible(False)
                continue
            lineage = lineages[index]
            rows_of_lineage = series[series["lineage"] == lineage]
            # every phrase, zeros included (the legend is shared: a zero line says "none
            # here"); a panel where none occurs gets a note instead of lines on the axis
            drawn = keywords if (rows_of_lineage["count"] > 0).any() else []
            if drawn:
                sns.lineplot(data=rows_of_lineage[rows_of_lineage["keyword"].isin(drawn)],
                             x="x", y="value", hue="keyword", hue_order=drawn, style="keyword",
                             style_order=drawn, markers=markers, dashes=False, markersize=5,
                             markeredgewidth=0,   # seaborn's white edge blanks markers this small
                             palette=palette, errorbar=None, estimator=None, sort=True, ax=ax,
                             legend=False)
            else:
                _empty_panel_note(ax, keywords, rows_of_lineage)
                if align == "date":   # nothing drawn: the axis would start in 1970
                    import matplotlib.dates as mdates
                    import pandas as pd

                    first, last = rows_of_lineage["x"].min(), rows_of_lineage["x"].max()
                    margin = pd.Timedelta(days=120)
                    ax.set_xlim(mdates.date2num(first - margin), mdates.date2num(last + margin))
            ax.set_title(wrap_name(lineage, title_width), fontsize="small")
            _finish_axis(ax, align, last_x=rows_of_lineage["x"].max(), panel=True)
            ax.set_xlabel("")
            _value_axis(ax, rows_of_lineage["value"], normalize)
            ax.set_ylabel(VALUE_LABELS[normalize] if index % columns == 0 else "")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=palette[k], marker=markers[k], markersize=5,
                          markeredgewidth=0) for k in keywords]
        # the title heads the legend: constrained layout stacks one artist above the panels
        # (a suptitle and an "outside" legend would be drawn over each other)
        legend = fig.legend(handles, keywords, loc="outside upper center",
                            ncols=min(len(keywords), LEGEND_COLUMNS), frameon=False,
                            title=title, title_fontproperties={"size": "large"})
        legend.set_gid("title-legend")
        fig.supxlabel(xlabel if xlabel is not None else ALIGN_LABELS[align], fontsize="medium")
        return fig


def _and_list(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _value_axis(ax, values, normalize: str) -> None:
    """From 0 with room above the highest point; whole-number ticks for counts."""
    from matplotlib.ticker import MaxNLocator

    top = float(values.max()) if len(values) else 0.0
    if normalize == "none":
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
        ax.set_ylim(0, max(top * 1.08, 4))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_ylim(0, top * 1.08 if top > 0 else 1.0)


def _empty_panel_note(ax, keywords: list[str], rows: "pd.DataFrame") -> None:
    """A panel whose draft never uses the phrases says so instead of staying blank."""
    what = "No BCP 14 keywords" if len(keywords) == len(_ALL_PHRASES) else \
        f"No {_or_list(keywords)}"
    # counted as the summary's ``revisions`` column counts: the drafts' revisions, RFC apart
    names = rows.drop_duplicates(["name", "rev"])["name"].astype(str)
    drafts = int((~names.str.startswith("rfc")).sum())
    rfc = bool(names.str.startswith("rfc").any())
    where = "in its revision" if drafts == 1 else f"in its {drafts} revisions" if drafts else ""
    if rfc:
        where = f"{where} or its RFC" if where else "in its RFC"
    import textwrap

    text = ax.text(0.5, 0.5, "\n".join(textwrap.wrap(f"{what} {where}", 22)),
                   transform=ax.transAxes, ha="center", va="center", fontsize="small",
                   color="0.3")
    text.set_gid("note")


_ALL_PHRASES = ("MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",
                "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL")


def _or_list(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


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


def _finish_axis(ax, align: str, *, last_x, panel: bool = False) -> None:
    """x label, limits and ticks for ``align``; ``last_x`` is the largest x drawn on ``ax``.
    A ``panel`` of small multiples gets fewer ticks, so labels of neighbours never touch."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlabel(ALIGN_LABELS[align])
    if align == "progress":
        ax.set_xlim(-0.03, 1.03)
        ax.set_xticks([0, 0.5, 1] if panel else [0, 0.25, 0.5, 0.75, 1],
                      ["0", "0.5", "1"] if panel else ["0", "0.25", "0.5", "0.75", "1"])
    elif align == "revision":
        # whole revisions only; a lineage of one revision gets its one tick, centred
        if float(last_x) < 1:
            ax.set_xlim(-1.0, 1.0)
            ax.set_xticks([0])
        else:
            ax.set_xlim(-0.5, float(last_x) + 0.5)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if panel else "auto", integer=True,
                                                   min_n_ticks=2))
    elif align == "date":
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=2, maxticks=4 if panel else 6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _naive_utc(values: "pd.Series") -> "pd.Series":
    import pandas as pd

    return pd.to_datetime(values, utc=True).dt.tz_localize(None)
