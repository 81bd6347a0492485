"""Keyword counts across a draft's lineage, one line per BCP 14 phrase (the EPIQ'18 figure).

Tidy data in, Figure out: :func:`plot_keywords` takes the keyword stage's frame
(``name, rev, date, keyword, count`` one row per revision and phrase, lineage order) and draws it
with seaborn. :func:`keyword_series` is the pure step in between; its frame is exactly what is
drawn, so it is also what gets saved as CSV next to the figure.

The x axis is the lineage: revisions in order, the RFC last, with a dotted line and a triangle
(a legend entry, "name change") wherever the name changes (individual draft -> WG draft -> RFC);
the names and their revisions read under the title. Tick labels are chosen at draw time from the
real text widths, so they never touch whatever the figure size, and the first and last revision
are always labelled. Counts get whole-number ticks. What a reader would otherwise misread is
said on the figure: a lineage without any of the phrases, phrases that never occur (left out of
the legend), a normalised value that steps because the text's size changed at a name change.
A single revision is drawn as bars, one per phrase, not as lines of one point.

How the lineage reads (names, steps, notes) is :mod:`draftscope.plots.lineage`; which
revisions get a tick label, :mod:`draftscope.plots.ticks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from draftscope.errors import PlotInputError
from draftscope.plots.lineage import (  # noqa: F401 - public here since the split
    SIZE_STEP_NOTE, LineageStep, _matches_any, display_name, document_kind, lineage_steps,
    lineage_title, missing_revisions, names_line, parse_revisions, revision_label, revision_span,
    size_step_note, tick_label)
from draftscope.plots.style import EPIQ_KEYWORDS, VALUE_LABELS
from draftscope.plots.ticks import (  # noqa: F401 - public here since the split
    _revision_ticks, fitting_tick_positions, tick_positions)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

X_AXES = ("revision", "date")

X_LABELS = {"revision": "Draft version", "date": "Publication date"}

# gids tests and styles use to find the annotation artists again
STEP_GID = "lineage-step"
MARK_GID = "mark"
NOTE_GID = "note"
NAMES_GID = "lineage-names"


@dataclass(frozen=True)
class Mark:
    """A vertical marker at one revision, e.g. ``Mark("10", "study start")``."""

    rev: str
    label: str

    @classmethod
    def parse(cls, text: str) -> "Mark":
        """``REV=LABEL`` as given on the command line (``10=study start``)."""
        rev, sep, label = text.partition("=")
        if not sep or not rev.strip() or not label.strip():
            raise PlotInputError(f"marks= wants REV=LABEL (e.g. 10='study start'), got {text!r}")
        return cls(rev.strip(), label.strip())


def check_mark(mark: object) -> Mark:
    """A :class:`Mark`, or one parsed from ``"REV=LABEL"``; anything else is a TypeError."""
    if isinstance(mark, Mark):
        return mark
    if not isinstance(mark, str):
        raise TypeError(f"marks= takes Mark objects or 'REV=LABEL' strings, got "
                        f"{type(mark).__name__} {mark!r:.40}")
    return Mark.parse(mark)


def keyword_series(
    frame: "pd.DataFrame",
    keywords: Sequence[str] = EPIQ_KEYWORDS,
    *,
    normalize: str = "none",
    revisions: Iterable[str] | None = None,
) -> "pd.DataFrame":
    """The exact data a keyword figure draws, long-form.

    Columns: ``name, rev, keyword, count, value, position, label, date`` plus ``pages`` /
    ``words`` when the input has them. ``position`` is the revision's place in the lineage
    (0, 1, ...), ``value`` the count after ``normalize``. ``revisions`` keeps only those revision
    labels (``"07"``, ``"draft-ietf-quic-transport-07"`` or ``"rfc9000"``), in lineage order.
    """
    import pandas as pd

    from draftscope.tables.keywords import check_normalization, normalized_counts

    check_normalization(normalize)
    missing = {"name", "rev", "keyword", "count"} - set(frame.columns)
    if missing:
        raise PlotInputError(f"keywords frame lacks column(s) {', '.join(sorted(missing))}")
    if "section" in frame.columns:
        raise PlotInputError("keyword figures need counts per revision, not per section")
    if "lineage" in frame.columns and frame["lineage"].nunique() > 1:
        names = list(dict.fromkeys(frame["lineage"]))
        raise PlotInputError(f"frame= holds {len(names)} lineages ({', '.join(names[:3])}"
                             f"{' ...' if len(names) > 3 else ''}): draw them with plot_compare, "
                             f"or select one (frame[frame['lineage'] == {names[0]!r}])")
    keywords = list(dict.fromkeys(keywords))
    if not keywords:
        raise PlotInputError("no keywords to plot")
    known = set(frame["keyword"].unique())
    unknown = [k for k in keywords if k not in known]
    if unknown and len(frame):
        raise PlotInputError(
            f"no counts for keyword(s) {', '.join(unknown)} (have: {', '.join(sorted(known))})"
        )
    if frame.empty:
        raise PlotInputError("no revisions to plot")

    order = list(dict.fromkeys(zip(frame["name"], frame["rev"])))
    if revisions is not None:
        wanted = list(revisions)
        order = [key for key in order if _matches_any(key, wanted)]
        if not order:
            raise PlotInputError(f"none of the revisions {', '.join(wanted)} is in the lineage")
    position = {key: i for i, key in enumerate(order)}

    rows = frame[frame["keyword"].isin(keywords)].copy()
    rows["position"] = [position.get(key, -1) for key in zip(rows["name"], rows["rev"])]
    rows = rows[rows["position"] >= 0]
    rows["label"] = [tick_label(n, r) for n, r in zip(rows["name"], rows["rev"])]
    rows["value"] = normalized_counts(rows, normalize)
    if "date" not in rows.columns:
        rows["date"] = pd.NaT
    rows["keyword"] = pd.Categorical(rows["keyword"].astype(str), categories=keywords, ordered=True)
    rows = rows.sort_values(["keyword", "position"], kind="stable")
    rows["keyword"] = rows["keyword"].astype(str)
    columns = ["name", "rev", "keyword", "count", "value", "position", "label", "date"]
    columns += [c for c in ("pages", "words") if c in rows.columns]
    return rows[columns].reset_index(drop=True)


def resolve_mark(series: "pd.DataFrame", mark: Mark) -> int:
    """Lineage position of a mark's revision (``10``, ``draft-x-10``, ``rfc9000``)."""
    revisions = series.drop_duplicates("position")
    hits = [
        int(pos)
        for name, rev, pos in zip(revisions["name"], revisions["rev"], revisions["position"])
        if _matches_any((name, rev), [mark.rev])
    ]
    if not hits:
        raise PlotInputError(f"marks= {mark.rev}={mark.label}: no revision {mark.rev} in the plot")
    if len(hits) > 1:
        raise PlotInputError(
            f"marks= {mark.rev}: ambiguous in this lineage, write it as NAME-{mark.rev}"
        )
    return hits[0]


