"""``changes`` and ``textdiff`` on real revisions of quic-transport (local files and the fake
datatracker). The numbers were checked by reading the two revisions: draft 20 added section
17.3.1 Latency Spin Bit with 4 MUST, 2 SHOULD, 1 RECOMMENDED, 1 MAY and 1 OPTIONAL; draft 28 added 7.3 Authenticating
Connection IDs with 2 MUST."""

from __future__ import annotations

import csv
import io
import json

import pytest

from draftscope.cli import main
from draftscope.tables.changes import CHANGES_COLUMNS

QUIC = "draft-ietf-quic-transport"


def local(corpus_dir, rev: str) -> str:
    return str(corpus_dir / QUIC / f"{QUIC}-{rev}.txt")


def test_changes_of_two_local_files_as_json(corpus_dir, capsys):
    assert main(["changes", local(corpus_dir, "27"), local(corpus_dir, "28"), "--format", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)
    assert [(s["from"], s["to"]) for s in steps] == [(f"{QUIC}-27", f"{QUIC}-28")]
    sections = {(r["from"], r["to"]): r for r in steps[0]["sections"]}
    added = sections[(None, "7.3 Authenticating Connection IDs")]
    assert added["change"] == "added" and added["keywords"] == {"MUST": 2}
    assert added["words_removed"] == 0 and added["words_added"] > 400
    # renumbered by the new 7.3: the same section, not removed and added
    moved = sections[("7.3 Transport Parameters", "7.4 Transport Parameters")]
    assert moved["change"] in ("edited", "unchanged", "moved")
    assert all(set(r) >= {"from", "to", "change", "words_added", "words_removed", "keywords"}
               for r in steps[0]["sections"])
    assert all(r["change"] != "unchanged" and all(v for v in r["keywords"].values())
               for r in steps[0]["sections"])
    # field lists replaced the box diagrams in -28: the definitions say so per section
    assert "ACK Frame: redrawn" in sections[("19.3 ACK Frames", "19.3 ACK Frames")]["definitions"]
    # the keyword deltas of the sections add up to the revision's
    total = sum(r["keywords"].get("MUST", 0) for r in steps[0]["sections"])
    from draftscope.analyses.keywords import count_keywords
    from draftscope.text.document import load_document

    counts = [count_keywords(load_document(local(corpus_dir, rev))).counts["MUST"] for rev in ("27", "28")]
    assert total == counts[1] - counts[0]


def test_changes_of_a_lineage_step_through_the_datatracker(datatracker_env, capsys):
    assert main(["changes", QUIC, "--revisions", "19..20", "--format", "json", "-q",
                 "--workers", "1", "--jobs", "2"]) == 0
    steps = json.loads(capsys.readouterr().out)
    assert [(s["from"], s["to"]) for s in steps] == [(f"{QUIC}-19", f"{QUIC}-20")]
    spin = next(r for r in steps[0]["sections"] if r["to"] == "17.3.1 Latency Spin Bit")
    assert (spin["from"], spin["change"], spin["keywords"]) == (
        None, "added", {"MUST": 4, "SHOULD": 2, "RECOMMENDED": 1, "MAY": 1, "OPTIONAL": 1})
    assert main(["changes", QUIC, "--revisions", "19..20", "--format", "csv", "-q", "--offline",
                 "--no-definitions"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(CHANGES_COLUMNS)
    spin_row = next(r for r in rows if r["section_to"] == "17.3.1 Latency Spin Bit")
    assert (spin_row["keywords"], spin_row["keyword_change"], spin_row["rev"]) == \
        ("MUST +4; SHOULD +2; RECOMMENDED +1; MAY +1; OPTIONAL +1", "9", "20")
    assert main(["changes", QUIC, "--revisions", "19..20", "-q", "--offline"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith(f"{QUIC}-19 -> {QUIC}-20: ")
    assert any("17.3.1 Latency Spin Bit" in line and "MUST +4, SHOULD +2, RECOMMENDED +1" in line for line in table)


def test_textdiff_shows_words_of_one_section(corpus_dir, capsys):
    args = ["textdiff", local(corpus_dir, "19"), local(corpus_dir, "20"), "--section", "latency spin"]
    assert main(args) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:2] == [f"--- {QUIC}-19", f"+++ {QUIC}-20"]
    assert lines[2].startswith("@@ 17.3.1 Latency Spin Bit: added, +") and "\x1b[" not in out
    assert "{+" in out and "[-" not in out      # a new section: only added words
    assert main(args + ["--color", "always"]) == 0
    assert "\x1b[32m" in capsys.readouterr().out
    assert main(args + ["--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert "<ins>" in page and "<style>" in page and "src=" not in page and "<link" not in page


def test_textdiff_of_reflowed_text_is_quiet(corpus_dir, tmp_path, capsys):
    """The same words reflowed and paginated differently: no section differs."""
    import re
    import textwrap

    raw = (corpus_dir / QUIC / f"{QUIC}-20.txt").read_text()
    paragraphs = raw.replace("\f", "").split("\n\n")
    # a word xml2rfc broke after its hyphen ("ACK-" / "eliciting") is one word again
    whole = [re.sub(r"(?<=[A-Za-z]-)\n\s+(?=[A-Za-z])", "", p) for p in paragraphs]
    reflowed = "\n\n".join(textwrap.fill(" ".join(p.split()), 60, initial_indent="   ",
                                         subsequent_indent="   ")
                           if p.startswith("   ") and "[Page" not in p and "+-" not in p else p
                           for p in whole)
    assert reflowed.count("\n") > raw.count("\n")
    path = tmp_path / f"{QUIC}-20b.txt"
    path.write_text(reflowed)
    assert main(["textdiff", local(corpus_dir, "20"), str(path), "--section", "^1[0-9]"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("@@")] == []


@pytest.mark.parametrize("argv, code, message", [
    (["changes", "a.txt", "b.txt", "c.txt"], 2, "changes takes one NAME"),
    (["textdiff", "x.txt", "y.txt", "--section", "("], 2, "not a valid regular expression"),
    (["plot-changes", QUIC, "--depth", "0"], 2, "--depth takes a whole number"),
])
def test_bad_input_is_one_line(argv, code, message, capsys):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and message in err and err.count("\n") == 1


def test_section_matching_nothing_is_an_error(corpus_dir, capsys):
    assert main(["textdiff", local(corpus_dir, "19"), local(corpus_dir, "20"),
                 "--section", "no such section"]) == 1
    assert "matches --section 'no such section'" in capsys.readouterr().err


def test_plot_changes_writes_figure_and_data(datatracker_env, tmp_path, capsys):
    from draftscope.plots.changes import GRID_COLUMNS

    out = tmp_path / "figures"
    assert main(["plot-changes", QUIC, "--revisions", "30..34", "--out", str(out), "-q"]) == 0
    paths = capsys.readouterr().out.split()
    stem = f"{QUIC}_changes_revisions-30..34"
    assert paths == [str(out / f"{stem}.{ext}") for ext in ("png", "svg", "csv")]
    rows = list(csv.DictReader(open(paths[2])))
    assert list(rows[0]) == list(GRID_COLUMNS)
    assert {r["label"] for r in rows} == {f"{QUIC}-{i}" for i in range(31, 35)}


def test_plot_explain_notes_its_jumps(datatracker_env, tmp_path, capsys):
    out = tmp_path / "figures"
    assert main(["plot", QUIC, "--explain", "2", "--out", str(out), "-q"]) == 0
    svg = next(p for p in capsys.readouterr().out.split() if p.endswith(".svg"))
    text = open(svg).read()
    assert text.count('id="explain') == 2
    assert "5.7 Connection ID +6" in text and "17.3.1 Latency Spin Bit +4" in text
    assert main(["plot", QUIC, QUIC.replace("transport", "recovery"), "--compare",
                 "--explain", "--offline", "-q"]) == 2
    assert "--explain cannot be combined with --compare" in capsys.readouterr().err
