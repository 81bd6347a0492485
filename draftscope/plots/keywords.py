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

# Room between two tick labels, in multiples of the label font's size (1 em).
_TICK_GAP_EM = 1.0

# A normalised value's step at a name change is explained on the figure when the size it is
# divided by changes by this fraction or more (RFC 9000 is 12% shorter than draft 34).
SIZE_STEP_NOTE = 0.10

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
    """Tick text for one revision: ``07`` for a draft, ``RFC 9000`` for an RFC, the file's name
    for a local file that has no revision number."""
    return display_name(name) if name.startswith("rfc") or not rev else rev


def revision_label(name: str, rev: str) -> str:
    """``draft-x-07`` / ``RFC 9000`` / a local file's name: one revision in a sentence."""
    if name.startswith("rfc"):
        return display_name(name)
    return f"{name}-{rev}" if rev else name


def parse_revisions(text: str | Iterable[str]) -> list[str]:
    """``"00..14"`` -> ``["00", ..., "14"]``; ``"10,12,rfc9000"`` -> those three. Items are
    revision labels as :func:`keyword_series` takes them (``07``, ``draft-x-07``, ``rfc9000``);
    a range ``A..B`` (two revision numbers, optionally after a draft name: ``draft-x-00..14``)
    stands for every revision from A to B."""
    items = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    labels: list[str] = []
    for item in items:
        if not item:
            continue
        if ".." not in item:
            labels.append(item)
            continue
        match = re.fullmatch(r"(?:(draft-[a-z0-9-]+)-)?(\d{1,3})\.\.(?:(draft-[a-z0-9-]+)-)?(\d{1,3})",
                             item, re.IGNORECASE)
        if match is None or (match.group(3) and match.group(3) != match.group(1)):
            raise PlotInputError(f"--revisions: {item!r} is not a range of revisions "
                                 f"(write e.g. 00..14 or draft-x-00..14)")
        first, last = int(match.group(2)), int(match.group(4))
        if first > last:
            raise PlotInputError(f"--revisions: {item!r} runs backwards")
        prefix = f"{match.group(1)}-" if match.group(1) else ""
        labels.extend(f"{prefix}{i:02d}" for i in range(first, last + 1))
    if not labels:
        raise PlotInputError("--revisions: no revision given")
    return list(dict.fromkeys(labels))


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


def missing_revisions(frame: "pd.DataFrame", revisions: Iterable[str]) -> list[str]:
    """The revisions asked for (as ``--revisions`` writes them) that ``frame`` does not have."""
    keys = list(dict.fromkeys(zip(frame["name"], frame["rev"])))
    return [w for w in revisions if not any(_matches_any(key, [w]) for key in keys)]


def revision_span(frame: "pd.DataFrame") -> str:
    """The revisions of a lineage in a few words: ``00..13, rfc8999``."""
    parts: list[str] = []
    runs = _runs(list(dict.fromkeys(zip(frame["name"], frame["rev"]))))
    named = len([n for n, _ in runs if not n.startswith("rfc")]) > 1   # say whose 00..03
    for name, revs in runs:
        if name.startswith("rfc"):
            parts.append(name)
        elif revs:
            span = revs[0] if len(revs) == 1 else f"{revs[0]}..{revs[-1]}"
            parts.append(f"{name}-{span}" if named else span)
    return ", ".join(parts)


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


