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

from draftscope.errors import DraftscopeError
from draftscope.plots.keywords import (
    MARK_GID,
    STEP_GID,
    LineageStep,
    Mark,
    keyword_series,
    lineage_steps,
    plot_keywords,
    tick_positions,
)
from draftscope.plots.style import EPIQ_KEYWORDS, save_figure

QUIC = "draft-ietf-quic-transport"

# Checked by hand: the phrase's occurrences in the text (line breaks joined) minus the one in
# the BCP 14 boilerplate paragraph ("The key words "MUST", "MUST NOT", ...").
# MUST in draft 00, draft 14, RFC 9000; MUST NOT in draft 00, RFC 9000.
PINNED_MUST = (60, 151, 214)
PINNED_MUST_NOT = (24, 88)


@pytest.fixture(scope="module")
def quic_revisions(corpus_dir, tmp_path_factory):
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.fetch.lineage import fetch_lineage

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
    ax = plot_keywords(quic_frame).axes[0]
    assert ax.get_title() == "Keywords in draft-ietf-quic-transport"
    assert ax.get_ylabel() == "Number of appearances"
    assert ax.get_xlabel() == "Draft version"
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(EPIQ_KEYWORDS)
    assert ax.get_ylim()[0] == 0


def test_name_change_to_the_rfc_is_marked(quic_frame):
    ax = plot_keywords(quic_frame).axes[0]
    step_lines = [line for line in ax.lines if line.get_gid() == STEP_GID]
    # the dotted line between draft 34 and the RFC, and the triangle on the axis under it
    assert sorted({float(line.get_xdata()[0]) for line in step_lines}) == [34.5]
    assert any(line.get_marker() == "^" for line in step_lines)
    names = [t.get_text() for t in ax.texts if t.get_gid() == STEP_GID]
    assert names == [QUIC, "RFC 9000"]
    assert visible_tick_labels(ax)[-1] == "RFC 9000"


def test_tick_labels_do_not_overlap_for_36_revisions(quic_frame):
    fig = plot_keywords(quic_frame)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert len(boxes) >= 8
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "tick labels overlap"
    labels = visible_tick_labels(ax)
    assert labels[0] == "00"
    # every revision still has a tick (a minor one where its label was thinned out)
    ticks = set(ax.get_xticks()) | set(ax.get_xticks(minor=True))
    assert ticks == set(range(36))


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
    # one name only: no lineage steps drawn
    assert not [a for a in ax.lines + ax.texts if a.get_gid() == STEP_GID]
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
    assert list(sized.columns) == ["name", "rev", "date", "keyword", "count", "pages", "words"]
    per_revision = sized.drop_duplicates("rev").set_index("rev")
    assert per_revision["pages"].to_dict() == {"10": 101, "34": 207, "rfc9000": 183}
    assert per_revision["words"].to_dict() == {"10": 32412, "34": 65609, "rfc9000": 57753}
    # the counts are the keyword stage's, unchanged by carrying sizes
    plain = quic_frame[quic_frame["rev"].isin(["10", "34", "rfc9000"])].reset_index(drop=True)
    assert sized[list(plain.columns)].equals(plain)


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


@pytest.mark.parametrize("x", ["revision", "date"])
def test_first_name_hides_no_point(quic_sizes, quic_frame, x):
    """Normalised, draft 00's MUST (60 in 14323 words: 4.19 per 1000) is near the top (draft
    02's 4.34 is the highest); the lineage's first name, read upwards from the top, sits left of
    it rather than over it."""
    sized = quic_frame.merge(quic_sizes, on=["name", "rev"])
    fig = plot_keywords(sized, normalize="per-1000-words", x=x)
    ax = fig.axes[0]
    fig.canvas.draw()
    first = [t for t in ax.texts if t.get_gid() == STEP_GID][0]
    assert first.get_text() == QUIC
    box = first.get_window_extent(fig.canvas.get_renderer())
    must = keyword_lines(ax)["MUST"].get_ydata()
    assert (round(must[0], 2), round(max(must), 2)) == (4.19, 4.34)
    for line in keyword_lines(ax).values():
        points = ax.transData.transform(line.get_xydata())
        assert not any(box.x0 - 4 <= px <= box.x1 + 4 and box.y0 - 4 <= py <= box.y1 + 4
                       for px, py in points), f"{QUIC} label covers a {line.get_gid()} point"


def test_mark_must_name_a_revision_of_the_plot(quic_frame):
    with pytest.raises(DraftscopeError, match="no revision 99"):
        plot_keywords(quic_frame, marks=["99=nothing"])
    with pytest.raises(DraftscopeError, match="REV=LABEL"):
        Mark.parse("10")


def test_unknown_keyword_is_refused(quic_frame):
    with pytest.raises(DraftscopeError, match="MUSTARD"):
        plot_keywords(quic_frame, ["MUSTARD"])


# --- pure helpers on real lineage shapes ---------------------------------------------------

def test_tick_positions_keep_name_changes_and_the_rfc():
    # draft-ford-mptcp-multiaddressed 00..03, draft-ietf-mptcp-multiaddressed 00..12, RFC 6824
    labels = [f"{i:02d}" for i in range(4)] + [f"{i:02d}" for i in range(13)] + ["RFC 6824"]
    steps = [LineageStep(0, "draft-ford-mptcp-multiaddressed", "individual"),
             LineageStep(4, "draft-ietf-mptcp-multiaddressed", "wg"),
             LineageStep(17, "rfc6824", "rfc")]
    kept = tick_positions(labels, steps, max_labels=8)
    assert {0, 4, 17} <= set(kept)
    stride = 3  # ceil(18 / 8)
    assert all(b - a >= stride for a, b in zip(kept, kept[1:]))
    # the wide RFC label keeps three strides' room on its left
    assert kept[-2] <= 17 - 2 * stride


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
