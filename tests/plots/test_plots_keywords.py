"""The keyword figures draw exactly the keyword stage's counts, on the lineage's axis.

Like seaborn's own tests, these compare the artists (line data, labels, markers), not pixels.
The data is the real draft-ietf-quic-transport lineage (00..34 and RFC 9000) served by the fake
datatracker and counted by the keyword stage.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from draftscope.analyses.keywords import DISPLAY_ORDER
from draftscope.errors import DraftscopeError
from draftscope.plots.keywords import (
    MARK_GID,
    NAMES_GID,
    NOTE_GID,
    STEP_GID,
    LineageStep,
    Mark,
    keyword_series,
    lineage_steps,
    parse_revisions,
    plot_keywords,
    fitting_tick_positions,
)
from draftscope.plots import keywords as _keywords
from draftscope.plots.style import EPIQ_KEYWORDS, save_figure

QUIC = "draft-ietf-quic-transport"


def plot_keywords(*args, **kwargs):
    """The CLI's figure: these tests pin the house look (tick fitting at its font sizes, its
    colours); a notebook's own rcParams are tests/plots/test_notebook_user.py's."""
    kwargs.setdefault("style", "house")
    return _keywords.plot_keywords(*args, **kwargs)

# Checked by hand: the phrase's occurrences in the text (line breaks joined) minus the one in
# the BCP 14 boilerplate paragraph ("The key words "MUST", "MUST NOT", ...").
# MUST in draft 00, draft 14, RFC 9000; MUST NOT in draft 00, RFC 9000.
PINNED_MUST = (60, 151, 214)
PINNED_MUST_NOT = (24, 88)


@pytest.fixture(scope="module")
def quic_revisions(corpus_dir, tmp_path_factory):
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.fetch.session import fetch_lineage

    server = start_server(corpus_dir)
    try:
        settings = Settings.from_env(
            {}, datatracker_url=server.datatracker_url, archive_url=server.archive_url,
            rfc_url=server.rfc_url, cache_dir=tmp_path_factory.mktemp("cache"))
        revisions = fetch_lineage(QUIC, settings=settings, progress=False)
    finally:
        server.stop()
    return [r for r in revisions if r.format == "txt"]


@pytest.fixture(scope="module")
def quic_frame(quic_revisions):
    from draftscope.tables.keywords import keywords_frame

    return keywords_frame(quic_revisions)


# Degenerate lineages of the corpus: no keyword at all (applicability: draft 16 and RFC 9308;
# banks: one revision), one revision (marx: MUST 13, SHOULD 18, SHOULD NOT 3, MAY 10), one
# phrase only (invariants: MUST alone among the EPIQ four, 00..13 and RFC 8999).
APPLICABILITY, BANKS = "draft-ietf-quic-applicability", "draft-banks-quic-performance"
MARX, INVARIANTS = "draft-marx-qlog-event-definitions-quic-h3", "draft-ietf-quic-invariants"


@pytest.fixture(scope="module")
def lineages(corpus_dir, tmp_path_factory):
    """Keyword stage frames of the degenerate lineages, fetched from the fake datatracker."""
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.plots.figures import lineage_keywords

    server = start_server(corpus_dir)
    try:
        settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
        return {n: lineage_keywords(n, settings=settings, progress=False)
                for n in (APPLICABILITY, BANKS, MARX, INVARIANTS)}
    finally:
        server.stop()


def drawn(fig):
    """Draw the figure (constrained layout settles) and return its renderer."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def texts_of(ax, gid):
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def y_ticks(ax):
    low, high = ax.get_ylim()
    return [t for t in ax.get_yticks() if low <= t <= high]


def counts(frame, keyword):
    """The keyword stage's counts for one phrase, in lineage order."""
    rows = frame[frame["keyword"] == keyword]
    return [int(c) for c in rows["count"]]


def keyword_lines(ax):
    """The data lines seaborn drew, by phrase (tagged ``keyword:<phrase>``), in drawing order."""
    return {line.get_gid().split(":", 1)[1]: line for line in ax.lines
            if (line.get_gid() or "").startswith("keyword:")}


def visible_tick_labels(ax):
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


# --- the whole lineage ---------------------------------------------------------------------

def test_lineage_is_36_revisions_rfc_last(quic_frame):
    series = keyword_series(quic_frame)
    labels = list(series.drop_duplicates("position")["label"])
    assert len(labels) == 36
    assert labels[:3] == ["00", "01", "02"] and labels[-2:] == ["34", "RFC 9000"]


