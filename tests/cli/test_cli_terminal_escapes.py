"""Control characters from a document or a name (ESC sequences, BEL, bidi overrides) never
reach the terminal raw: tables, records and error lines show them escaped (issue 20, item 7)."""

from __future__ import annotations

import json

import pytest

from draftscope.cli import main
from draftscope.errors import printable

HOSTILE = "ACK \x1b[2J\x07Frames\u202e"          # clear screen, bell, right-to-left override
SHOWN = "ACK \\x1b[2J\\x07Frames\\u202e"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


@pytest.fixture
def hostile_rfc(corpus_dir, tmp_path):
    text = (corpus_dir / "rfc" / "rfc9000.txt").read_text(encoding="utf-8")
    path = tmp_path / "rfc9000.txt"
    path.write_text(text.replace("ACK Frames", HOSTILE), encoding="utf-8")
    return path


def test_tables_and_csv_show_controls_escaped(hostile_rfc, capsys):
    for fmt in ("table", "csv"):
        assert main(["definitions", str(hostile_rfc), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert f"19.3 {SHOWN}" in out, fmt
        assert not any(c in out for c in RAW), fmt


def test_json_keeps_the_data(hostile_rfc, capsys):
    """In JSON the escape is JSON's own: the records read back hold the section as written."""
    assert main(["definitions", str(hostile_rfc), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in RAW)
    sections = {d["section"] for d in json.loads(out)["definitions"]}
    assert f"19.3 {HOSTILE}" in sections


def test_error_lines_show_controls_escaped(tmp_path, capsys):
    missing = tmp_path / "x\x1b]0;pwned\x07\u2066.txt"
    assert main(["keywords", str(missing)]) == 1          # an OSError: exit 1
    err = capsys.readouterr().err
    assert err == f"draftscope: error: no such file: {tmp_path}/x\\x1b]0;pwned\\x07\\u2066.txt\n"


def test_colours_pass_only_when_asked_for():
    coloured = "\x1b[32m{+new+}\x1b[0m \x1b]0;title\x07"
    assert printable(coloured, colours=True) == "\x1b[32m{+new+}\x1b[0m \\x1b]0;title\\x07"
    assert printable(coloured) == "\\x1b[32m{+new+}\\x1b[0m \\x1b]0;title\\x07"


def test_printable_leaves_text_alone():
    text = "MUST NOT\tRFC 9000 \u2014 \u00e9t\u00e9, \u4e2d\u6587\n"
    assert printable(text) == text
    assert printable("\r\x1b\x7f\x9b\u200f") == "\\x0d\\x1b\\x7f\\x9b\\u200f"
