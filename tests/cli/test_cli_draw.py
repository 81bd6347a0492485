"""``draftscope draw`` and ``story`` against the fake datatracker: the files they write, what they
print, and their one-line errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from draftscope.cli import build_parser, main
from draftscope.text.document import load_document

QUIC = "draft-ietf-quic-transport"
INV = "draft-ietf-quic-invariants"


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code, err, message, status):
    assert code == status
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("draftscope: error: "), err
    assert message in lines[0], lines[0]


def test_draw_writes_png_svg_and_the_drawn_model(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["draw", f"{QUIC}-27", "--definition", "^ACK Frame",
                                  "--out", str(tmp_path), "-q"])
    assert code == 0, err
    stem = tmp_path / f"{QUIC}-27_ack-frame-format"
    assert out.splitlines() == [str(stem.with_suffix(s)) for s in (".png", ".svg", ".json")]
    assert stem.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in stem.with_suffix(".svg").read_bytes()[:400]
    model = json.loads(stem.with_suffix(".json").read_text())
    from draftscope.analyses.definitions import extract_definitions

    read = next(d for d in extract_definitions(load_document(datatracker_env.cache_dir / "id" / f"{QUIC}-27.txt"))
                if d.name == "ACK Frame Format")
    assert model["document"] == f"{QUIC}-27" and model["definition"] == "ACK Frame Format"
    assert [f["name"] for f in model["fields"]] == read.field_names
    assert model["kind"] == "bit-diagram" and model["row_bits"] == 32


def test_draw_image_formats(datatracker_env, capsys, tmp_path):
    code, out, _ = run(capsys, ["draw", f"{QUIC}-20", "--definition", "^PreferredAddress$",
                                "--image-format", "pdf,svg", "--out", str(tmp_path), "-q"])
    assert code == 0
    suffixes = [Path(line).suffix for line in out.splitlines()]
    assert suffixes == [".pdf", ".svg", ".json"]
    assert (tmp_path / f"{QUIC}-20_preferredaddress.pdf").read_bytes().startswith(b"%PDF")


def test_draw_a_local_file(capsys, tmp_path, bitdiagram_examples):
    """The MPTCP example, a file: one drawing per definition the pattern finds."""
    example = bitdiagram_examples / "rfc6824-join-dss.txt"
    code, out, err = run(capsys, ["draw", str(example), "--definition", "MP_JOIN|DSS",
                                  "--out", str(tmp_path), "-q"])
    assert code == 0, err
    models = [json.loads(Path(p).read_text()) for p in out.splitlines() if p.endswith(".json")]
    assert len(models) == 3
    assert all(m["document"] == "rfc6824-join-dss" for m in models)
    # 3 x (png, svg, json), then the contact sheet of the three
    assert len(out.splitlines()) == 11 and out.splitlines()[-2:] == [
        str(tmp_path / f"rfc6824-join-dss_definitions.{ext}") for ext in ("png", "svg")]


def test_draw_columns_title_and_width_make_the_contact_sheet(capsys, tmp_path, bitdiagram_examples):
    """--definition . on the MPTCP example: four drawings, then one sheet of them in 2 columns,
    900 px wide at --width 6, titled --title; one definition makes no sheet."""
    example = bitdiagram_examples / "rfc6824-join-dss.txt"
    code, out, err = run(capsys, ["draw", str(example), "--definition", ".", "--columns", "2",
                                  "--title", "MPTCP options", "--width", "6",
                                  "--out", str(tmp_path), "-q"])
    assert code == 0, err
    lines = out.splitlines()
    sheet = tmp_path / "rfc6824-join-dss_definitions"
    assert len(lines) == 4 * 3 + 2 and lines[-2:] == [str(sheet) + ".png", str(sheet) + ".svg"]
    from PIL import Image

    with Image.open(sheet.with_suffix(".png")) as png:
        assert png.size[0] == 6 * 150
    svg = sheet.with_suffix(".svg").read_text()
    assert "MPTCP options" in svg and svg.count('id="panel-rule') == 4
    code, out, err = run(capsys, ["draw", str(example), "--definition", "DSS", "--columns", "2",
                                  "--out", str(tmp_path / "one"), "-q"])
    assert code == 0, err
    assert len(out.splitlines()) == 3 and not list((tmp_path / "one").glob("*_definitions.*"))


@pytest.mark.parametrize(("value", "message"), [
    ("0", "argument --columns: must be at least 1, got 0"),
    ("-1", "argument --columns: must be at least 1, got -1"),
    ("5", "argument --columns: must be 1 to 4, got 5"),
])
def test_draw_columns_out_of_range_is_one_line(capsys, tmp_path, bitdiagram_examples, value,
                                               message):
    code, out, err = run(capsys, ["draw", str(bitdiagram_examples / "rfc6824-join-dss.txt"),
                                  "--definition", ".", "--columns", value,
                                  "--out", str(tmp_path / "o")])
    one_error_line(code, err, message, 2)
    assert out == "" and not (tmp_path / "o").exists()


def test_story_writes_every_step_the_strip_csv_and_markdown(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["story", QUIC, "--definition", "^NEW_CONNECTION_ID",
                                  "--out", str(tmp_path), "-q"])
    assert code == 0, err
    written = [Path(p) for p in out.splitlines()]
    assert all(p.exists() for p in written)
    base = f"{QUIC}_new-connection-id-frame_story"
    rows = list(csv.DictReader((tmp_path / f"{base}.csv").open()))
    # one figure (PNG + SVG) per step, then the strip, the CSV and the Markdown
    steps = sorted(p for p in written if re.fullmatch(rf"{base}_\d\d_\w+\.(png|svg)", p.name))
    assert len(steps) == 2 * len(rows)
    assert {p.name for p in written} - {p.name for p in steps} == {
        f"{base}.png", f"{base}.svg", f"{base}.csv", f"{base}.md"}
    # the steps are the changes history reports, with the same revisions and dates
    assert main(["history", QUIC, "--definition", "^NEW_CONNECTION_ID", "--format", "csv",
                 "--changes-only", "-q"]) == 0
    history = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [(r["label"], r["date"], r["change"]) for r in rows] == [
        (r["label"], r["date"], r["change"]) for r in history if r["change"] != "redrawn"]
    assert rows[0]["change"] == "added" and rows[0]["date"]
    markdown = (tmp_path / f"{base}.md").read_text()
    assert all(r["label"] in markdown for r in rows)
    assert f"![NEW_CONNECTION_ID Frame, every step]({base}.png)" in markdown


def test_story_of_several_definitions_names_each(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["story", INV, "--definition", "Header", "--out", str(tmp_path)])
    assert code == 0, err
    csvs = [p for p in out.splitlines() if p.endswith(".csv")]
    assert len(csvs) >= 2 and len(set(csvs)) == len(csvs)
    assert "definitions match --definition 'Header'" in err


@pytest.mark.parametrize(("argv", "message", "status"), [
    (["draw", f"{QUIC}-27", "--definition", "ACK("],
     "draw: argument --definition: 'ACK(' is not a valid regular expression", 2),
    (["story", QUIC, "--definition", "ACK("],
     "story: argument --definition: 'ACK(' is not a valid regular expression", 2),
    (["draw", f"{QUIC}-27", "--definition", "ACK", "--image-format", "gif"],
     "argument --image-format: unknown image format(s) gif", 2),
    (["story", QUIC, "--definition", "ACK", "--workers", "0"],
     "argument --workers: must be at least 1, got 0", 2),
    (["story", QUIC], "the following arguments are required: --definition", 2),
])
def test_bad_options_fail_before_any_request(datatracker_env, capsys, tmp_path, argv, message,
                                             status):
    code, _, err = run(capsys, argv + ["--out", str(tmp_path)])
    one_error_line(code, err, message, status)
    assert datatracker_env.requests == []


def test_definition_not_found_names_target_and_pattern(datatracker_env, capsys, tmp_path):
    out = tmp_path / "out"
    code, _, err = run(capsys, ["draw", f"{QUIC}-27", "--definition", "^ack frame",
                                "--out", str(out)])
    one_error_line(code, err, f"{QUIC}-27: no definition matches --definition '^ack frame'", 1)
    assert "case-sensitive" in err
    code, _, err = run(capsys, ["story", QUIC, "--definition", "^NO SUCH", "--out", str(out)])
    one_error_line(code, err, f"{QUIC}: no definition matches --definition '^NO SUCH' in 36 "
                              f"revisions ({QUIC}-00 .. rfc9000)", 1)
    assert "case-sensitive" not in err   # -i would not have found it either: no hint
    assert not out.exists()


def test_no_case_hint_for_a_file_without_definitions(capsys, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Some notes.\n\nThe client MUST send a frame.\n")
    code, _, err = run(capsys, ["draw", str(notes), "--definition", ".", "--out", str(tmp_path / "o")])
    assert code == 1 and err.splitlines()[-1] == (
        f"draftscope: error: {notes}: no definition matches --definition '.' "
        "(it has no definitions)")


def test_nothing_to_draw_names_target_and_pattern(capsys, tmp_path):
    """An empty TLS struct (``struct { } HelloRequest;``, as RFC 5246 writes it) has no field to
    draw: once the reader finds it, that is the error; a reader that skips it finds no match."""
    document = tmp_path / "draft-empty-struct-00.txt"
    document.write_text("Internet-Draft                 Empty structs                  May 2027\n\n"
                        "1.  Messages\n\n      struct {\n          uint8 ready;\n      } Hello;\n\n"
                        "      struct { } HelloRequest;\n\n")
    from draftscope.analyses.definitions import extract_definitions

    found = {d.name: d for d in extract_definitions(load_document(document))}
    assert found["Hello"].fields
    code, _, err = run(capsys, ["draw", str(document), "--definition", "^HelloRequest$",
                                "--out", str(tmp_path / "out")])
    if "HelloRequest" in found:
        one_error_line(code, err, f"{document}: nothing to draw for --definition '^HelloRequest$'", 1)
    else:
        one_error_line(code, err, f"{document}: no definition matches --definition "
                                  "'^HelloRequest$' (it has 1: Hello)", 1)
    assert not (tmp_path / "out").exists()


def test_story_offline_without_cache_says_what_is_missing(datatracker_env, capsys, tmp_path):
    code, _, err = run(capsys, ["story", QUIC, "--definition", "ACK", "--offline",
                                "--out", str(tmp_path)])
    assert code != 0 and len(err.strip().splitlines()) == 1 and QUIC in err
    assert datatracker_env.requests == []


@pytest.mark.parametrize("command", ["draw", "story"])
def test_help_has_examples_and_the_shared_vocabulary(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    parser = build_parser()
    text = next(a for a in parser._actions if a.dest == "command").choices[command].format_help()
    examples = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert examples and all(line.startswith(f"  draftscope {command}") for line in examples)
    for option in ("--definition PATTERN", "-i, --ignore-case", "--out DIR", "--image-format",
                   "--offline", "--cache-dir DIR"):
        assert option in text


def test_story_of_one_revision_says_one_step(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["story", "draft-ietf-quic-invariants-05", "--definition",
                                  "Long Header", "--out", str(tmp_path)])
    assert code == 0, err
    assert "(1 step)" in err and "(1 steps)" not in err
    code, out, err = run(capsys, ["story", "draft-ietf-quic-invariants-05", "--definition",
                                  "^NO SUCH", "--out", str(tmp_path)])
    assert code == 1 and "in 1 revision (" in err


def test_draw_writes_mermaid_from_the_same_layout(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["draw", f"{QUIC}-27", "--definition", "^ACK Frame",
                                  "--image-format", "mermaid,svg", "--out", str(tmp_path), "-q"])
    assert code == 0, err
    stem = tmp_path / f"{QUIC}-27_ack-frame-format"
    assert out.splitlines() == [str(stem.with_suffix(s)) for s in (".mmd", ".svg", ".json")]
    text = stem.with_suffix(".mmd").read_text()
    model = json.loads(stem.with_suffix(".json").read_text())
    assert text.startswith("packet-beta\ntitle ACK Frame Format\n")
    blocks = [line.split(":")[0] for line in text.splitlines()[2:]]
    # each field at the bits the drawing (and its JSON record) put it
    assert blocks == [f"{f['offset']}" if f["width"] == 1 else f"{f['offset']}-{f['offset'] + f['width'] - 1}"
                      for f in model["fields"]]


def test_story_with_mermaid_title_width_and_columns(datatracker_env, capsys, tmp_path):
    code, out, err = run(capsys, ["story", QUIC, "--definition", "^NEW_CONNECTION_ID",
                                  "--image-format", "png,mermaid", "--title", "NEW_CONNECTION_ID",
                                  "--width", "6", "--columns", "3", "--out", str(tmp_path), "-q"])
    assert code == 0, err
    base = f"{QUIC}_new-connection-id-frame_story"
    written = [Path(p) for p in out.splitlines()]
    steps = [p for p in written if p.suffix == ".mmd"]
    markdown = (tmp_path / f"{base}.md").read_text()
    assert len(steps) == markdown.count("```mermaid") >= 2
    assert not (tmp_path / f"{base}.mmd").exists()          # the strip is an image only
    from PIL import Image

    with Image.open(tmp_path / f"{base}.png") as strip:
        assert strip.size[0] == 6 * 150
    # the library call makes the same files
    from draftscope.analyses.definitions.story import definition_stories
    from draftscope.plots.render import render_story

    cached = sorted((datatracker_env.cache_dir / "id").glob(f"{QUIC}-*.txt"))
    stories = definition_stories(cached, "^NEW_CONNECTION_ID")
    made = render_story(stories, tmp_path / "lib", lineage=QUIC, formats="png,mermaid",
                        title="NEW_CONNECTION_ID", width=6, columns=3, workers=1)
    assert [p.name for p in made[0].paths] == [p.name for p in written]


def test_caps_are_options(datatracker_env, capsys, tmp_path):
    code, _, err = run(capsys, ["draw", f"{QUIC}-27", "--definition", ".", "--max-files", "5",
                                "--out", str(tmp_path / "o")])
    one_error_line(code, err, "files (at most 5; narrow the pattern or raise --max-files)", 2)
    assert not (tmp_path / "o").exists()


def test_the_help_defaults_are_the_library_ones():
    from draftscope.cli import draw
    from draftscope.outputs.layout import MAX_ROWS
    from draftscope.plots.render import MAX_FILES

    assert (draw.MAX_FILES, draw.MAX_ROWS) == (MAX_FILES, MAX_ROWS)