def test_each_line_is_the_keyword_stage_counts(quic_frame):
    fig = plot_keywords(quic_frame)
    ax = fig.axes[0]
    lines = keyword_lines(ax)
    assert list(lines) == list(EPIQ_KEYWORDS)
    for keyword, line in lines.items():
        np.testing.assert_array_equal(line.get_xdata(), np.arange(36))
        np.testing.assert_array_equal(line.get_ydata(), counts(quic_frame, keyword))
        assert line.get_marker() not in (None, "None", "")


def test_pinned_counts_of_real_revisions(quic_frame):
    ax = plot_keywords(quic_frame).axes[0]
    lines = keyword_lines(ax)
    must = lines["MUST"].get_ydata()
    must_not = lines["MUST NOT"].get_ydata()
    assert (must[0], must[14], must[-1]) == PINNED_MUST
    assert (must_not[0], must_not[-1]) == PINNED_MUST_NOT


def test_titles_axes_and_legend(quic_frame):
    fig = plot_keywords(quic_frame)
    ax = fig.axes[0]
    assert ax.get_title() == "Keywords in draft-ietf-quic-transport"
    assert ax.get_ylabel() == "Number of appearances"
    assert ax.get_xlabel() == "Draft version"
    legend = ax.get_legend()
    # the name-change marker has its legend entry after the phrases
    assert [t.get_text() for t in legend.get_texts()] == [*EPIQ_KEYWORDS, "name change"]
    marker = legend.legend_handles[-1]
    assert marker.get_marker() == "^" and marker.get_linestyle() == ":"
    assert ax.get_ylim()[0] == 0
    # the names and revisions under the title; the title's own name is not repeated
    assert texts_of(ax, NAMES_GID) == ["drafts 00\u201334  \u2192  RFC 9000"]


def test_name_change_to_the_rfc_is_marked_once(quic_frame):
    """A dotted line and a triangle between draft 34 and the RFC; the RFC is named by its tick
    alone, and no rotated name sits against the left spine or over the lines."""
    ax = plot_keywords(quic_frame).axes[0]
    step_lines = [line for line in ax.lines if line.get_gid() == STEP_GID]
    assert sorted({float(line.get_xdata()[0]) for line in step_lines}) == [34.5]
    assert any(line.get_marker() == "^" for line in step_lines)
    assert not [t for t in ax.texts if t.get_gid() == STEP_GID or t.get_rotation() == 90]
    assert visible_tick_labels(ax)[-1].replace("\n", " ") == "RFC 9000"
    assert [t.get_text() for t in ax.texts].count("RFC 9000") == 0


def test_ticks_of_36_revisions_show_first_and_last_and_never_touch(quic_frame):
    fig = plot_keywords(quic_frame)
    ax = fig.axes[0]
    renderer = drawn(fig)
    labelled = [t for t in ax.get_xticklabels() if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labelled]
    assert len(boxes) >= 10
    for a, b in zip(boxes, boxes[1:]):
        assert b.x0 - a.x1 >= 4, f"tick labels {a} and {b} touch"
    labels = visible_tick_labels(ax)
    assert labels[0] == "00" and labels[-1].replace("\n", " ") == "RFC 9000"
    # no gap of more than twice the stride before the RFC ("27 ... RFC 9000" dropped 30 and 33)
    positions = [int(round(x)) for x, t in zip(ax.get_xticks(), ax.get_xticklabels())
                 if t.get_text()]
    strides = [b - a for a, b in zip(positions, positions[1:])]
    assert strides[-1] <= 2 * min(strides)
    # every revision still has a tick (a minor one where its label was thinned out)
    ticks = set(ax.get_xticks()) | set(ax.get_xticks(minor=True))
    assert ticks == set(range(36))


def labelled_positions(fig):
    drawn(fig)
    ax = fig.axes[0]
    return [int(round(x)) for x, t in zip(ax.get_xticks(), ax.get_xticklabels()) if t.get_text()]


def test_last_draft_before_the_rfc_is_labelled_where_it_fits(lineages):
    """draft-ietf-quic-invariants 00..13 + RFC 8999 at 10x4 inches: 13 is labelled right
    before the RFC although the grid of every revision would also give it; at 8x3 (one revision
    ~25 pt, "13" and "RFC/8999" need ~32 pt with a clear gap) 13 cannot fit and the grid of 2
    ends at 12, a stride from the RFC; no two labels ever touch."""
    fig = plot_keywords(lineages[INVARIANTS], ["MUST"], figsize=(10.0, 4.0))
    positions = labelled_positions(fig)
    assert positions[0] == 0 and positions[-2:] == [13, 14]
    assert labelled_positions(plot_keywords(lineages[INVARIANTS], figsize=(8.0, 3.0)))[-2:] == [12, 14]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert all(b.x0 - a.x1 >= 4 for a, b in zip(boxes, boxes[1:]))


