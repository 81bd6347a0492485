"""The definitions timeline draws the definitions stage's history of the real QUIC lineage.

Checked on the drawn mesh (one cell per definition and revision), not on pixels.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from draftscope.errors import DraftscopeError
from draftscope.plots.definitions import STATE_COLOURS, STATES, definition_grid, plot_definitions
from draftscope.plots.style import save_figure

QUIC = "draft-ietf-quic-transport"


@pytest.fixture(scope="module")
def quic_revisions(corpus_dir):
    from draftscope.fetch.records import Revision

    folder = corpus_dir / QUIC
    revisions = [Revision(QUIC, f"{i:02d}", None, folder / f"{QUIC}-{i:02d}.txt", "txt")
                 for i in range(35)]
    return revisions + [Revision("rfc9000", "rfc9000", None, corpus_dir / "rfc" / "rfc9000.txt", "txt")]


@pytest.fixture(scope="module")
def quic_history(quic_revisions):
    from draftscope.tables.definitions import history_frame

    return history_frame(quic_revisions)


@pytest.fixture(scope="module")
def labels(quic_revisions):
    return [r.label for r in quic_revisions]


def states_of(grid, key):
    row = grid[grid["key"] == key]
    return {rev: state for rev, state in zip(row["rev"], row["state"]) if state != "unchanged"
            and state != "absent"}


def test_grid_follows_the_history(quic_history, labels):
    grid = definition_grid(quic_history, revisions=labels)
    assert len(grid) == grid["key"].nunique() * 36
    # checked against the texts: GOAWAY is gone from draft 05 ("Removed GOAWAY" in its change
    # log), CRYPTO frames first appear in draft 13
    assert states_of(grid, "GOAWAY Frame") == {
        "00": "added", "01": "changed", "02": "changed", "05": "removed"}
    # -28 redrew every frame as a field list: CRYPTO kept its fields (its Type is drawn now)
    assert states_of(grid, "CRYPTO Frame") == {"13": "added", "28": "redrawn"}
    ack = states_of(grid, "ACK Frame")
    assert ack["00"] == "added" and ack["18"] == "changed" and ack["28"] == "redrawn"
    goaway = grid[grid["key"] == "GOAWAY Frame"].set_index("rev")["state"]
    assert goaway["03"] == "unchanged" and goaway["06"] == "absent" and goaway["rfc9000"] == "absent"


def test_mesh_cells_are_the_grid_states(quic_history, labels):
    fig = plot_definitions(quic_history, revisions=labels)
    ax = fig.axes[0]
    grid = definition_grid(quic_history, revisions=labels)
    keys = list(dict.fromkeys(grid["key"]))
    mesh = next(c for c in ax.collections if c.get_gid() == "definition-grid")
    cells = np.asarray(mesh.get_array()).reshape(len(keys), 36)
    goaway = keys.index("GOAWAY Frame")
    assert [STATES[int(c)] for c in cells[goaway, :6]] == [
        "added", "changed", "changed", "unchanged", "unchanged", "removed"]
    expected = grid["state"].map({s: i for i, s in enumerate(STATES)}).to_numpy()
    np.testing.assert_array_equal(cells.ravel(), expected)
    # rows are labelled with the definitions' latest names, revisions thinned, RFC last
    assert [t.get_text() for t in ax.get_yticklabels()][goaway] == "GOAWAY Frame"
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks[0] == "00" and ticks[-1] == "RFC\n9000"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "absent", "unchanged", "redrawn (same fields)", "added (first drawn)", "changed", "removed",
        "name change"]    # the dotted line before RFC 9000 is named, as on the keyword figures
    assert len([line for line in ax.get_lines() if line.get_gid() == "lineage-step"]) == 1
    drafts_only = plot_definitions(quic_history, revisions=labels[:20]).axes[0]
    assert "name change" not in [t.get_text() for t in drafts_only.get_legend().get_texts()]
    # redrawn has a colour of its own
    assert len({STATE_COLOURS[s] for s in STATES}) == len(STATES)
    assert (grid["state"] == "redrawn").sum() > 0
    assert ax.get_title() == f"Definitions in {QUIC}"


def test_pattern_keeps_matching_definitions(quic_history, labels):
    grid = definition_grid(quic_history, definition="^GOAWAY", revisions=labels)
    assert list(grid["key"].unique()) == ["GOAWAY Frame"]
    with pytest.raises(DraftscopeError, match="no definition matches"):
        definition_grid(quic_history, definition="NO_SUCH_FRAME")
    # case-sensitive by default: "goaway" finds nothing unless asked to ignore case
    with pytest.raises(DraftscopeError, match="no definition matches"):
        definition_grid(quic_history, definition="^goaway")
    grid = definition_grid(quic_history, definition="^goaway", ignore_case=True, revisions=labels)
    assert list(grid["key"].unique()) == ["GOAWAY Frame"]
    with pytest.raises(DraftscopeError, match="not a valid pattern"):
        definition_grid(quic_history, definition="(")


def test_changes_only_history_gives_the_same_grid(quic_history, labels):
    changes = quic_history[quic_history["change"] != "unchanged"]
    full = definition_grid(quic_history, revisions=labels)
    sparse = definition_grid(changes, revisions=labels)
    assert list(full["state"]) == list(sparse["state"])


def test_saved_files(quic_history, labels, tmp_path):
    fig = plot_definitions(quic_history, definition="frame", revisions=labels, ignore_case=True)
    grid = definition_grid(quic_history, definition="frame", revisions=labels, ignore_case=True)
    saved = save_figure(fig, grid, tmp_path, f"{QUIC}_definitions")
    assert saved.png.read_bytes()[:4] == b"\x89PNG"
    assert "STREAM Frame" in saved.svg.read_text()
    header = saved.csv.read_text().splitlines()[0]
    assert header.startswith("key,definition,name,rev,label,state")


def test_cli_pattern_matching_nothing_reads_like_history_and_story(datatracker_env, capsys, tmp_path):
    # was "no definition matches 'Nope'", exit 2 (a usage error) where story and history exit 1
    from draftscope.cli import main

    inv = "draft-ietf-quic-invariants"
    code = main(["plot-definitions", inv, "--definition", "Nope", "--out", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert code == 1 and err == ("draftscope: error: no definition matches --definition 'Nope' in "
                                 "15 revisions\n")   # -i would not match either: no case hint
    code = main(["plot-definitions", inv, "--definition", "^long header", "--out", str(tmp_path),
                 "-q"])
    err = capsys.readouterr().err
    assert code == 1 and err == ("draftscope: error: no definition matches --definition "
                                 "'^long header' in 15 revisions; the pattern is case-sensitive, "
                                 "-i ignores case\n")


@pytest.mark.parametrize("size", [(6.0, 8.0), (8.0, 12.0), (11.0, 12.0)])
def test_tick_labels_stay_inside_the_axes_and_apart(quic_history, labels, size):
    """Issue 17: "RFC 9000" stuck out past the last column. At three sizes the RFC's label
    is the last, stacked (RFC over 9000), inside the axes; no two tick labels touch; the
    drafts' labels are one even grid from 00 (a revision keeps its label where it fits)."""
    fig = plot_definitions(quic_history, revisions=labels, figsize=size)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    shown = [t for t in ax.get_xticklabels() if t.get_text()]
    assert shown[-1].get_text() == "RFC\n9000" and shown[0].get_text() == "00"
    box = ax.get_window_extent(renderer)
    extents = [t.get_window_extent(renderer) for t in shown]
    assert box.x0 - 1 <= extents[0].x0 and extents[-1].x1 <= box.x1 + 1
    assert all(b.x0 - a.x1 >= 2 for a, b in zip(extents, extents[1:]))
    drafts = [int(t.get_text()) for t in shown[:-1]]
    stride = drafts[1] - drafts[0]
    assert drafts == list(range(0, drafts[-1] + 1, stride)) and 35 - drafts[-1] < 2 * stride