def fitting_tick_positions(widths: Sequence[float], anchors: Sequence[int] = (), *,
                   gap: float = 0.0) -> list[int]:
    """Which revisions get a tick label so that no two labels touch and none leaves a hole.

    ``widths`` are the labels' widths and ``gap`` the room wanted between two labels, both in
    revisions (x data units; a label more than twice the typical width gets twice the gap).
    The first and the last revision are always labelled, then the ``anchors`` (first revisions
    of each name, the last draft before the RFC) where they fit. Between two labelled revisions,
    every ``stride``-th one (the smallest of 1, 2, 3, 5, 10, ... at which typical labels fit)
    counted from the earlier while it fits; where that leaves a hole of two strides or more
    before the later (the grid meeting the RFC), the tail of the grid is spread evenly instead.
    """
    n = len(widths)
    if n == 0:
        return []
    kept: list[int] = []
    typical = sorted(widths)[len(widths) // 2]

    def air(p: int, k: int) -> float:
        # a wide label (RFC 9000 among two-digit revisions) gets twice the air: a narrow gap
        # next to it reads as one label "30 RFC 9000"
        return gap * (2.0 if max(widths[p], widths[k]) > 2 * typical else 1.0)

    def clear(p: int, k: int) -> bool:
        return abs(p - k) >= (widths[p] + widths[k]) / 2 + air(p, k)

    def fits(p: int, among: Iterable[int] = ()) -> bool:
        return all(clear(p, k) for k in [*kept, *among] if k != p)

    kept.append(n - 1)
    if n > 1:
        kept.append(0)   # the first and the last revision are labelled whatever their room
    for p in anchors:
        if 0 <= p < n and p not in kept and fits(p):
            kept.append(p)
    stride = next(s for s in _strides() if s >= typical + gap)
    bounds = sorted(kept)
    for a, b in zip(bounds, bounds[1:]):
        kept.extend(_fill_between(a, b, stride, fits))
    return sorted(kept)


def _fill_between(a: int, b: int, stride: int, fits) -> list[int]:
    """Labels strictly between labelled ``a`` < ``b``: the stride grid from ``a`` (27, 30, RFC
    9000, not 27, 31), its tail respaced up to ``b`` only if it leaves a hole of two strides."""
    grid: list[int] = []
    for p in range(a + stride, b, stride):
        if not fits(p, grid):
            break
        grid.append(p)

    def widest(placed: list[int]) -> int:
        edges = [a, *placed, b]
        return max(y - x for x, y in zip(edges, edges[1:]))

    best: list[int] | None = None
    for j in range(len(grid), -1, -1):          # the most grid labels first
        head = grid[:j]
        start = head[-1] if head else a
        options = [head] if j == len(grid) else []
        # spread evenly up to ``b``, or up to the last revision that keeps clear of ``b``
        # (a wide RFC label) and then that one
        last = next((p for p in range(b - 1, start, -1) if fits(p, head)), None)
        ends = [(b, [])] + ([(last, [last])] if last is not None else [])
        for end, extra in ends:
            length = end - start
            for parts in {max(1, math.ceil(length / stride)), max(1, math.ceil(length / stride) - 1)}:
                tail = sorted({start + round(i * length / parts) for i in range(1, parts)}) + extra
                if all(fits(p, head + tail) for p in tail):
                    options.append(head + tail)
        for placed in options:
            if widest(placed) < 2 * stride:
                return placed
            if best is None or widest(placed) < widest(best):
                best = placed
    return best if best is not None else []


def _strides():
    yield from (1, 2, 3, 4, 5)
    scale = 10
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def tick_positions(labels: Sequence[str], steps: Sequence[LineageStep], max_labels: int) -> list[int]:
    """Which revisions get a tick label, from a label budget (``max_labels`` across the axis):
    the rule of a fixed-width axis such as the definitions timeline's, whose real width is not
    known here. Keyword figures measure the real labels at draw time instead.

    A label's room: a stride for two characters a line, two for four (the RFC's stacked), else
    three; then :func:`fitting_tick_positions` chooses: first and last, each name's first
    revision and the last draft before its RFC where they fit, the stride grid between.
    """
    n = len(labels)
    if n == 0:
        return []
    stride = max(1, math.ceil(n / max(1, max_labels)))
    chars = [max(map(len, label.split("\n"))) for label in labels]   # of the longest line
    rooms = [stride * (1.0 if c <= 2 else 2.0 if c <= 4 else 3.0) for c in chars]
    anchors = [s.position for s in steps]
    if n > 2 and labels[-1].startswith("RFC") and not labels[-2].startswith("RFC"):
        anchors.append(n - 2)
    return fitting_tick_positions(rooms, anchors)


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
    align: str = "revision",
    marks: Sequence[Mark | str] = (),
    revisions: Iterable[str] | str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    figsize: tuple[float, float] | None = None,
    ax: "Axes | None" = None,
    x: str | None = None,
    explain: Sequence = (),
) -> "Figure":
    """Draw keyword counts across a lineage, one line per phrase; returns the Figure.

    ``frame`` is the keyword stage's tidy frame for one lineage. ``align`` is the x axis
    (``revision``: lineage order; ``date``: publication dates). ``revisions`` keeps some
    revisions (labels, or a ``"00..14"`` / comma-separated string, see :func:`parse_revisions`).
    ``marks`` are vertical markers (``Mark`` or ``"REV=LABEL"``). ``figsize`` is in inches.
    Pass ``ax`` to draw into an existing Axes (small multiples). ``x`` is the old name of
    ``align``. ``explain``: :class:`~draftscope.plots.explain.Explanation` notes to write at
    their jumps (``plot --explain``).
    """
    import seaborn as sns

    from draftscope.plots.style import (FIGSIZE, figure_style, keyword_markers, keyword_palette,
                                        new_figure)

    align = x if x is not None else align
    if align not in X_AXES:
        raise PlotInputError(f"unknown x axis {align!r} (choose from {', '.join(X_AXES)})")
    if isinstance(revisions, str):
        revisions = parse_revisions(revisions)
    series = keyword_series(frame, keywords, normalize=normalize, revisions=revisions)
    keywords = list(dict.fromkeys(keywords))
    marks = [m if isinstance(m, Mark) else Mark.parse(m) for m in marks]
    if align == "date" and series["date"].isna().any():
        missing = series.loc[series["date"].isna(), "label"].unique()
        raise PlotInputError(
            f"--align date needs a date for every revision; missing for {', '.join(missing)}"
        )
    zero = [k for k in keywords if not (series.loc[series["keyword"] == k, "count"] > 0).any()]
    drawn = [k for k in keywords if k not in zero]
    n_revisions = int(series["position"].nunique())

    with figure_style():
        if ax is None:
            fig, ax = new_figure(figsize or FIGSIZE)
        else:
            fig = ax.figure
        palette = keyword_palette(keywords)
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
            _tag_keyword_lines([line for line in ax.lines if line not in already], palette)
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