@pytest.mark.parametrize("size", [None, (8.0, 3.0), (6.0, 4.0), (12.0, 5.0), (5.0, 3.5)])
def test_no_gap_between_labels_of_two_strides(quic_frame, size):
    """draft-ietf-quic-transport 00..34 + RFC 9000: labels from the start and the end meet with
    no hole of two strides (was 00, 03 ... 30, RFC 9000 with 33 and 34 unlabelled at some
    sizes), and the grid keeps every revision that fits: at 8x4.5 the labels run 00, 03 ... 27,
    30, RFC 9000 (issue 17: 27, 31, RFC 9000 skipped 30 although it fits)."""
    from collections import Counter

    positions = labelled_positions(plot_keywords(quic_frame, figsize=size))
    steps = [b - a for a, b in zip(positions, positions[1:])]
    stride = Counter(steps).most_common(1)[0][0]
    assert positions[0] == 0 and positions[-1] == 35
    assert max(steps) < 2 * stride, (size, positions)
    if size in (None, (8.0, 3.0)):
        assert positions == list(range(0, 31, 3)) + [35]


@pytest.mark.parametrize("size", [(8.0, 4.5), (5.0, 3.5), (12.0, 5.0)])
def test_no_label_overlaps_another_or_a_line_end(quic_frame, size):
    """At any figure size: tick labels, title, names line, legend, mark and axis labels never
    overlap each other, and none covers the last point of a data line (the RFC's counts)."""
    fig = plot_keywords(quic_frame, marks=["10=study start"], figsize=size)
    ax = fig.axes[0]
    renderer = drawn(fig)
    labels = ([t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
              + [ax.title, ax.xaxis.label, ax.yaxis.label]
              + [t for t in ax.texts if t.get_text()])
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    boxes.append(("legend", ax.get_legend().get_window_extent(renderer)))
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{name_a!r} overlaps {name_b!r} at {size}"
    for line in keyword_lines(ax).values():
        end = ax.transData.transform(line.get_xydata()[-1])
        for name, box in boxes:
            assert not box.contains(*end), f"{name!r} covers the end of {line.get_gid()}"


# --- the EPIQ'18 figure ------------------------------------------------------------------

def test_epiq_figure(quic_frame):
    epiq = [f"{QUIC}-{i:02d}" for i in range(15)]
    fig = plot_keywords(quic_frame, revisions=epiq, marks=[f"{QUIC}-10=study start"],
                        title=f"Keywords in {QUIC}")
    ax = fig.axes[0]
    lines = keyword_lines(ax)
    first15 = quic_frame[quic_frame["rev"].isin([f"{i:02d}" for i in range(15)])]
    for keyword in EPIQ_KEYWORDS:
        np.testing.assert_array_equal(lines[keyword].get_ydata(), counts(first15, keyword))
        assert len(lines[keyword].get_xdata()) == 15
    mark_lines = [line for line in ax.lines if line.get_gid() == MARK_GID]
    assert [float(line.get_xdata()[0]) for line in mark_lines] == [10.0]
    assert [t.get_text() for t in ax.texts if t.get_gid() == MARK_GID] == ["study start"]
    # one name only: no lineage steps drawn, no names line, no legend entry for them
    assert not [a for a in ax.lines + ax.texts if a.get_gid() in (STEP_GID, NAMES_GID)]
    assert "name change" not in [t.get_text() for t in ax.get_legend().get_texts()]
    drawn(fig)
    assert visible_tick_labels(ax) == [f"{i:02d}" for i in range(15)]
    assert ax.get_xlabel() == "Draft version"
    assert ax.get_ylabel() == "Number of appearances"


# --- options -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quic_sizes(quic_revisions):
    from draftscope.tables.keywords import revision_sizes

    return revision_sizes(quic_revisions)


def test_normalise_per_1000_words(quic_sizes, quic_frame):
    sizes = quic_sizes
    sized = quic_frame.merge(sizes, on=["name", "rev"])
    ax = plot_keywords(sized, ["MUST"], normalize="per-1000-words").axes[0]
    line = keyword_lines(ax)["MUST"]
    words = list(sizes["words"])
    expected = [c * 1000 / w for c, w in zip(counts(quic_frame, "MUST"), words)]
    np.testing.assert_allclose(line.get_ydata(), expected)
    assert ax.get_ylabel() == "Appearances per 1000 words"


def test_revision_sizes_of_real_revisions(quic_revisions):
    from draftscope.tables.keywords import revision_sizes

    sizes = revision_sizes(quic_revisions).set_index("rev")
    # draft 10 ends with "[Page 101]"; RFC 9000's text is not paginated: 8486 lines / 46.4
    assert sizes.loc["10", "pages"] == 101
    assert sizes.loc["34", "pages"] == 207
    assert sizes.loc["rfc9000", "pages"] == 183


def test_keyword_frame_carries_the_same_sizes(quic_revisions, quic_frame):
    from draftscope.tables.keywords import keywords_frame

    epiq = [r for r in quic_revisions if r.rev in ("10", "34", "rfc9000")]
    sized = keywords_frame(epiq, sizes=True)
    assert list(sized.columns) == ["lineage", "name", "rev", "label", "date", "keyword", "count",
                                   "pages", "words"]
    assert set(sized["lineage"]) == {QUIC}            # the RFC's rows too
    assert list(sized.drop_duplicates("rev")["label"]) == [f"{QUIC}-10", f"{QUIC}-34", "rfc9000"]
    per_revision = sized.drop_duplicates("rev").set_index("rev")
    assert per_revision["pages"].to_dict() == {"10": 101, "34": 207, "rfc9000": 183}
    assert per_revision["words"].to_dict() == {"10": 32412, "34": 65609, "rfc9000": 57753}
    # the counts are the keyword stage's, unchanged by carrying sizes
    plain = quic_frame[quic_frame["rev"].isin(["10", "34", "rfc9000"])].reset_index(drop=True)
    assert sized[list(plain.columns)].equals(plain)


def test_per_page_says_why_it_steps_at_the_rfc(quic_sizes, quic_frame):
    """RFC 9000 has 183 pages (estimated from its lines), draft 34 207: MUST per page steps from
    1.05 to 1.17 while the count goes 217 -> 214. The figure says the step is the size; per
    1000 words it says the same (57,753 words against 65,609: the RFC dropped the change log)."""
    sized = quic_frame.merge(quic_sizes, on=["name", "rev"])
    ax = plot_keywords(sized, normalize="per-page").axes[0]
    must = keyword_lines(ax)["MUST"].get_ydata()
    assert (round(must[-2], 2), round(must[-1], 2)) == (1.05, 1.17)
    assert [" ".join(t.split()) for t in texts_of(ax, NOTE_GID)] == [
        "RFC 9000 has 12% fewer pages than draft 34 (183 vs 207): values per page step there "
        "with the text's size, not with its keywords"]
    words = plot_keywords(sized, normalize="per-1000-words").axes[0]
    assert texts_of(words, NOTE_GID)[0].startswith(
        "RFC 9000 has 12% fewer words than draft 34 (57,753 vs 65,609)")
    # raw counts need no such note
    assert texts_of(plot_keywords(sized).axes[0], NOTE_GID) == []


def test_normalise_per_page_needs_sizes(quic_frame):
    with pytest.raises(DraftscopeError, match="pages"):
        plot_keywords(quic_frame, normalize="per-page")


def test_x_date_draws_at_publication_dates(quic_revisions, quic_frame):
    import matplotlib.dates as mdates
    import pandas as pd

    ax = plot_keywords(quic_frame, ["MUST"], x="date").axes[0]
    line = keyword_lines(ax)["MUST"]
    dates = [pd.Timestamp(r.date).tz_convert(None) for r in quic_revisions]
    np.testing.assert_allclose(line.get_xdata(), mdates.date2num(dates))
    # draft 00 (2016-11-29) first, RFC 9000 (May 2021) last
    first, last = mdates.num2date(line.get_xdata()[[0, -1]])
    assert (first.year, first.month, last.year, last.month) == (2016, 11, 2021, 5)
    np.testing.assert_array_equal(line.get_ydata(), counts(quic_frame, "MUST"))
    assert ax.get_xlabel() == "Publication date"


@pytest.mark.parametrize("align", ["revision", "date"])
def test_no_text_hides_a_point(quic_sizes, quic_frame, align):
    """Normalised, draft 00's MUST (60 in 14323 words: 4.19 per 1000) is near the top (draft
    02's 4.34 is the highest): no text drawn in or around the axes covers any point."""
    sized = quic_frame.merge(quic_sizes, on=["name", "rev"])
    fig = plot_keywords(sized, normalize="per-1000-words", align=align)
    ax = fig.axes[0]
    renderer = drawn(fig)
    must = keyword_lines(ax)["MUST"].get_ydata()
    assert (round(must[0], 2), round(max(must), 2)) == (4.19, 4.34)
    boxes = [t.get_window_extent(renderer) for t in ax.texts] + [ax.title.get_window_extent(renderer)]
    for line in keyword_lines(ax).values():
        for px, py in ax.transData.transform(line.get_xydata()):
            assert not any(b.x0 - 2 <= px <= b.x1 + 2 and b.y0 - 2 <= py <= b.y1 + 2
                           for b in boxes), f"a text covers a {line.get_gid()} point"


def test_mark_must_name_a_revision_of_the_plot(quic_frame):
    with pytest.raises(DraftscopeError, match="no revision 99"):
        plot_keywords(quic_frame, marks=["99=nothing"])
    with pytest.raises(DraftscopeError, match="REV=LABEL"):
        Mark.parse("10")


def test_unknown_keyword_is_refused(quic_frame):
    with pytest.raises(DraftscopeError, match="MUSTARD"):
        plot_keywords(quic_frame, ["MUSTARD"])


# --- pure helpers on real lineage shapes ---------------------------------------------------

def test_tick_positions_keep_first_last_and_name_changes():
    # draft-ford-mptcp-multiaddressed 00..03, draft-ietf-mptcp-multiaddressed 00..12, RFC 6824;
    # two-digit labels 1.2 revisions wide, "RFC 6824" 4, a gap of 0.8 between labels
    widths = [1.2] * 17 + [4.0]
    kept = fitting_tick_positions(widths, [0, 4, 17], gap=0.8)
    assert kept[0] == 0 and kept[-1] == 17 and 4 in kept
    stride = 2   # the smallest of 1, 2, 3, 5... at which 1.2 + 0.8 fits
    assert kept == [0, 2, 4, 6, 8, 10, 12, 17]
    assert all(b - a >= stride for a, b in zip(kept, kept[1:]))
    # the wide RFC label keeps (4 + 1.2) / 2 + 2 * 0.8 = 4.2 revisions from its neighbour
    assert 17 - kept[-2] >= 4.2


def test_tick_positions_always_keep_first_and_last():
    assert fitting_tick_positions([5.0, 5.0]) == [0, 1]   # even when they cannot fit
    assert fitting_tick_positions([1.0]) == [0]
    assert fitting_tick_positions([]) == []


def test_parse_revisions():
    assert parse_revisions("00..03") == ["00", "01", "02", "03"]
    assert parse_revisions("10,12,rfc9000") == ["10", "12", "rfc9000"]
    assert parse_revisions(f"{QUIC}-08..10") == [f"{QUIC}-08", f"{QUIC}-09", f"{QUIC}-10"]
    for bad in ("14..00", "a..b", "", f"{QUIC}-00..draft-x-02"):
        with pytest.raises(DraftscopeError, match="revisions="):
            parse_revisions(bad)


def test_revisions_as_a_range_string(quic_frame):
    ax = plot_keywords(quic_frame, revisions="30..34,rfc9000").axes[0]
    assert list(keyword_lines(ax)["MUST"].get_ydata()) == counts(quic_frame, "MUST")[30:]


def test_lineage_steps_of_the_quic_lineage(quic_frame):
    steps = lineage_steps(keyword_series(quic_frame))
    assert steps == [LineageStep(0, QUIC, "wg"), LineageStep(35, "rfc9000", "rfc")]


# --- files ---------------------------------------------------------------------------------

def test_saved_as_png_svg_and_the_plotted_csv(quic_frame, tmp_path):
    import pandas as pd

    fig = plot_keywords(quic_frame, marks=["10=study start"])
    data = keyword_series(quic_frame)
    saved = save_figure(fig, data, tmp_path, f"{QUIC}_keywords")
    assert saved.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = saved.svg.read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Keywords in draft-ietf-quic-transport" in svg and "study start" in svg
    written = pd.read_csv(saved.csv, dtype={"rev": str})
    assert list(written.columns[:4]) == ["name", "rev", "keyword", "count"]
    assert len(written) == 36 * 4
    must = written[written["keyword"] == "MUST"]
    assert list(must["count"]) == counts(quic_frame, "MUST")
    assert not list(tmp_path.glob(".*partial"))


# --- degenerate data -----------------------------------------------------------------------

def test_all_zero_lineage_says_so_on_integer_ticks(lineages):
    """draft-ietf-quic-applicability 16 and RFC 9308 use no BCP 14 keyword: no line, a note in
    the axes, whole-number y ticks from 0, and both revisions keep their tick labels."""
    fig = plot_keywords(lineages[APPLICABILITY])
    ax = fig.axes[0]
    drawn(fig)
    assert not keyword_lines(ax)
    assert texts_of(ax, NOTE_GID) == ["No BCP 14 keywords\nin either revision"]
    ticks = y_ticks(ax)
    assert ticks[0] == 0 and len(ticks) >= 3 and all(float(t).is_integer() for t in ticks)
    assert [t.replace("\n", " ") for t in visible_tick_labels(ax)] == ["16", "RFC 9308"]


def test_one_revision_without_keywords(lineages):
    fig = plot_keywords(lineages[BANKS], list(DISPLAY_ORDER))
    ax = fig.axes[0]
    drawn(fig)
    assert texts_of(ax, NOTE_GID) == ["No BCP 14 keywords\nin this revision"]
    assert visible_tick_labels(ax) == ["00"]
    assert all(float(t).is_integer() for t in y_ticks(ax))
    assert ax.get_legend() is None


def test_one_revision_is_drawn_as_bars_not_overplotted_points(lineages):
    """One revision: a bar per phrase that occurs, its count written on it; no lines whose
    single points would sit on each other; whole-number ticks (not 0.2, 0.4...)."""
    fig = plot_keywords(lineages[MARX])
    ax = fig.axes[0]
    renderer = drawn(fig)
    bars = {p.get_gid().split(":", 1)[1]: p.get_height() for p in ax.patches
            if (p.get_gid() or "").startswith("keyword:")}
    assert bars == {"MUST": 13, "SHOULD": 18, "SHOULD NOT": 3}
    assert not keyword_lines(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["MUST", "SHOULD", "SHOULD NOT"]
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() is None) == ["13", "18", "3"]
    assert all(float(t).is_integer() for t in y_ticks(ax))
    assert ax.get_xlabel() == f"{MARX}-02 (one revision)"
    # MUST NOT never occurs: named, not drawn
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["never used: MUST NOT"]
    boxes = [t.get_window_extent(renderer) for t in ax.texts + ax.get_xticklabels()]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_all_keywords_leave_the_unused_ones_out_of_the_legend(quic_frame):
    """--keywords all on QUIC transport: REQUIRED, SHALL NOT and NOT RECOMMENDED never occur in
    any revision; they get no line and one legend entry naming them."""
    fig = plot_keywords(quic_frame, list(DISPLAY_ORDER))
    ax = fig.axes[0]
    renderer = drawn(fig)
    never = ["REQUIRED", "SHALL NOT", "NOT RECOMMENDED"]
    for keyword in never:
        assert not (quic_frame.loc[quic_frame["keyword"] == keyword, "count"] > 0).any()
    used = [k for k in DISPLAY_ORDER if k not in never]
    assert list(keyword_lines(ax)) == used
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:len(used)] == used and texts[len(used)] == "name change"
    assert texts[-1].replace("\n", " ") == "never used: REQUIRED, SHALL NOT, NOT RECOMMENDED"
    # a phrase keeps its marker whatever else is drawn
    assert keyword_lines(ax)["SHOULD"].get_marker() == keyword_lines(
        plot_keywords(quic_frame).axes[0])["SHOULD"].get_marker()
    assert all(float(t).is_integer() for t in y_ticks(ax))
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x1 <= fig.bbox.width


def test_one_phrase_lineage_on_integer_ticks(lineages):
    """Invariants: MUST between 2 and 5, the other three never: one line, ticks 0, 1, 2..."""
    fig = plot_keywords(lineages[INVARIANTS])
    ax = fig.axes[0]
    drawn(fig)
    assert list(keyword_lines(ax)) == ["MUST"]
    assert max(keyword_lines(ax)["MUST"].get_ydata()) == 5
    assert all(float(t).is_integer() for t in y_ticks(ax))
    labels = visible_tick_labels(ax)
    assert labels[0] == "00" and labels[-1].replace("\n", " ") == "RFC 8999"