def plot_keywords(
    frame: "pd.DataFrame",
    keywords: Sequence[str] = EPIQ_KEYWORDS,
    *,
    normalize: str = "none",
    align: str = "revision",
    marks: Sequence[Mark | str] = (),
    revisions: Iterable[str] | str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    figsize: tuple[float, float] | None = None,
    ax: "Axes | None" = None,
    x: str | None = None,
    explain: Sequence = (),
    style: str | None = None,
    palette: "str | Sequence | dict | None" = None,
) -> "Figure":
    """Draw keyword counts across a lineage, one line per phrase; returns the Figure.

    ``frame`` is the keyword stage's tidy frame for one lineage. ``align`` is the x axis
    (``revision``: lineage order; ``date``: publication dates). ``revisions`` keeps some
    revisions (labels, or a ``"00..14"`` / comma-separated string, see :func:`parse_revisions`).
    ``marks`` are vertical markers (``Mark`` or ``"REV=LABEL"``). ``figsize`` is in inches.
    Pass ``ax`` to draw into an existing Axes (small multiples). ``x`` is the old name of
    ``align``. ``explain``: :class:`~draftscope.plots.explain.Explanation` notes to write at
    their jumps (``plot --explain``).
    The figure wears the caller's rcParams and seaborn palette unless
    ``style="house"`` (the CLI's look) or a ``palette`` (a seaborn palette name, a list of
    colours, or ``{phrase: colour}``) is given.
    """
    import seaborn as sns

    from draftscope.plots.style import (FIGSIZE, HOUSE, check_style, keyword_markers,
                                        keyword_palette, new_figure, plot_style)

    style = check_style(style)
    align = x if x is not None else align
    if align not in X_AXES:
        raise PlotInputError(f"unknown x axis {align!r} (choose from {', '.join(X_AXES)})")
    if isinstance(revisions, str):
        revisions = parse_revisions(revisions)
    series = keyword_series(frame, keywords, normalize=normalize, revisions=revisions)
    keywords = list(dict.fromkeys(keywords))
    marks = [check_mark(m) for m in ([marks] if isinstance(marks, (str, Mark)) else marks)]
    if align == "date" and series["date"].isna().any():
        missing = series.loc[series["date"].isna(), "label"].unique()
        raise PlotInputError(
            f"align='date' needs a date for every revision; missing for {', '.join(missing)}"
        )
    zero = [k for k in keywords if not (series.loc[series["keyword"] == k, "count"] > 0).any()]
    drawn = [k for k in keywords if k not in zero]
    n_revisions = int(series["position"].nunique())

    with plot_style(style):
        if ax is None:
            fig, ax = new_figure(figsize or (FIGSIZE if style == HOUSE else None))
        else:
            fig = ax.figure
        palette = keyword_palette(keywords, palette if palette is not None else style)
        lineage = lineage_title(series)
        ax.set_title(title if title is not None else f"Keywords in {lineage}")
        ax.set_ylabel(VALUE_LABELS[normalize])
        if not drawn:
            _draw_nothing_found(ax, frame, series, keywords, n_revisions)
        elif n_revisions == 1:
            _draw_bars(ax, series, drawn, palette, normalize)
        else:
            x_column = "position" if align == "revision" else "date"
            data = series.assign(date=_naive_utc(series["date"])) if align == "date" else series
            data = data[data["keyword"].isin(drawn)]
            already = set(ax.lines)
            sns.lineplot(
                data=data, x=x_column, y="value", hue="keyword", hue_order=drawn,
                style="keyword", style_order=drawn, markers=keyword_markers(drawn), dashes=False,
                palette=palette, errorbar=None, estimator=None, sort=True, ax=ax,
            )
            _tag_keyword_lines([line for line in ax.lines if line not in already], drawn)
        steps = lineage_steps(series)
        positions_to_x = _x_lookup(series, "position" if align == "revision" or n_revisions == 1
                                   else "date")
        if n_revisions > 1:
            _draw_steps(ax, steps, positions_to_x, align)
            for mark in marks:
                _draw_mark(ax, positions_to_x[resolve_mark(series, mark)], mark)
        elif marks:
            resolve_mark(series, marks[0])   # a mark must still name a revision of the plot
        if n_revisions == 1:
            only = series.iloc[0]
            ax.set_xlabel(xlabel if xlabel is not None else
                          f"{revision_label(only['name'], only['rev'])} (one revision)")
        elif align == "revision":
            _revision_ticks(ax, series, steps)
            ax.set_xlabel(xlabel if xlabel is not None else X_LABELS[align])
        else:
            import matplotlib.dates as mdates

            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.set_xlabel(xlabel if xlabel is not None else X_LABELS[align])
        _value_axis(ax, series, normalize, bool(drawn))
        names = names_line(series, ax.get_title())
        if names:
            _draw_names(ax, names)
        if normalize != "none" and n_revisions > 1:
            note = size_step_note(series, normalize)
            if note:
                _draw_footnote(ax, note)
        _legend(ax, drawn, zero, has_steps=len(steps) > 1 and n_revisions > 1,
                palette=palette)
        if explain and n_revisions > 1:
            from draftscope.plots.annotate import annotate_jumps

            annotate_jumps(ax, explain, positions_to_x)
    return fig


