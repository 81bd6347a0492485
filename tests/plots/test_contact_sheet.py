"""``draw``'s contact sheet (issue 17 item 4, ``--columns`` on ``draw``): the four drawings of
RFC 6824's MP_JOIN/DSS example in N columns, on one bit scale, titled, with no two texts
overlapping at three widths; ``render_drawings`` writes it and counts it against ``max_files``."""

from __future__ import annotations

import itertools

import pytest

from draftscope.analyses.definitions import extract_definitions
from draftscope.analyses.definitions.model import Definition, Field
from draftscope.errors import PlotInputError
from draftscope.plots.render import render_drawings
from draftscope.plots.sheet import draw_sheet
from draftscope.text.document import load_document

LABEL = "rfc6824-join-dss"


@pytest.fixture(scope="module")
def mptcp(bitdiagram_examples):
    return extract_definitions(load_document(bitdiagram_examples / f"{LABEL}.txt"))


def children(fig, gid):
    return [a for a in fig.axes[0].get_children() if a.get_gid() == gid]


def ruler_lefts_and_steps(fig) -> list[tuple[float, float]]:
    """Each ruler's left end (inches) and the distance between its neighbouring ticks (px)."""
    out = []
    for ticks in children(fig, "ruler-ticks"):
        xs = sorted({round(seg[0][0], 6) for seg in ticks.get_segments()})
        out.append((xs[0], fig.dpi * (xs[1] - xs[0])))
    return out


def test_the_example_has_four_drawings(mptcp):
    assert [d.name for d in mptcp if d.fields] == [
        "MPTCP Option Format", "Join Connection (MP_JOIN) Option (for Responding SYN/ACK)",
        "Join Connection (MP_JOIN) Option (for Third ACK)", "Data Sequence Signal (DSS) Option"]


@pytest.mark.parametrize(("columns", "rows"), [(1, 4), (2, 2), (3, 2), (4, 1)])
def test_n_columns_of_panels(mptcp, columns, rows):
    sheet = draw_sheet(mptcp, label=LABEL, columns=columns).figure
    rules = children(sheet, "panel-rule")
    lefts = sorted({round(r.get_xdata()[0], 6) for r in rules})
    tops = sorted({round(r.get_ydata()[0], 6) for r in rules})
    assert len(rules) == 4 and len(lefts) == columns and len(tops) == rows
    # each panel's ruler starts in its column: as many ruler columns as panel columns
    assert len({round(x, 3) for x, _ in ruler_lefts_and_steps(sheet)}) == columns
    # the drawings of a row start level, though one heading there wraps over two lines
    ruler_tops = {round(min(seg[0][1] for seg in t.get_segments()), 6)
                  for t in children(sheet, "ruler-ticks")}
    assert len(ruler_tops) == rows


def test_default_columns_are_what_the_width_holds(mptcp):
    def columns(width):
        rules = children(draw_sheet(mptcp, label=LABEL, width=width).figure, "panel-rule")
        return len({round(r.get_xdata()[0], 6) for r in rules})

    assert (columns(5), columns(8), columns(12)) == (1, 2, 3)


def test_one_bit_scale_in_every_panel(mptcp):
    """A 16-bit drawing (drawn alone on a 0..15 ruler) is drawn on the sheet's 32-bit ruler, a
    bit as wide as in the MPTCP options beside it."""
    flags = Definition("Flags", "boxart", tuple(Field(n, 1) for n in "ABCDEFGH") + (Field("W", 8),))
    drawn = draw_sheet([*mptcp, flags], label=LABEL, columns=2)
    assert drawn.row_bits == 32 and {p.row_bits for p in drawn.plans} == {32}
    steps = [step for _x, step in ruler_lefts_and_steps(drawn.figure)]
    assert len(steps) == 5 and max(steps) - min(steps) < 1e-6
    assert steps[0] == pytest.approx(drawn.plans[0].bit_w * drawn.figure.dpi, rel=1e-4)     # a tick per bit
    alone = draw_sheet([flags, flags], columns=2)
    assert alone.row_bits == 16


