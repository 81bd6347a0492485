"""How the comparison figure draws real lineages (draft-ietf-quic-invariants and -qpack, served by
the fake datatracker): the artists, not pixels, like seaborn's own tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from draftscope.plots.compare import plot_compare

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"


@pytest.fixture(scope="module")
def combined(corpus_dir, tmp_path_factory):
    """Both lineages' keyword stage frames with a ``lineage`` column (what ``plot --compare``
    builds)."""
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.plots.figures import lineage_keywords

    server = start_server(corpus_dir)
    try:
        settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
        frames = [lineage_keywords(n, settings=settings, progress=False).assign(lineage=n)
                  for n in (INVARIANTS, QPACK)]
    finally:
        server.stop()
    return pd.concat(frames, ignore_index=True)


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