def keyword_line_gid(keyword: str) -> str:
    """The gid of the line (or bar) drawn for ``keyword`` (seaborn leaves its lines unlabelled)."""
    return f"keyword:{keyword}"


def _draw_nothing_found(ax: "Axes", frame: "pd.DataFrame", series: "pd.DataFrame",
                        keywords: list[str], n_revisions: int) -> None:
    """No plotted phrase occurs anywhere: say so in the axes (an empty plot would look broken)."""
    revisions = series.drop_duplicates("position")
    shown = set(zip(revisions["name"], revisions["rev"]))
    rows = frame[[key in shown for key in zip(frame["name"], frame["rev"])]]
    every_phrase = set(_BCP14) <= set(rows["keyword"]) and not (
        rows.loc[rows["keyword"].isin(_BCP14), "count"] > 0).any()
    what = "No BCP 14 keywords" if every_phrase else f"No {_or_list(keywords)}"
    where = ("in this revision" if n_revisions == 1 else "in either revision"
             if n_revisions == 2 else f"in any of the {n_revisions} revisions")
    text = ax.text(0.5, 0.5, f"{what}\n{where}", transform=ax.transAxes, ha="center",
                   va="center", fontsize="large", color="0.3", zorder=5,
                   bbox={"boxstyle": "square,pad=0.4", "facecolor": ax.get_facecolor(),
                         "edgecolor": "none"})
    text.set_gid(NOTE_GID)
    if n_revisions == 1:
        ax.set_xticks([0], [revisions["label"].iloc[0]])
        ax.set_xlim(-1, 1)


