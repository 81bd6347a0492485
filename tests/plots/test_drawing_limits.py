"""Drawings are bounded and always drawable (issue 20 items 1 and 4): a field list of a million
bits, a 10k-row box, a select of 10k cases, 2000 definitions are refused before any drawing,
with the size they would have and the option that raises the limit; a select nested 200 deep,
and field names in scripts no installed font has (CJK, Thai, Hangul) or with control
characters, are drawn (characters no font has become U+FFFD; the JSON keeps the real name)."""

from __future__ import annotations

import json

import pytest

from draftscope.analyses.definitions.model import Definition, Field, Variant
from draftscope.errors import PlotInputError
from draftscope.outputs.layout import MAX_ROWS, card_lines, rows_needed
from draftscope.plots.bitdiagram import draw_definition, save_drawing
from draftscope.plots.drawplan import plan_drawing
from draftscope.plots.fonts import REPLACEMENT, drawable, text_width
from draftscope.plots.render import MAX_FILES, render_drawings


def test_a_million_bits_is_refused_at_once():
    data = Definition("Example Frame", "fieldlist", (Field("Type", 8), Field("Data", 1_000_000)))
    assert rows_needed(data.fields, 32) == 31251
    with pytest.raises(PlotInputError, match=r"31251 rows of 32 bits \(at most 512; raise "
                                             r"max_rows= \(--max-rows\)"):
        draw_definition(data)
    # 10**7 bits: the same one line, computed without laying out a row
    with pytest.raises(PlotInputError, match="312501 rows"):
        draw_definition(Definition("X", "fieldlist", (Field("Type", 8), Field("Data", 10**7))))


def test_a_ten_thousand_row_box_and_a_ten_thousand_case_select_are_refused():
    box = Definition("Box", "boxart", tuple(Field(f"Word {k}", 32) for k in range(10_000)))
    with pytest.raises(PlotInputError, match="10000 rows"):
        plan_drawing(box)
    cases = tuple(Variant(f"case_{k}", (Field(f"f{k}", 8, type="uint8"),)) for k in range(10_000))
    select = Definition("Big", "tls-struct", (Field("select (kind)", None, variants=cases),))
    assert card_lines(select.fields) == 1 + 1 + 10_000 + 10_000
    with pytest.raises(PlotInputError, match="20002 lines"):
        plan_drawing(select)


def test_a_select_nested_200_deep_is_drawn():
    inner = (Field("leaf", 8, type="uint8"),)
    for depth in range(200):
        inner = (Field(f"select (k{depth})", None, variants=(Variant(f"c{depth}", inner),)),)
    nested = Definition("Deep", "tls-struct", inner)
    plan = plan_drawing(nested)
    assert len(plan.rows) == card_lines(nested.fields) == 200 * 3 + 1
    assert [r["cells"][0] for r in plan.rows[:2]] == ["select (k199) {", "case c199:"]
    assert plan.rows[400]["cells"][:2] == ["uint8", "leaf"] and plan.rows[400]["depth"] == 400
    assert [r["cells"][0] for r in plan.rows[401:]] == ["};"] * 200
    assert json.dumps(plan.record())          # the JSON record nests as deep


def test_file_count_cap_before_anything_is_written(tmp_path):
    many = [Definition(f"Frame {k}", "fieldlist", (Field("Type", 8),)) for k in range(2000)]
    # 2000 x (png, svg, json) and the contact sheet of them all (png, svg)
    with pytest.raises(PlotInputError, match=rf"would write 6002 files \(at most {MAX_FILES}"):
        render_drawings(many, tmp_path / "out", label="x")
    assert not (tmp_path / "out").exists()
    files = render_drawings(many[:2], tmp_path / "out", label="x", formats="svg", max_files=5)
    assert [p.name for f in files for p in f.paths] + [p.name for p in files.sheet] == [
        "x_frame-0.svg", "x_frame-0.json", "x_frame-1.svg", "x_frame-1.json", "x_definitions.svg"]


def test_names_in_scripts_no_font_has_are_drawn(tmp_path):
    names = ["名前", "ไทย", "한국어", "Len\x01gth\x1b[31m", "Flags\u202e"]
    definition = Definition("Options", "fieldlist", tuple(Field(n, 16) for n in names))
    drawn = draw_definition(definition)
    written = save_drawing(drawn, tmp_path, "options", ("png", "svg", "mermaid"))
    assert [p.suffix for p in written] == [".png", ".svg", ".mmd"]
    labels = {t.get_gid(): t.get_text() for t in drawn.figure.axes[0].texts
              if (t.get_gid() or "").startswith("label:")}
    for index, name in enumerate(names):
        shown = labels[f"label:{index}"]
        assert all(ord(c) >= 32 for c in shown)
        assert shown == drawable(name)
    assert labels["label:3"] == f"Len{REPLACEMENT}gth{REPLACEMENT}[31m"
    assert labels["label:4"] == f"Flags{REPLACEMENT}"
    assert text_width("名前", 9) > 0
    record = drawn.record()
    assert [f["name"] for f in record["fields"]] == names      # the data keeps what was read
    svg = (tmp_path / "options.svg").read_text()
    assert "\x1b" not in svg and "\x01" not in svg


def test_svg_text_names_a_font_fallback_list(tmp_path):
    drawn = draw_definition(Definition("Flags", "boxart", (Field("Source Port", 16),
                                                           Field("Destination Port", 16))))
    svg = save_drawing(drawn, tmp_path, "flags", "svg")[0].read_text()
    family = next(line for line in svg.splitlines() if "DejaVu Sans" in line and "font" in line)
    for name in ("'DejaVu Sans'", "'Liberation Sans'", "Arial", "Helvetica", "sans-serif"):
        assert name in family, family


def test_limits_are_named_in_the_cli(tmp_path, capsys):
    from draftscope.cli import main

    doc = tmp_path / "draft-example-huge-00.txt"
    doc.write_text("Internet-Draft\n\n1.  Frames\n\n   Example Frame {\n     Type (i) = 0x1c,\n"
                   "     Data (1000000),\n   }\n\n   Figure 1: Example Frame Format\n")
    code = main(["draw", str(doc), "--definition", "Example", "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--max-rows" in err[0] and "31251 rows" in err[0], err
    code = main(["draw", str(doc), "--definition", "Example", "--out", "", "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--out" in err[0] and "empty" in err[0], err
    assert MAX_ROWS == 512
