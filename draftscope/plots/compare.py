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
from draftscope.fetch.names import is_rfc

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
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
# Paul Tol's "muted" scheme, darkest and most distinct first (the light sand and cyan last)
DRAFT_COLOURS = ("#332288", "#CC6677", "#117733", "#882255", "#44AA99", "#999933", "#AA4499",
                 "#88CCEE", "#DDCC77")
# dash patterns of the keywords when several share one axis (seaborn's own first ones)
KEYWORD_DASHES = ("", (4, 1.5), (1, 1), (3, 1.25, 1.5, 1.25), (5, 1, 1, 1), (5, 1, 2, 1, 2, 1))


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
                 figsize: tuple[float, float] | None = None, ax: "Axes | None" = None,
                 style: str | None = None,
                 palette: "str | Sequence | dict | None" = None) -> "Figure":
    """Draw several lineages' keyword counts; returns the Figure (see the module docstring).

    ``layout``: ``facets`` (a panel per lineage, each with its own y axis from 0, so a small
    draft is not flattened by a big one), ``hue`` (one axis, a colour per lineage from
    :func:`draft_palette`, never the phrases' colours, a marker and a dash pattern per draft
    or a dash pattern per keyword, each line named at its end inside the axes where the names
    fit, else a legend beside) or ``auto``. ``title`` defaults to what is compared; ``figsize`` is in
    inches. ``ax``: draw into the caller's Axes (the ``hue`` layout). The figure wears the
    caller's rcParams and seaborn palette unless ``style="house"`` (the CLI's look) or a
    ``palette`` (a seaborn palette name, a list of colours, or a dict) is given.
    """
    import seaborn as sns

    from draftscope.plots.style import (check_style, keyword_markers, keyword_palette,
                                        new_figure, plot_style)

    style = check_style(style)
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(f"ax= must be a matplotlib Axes, got {type(ax).__name__}")
        if layout == "facets":
            raise CompareInputError("ax= draws one Axes: layout='hue' (or no ax= for facets)")
        layout = "hue"

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

    colours = palette if palette is not None else style
    with plot_style(style):
        if layout == "hue":
            return _plot_hue(series, keywords, lineages, normalize=normalize, align=align,
                             title=title, default_title=title == default_title, xlabel=xlabel,
                             figsize=figsize, ax=ax, palette=colours)

        columns = min(MAX_COLUMNS, len(lineages))
        title_width = TITLE_CHARACTERS // columns
        rows = math.ceil(len(lineages) / columns)
        fig, axes = new_figure(figsize=figsize or (8.0, 1.4 + 2.4 * rows), nrows=rows,
                               ncols=columns, squeeze=False)
        palette = keyword_palette(keywords, colours)
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


def draft_palette(lineages: Sequence[str]) -> dict[str, str]:
    """A colour per draft on one axis: Paul Tol's "muted" qualitative scheme (told apart with
    colour-blindness too, none of them a phrase's tab10 colour), darkest first."""
    lineages = list(dict.fromkeys(lineages))
    return {name: DRAFT_COLOURS[i % len(DRAFT_COLOURS)] for i, name in enumerate(lineages)}


def common_prefix(names: Sequence[str]) -> str:
    """The hyphen-ended prefix every name shares (``draft-ietf-quic-``), or ``""``."""
    import os

    names = list(names)
    if len(names) < 2:
        return ""
    prefix = os.path.commonprefix(names)
    prefix = prefix[:prefix.rfind("-") + 1]
    # "draft-" alone says nothing worth a title's words; "draft-ietf-quic-" does
    return prefix if prefix.count("-") >= 2 and all(len(n) > len(prefix) for n in names) else ""