def test_title_subtitle_and_every_name(mptcp):
    fig = draw_sheet(mptcp, label=LABEL, title="MPTCP options", columns=2).figure
    assert [t.get_text() for t in children(fig, "title")] == ["MPTCP options"]
    assert [t.get_text() for t in children(fig, "subtitle")] == [
        f"{LABEL} · 4 definitions · one 32-bit scale"]
    heads = [" ".join(t.get_text() for t in children(fig, f"panel:{n}")) for n in range(4)]
    assert heads == [d.name for d in mptcp if d.fields]          # long names wrap, whole
    default = draw_sheet(mptcp, label=LABEL).figure
    assert [t.get_text() for t in children(default, "title")] == [LABEL]
    assert [t.get_text() for t in children(default, "subtitle")] == ["4 definitions · one 32-bit scale"]


@pytest.mark.parametrize("width", [5.0, 8.0, 12.0])
def test_no_text_overlaps_another(mptcp, width):
    fig = draw_sheet(mptcp, label=LABEL, title="The MP_JOIN and DSS options of RFC 6824",
                     width=width).figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t, t.get_window_extent(renderer)) for t in fig.axes[0].texts if t.get_text().strip()]
    assert len(boxes) > 40
    clashes = [(a.get_text(), b.get_text()) for (a, ea), (b, eb) in itertools.combinations(boxes, 2)
               if ea.x0 < eb.x1 - 0.5 and eb.x0 < ea.x1 - 0.5
               and ea.y0 < eb.y1 - 0.5 and eb.y0 < ea.y1 - 0.5]
    assert clashes == []
    w, h = fig.get_size_inches() * fig.dpi
    assert all(e.x0 >= 0 and e.x1 <= w + 0.5 and e.y0 >= 0 and e.y1 <= h + 0.5 for _t, e in boxes)


@pytest.mark.parametrize("columns", [0, -1, 5, True, 2.0])
def test_bad_columns_are_refused(mptcp, columns, tmp_path):
    with pytest.raises(PlotInputError, match=r"columns= \(--columns\) must be 1 to 4"):
        draw_sheet(mptcp, columns=columns)
    with pytest.raises(PlotInputError, match=r"columns= \(--columns\) must be 1 to 4"):
        render_drawings(mptcp, tmp_path / "out", label=LABEL, columns=columns)
    assert not (tmp_path / "out").exists()


def test_render_drawings_writes_the_sheet(mptcp, tmp_path):
    made = render_drawings(mptcp, tmp_path, label=LABEL, columns=2, title="MPTCP options")
    assert len(made) == 4 and [p.name for p in made.sheet] == [
        f"{LABEL}_definitions.png", f"{LABEL}_definitions.svg"]
    assert "MPTCP options" in made.sheet[1].read_text()
    from PIL import Image

    with Image.open(made.sheet[0]) as png:
        assert png.size[0] == 8 * 150
    # one definition: its drawing is the sheet; Mermaid alone: no image to lay out
    assert render_drawings(mptcp[:1], tmp_path / "one", label=LABEL).sheet == ()
    assert render_drawings(mptcp, tmp_path / "mmd", label=LABEL, formats="mermaid").sheet == ()
    assert not list((tmp_path / "mmd").glob("*_definitions*"))


def test_the_sheet_counts_against_max_files(mptcp, tmp_path):
    # 4 drawings x (png, svg, json) + the sheet's png and svg = 14 files
    with pytest.raises(PlotInputError, match="would write 14 files"):
        render_drawings(mptcp, tmp_path / "out", label=LABEL, max_files=13)
    assert not (tmp_path / "out").exists()
    assert len(render_drawings(mptcp, tmp_path / "ok", label=LABEL, max_files=14).sheet) == 2


def test_max_rows_holds_on_the_sheet(mptcp):
    # MP_JOIN (for Third ACK) is 7 rows of 32 bits (HMAC 160 bits); a cap of 4 refuses it
    with pytest.raises(PlotInputError, match="rows"):
        draw_sheet(mptcp, max_rows=4)