_BCP14 = ("MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",
          "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL")


def _or_list(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _draw_bars(ax: "Axes", series: "pd.DataFrame", keywords: list[str], palette: dict,
               normalize: str) -> None:
    """One revision: a bar per phrase with its value written on it (lines of one point would
    sit on top of each other wherever two phrases have the same count)."""
    values = [float(series.loc[series["keyword"] == k, "value"].iloc[0]) for k in keywords]
    bars = ax.bar(range(len(keywords)), values, color=[palette[k] for k in keywords], width=0.6)
    for bar, keyword, value in zip(bars, keywords, values):
        bar.set_gid(keyword_line_gid(keyword))
        text = f"{value:.0f}" if normalize == "none" else f"{value:.2f}"
        ax.annotate(text, xy=(bar.get_x() + bar.get_width() / 2, value), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize="small")
    ax.set_xticks(range(len(keywords)), keywords, rotation=30 if len(keywords) > 5 else 0,
                  ha="right" if len(keywords) > 5 else "center")
    centre, half = (len(keywords) - 1) / 2, max(len(keywords) / 2, 2.0)
    ax.set_xlim(centre - half, centre + half)   # one or two bars stay bar-shaped
    ax.grid(False, axis="x")


def _value_axis(ax: "Axes", series: "pd.DataFrame", normalize: str, anything: bool) -> None:
    """From 0, whole-number ticks for counts, room above the highest point for its label."""
    from matplotlib.ticker import MaxNLocator

    top = float(series["value"].max()) if anything else 0.0
    if normalize == "none":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=3))
        ax.set_ylim(0, max(top * 1.08, 4))
    else:
        ax.set_ylim(0, top * 1.08 if top > 0 else 1.0)


def _tag_keyword_lines(lines: list, drawn: Sequence[str]) -> None:
    """seaborn draws one line per hue level, in ``hue_order``: tag each with its phrase (by
    order, not colour: a user's palette may give two phrases one colour)."""
    data_lines = [line for line in lines if len(line.get_xdata())]   # not the legend proxies
    for line, keyword in zip(data_lines, drawn):
        line.set_gid(keyword_line_gid(keyword))


def _naive_utc(dates: "pd.Series") -> "pd.Series":
    import pandas as pd

    values = pd.to_datetime(dates, utc=True)
    return values.dt.tz_localize(None)