def _plot_hue(series: "pd.DataFrame", keywords: list[str], lineages: list[str], *,
              normalize: str, align: str, title: str, default_title: bool,
              xlabel: str | None, figsize: tuple[float, float] | None, ax=None,
              palette=None) -> "Figure":
    """One axis, a colour, a marker and a line style per draft (a dash per keyword when there
    are several), each line named at its end where the names fit (else a legend beside)."""
    import seaborn as sns

    from draftscope.plots.style import FIGSIZE, HOUSE, lineage_palette, new_figure

    if ax is None:
        fig, ax = new_figure(figsize or (FIGSIZE if palette == HOUSE else None))
    else:
        fig = ax.figure
    colours = palette
    # a draft whose line lies flat on 0 says so in its label, not only by hiding there
    silent = {l for l in lineages if not (series.loc[series["lineage"] == l, "count"] > 0).any()}
    none = f"no {keywords[0]}" if len(keywords) == 1 else "none of them"
    prefix = common_prefix(lineages) if default_title else ""
    names = {l: (l[len(prefix):] if prefix else l) + (f" ({none})" if l in silent else "")
             for l in lineages}
    series = series.assign(lineage=series["lineage"].map(names))
    shown = [names[l] for l in lineages]
    palette = draft_palette(shown) if colours == HOUSE else lineage_palette(shown, colours)
    if len(keywords) == 1:   # a colour, a marker and a dash pattern per draft
        style = {"style": "lineage", "style_order": shown, "markers": True, "dashes": True,
                 "markersize": 5, "markeredgewidth": 0}
    else:                    # a colour per draft, a dash pattern per keyword
        style = {"style": "keyword", "style_order": keywords, "units": "keyword",
                 "dashes": {k: KEYWORD_DASHES[i % len(KEYWORD_DASHES)]
                            for i, k in enumerate(keywords)}}
    sns.lineplot(data=series, x="x", y="value", hue="lineage", hue_order=shown, palette=palette,
                 errorbar=None, estimator=None, sort=True, ax=ax, **style)
    _finish_axis(ax, align, last_x=series["x"].max())
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    _value_axis(ax, series["value"], normalize)
    ax.set_ylabel(VALUE_LABELS[normalize])
    ax.set_title(f"{title} ({prefix}\u2026)" if prefix else title)
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    if len(keywords) > 1:
        _keyword_dash_legend(ax, keywords)
    if not label_line_ends(fig, ax, series, shown, palette):
        # the names do not fit at the lines' ends: a legend beside the axes, full names
        ax.set_title(title)
        # under the axes, the figure's width (not a column beside that squeezes the lines)
        full = [f"{prefix}{n}" if prefix else n for n in shown]
        wide = fig.get_figwidth() >= 7 and max(map(len, full)) <= 45
        legend = fig.legend(_legend_proxies(ax, shown, palette), full,
                            loc="outside lower center", ncols=2 if wide else 1, frameon=False,
                            fontsize="small")
        legend.set_gid("draft-legend")
    return fig


def _legend_proxies(ax, shown: list[str], palette: dict) -> list:
    """A legend entry per draft drawn as its line is (colour, marker, dashes)."""
    from matplotlib.lines import Line2D

    lines = {}
    for line in ax.lines:
        gid = line.get_gid() or ""
        if gid.startswith("draft-line:") and gid[11:] not in lines:
            lines[gid[11:]] = line
    return [Line2D([], [], color=palette[n], marker=lines[n].get_marker() if n in lines else None,
                   linestyle=lines[n].get_linestyle() if n in lines else "-", markersize=5,
                   markeredgewidth=0) for n in shown]


