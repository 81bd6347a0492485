"""How the comparison figure draws real lineages (draft-ietf-quic-invariants and -qpack, served by
the fake datatracker): the artists, not pixels, like seaborn's own tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from draftscope.plots.compare import plot_compare, wrap_name

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"


# two long names with one and two revisions in the corpus (individual drafts, no RFC)
BBR, RATE = "draft-cardwell-iccrg-bbr-congestion-control", "draft-cheng-iccrg-delivery-rate-estimation"


@pytest.fixture(scope="module")
def frames(corpus_dir, tmp_path_factory):
    """Keyword stage frames with a ``lineage`` column (what ``plot --compare`` builds)."""
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.plots.figures import lineage_keywords

    server = start_server(corpus_dir)
    try:
        settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
        return {n: lineage_keywords(n, settings=settings, progress=False).assign(lineage=n)
                for n in (INVARIANTS, QPACK, BBR, RATE)}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def combined(frames):
    return pd.concat([frames[INVARIANTS], frames[QPACK]], ignore_index=True)


def data_lines(ax):
    return [line for line in ax.lines if len(line.get_xdata()) > 0]


def test_one_keyword_gives_each_draft_a_colour_and_a_marker(combined):
    """One keyword: a line per draft with its own marker, so a short lineage still shows."""
    ax = plot_compare(combined, ["MUST"]).axes[0]
    lines = data_lines(ax)
    assert [len(line.get_xdata()) for line in lines] == [15, 23]   # 14 + RFC 8999, 22 + RFC 9204
    markers = [line.get_marker() for line in lines]
    assert all(m not in (None, "None", "") for m in markers) and markers[0] != markers[1]
    assert lines[0].get_color() != lines[1].get_color()
    # hand-checked: RFC 8999 says MUST 5 times outside the BCP 14 boilerplate
    assert lines[0].get_ydata()[-1] == 5
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [INVARIANTS, QPACK]


def test_facet_markers_are_solid(combined):
    """Small multiples: markers in the phrase's colour without seaborn's white edge, which left
    the 5-point X and + of MUST NOT and SHOULD NOT mostly white."""
    fig = plot_compare(combined, layout="facets")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == [INVARIANTS, QPACK]
    for ax in panels:
        lines = data_lines(ax)
        assert len(lines) == 4
        for line in lines:
            assert line.get_markeredgewidth() == 0 and line.get_markersize() == 5


def test_wrap_name_breaks_after_hyphens():
    assert wrap_name(BBR, 33) == "draft-cardwell-iccrg-bbr-\ncongestion-control"
    assert wrap_name(INVARIANTS, 33) == INVARIANTS
    assert wrap_name("draft-x", 3) == "draft-\nx"


def test_long_names_and_single_revisions_stay_readable(frames):
    """Three panels: titles of 43 and 42 characters do not run into each other, a lineage of one
    revision gets whole-revision ticks (not -0.045, -0.030, ...), and 11 phrases make a legend
    of three rows that fits the figure."""
    from draftscope.analyses.keywords import DISPLAY_ORDER

    data = pd.concat([frames[BBR], frames[RATE], frames[INVARIANTS]], ignore_index=True)
    fig = plot_compare(data, list(DISPLAY_ORDER), layout="facets")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().replace("\n", "") for ax in panels] == [BBR, RATE, INVARIANTS]
    boxes = [ax.title.get_window_extent(renderer) for ax in panels]
    assert not boxes[0].overlaps(boxes[1]) and not boxes[1].overlaps(boxes[2])
    rate = panels[1]
    assert len(data_lines(rate)) == 11 and all(len(l.get_xdata()) == 1 for l in data_lines(rate))
    ticks = [t for t in rate.get_xticks() if rate.get_xlim()[0] <= t <= rate.get_xlim()[1]]
    assert ticks == [0.0, 1.0]
    legend = fig.legends[0].get_window_extent(renderer)
    assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width
