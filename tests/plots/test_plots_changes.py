"""plot-changes and plot --explain at the artist level: on real quic-transport revisions, at
three figure sizes, no text overlaps another text, and no note overlaps a line or a marker
(measured by the drawn artists' extents)."""

from __future__ import annotations

import itertools

import pytest

from draftscope.fetch.records import Revision

QUIC = "draft-ietf-quic-transport"
SIZES = [(8.0, 4.5), (6.0, 3.5), (11.0, 6.0)]


def revisions(corpus_dir, revs):
    out = []
    for rev in revs:
        if rev.startswith("rfc"):
            out.append(Revision(rev, rev, None, corpus_dir / "rfc" / f"{rev}.txt", "txt"))
        else:
            out.append(Revision(QUIC, rev, None, corpus_dir / QUIC / f"{QUIC}-{rev}.txt", "txt"))
    return out


@pytest.fixture(scope="module")
def lineage(corpus_dir):
    return revisions(corpus_dir, [f"{i:02d}" for i in range(35)] + ["rfc9000"])


@pytest.fixture(scope="module")
def grid(corpus_dir):
    from draftscope.plots.changes import changes_grid
    from draftscope.tables.changes import changes_frame

    frame = changes_frame(revisions(corpus_dir, [f"{i:02d}" for i in range(24, 35)] + ["rfc9000"]),
                          definitions=False, workers=1)
    return changes_grid(frame)


@pytest.fixture(scope="module")
def notes(lineage):
    from draftscope.plots.explain import explain_frame
    from draftscope.tables.keywords import keywords_frame

    frame = keywords_frame(lineage)
    files = {(r.name, r.rev): r for r in lineage}
    return frame, explain_frame(frame, files, ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"], top=3)


def text_boxes(fig, texts):
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts
            if t.get_visible() and t.get_text().strip()]


def assert_apart(boxes):
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)


def test_changes_grid_follows_sections_through_renumbering(grid):
    # rows in the last revision's order (RFC 9000), one column per step 25 .. rfc9000
    assert list(dict.fromkeys(grid["label"]))[0] == f"{QUIC}-25"
    assert list(dict.fromkeys(grid["label"]))[-1] == "rfc9000"
    sections = list(grid.drop_duplicates("row")["section"])
    assert sections[:4] == ["front matter", "Abstract", "front matter", "1 Overview"]
    assert "20 Error Codes" in sections
    added = grid[(grid["mark"] == "added")]
    assert ("20 Error Codes", f"{QUIC}-30") in set(zip(added["section"], added["label"]))
    assert grid.loc[grid["mark"] == "added", "share_changed"].eq(1.0).all()
    assert grid["share_changed"].dropna().between(0, 1).all()


@pytest.mark.parametrize("size", SIZES)
def test_plot_changes_text_never_overlaps(grid, size):
    from draftscope.plots.changes import plot_changes

    fig = plot_changes(grid, figsize=size)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = text_boxes(fig, ax.get_yticklabels())
    assert len(ticks) >= len(set(grid["row"])) // 3      # thinned at most to every third row
    assert_apart(ticks)
    assert_apart(text_boxes(fig, ax.get_xticklabels()))
    marks = [t for t in ax.texts if (t.get_gid() or "").startswith("mark:")]
    assert_apart(text_boxes(fig, marks))
    others = [ax.title, ax.xaxis.label] + list(fig.legends)
    renderer = fig.canvas.get_renderer()
    boxes = [(str(o), o.get_window_extent(renderer)) for o in others]
    assert_apart(boxes + text_boxes(fig, ax.get_xticklabels()))


@pytest.mark.parametrize("size", SIZES)
def test_explain_notes_clear_of_lines_ticks_and_each_other(notes, size):
    from matplotlib.transforms import Bbox

    from draftscope.plots.explain import ANNOTATION_GID
    from draftscope.plots.keywords import plot_keywords

    frame, explanations = notes
    fig = plot_keywords(frame, explain=explanations, figsize=size)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    placed = [t for t in ax.texts if t.get_gid() == ANNOTATION_GID]
    assert len(placed) == 3
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in placed]
    area = ax.get_window_extent(renderer)
    for box in boxes:
        assert area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
    assert_apart([(t.get_text(), b) for t, b in zip(placed, boxes)])
    for line in ax.lines:
        if len(line.get_xdata()) == 0:
            continue
        path = line.get_transform().transform_path(line.get_path())
        radius = line.get_markersize() / 2 * fig.dpi / 72 if line.get_marker() not in (None, "None", "") else 0
        for box in boxes:
            grown = Bbox.from_extents(box.x0 - radius, box.y0 - radius, box.x1 + radius, box.y1 + radius)
            assert not path.intersects_bbox(grown, filled=False), (line.get_gid(), box)
    ticks = text_boxes(fig, ax.get_xticklabels() + ax.get_yticklabels())
    legend = ax.get_legend().get_window_extent(renderer)
    for box in boxes:
        assert not any(box.overlaps(t) for _, t in ticks) and not box.overlaps(legend)
        assert not box.overlaps(ax.title.get_window_extent(renderer))


def test_explain_names_the_sections_read_in_both_revisions(notes):
    """Checked by reading drafts 01/02, 19/20 and 22/23: draft 02 added 5.7 Connection ID with
    6 MUST; draft 20 added 17.3.1 Latency Spin Bit with 4; draft 23's 13.2.1 Sending ACK Frames
    has 10 SHOULD where draft 22's 13.1.1 had 3."""
    from draftscope.plots.explain import annotation_text

    _, explanations = notes
    heads = [annotation_text(e, 1, more=False) for e in explanations]
    assert heads == ["-02: +30 MUST\n5.7 Connection ID +6",
                     "-20: +14 MUST\n17.3.1 Latency Spin Bit +4",
                     "-23: +13 SHOULD\n13.2.1 Sending ACK Frames +7"]
