"""Definitions drawn as bit diagrams and cards, checked on the artists (boxes, outlines, labels),
not on pixels: widths follow the field model, boxes follow its order and rows, every label sits
inside its box or in the key, and changed fields wear their change kind's colour."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.colors import to_rgba

from draftscope.analyses.definitions import extract_definitions
from draftscope.text.document import load_document
from draftscope.analyses.definitions.model import Definition
from draftscope.errors import NoDataError
from draftscope.plots.bitdiagram import (BASE_FILL, CHANGE_FILLS, BitPlan, CardPlan,
                                         _display_name, _label_anchor, draw_definition, draw_story,
                                         layout_fields, save_drawing, step_changes)

QUIC = "draft-ietf-quic-transport"


def quic(corpus_dir, rev):
    return corpus_dir / QUIC / f"{QUIC}-{rev}.txt"


def bit_definitions(path):
    return [d for d in extract_definitions(load_document(path)) if d.notation in ("boxart", "fieldlist") and d.fields]


def patches_of(fig, index):
    ax = fig.axes[0]
    return sorted((a for a in ax.get_children() if (a.get_gid() or "").startswith(f"field:{index}:")),
                  key=lambda a: int(a.get_gid().split(":")[2]))


def texts(fig, gid):
    return [t for t in fig.axes[0].texts if t.get_gid() == gid]


def check_drawing(result):
    """The invariants of every bit diagram; returns the plan for further checks."""
    fig = result.figure
    plan: BitPlan = result.plan
    renderer = fig.canvas.get_renderer()
    bit_px = plan.bit_w * fig.dpi
    previous_end = 0
    for box in plan.boxes:
        patches = patches_of(fig, box.index)
        assert len(patches) == len(box.segments)
        widths = [p.get_window_extent(renderer).width / bit_px for p in patches]
        # box widths are proportional to the field's bits (and add up to them when fixed)
        for width, segment in zip(widths, box.segments):
            assert width == pytest.approx(segment.bits, abs=0.02)
        if not box.variable:
            assert sum(widths) == pytest.approx(box.field.bits, abs=0.05)
        # boxes follow the field model's order: each starts where the previous one ended
        first = box.segments[0]
        start = first.row * plan.row_bits + first.start
        assert start >= previous_end and (start == previous_end or previous_end % plan.row_bits)
        previous_end = (box.segments[-1].row * plan.row_bits + box.segments[-1].end
                        if not box.variable else (box.segments[-1].row + 1) * plan.row_bits)
        # rows go down the figure in order
        ys = [p.get_window_extent(renderer).y0 for p in patches]
        assert ys == sorted(ys, reverse=True)
        # the label is there, inside its block, or numbered and explained in the key
        label = plan.labels[box.index]
        drawn = texts(fig, f"label:{box.index}") + texts(fig, f"label:{box.index}:detail")
        assert drawn, f"no label for {box.field.name}"
        block = _label_anchor(box, plan.row_bits)[3]
        extents = [patches[k].get_window_extent(renderer) for k in block]
        x0, x1 = min(e.x0 for e in extents), max(e.x1 for e in extents)
        y0, y1 = min(e.y0 for e in extents), max(e.y1 for e in extents)
        for text in drawn:
            e = text.get_window_extent(renderer)
            assert x0 - 0.5 <= e.x0 and e.x1 <= x1 + 0.5, (box.field.name, text.get_text())
            assert y0 - 0.5 <= e.y0 and e.y1 <= y1 + 0.5, (box.field.name, text.get_text())
        if label.callout is None:
            shown = " ".join(t.get_text() for t in drawn).replace("\n", " ")
            assert " ".join(box.field.name.split()) in shown or box.field.reserved
        else:
            key = "\n".join(t.get_text() for t in texts(fig, "key:callout"))
            assert f"{label.callout}  {_display_name(box.field)}" in key
    return plan


@pytest.mark.parametrize("source, width", [
    ((QUIC, "01"), 8.0), ((QUIC, "18"), 8.0), ((QUIC, "27"), 8.0), ((QUIC, "33"), 8.0),
    (("rfc", "rfc791"), 8.0), (("rfc", "rfc8200"), 8.0), (("rfc", "rfc3168"), 8.0),
    ((QUIC, "27"), 3.5), (("rfc", "rfc791"), 3.5),
])
def test_every_bit_diagram_of_a_document_is_drawn_to_the_field_model(corpus_dir, source, width):
    folder, rev = source
    path = quic(corpus_dir, rev) if folder == QUIC else corpus_dir / "rfc" / f"{rev}.txt"
    definitions = bit_definitions(path)
    assert definitions
    callouts = 0
    for definition in definitions:
        drawn = draw_definition(definition, width=width)
        fig = drawn.figure
        fig.canvas.draw()
        plan = check_drawing(drawn)
        callouts += sum(label.callout is not None for label in plan.labels.values())
        assert [b.field for b in plan.boxes] == list(definition.fields)
    if width < 4:
        assert callouts > 0        # narrow drawings must number what does not fit


def test_rows_follow_the_bits(corpus_dir):
    long_header = next(d for d in bit_definitions(quic(corpus_dir, "27"))
                       if d.name.startswith("Long Header"))
    boxes = layout_fields(long_header.fields, 32)
    version = next(b for b in boxes if b.field.name == "Version")
    offset = sum(f.bits for f in long_header.fields[:version.index])
    # a 32-bit field after a partial row continues on the next one
    assert [(s.row, s.start, s.end) for s in version.segments] == [
        (0, offset, 32), (1, 0, offset)]
    # a variable-length field starting mid-row takes the rest of it and the next row
    dcid = next(b for b in boxes if b.field.name.startswith("Destination Connection ID"))
    assert dcid.variable and dcid.segments[0].start > 0 and len(dcid.segments) == 2
    assert dcid.segments[1].start == 0 and dcid.segments[1].end == 32


def test_a_narrow_drawing_uses_its_own_width(corpus_dir):
    tcp = next(d for d in bit_definitions(corpus_dir / "rfc" / "rfc3168.txt")
               if d.name.startswith("The new definition"))
    drawn = draw_definition(tcp)
    fig = drawn.figure
    assert drawn.plan.row_bits == sum(f.bits for f in tcp.fields) == 16
    fig.canvas.draw()
    check_drawing(drawn)


def test_changes_are_coloured_by_kind(corpus_dir):
    from draftscope.analyses.definitions.story import definition_story

    paths = [quic(corpus_dir, f"{i:02d}") for i in range(0, 19)]
    steps = definition_story(paths, "^ACK Frame")
    kinds_seen = set()
    for step in steps[1:]:
        drawn = draw_definition(step.definition, changes=step_changes(step))
        fig = drawn.figure
        fig.canvas.draw()
        plan = check_drawing(drawn)
        changes = {fc.new.name: fc.change for fc in step.field_changes
                   if fc.new is not None and fc.change != "unchanged"}
        for box in plan.boxes:
            expected = CHANGE_FILLS[changes[box.field.name]] if box.field.name in changes else BASE_FILL
            for patch in patches_of(fig, box.index):
                assert patch.get_facecolor() == to_rgba(expected), (step.label, box.field.name)
            kinds_seen.add(changes.get(box.field.name))
        removed = [fc.old.name for fc in step.field_changes if fc.change == "removed"]
        listed = " ".join(t.get_text() for t in texts(fig, "key:removed"))
        assert all(name in listed for name in removed)
        legend = {a.get_gid() for a in fig.axes[0].get_children()
                  if (a.get_gid() or "").startswith("legend:")}
        assert legend == {f"legend:{k}" for k in plan.changes.kinds}
        # a renamed field says its old name
        for fc in step.field_changes:
            if fc.change == "renamed":
                index = next(b.index for b in plan.boxes if b.field is fc.new)
                label = plan.labels[index]
                said = " ".join(label.lines) if label.callout is None else "\n".join(
                    t.get_text() for t in texts(fig, "key:callout"))
                assert f"was {' '.join(fc.old.name.split())}" in said.replace("\n", " ")
    assert {"renamed", "added", "resized"} <= kinds_seen


def test_the_strip_stacks_every_step(corpus_dir, tmp_path):
    from draftscope.analyses.definitions.story import definition_story

    paths = [quic(corpus_dir, f"{i:02d}") for i in range(0, 19)]
    steps = definition_story(paths, "^ACK Frame")
    fig = draw_story(steps).figure
    heads = sorted(t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("step:"))
    assert len(heads) == len(steps)
    assert all(any(h.startswith(f"{s.index + 1}. {s.label}") for h in heads) for s in steps)
    written = save_drawing(fig, tmp_path, "strip")
    assert [p.suffix for p in written] == [".png", ".svg"] and all(p.stat().st_size for p in written)


def test_same_input_same_bytes(corpus_dir, tmp_path):
    definition = next(d for d in bit_definitions(quic(corpus_dir, "27")) if d.name.startswith("ACK"))
    first = save_drawing(draw_definition(definition), tmp_path / "a", "ack", ("png", "svg", "pdf"))
    second = save_drawing(draw_definition(definition), tmp_path / "b", "ack", ("png", "svg", "pdf"))
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.suffix
    assert not list((tmp_path / "a").glob(".*"))       # no temporary files left behind


def test_tls_structs_are_cards(corpus_dir):
    definitions = [d for d in extract_definitions(load_document(quic(corpus_dir, "20")))
                   if d.notation.startswith("tls") and d.fields]
    assert {d.notation for d in definitions} == {"tls-struct", "tls-enum"}
    for definition in definitions:
        drawn = draw_definition(definition)
        fig = drawn.figure
        fig.canvas.draw()
        plan = drawn.plan
        assert isinstance(plan, CardPlan)
        renderer = fig.canvas.get_renderer()
        card = next(a for a in fig.axes[0].get_children() if a.get_gid() == "card")
        box = card.get_window_extent(renderer)
        for index, f in enumerate(definition.fields):
            drawn = texts(fig, f"label:{index}")
            assert drawn and any(f.name in t.get_text() for t in drawn)
            for t in drawn:
                e = t.get_window_extent(renderer)
                assert box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1


def test_the_mptcp_example_is_drawn_as_read(tmp_path, bitdiagram_examples):
    folder = bitdiagram_examples
    definitions = bit_definitions(folder / "rfc6824-join-dss.txt")
    expected = json.loads((folder / "expected.json").read_text())["definitions"]
    assert len(definitions) == len(expected) == 4
    for definition in definitions:
        drawn = draw_definition(definition)
        fig = drawn.figure
        fig.canvas.draw()
        plan = check_drawing(drawn)
        record = plan.record()
        for drawn, read in zip(record["fields"], definition.fields):
            width = sum(s["end"] - s["start"] for s in drawn["segments"])
            if read.bits:
                assert width == read.bits and not drawn["variable"]
            else:
                assert drawn["variable"] and width >= plan.row_bits - drawn["segments"][0]["start"]
        for row in range(plan.rows):
            assert sum(s.bits for b in plan.boxes for s in b.segments if s.row == row) <= plan.row_bits
    # read exactly (issue 9), the drawing has the widths RFC 6824 defines, field by field
    for definition, wanted in zip(definitions, expected):
        plan = draw_definition(definition).plan
        assert definition.caption == wanted["caption"] or definition.name == wanted["caption"]
        drawn = [(None if box.variable else box.bits_drawn) for box in plan.boxes]
        assert drawn == [field[1] for field in wanted["fields"]]
    # the DSS option: 32 bits a row although RFC 6824 draws it a column short
    dss = draw_definition(definitions[3]).plan
    assert [(s.row, s.start, s.end) for s in dss.boxes[-1].segments] == [(dss.rows - 1, 16, 32)]


def test_nothing_to_draw_is_an_error():
    with pytest.raises(NoDataError, match="HelloRequest: no fields to draw"):
        draw_definition(Definition("HelloRequest", "tls-struct", ()))


def test_drawing_into_a_given_axes(corpus_dir):
    from draftscope.plots.style import new_figure

    definition = next(d for d in bit_definitions(quic(corpus_dir, "33")) if d.name.startswith("ACK"))
    fig, ax = new_figure(figsize=(6.0, 4.0))
    fig.set_layout_engine("none")
    assert draw_definition(definition, ax=ax).figure is fig
    assert any(t.get_gid() == "label:0" for t in ax.texts)


def test_field_sizes_written_in(corpus_dir):
    definition = next(d for d in bit_definitions(quic(corpus_dir, "33")) if d.name.startswith("ACK"))
    plan = draw_definition(definition).plan
    for box in plan.boxes:
        text = " ".join(plan.labels[box.index].lines)
        if box.variable and plan.labels[box.index].callout is None:
            assert f"({box.field.size})" in text
        if box.field.value and plan.labels[box.index].callout is None:
            assert f"= {box.field.value}" in text


def test_a_removed_definition_is_drawn_all_removed(corpus_dir):
    """ACK_ECN frames exist in drafts 13 and 14 only: the story's last step draws the last
    drawing with every field in the removed colour."""
    from draftscope.analyses.definitions.story import definition_story

    steps = definition_story([quic(corpus_dir, f"{i:02d}") for i in range(12, 16)], "^ACK_ECN")
    assert [(s.label, s.change) for s in steps] == [(f"{QUIC}-13", "added"), (f"{QUIC}-15", "removed")]
    drawn = draw_definition(steps[-1].definition, changes=steps[-1])
    fig = drawn.figure
    fig.canvas.draw()
    plan = check_drawing(drawn)
    assert len(plan.boxes) == len(steps[0].definition.fields)
    for box in plan.boxes:
        assert all(p.get_facecolor() == to_rgba(CHANGE_FILLS["removed"]) for p in patches_of(fig, box.index))
    assert any(a.get_gid() == "legend:removed" for a in fig.axes[0].get_children())


def test_a_drawing_is_returned_with_its_plan(corpus_dir, tmp_path):
    """draw_definition returns the figure and the plan it was drawn from (no private attribute
    on the Figure); the SVG bytes in memory are the saved file's; Figure code keeps working."""
    definition = next(d for d in bit_definitions(quic(corpus_dir, "27")) if d.name.startswith("ACK"))
    drawn = draw_definition(definition)
    assert not hasattr(drawn.figure, "_draftscope_plan")
    assert drawn.plan.layout.definition is definition and drawn.layout is drawn.plan.layout
    assert drawn.record()["fields"][0]["offset"] == 0
    saved = save_drawing(drawn, tmp_path, "ack", ("svg",))[0]
    assert drawn.image("svg") == saved.read_bytes()
    assert drawn.axes == drawn.figure.axes                      # what a Figure had
    assert drawn._repr_png_().startswith(b"\x89PNG")