def _x_lookup(data: "pd.DataFrame", x_column: str) -> dict[int, object]:
    """Lineage position -> the x value it is drawn at."""
    import matplotlib.dates as mdates

    firsts = data.drop_duplicates("position")
    if x_column == "position":
        return {int(p): float(p) for p in firsts["position"]}
    dates = _naive_utc(firsts["date"])
    return {int(p): mdates.date2num(d) for p, d in zip(firsts["position"], dates)}


STEP_COLOUR = "0.45"


def _draw_steps(ax: "Axes", steps: Sequence[LineageStep], to_x: dict, align: str) -> None:
    """A dotted line and a triangle on the axis where the name changes (the legend says "name
    change"; the names read under the title, the RFC's also as the last tick)."""
    for step in steps[1:]:
        at = to_x[step.position]
        if align == "revision":
            at = at - 0.5           # between the last revision of one name and the first of the next
        else:
            at = (to_x[step.position - 1] + at) / 2 if step.position - 1 in to_x else at
        line = ax.axvline(at, color=STEP_COLOUR, linestyle=":", linewidth=1.2, zorder=1)
        line.set_gid(STEP_GID)
        marker = ax.plot([at], [0], marker="^", color=STEP_COLOUR, markersize=7, clip_on=False,
                         zorder=3, linestyle="none", transform=ax.get_xaxis_transform())[0]
        marker.set_gid(STEP_GID)


def _draw_mark(ax: "Axes", at: float, mark: Mark) -> None:
    line = ax.axvline(at, color="0.2", linewidth=1.2, linestyle="-", zorder=1)
    line.set_gid(MARK_GID)
    text = ax.annotate(
        mark.label, xy=(at, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
        textcoords="offset points", ha="left", va="top", fontsize="small", color="0.2",
        bbox={"boxstyle": "square,pad=0.15", "facecolor": ax.get_facecolor(), "edgecolor": "none",
              "alpha": 0.85},
    )
    text.set_gid(MARK_GID)


def _draw_names(ax: "Axes", names: str) -> None:
    """The lineage's names under the title, the title moved up to make room."""
    text = ax.annotate(names, xy=(0.5, 1.0), xycoords="axes fraction", xytext=(0, 5),
                       textcoords="offset points", ha="center", va="bottom", fontsize="small",
                       color="0.3")
    text.set_gid(NAMES_GID)
    ax.set_title(ax.get_title(), pad=22)


def _draw_footnote(ax: "Axes", note: str) -> None:
    """A note under the x axis label, in the layout (constrained layout makes room for it)."""
    import textwrap

    wrapped = "\n".join(textwrap.wrap(note, 95))
    # under the x label whatever the tick labels' height (a two-line "RFC\n9000" pushes it down)
    text = ax.annotate(wrapped, xy=(0.0, 0.0), xycoords=("axes fraction", ax.xaxis.label),
                       xytext=(0, -6), textcoords="offset points", ha="left", va="top",
                       fontsize="small", color="0.3", style="italic")
    text.set_gid(NOTE_GID)


def _legend(ax: "Axes", drawn: list[str], zero: list[str], *, has_steps: bool,
            palette: dict) -> None:
    """Outside, right (never over the lines): the drawn phrases, the name-change marker, and
    the phrases left out because they never occur."""
    import textwrap

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    existing = ax.get_legend()
    if existing is not None:
        handles, labels = ax.get_legend_handles_labels()
        existing.remove()
    else:
        handles, labels = [], []
    if not labels and any(p.get_gid() for p in ax.patches):   # bars: the ticks name them
        handles, labels = [], []
    if has_steps:
        handles.append(Line2D([], [], color=STEP_COLOUR, linestyle=":", marker="^",
                              markersize=7))
        labels.append("name change")
    if zero and drawn:
        phrases = ", ".join(k.replace(" ", "\u00a0") for k in zero)   # never broken inside
        wrapped = "\n".join(textwrap.wrap(f"never used: {phrases}", 24)).replace("\u00a0", " ")
        handles.append(Patch(visible=False))
        labels.append(wrapped)
    if not handles:
        return
    legend = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       frameon=False, title=None)
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        if text.get_text().startswith("never used"):
            text.set_color("0.35")
            text.set_fontsize("small")


