"""Keyword counts across a draft's lineage, one line per BCP 14 phrase (the EPIQ'18 figure).

Tidy data in, Figure out: :func:`plot_keywords` takes the keyword stage's frame
(``name, rev, date, keyword, count`` one row per revision and phrase, lineage order) and draws it
with seaborn. :func:`keyword_series` is the pure step in between; its frame is exactly what is
drawn, so it is also what gets saved as CSV next to the figure.

The x axis is the lineage: revisions in order, the RFC last, with a dotted line and the new name
wherever the name changes (individual draft -> WG draft -> RFC). Labels are thinned so 35+
revisions never overlap at blog width.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from draftscope.errors import PlotInputError
from draftscope.plots.style import EPIQ_KEYWORDS, VALUE_LABELS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

X_AXES = ("revision", "date")

X_LABELS = {"revision": "Draft version", "date": "Publication date"}

# Tick labels wider than this many per inch of axis would touch (two-digit revs at 10 pt).
_TICK_LABELS_PER_INCH = 2.6

# Room left of the first revision for the lineage's first name (x-small text, read upwards).
_FIRST_NAME_MARGIN_IN = 0.2

# gids tests and styles use to find the annotation artists again
STEP_GID = "lineage-step"
MARK_GID = "mark"



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
            raise PlotInputError(f"--mark wants REV=LABEL (e.g. 10='study start'), got {text!r}")
        return cls(rev.strip(), label.strip())


@dataclass(frozen=True)
class LineageStep:
    """Where the lineage changes name: the first revision of ``name`` sits at ``position``."""

    position: int
    name: str
    kind: str  # "individual" | "wg" | "rfc"


def document_kind(name: str) -> str:
    """``rfc`` for an RFC, ``wg`` for a working/research group draft, else ``individual``."""
    if name.startswith("rfc"):
        return "rfc"
    if name.startswith(("draft-ietf-", "draft-irtf-")):
        return "wg"
    return "individual"


def display_name(name: str) -> str:
    """``rfc9000`` -> ``RFC 9000``; draft names unchanged."""
    match = re.fullmatch(r"rfc(\d+)", name)
    return f"RFC {match.group(1)}" if match else name


def tick_label(name: str, rev: str) -> str:
    """Tick text for one revision: ``07`` for a draft, ``RFC 9000`` for an RFC."""
    return display_name(name) if name.startswith("rfc") else rev


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


def _matches_any(key: tuple[str, str], wanted: list[str]) -> bool:
    name, rev = key
    return any(w in (rev, f"{name}-{rev}", name if name.startswith("rfc") else None) for w in wanted)


def lineage_steps(series: "pd.DataFrame") -> list[LineageStep]:
    """The first revision of each name in the lineage (the first one included)."""
    steps: list[LineageStep] = []
    revisions = series.drop_duplicates("position").sort_values("position")
    previous = None
    for name, position in zip(revisions["name"], revisions["position"]):
        if name != previous:
            steps.append(LineageStep(int(position), name, document_kind(name)))
        previous = name
    return steps


def tick_positions(labels: Sequence[str], steps: Sequence[LineageStep], max_labels: int) -> list[int]:
    """Which revisions get a tick label, so that no two labels touch.

    The last revision (the RFC) and the first of each name are labelled first, latest first;
    then every ``stride``-th revision where it keeps clear of those. A label's room is one stride
    for a two-digit revision and three for a wider one (``RFC 9000``).
    """
    n = len(labels)
    if n == 0:
        return []
    stride = max(1, math.ceil(n / max(1, max_labels)))

    def room(p: int) -> float:
        return stride * (1.0 if len(labels[p]) <= 2 else 3.0)

    kept: list[int] = []

    def fits(p: int) -> bool:
        return all(abs(p - k) >= (room(p) + room(k)) / 2 for k in kept)

    forced = [n - 1] + sorted({s.position for s in steps} - {n - 1}, reverse=True)
    for p in forced:
        if fits(p):
            kept.append(p)
    for p in range(0, n, stride):
        if p not in kept and fits(p):
            kept.append(p)
    return sorted(kept)


def resolve_mark(series: "pd.DataFrame", mark: Mark) -> int:
    """Lineage position of a mark's revision (``10``, ``draft-x-10``, ``rfc9000``)."""
    revisions = series.drop_duplicates("position")
    hits = [
        int(pos)
        for name, rev, pos in zip(revisions["name"], revisions["rev"], revisions["position"])
        if _matches_any((name, rev), [mark.rev])
    ]
    if not hits:
        raise PlotInputError(f"--mark {mark.rev}={mark.label}: no revision {mark.rev} in the plot")
    if len(hits) > 1:
        raise PlotInputError(
            f"--mark {mark.rev}: ambiguous in this lineage, write it as NAME-{mark.rev}"
        )
    return hits[0]