def names_line(series: "pd.DataFrame", title: str = "") -> str:
    """The names of a lineage with their revisions, read under the title: ``draft-ford-x 00-03
    -> draft-ietf-x 00-12 -> RFC 6824``; empty for a lineage of one name (the title names it)."""
    revisions = series.drop_duplicates("position").sort_values("position")
    parts: list[str] = []
    for index, (name, rows) in enumerate(_runs(list(zip(revisions["name"], revisions["rev"])))):
        if name.startswith("rfc"):
            parts.append(display_name(name))
            continue
        revs = [r for r in rows if r]
        span = "" if not revs else (f" {revs[0]}" if len(revs) == 1 else f" {revs[0]}\u2013{revs[-1]}")
        if index == 0 and name in title and revs:   # the title names it already
            parts.append(f"draft{'s' if len(revs) > 1 else ''}{span}")
        else:
            parts.append(f"{name}{span}")
    return "  \u2192  ".join(parts) if len(parts) > 1 else ""


def _runs(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    runs: list[tuple[str, list[str]]] = []
    for name, rev in pairs:
        if runs and runs[-1][0] == name:
            runs[-1][1].append(rev)
        else:
            runs.append((name, [rev]))
    return runs


def size_step_note(series: "pd.DataFrame", normalize: str) -> str:
    """One line saying where a normalised value steps because the text's size changed at a
    name change (the RFC drops the drafts' change log: 12% fewer words than draft 34), so the
    step is not read as a change in requirements; empty when no size changed that much."""
    column = "pages" if normalize == "per-page" else "words"
    if column not in series.columns:
        return ""
    revisions = series.drop_duplicates("position").sort_values("position")
    sizes = list(zip(revisions["name"], revisions["label"], revisions[column]))
    notes = []
    for (name_a, label_a, size_a), (name_b, label_b, size_b) in zip(sizes, sizes[1:]):
        if name_a == name_b or not size_a or not size_b:
            continue
        change = (size_b - size_a) / size_a
        if abs(change) >= SIZE_STEP_NOTE:
            unit = "pages" if column == "pages" else "words"
            notes.append(f"{_short(name_b, label_b)} has {abs(change):.0%} "
                         f"{'fewer' if change < 0 else 'more'} {unit} than "
                         f"{_short(name_a, label_a)} ({size_b:,} vs {size_a:,})")
    if not notes:
        return ""
    what = "per page" if column == "pages" else "per 1000 words"
    return ("; ".join(notes) + f": values {what} step there with the text's size, "
            "not with its keywords")


def _short(name: str, label: str) -> str:
    """``draft 34`` / ``RFC 9000`` in a note (the names line says which draft)."""
    return label if name.startswith("rfc") or not label.isdigit() else f"draft {label}"


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
                   bbox={"boxstyle": "square,pad=0.4", "facecolor": "white",
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
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none",
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


class _RevisionLocator:
    """Chooses, at draw time, which revisions get a labelled tick: from the axes' real width
    and the labels' real text widths, so labels never touch at any figure size."""

    def __init__(self, labels: Sequence[str], anchors: Sequence[int]) -> None:
        self.labels = list(labels)
        self.anchors = list(anchors)
        self.texts = {i: label for i, label in enumerate(self.labels)}
        import matplotlib as mpl
        from matplotlib.font_manager import FontProperties

        # the tick labels' font as the house style sets it while the figure is drawn
        self.prop = FontProperties(size=mpl.rcParams["xtick.labelsize"])
        self._widths: dict[str, float] = {}

    def positions(self, ax: "Axes") -> list[int]:
        size = self.prop.get_size_in_points()
        lo, hi = ax.get_xlim()
        width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72.0
        per_unit = width_pt / max(hi - lo, 1e-9)   # points per revision
        gap = _TICK_GAP_EM * size / per_unit

        one_line = list(self.labels)
        anchors = list(self.anchors)
        if len(one_line) > 2 and one_line[-1].startswith("RFC ") and not one_line[-2].startswith("RFC "):
            anchors.append(len(one_line) - 2)   # the last draft, right before its RFC
        stacked = [t.replace(" ", "\n", 1) if t.startswith("RFC ") else t for t in self.labels]
        best = fitting_tick_positions([self._width(t) / per_unit for t in one_line], anchors, gap=gap)
        self.texts = dict(enumerate(one_line))
        if stacked != one_line:
            alternative = fitting_tick_positions([self._width(t) / per_unit for t in stacked],
                                                 anchors, gap=gap)
            if len(alternative) > len(best):
                best, self.texts = alternative, dict(enumerate(stacked))
        return best

    def _width(self, text: str) -> float:
        """Width of a (possibly two-line) tick label in points, measured once per text."""
        if text not in self._widths:
            from matplotlib.textpath import text_to_path

            self._widths[text] = max(
                text_to_path.get_text_width_height_descent(line, self.prop, ismath=False)[0]
                for line in text.split("\n"))
        return self._widths[text]


def _revision_ticks(ax: "Axes", series: "pd.DataFrame", steps: Sequence[LineageStep]) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, Locator

    revisions = series.drop_duplicates("position").sort_values("position")
    labels = list(revisions["label"])
    chooser = _RevisionLocator(labels, [s.position for s in steps])

    class Major(Locator):
        def __call__(self):
            return chooser.positions(self.axis.axes)

    ax.xaxis.set_major_locator(Major())
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _pos: chooser.texts.get(int(round(value)), "")))
    ax.xaxis.set_minor_locator(FixedLocator(range(len(labels))))
    ax.set_xlim(-0.7, len(labels) - 0.3)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.tick_params(axis="x", which="major", length=5)
    ax.grid(False, axis="x", which="minor")