def _keyword_dash_legend(ax, keywords: list[str]) -> None:
    """Several keywords on one axis: which dash pattern is which keyword, inside the axes."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.3", linestyle="-" if not KEYWORD_DASHES[i % len(KEYWORD_DASHES)]
                      else (0, KEYWORD_DASHES[i % len(KEYWORD_DASHES)]))
               for i, _k in enumerate(keywords)]
    legend = ax.legend(handles, keywords, loc="upper left", frameon=True, fontsize="small")
    legend.set_gid("keyword-dashes")
    ax.add_artist(legend)


def label_line_ends(fig, ax, series: "pd.DataFrame", shown: list[str], palette: dict) -> bool:
    """Name each draft's line at its end, in its colour, inside the axes: the x axis widens on
    the right for the names of lines that end last, names that would touch are moved apart
    vertically. False (and nothing added) when they cannot all fit."""
    from matplotlib.ticker import FixedLocator

    _tag_draft_lines(ax, shown, palette)
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    if not ax.xaxis.get_major_formatter().__class__.__name__.startswith("Concise"):
        ax.xaxis.set_major_locator(FixedLocator(ticks))  # widening adds no revisions/progress
    texts = []
    for name in shown:
        rows = series[series["lineage"] == name]
        last = rows[rows["x"] == rows["x"].max()]
        y = float(last["value"].max())
        text = ax.annotate(name, xy=(last["x"].iloc[0], y), xytext=(6, 0),
                           textcoords="offset points", ha="left", va="center", fontsize="small",
                           color=palette[name], fontweight="bold", zorder=5,
                           bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                 "edgecolor": "none", "alpha": 0.8})
        text.set_gid(f"end-label:{name}")
        text.set_in_layout(False)   # it is moved inside the axes; the layout must not make room
        texts.append(text)
    last_x = series["x"].max()
    for _attempt in range(3):
        placed = _place_labels(fig, ax, texts)
        if not placed or not _clear_of_other_lines(fig, ax, texts, shown, last_x):
            break
        for text in texts:              # some went to the right: place them all again
            text.xyann = (6, 0)
    if placed:
        return True
    for text in texts:
        text.remove()
    ax.set_xlim(lo, hi)
    return False


def _clear_of_other_lines(fig, ax, texts: list, shown: list[str], last_x) -> bool:
    """A name at the end of a line that stops short (a shorter lineage) that covers other
    drafts' points goes to the right of the axes' last x instead, at its height; True when
    one moved."""
    import numpy as np

    renderer = fig.canvas.get_renderer()
    points = {name: np.concatenate([ax.transData.transform(line.get_xydata())
                                    for line in ax.lines
                                    if line.get_gid() == f"draft-line:{name}"] or [np.empty((0, 2))])
              for name in shown}
    right = ax.convert_xunits(last_x)
    moved = False
    for text, name in zip(texts, shown):
        if ax.convert_xunits(text.xy[0]) >= right:
            continue
        box = text.get_window_extent(renderer)
        others = np.concatenate([points[n] for n in shown if n != name] or [np.empty((0, 2))])
        inside = ((others[:, 0] >= box.x0 - 2) & (others[:, 0] <= box.x1 + 2) &
                  (others[:, 1] >= box.y0 - 2) & (others[:, 1] <= box.y1 + 2))
        if inside.any():
            text.xy = (last_x, text.xy[1])
            moved = True
    return moved


def _tag_draft_lines(ax, shown: list[str], palette: dict) -> None:
    from matplotlib.colors import to_hex

    by_colour = {to_hex(c): n for n, c in palette.items()}
    for line in ax.lines:
        if len(line.get_xdata()):
            name = by_colour.get(to_hex(line.get_color()))
            if name is not None:
                line.set_gid(f"draft-line:{name}")


def _place_labels(fig, ax, texts: list) -> bool:
    """Widen the x axis until every label is inside the axes, then move apart the labels that
    overlap (vertically, in order of height); True when all end inside and apart."""
    renderer = fig.canvas.get_renderer()
    engine = fig.get_layout_engine()
    for _attempt in range(3):
        if engine is not None:
            engine.execute(fig)
        box = ax.get_window_extent(renderer)
        extents = [t.get_window_extent(renderer) for t in texts]
        if max(e.x1 for e in extents) <= box.x1 - 3:
            break
        # the right limit at which each name, as wide as it is, ends inside: a name's anchor
        # keeps its data x, so it moves left as the axis widens
        lo, hi = ax.get_xlim()
        width = box.width
        needed = hi
        for text, extent in zip(texts, extents):
            anchor = ax.transData.transform((ax.convert_xunits(text.xy[0]), 0))[0]
            room = width - (extent.x1 - anchor) - 3
            if room < 0.4 * width:             # the names would squash the lines
                return False
            needed = max(needed, lo + (anchor - box.x0) / width * (hi - lo) * width / room)
        ax.set_xlim(lo, needed)
    box = ax.get_window_extent(renderer)
    extents = [t.get_window_extent(renderer) for t in texts]
    targets = _stack(extents, bottom=box.y0 + 1, top=box.y1 - 1)
    if targets is None:
        return False
    scale = 72.0 / fig.dpi                       # pixels -> the offsets' points
    for text, extent, y0 in zip(texts, extents, targets):
        text.xyann = (text.xyann[0], text.xyann[1] + (y0 - extent.y0) * scale)
    extents = [t.get_window_extent(renderer) for t in texts]
    inside = all(box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1
                 for e in extents)
    apart = all(not a.overlaps(b) for i, a in enumerate(extents) for b in extents[i + 1:])
    return inside and apart


def _stack(extents: list, *, bottom: float, top: float, pad: float = 1.0) -> list[float] | None:
    """New bottoms (pixels) for labels so that none overlaps another it shares columns with and
    all lie between ``bottom`` and ``top``, each as near its own height as that allows; None
    when they cannot (more names than the axes is high)."""
    order = sorted(range(len(extents)), key=lambda i: (extents[i].y0 + extents[i].y1) / 2)
    y0 = {i: min(max(extents[i].y0, bottom), top - extents[i].height) for i in order}

    def shares(i: int, j: int) -> bool:
        return extents[i].x0 < extents[j].x1 and extents[j].x0 < extents[i].x1

    for k, i in enumerate(order):                 # upwards: clear of every lower neighbour
        for j in order[:k]:
            if shares(i, j):
                y0[i] = max(y0[i], y0[j] + extents[j].height + pad)
    for k in range(len(order) - 1, -1, -1):       # downwards: back under the top
        i = order[k]
        y0[i] = min(y0[i], top - extents[i].height)
        for j in order[k + 1:]:
            if shares(i, j):
                y0[i] = min(y0[i], y0[j] - extents[i].height - pad)
    if any(y0[i] < bottom - 0.5 for i in order):
        return None
    return [y0[i] for i in range(len(extents))]


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
    rfcs = names.map(is_rfc).astype(bool)
    drafts = int((~rfcs).sum())
    rfc = bool(rfcs.any())
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
