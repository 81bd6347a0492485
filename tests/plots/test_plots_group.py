"""The working group's documents over time (``plot-group``), on the shared corpus's quic group
served by the fake datatracker: the artists, not pixels."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import pytest

from draftscope.fetch.records import LineageEntry
from draftscope.plots.group import END_GID, NAME_GID, ROW_GID, plot_group
from draftscope.tables.timeline import std_status, timeline_frame, timeline_records

# draft-hamilton-quic-transport-protocol has no file in the corpus: it exists on the fake
# server once it has revisions (dates of its -00 and -01 on the real datatracker)
HAMILTON = "draft-hamilton-quic-transport-protocol"
HAMILTON_REVISIONS = {"00": "2016-07-08T00:00:00+00:00", "01": "2016-10-31T00:00:00+00:00"}


@pytest.fixture(scope="module")
def quic_frame(corpus_dir, tmp_path_factory):
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.fetch.session import Session
    from draftscope.tables.timeline import group_timeline

    server = start_server(corpus_dir, phantom_revisions={HAMILTON: HAMILTON_REVISIONS})
    try:
        settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
        with Session(settings, progress=False) as session:
            return timeline_frame(group_timeline("quic", session=session))
    finally:
        server.stop()


def quic_lineages(corpus_dir) -> dict[str, dict]:
    lineages = json.loads((corpus_dir / "lineage.json").read_text())
    return {name: entry for name, entry in lineages.items() if entry["group"] == "quic"}


def texts(fig, prefix):
    return {t.get_gid(): t.get_text() for t in fig.findobj(matplotlib.text.Text)
            if (t.get_gid() or "").startswith(prefix)}


def test_each_lineage_is_one_row_with_its_rfc(quic_frame, corpus_dir):
    """Six quic lineages, six rows, each named after its WG draft, ending in lineage.json's RFC."""
    expected = quic_lineages(corpus_dir)
    rows = quic_frame.drop_duplicates("row")
    assert sorted(rows["lineage"]) == sorted(expected)
    assert len(rows) == len(expected) == 6
    fig = plot_group(quic_frame)
    names = texts(fig, NAME_GID)
    ends = texts(fig, END_GID)
    assert sorted(names.values()) == sorted(expected)
    for row, lineage in zip(rows["row"], rows["lineage"]):
        assert names[f"{NAME_GID}:{row}"] == lineage
        number = expected[lineage]["rfc"][3:]
        assert ends[f"{END_GID}:{row}"] == f"RFC {number} \u00b7 status unknown"


def test_replaced_individual_draft_on_the_lineage_row(quic_frame):
    """draft-hamilton-quic-transport-protocol is drawn on draft-ietf-quic-transport's row, in
    the individual draft's colour, before the WG draft's first revision; the row starts first."""
    hamilton = quic_frame[quic_frame["name"] == HAMILTON]
    transport = quic_frame[quic_frame["name"] == "draft-ietf-quic-transport"]
    assert len(hamilton) == 2 and set(hamilton["kind"]) == {"individual"}
    assert set(hamilton["row"]) == set(transport["row"]) == {0}
    assert hamilton["date"].max() < transport["date"].min()
    fig = plot_group(quic_frame)
    ax = fig.axes[0]
    segments = [line for line in ax.lines if (line.get_gid() or "").startswith(f"{ROW_GID}:0:")]
    assert {line.get_gid() for line in segments} == {f"{ROW_GID}:0:individual", f"{ROW_GID}:0:wg"}
    assert {tuple(line.get_ydata()) for line in segments} == {(0.0, 0.0)}


def test_rows_sorted_by_start_and_a_tick_per_revision(quic_frame, corpus_dir):
    starts = quic_frame.groupby("row")["date"].min().sort_index()
    assert list(starts) == sorted(starts)
    fig = plot_group(quic_frame)
    ax = fig.axes[0]
    for row, points in quic_frame.groupby("row"):
        ticks = sum(len(line.get_xdata()) for line in ax.lines
                    if (line.get_gid() or "").startswith(f"revision-ticks:{row}:"))
        assert ticks == int((points["kind"] != "rfc").sum())
    # a row has a point per revision the server lists: every .txt of the corpus, and the RFC
    qpack = quic_frame[quic_frame["lineage"] == "draft-ietf-quic-qpack"]
    texts_in_corpus = len(list((corpus_dir / "draft-ietf-quic-qpack").glob("*.txt")))
    assert int((qpack["kind"] == "wg").sum()) == texts_in_corpus
    assert list(qpack.loc[qpack["kind"] == "rfc", "name"]) == ["rfc9204"]


@pytest.mark.parametrize("size", [(6.0, 3.5), (8.0, 4.5), (11.0, 5.0)])
def test_no_text_overlaps_or_leaves_the_figure(quic_frame, size):
    """At three sizes: the end texts stay inside the axes, no two texts overlap."""
    fig = plot_group(quic_frame, figsize=size)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    box = ax.get_window_extent(renderer)
    drawn = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()
             and (t.get_gid() or "").startswith((END_GID, NAME_GID))]
    extents = [t.get_window_extent(renderer) for t in drawn]
    for text, extent in zip(drawn, extents):
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, text.get_text()
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, text.get_text()
    for i, a in enumerate(extents):
        for j in range(i + 1, len(extents)):
            assert not a.overlaps(extents[j]), (drawn[i].get_text(), drawn[j].get_text())


def test_status_from_std_level_then_intended():
    assert std_status({"std_level": "Proposed Standard"}) == "Proposed Standard"
    assert std_status({"std_level": None, "intended_std_level": "Informational"}) == "Informational"
    assert std_status({"intended_std_level": "/api/v1/name/intendedstdlevelname/exp/"}) == \
        "Experimental"
    assert std_status({"std_level": None}, None) == "unknown"


def test_a_wg_draft_in_another_lineage_is_not_a_row_of_its_own():
    """A WG draft replaced by another WG draft: the group lists both, both lineages hold both
    names; one row, named after the later one."""
    from datetime import datetime, timezone

    def at(year):
        return datetime(year, 1, 1, tzinfo=timezone.utc)

    entries = [LineageEntry("draft-ietf-x-old", "00", at(2015)),
               LineageEntry("draft-ietf-x-new", "00", at(2016)),
               LineageEntry("rfc9999", "rfc9999", at(2018))]
    points = timeline_records([("draft-ietf-x-old", {}, entries),
                               ("draft-ietf-x-new", {"std_level": "Experimental"}, entries)])
    assert {p.row for p in points} == {0}
    assert {p.lineage for p in points} == {"draft-ietf-x-new"}
    assert {p.rfc for p in points} == {"rfc9999"}
    assert len(points) == 3
