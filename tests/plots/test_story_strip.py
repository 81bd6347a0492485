"""Story strips ready to publish (issue 17 item 4), checked on the artists: one bit scale in every
step, the draft's name in every story figure, no two texts overlapping at three widths, a legend
that draws removed fields the way the drawing does, a long title wrapped instead of cut."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.colors import to_rgba

from draftscope.analyses.definitions.model import Definition, Field
from draftscope.analyses.definitions.story import definition_story
from draftscope.plots.bitdiagram import CHANGE_COLOURS, draw_definition
from draftscope.plots.drawplan import plan_drawing
from draftscope.plots.render import _Job, draw_job
from draftscope.plots.storystrip import draw_story

QUIC = "draft-ietf-quic-transport"


@pytest.fixture(scope="module")
def ack_steps(corpus_dir):
    paths = [corpus_dir / QUIC / f"{QUIC}-{i:02d}.txt" for i in range(0, 19)]
    return definition_story(paths, "^ACK Frame")


def texts_of(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in fig.axes[0].texts if t.get_text().strip()]


def ruler_steps(fig) -> list[float]:
    """Pixel distance between neighbouring ruler ticks of each drawing in the figure."""
    out = []
    for artist in fig.axes[0].get_children():
        if artist.get_gid() == "ruler-ticks":
            xs = sorted({round(seg[0][0], 6) for seg in artist.get_segments()})
            out.append(fig.dpi * (xs[1] - xs[0]))
    return out


def test_one_bit_scale_in_every_step(ack_steps):
    strip = draw_story(ack_steps, lineage=QUIC)
    bit_plans = [p for p in strip.plans if hasattr(p, "bit_w")]
    assert len(bit_plans) == len(ack_steps) and strip.row_bits == 32
    assert {p.row_bits for p in bit_plans} == {32}
    assert len({round(p.bit_w, 9) for p in bit_plans}) == 1
    steps = ruler_steps(strip.figure)
    assert len(steps) == len(ack_steps) and max(steps) - min(steps) < 1e-6


def test_a_24_bit_option_is_drawn_on_a_32_bit_ruler():
    """RFC 8684's MP_PRIO (Kind, Length, Subtype, 3 reserved bits, B: 24 bits) is drawn on a
    0..31 ruler as its source draws it; a 16-bit drawing (TCP's flags) keeps its own width."""
    mp_prio = Definition("MP_PRIO", "boxart", (Field("Kind", 8), Field("Length", 8),
                                               Field("Subtype", 4), Field("(reserved)", 3, reserved=True),
                                               Field("B", 1)))
    assert plan_drawing(mp_prio).row_bits == 32
    flags = Definition("Flags", "boxart", tuple(Field(n, 1) for n in "ABCDEFGH") + (Field("W", 8),))
    assert plan_drawing(flags).row_bits == 16


def test_the_draft_name_is_in_every_story_figure(ack_steps, tmp_path):
    strip = draw_story(ack_steps, lineage=QUIC,
                       title="How the ACK frame of QUIC changed from the first draft to the "
                             "last one, step by step, with every field")
    titles = [t.get_text() for t in strip.figure.axes[0].texts if t.get_gid() == "title"]
    subtitle = " ".join(t.get_text() for t in strip.figure.axes[0].texts if t.get_gid() == "subtitle")
    assert len(titles) == 2 and " ".join(titles).endswith("with every field")      # wrapped, whole
    assert subtitle.startswith(f"{QUIC} · {len(ack_steps)} steps")
    # the default subtitle names the first step's document even without lineage=
    plain = draw_story(ack_steps[:2])
    assert any(QUIC in t.get_text() for t in plain.figure.axes[0].texts if t.get_gid() == "subtitle")
    for step in ack_steps[:3]:
        job = _Job(step.key, step, f"s{step.index}", (), tmp_path, ("svg",), None, None, 8.0, QUIC, 512)
        paths, _ = draw_job(job)
        assert step.label in paths[0].read_text()


@pytest.mark.parametrize("width", [5.0, 8.0, 12.0])
def test_no_text_overlaps_another(ack_steps, width):
    for fig in (draw_story(ack_steps, lineage=QUIC, width=width).figure,
                draw_definition(ack_steps[1].definition, changes=ack_steps[1], width=width).figure):
        boxes = texts_of(fig)
        clashes = [(a.get_text(), b.get_text()) for (a, ea), (b, eb) in
                   itertools.combinations(boxes, 2)
                   if ea.x0 < eb.x1 - 0.5 and eb.x0 < ea.x1 - 0.5
                   and ea.y0 < eb.y1 - 0.5 and eb.y0 < ea.y1 - 0.5]
        assert clashes == []
        w, h = fig.get_size_inches() * fig.dpi
        assert all(e.x0 >= 0 and e.x1 <= w + 0.5 and e.y0 >= 0 and e.y1 <= h + 0.5
                   for _t, e in boxes)


def test_the_legend_draws_removed_fields_as_they_are_drawn(ack_steps, corpus_dir):
    # step 2 lists removed fields in red words under the drawing: the legend says it in red words
    listed = draw_definition(ack_steps[1].definition, changes=ack_steps[1]).figure
    legend = [a for a in listed.axes[0].get_children() if a.get_gid() == "legend:removed"]
    assert len(legend) == 1 and legend[0].get_text() == "Removed:"
    assert to_rgba(legend[0].get_color()) == to_rgba(CHANGE_COLOURS["removed"])
    removed_lines = [t for t in listed.axes[0].texts if t.get_gid() == "key:removed"]
    assert removed_lines and all(to_rgba(t.get_color()) == to_rgba(CHANGE_COLOURS["removed"])
                                 for t in removed_lines)
    # a removed definition draws its fields in removed boxes: the legend shows a box
    paths = [corpus_dir / QUIC / f"{QUIC}-{i:02d}.txt" for i in range(12, 16)]
    last = definition_story(paths, "^ACK_ECN")[-1]
    boxed = draw_definition(last.definition, changes=last).figure
    legend = [a for a in boxed.axes[0].get_children() if a.get_gid() == "legend:removed"]
    assert len(legend) == 1 and type(legend[0]).__name__ == "Rectangle"