def plot_keywords(
    frame: "pd.DataFrame",
    keywords: Sequence[str] = EPIQ_KEYWORDS,
    *,
    normalize: str = "none",
    x: str = "revision",
    marks: Sequence[Mark | str] = (),
    revisions: Iterable[str] | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ax: "Axes | None" = None,
) -> "Figure":
    """Draw keyword counts across a lineage, one line per phrase; returns the Figure.

    ``frame`` is the keyword stage's tidy frame for one lineage. ``marks`` are vertical markers
    (``Mark`` or ``"REV=LABEL"``). Pass ``ax`` to draw into an existing Axes (small multiples).
    """
    import seaborn as sns

    from draftscope.plots.style import figure_style, keyword_palette, new_figure

    if x not in X_AXES:
        raise PlotInputError(f"unknown x axis {x!r} (choose from {', '.join(X_AXES)})")
    series = keyword_series(frame, keywords, normalize=normalize, revisions=revisions)
    keywords = list(dict.fromkeys(keywords))
    marks = [m if isinstance(m, Mark) else Mark.parse(m) for m in marks]
    if x == "date" and series["date"].isna().any():
        missing = series.loc[series["date"].isna(), "label"].unique()
        raise PlotInputError(
            f"--x date needs a date for every revision; missing for {', '.join(missing)}"
        )

    with figure_style():
        if ax is None:
            fig, ax = new_figure()
        else:
            fig = ax.figure
        x_column = "position" if x == "revision" else "date"
        data = series.assign(date=_naive_utc(series["date"])) if x == "date" else series
        palette = keyword_palette(keywords)
        already = set(ax.lines)
        sns.lineplot(
            data=data, x=x_column, y="value", hue="keyword", hue_order=keywords,
            style="keyword", style_order=keywords, markers=True, dashes=False,
            palette=palette, errorbar=None, estimator=None,
            sort=True, ax=ax,
        )
        _tag_keyword_lines([line for line in ax.lines if line not in already], palette)
        steps = lineage_steps(series)
        positions_to_x = _x_lookup(data, x_column)
        _draw_steps(ax, steps, positions_to_x, x)
        for mark in marks:
            position = resolve_mark(series, mark)
            line = ax.axvline(positions_to_x[position], color="0.2", linewidth=1.2,
                              linestyle="-", zorder=1)
            line.set_gid(MARK_GID)
            text = ax.annotate(
                mark.label, xy=(positions_to_x[position], 1.0), xycoords=("data", "axes fraction"),
                xytext=(4, -4), textcoords="offset points", ha="left", va="top",
                fontsize="small", color="0.2",
            )
            text.set_gid(MARK_GID)
        if x == "revision":
            _revision_ticks(ax, series, steps)
        else:
            import matplotlib.dates as mdates

            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(xlabel if xlabel is not None else X_LABELS[x])
        ax.set_ylabel(VALUE_LABELS[normalize])
        ax.set_ylim(bottom=0)
        ax.set_title(title if title is not None else f"Keywords in {lineage_title(series)}")
        if ax.get_legend() is not None:
            # outside, right: never over the lines, the markers or the names of the lineage
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1.0), title=None,
                            frameon=False)
    return fig


def keyword_line_gid(keyword: str) -> str:
    """The gid of the line drawn for ``keyword`` (seaborn leaves its data lines unlabelled)."""
    return f"keyword:{keyword}"


def _tag_keyword_lines(lines: list, palette: dict) -> None:
    from matplotlib.colors import to_rgb

    by_colour = {tuple(round(c, 4) for c in to_rgb(colour)): k for k, colour in palette.items()}
    for line in lines:
        if len(line.get_xdata()) == 0:  # seaborn's legend proxies
            continue
        keyword = by_colour.get(tuple(round(c, 4) for c in to_rgb(line.get_color())))
        if keyword is not None:
            line.set_gid(keyword_line_gid(keyword))


def lineage_title(series: "pd.DataFrame") -> str:
    """The name a lineage goes by: its last draft name (the WG draft), else the RFC."""
    names = list(dict.fromkeys(series.sort_values("position")["name"]))
    drafts = [n for n in names if not n.startswith("rfc")]
    return drafts[-1] if drafts else display_name(names[-1])


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
    return {int(p): mdates.date2num(d) for p, d in zip(firsts["position"], firsts["date"])}


def _draw_steps(ax: "Axes", steps: Sequence[LineageStep], to_x: dict, x: str) -> None:
    """A dotted line and a marker where the name changes, the new name beside it reading
    upwards. A lineage of one name gets nothing: the title already names it.

    The first name has no line: it reads upwards in the margin left of the first revision, so
    it never hides that revision's points."""
    if len(steps) < 2:
        return
    for i, step in enumerate(steps):
        at = to_x[step.position]
        if i == 0:
            label_x, offset, align = at, (-5, -4), "right"
        else:
            # between the two revisions on a revision axis; at the new one's date on a date axis
            label_x, offset, align = (at - 0.5 if x == "revision" else at), (3, -4), "left"
            line = ax.axvline(label_x, color="0.45", linestyle=":", linewidth=1.2, zorder=1)
            line.set_gid(STEP_GID)
            marker = ax.plot([label_x], [0], marker="^", color="0.45", markersize=7,
                             clip_on=False, zorder=3, linestyle="none",
                             transform=ax.get_xaxis_transform())[0]
            marker.set_gid(STEP_GID)
        label = ax.annotate(
            display_name(step.name), xy=(label_x, 1.0), xycoords=("data", "axes fraction"),
            xytext=offset, textcoords="offset points", rotation=90, ha=align, va="top",
            fontsize="x-small", color="0.3",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.8},
        )
        label.set_gid(STEP_GID)


def _revision_ticks(ax: "Axes", series: "pd.DataFrame", steps: Sequence[LineageStep]) -> None:
    revisions = series.drop_duplicates("position").sort_values("position")
    labels = list(revisions["label"])
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    max_labels = max(2, int(width_in * _TICK_LABELS_PER_INCH))
    kept = tick_positions(labels, steps, max_labels)
    ax.set_xticks(range(len(labels)), minor=True)
    ax.set_xticks(kept, [labels[p] for p in kept])
    left = 0.7
    if len(steps) > 1:  # room for the first name, drawn left of the first revision
        left = max(left, _FIRST_NAME_MARGIN_IN * len(labels) / width_in)
    ax.set_xlim(-left, len(labels) - 0.3)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.tick_params(axis="x", which="major", length=5)
    ax.grid(False, axis="x", which="minor")

