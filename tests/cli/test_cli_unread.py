"""Nothing silent on the command line: unread figures in ``definitions`` (table, csv, json),
counted by ``history``, noted by ``diff``; ``--strict`` makes them exit 1 with one line."""

from __future__ import annotations

import csv
import io
import json

from draftscope.cli import main
from draftscope.tables.definitions import FIELD_COLUMNS

NO_RULER = "patterns-no-ruler.txt"
QT = "draft-ietf-quic-transport"
MD5 = "TCP MD5 Signature Option (RFC 2385 section 3.0)"


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_definitions_lists_unread_figures_in_every_format(bitdiagram_examples, capsys):
    path = str(bitdiagram_examples / NO_RULER)
    code, out, _ = run(capsys, ["definitions", path])
    lines = out.splitlines()
    assert code == 0 and lines[0] == "patterns-no-ruler: 2 definitions, 2 figures not read"
    at = lines.index("not read (figures drawn with box lines that no notation reader could read):")
    assert lines[at + 1].split()[:4] == ["70", "box", "art", "TCP"]
    assert lines[at + 2].strip().startswith("no bit ruler and no regular +-+-+ grid")
    eno = next(line for line in lines[at + 2:] if line.split()[:1] == ["140"])
    assert eno.split()[:3] == ["140", "box", "art"] and "SYN-Form ENO Option" in eno

    code, out, _ = run(capsys, ["definitions", path, "--format", "json"])
    doc = json.loads(out)
    assert [u["caption"] for u in doc["unread"]] == [MD5, "SYN-Form ENO Option (RFC 8547 section 4.1)"]
    md5 = doc["unread"][0]
    assert (md5["line"], md5["notation"], md5["example"]) == (70, "boxart", False)
    assert md5["lines"][1].strip() == "| Kind=19 |Length=18|   MD5 digest...   |"

    code, out, _ = run(capsys, ["definitions", path, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == FIELD_COLUMNS
    unread = [r for r in rows if r["unread"]]
    assert [(r["definition"], r["line"], r["field"]) for r in unread] == [
        (MD5, "70", ""), ("SYN-Form ENO Option (RFC 8547 section 4.1)", "140", "")]
    # in document order: the MD5 figure between the Fast Open option (33) and RFC 7871's (93)
    order = [int(r["line"]) for r in rows]
    assert order == sorted(order)


def test_strict_is_one_error_line(bitdiagram_examples, capsys):
    path = str(bitdiagram_examples / NO_RULER)
    code, out, err = run(capsys, ["definitions", path, "--strict", "--format", "json"])
    assert code == 1 and json.loads(out)["unread"]          # the output first, then the error
    assert err.splitlines() == [
        "draftscope: error: patterns-no-ruler: 2 figures not read (--strict): line 70 (no bit "
        "ruler and no regular +-+-+ grid to measure its cells, and no sizes written in them "
        "(cells of different widths)) and 1 more; 'draftscope definitions' lists them"]
    code, _, err = run(capsys, ["diff", path, path, "--strict"])
    assert code == 1 and len(err.splitlines()) == 1 and "2 figures not read (--strict)" in err
    code, _, err = run(capsys, ["diff", path, path])
    assert code == 0 and err.splitlines() == [
        "draftscope: patterns-no-ruler: 2 figures not read, not compared ('draftscope definitions "
        "patterns-no-ruler' lists them)"] * 2


def test_history_counts_unread_figures(datatracker_env, capsys, monkeypatch):
    import draftscope.tables.definitions as tables

    calls = []
    records = tables.history_records
    monkeypatch.setattr(tables, "history_records",
                        lambda *a, **k: calls.append(1) or records(*a, **k))
    code, out, _ = run(capsys, ["history", QT, "--definition", "^ACK Frame", "-q"])
    assert code == 0 and len(calls) == 1                      # the records are computed once
    last = out.splitlines()[-1]
    assert last.startswith("not read: ") and last.endswith(
        "('draftscope definitions REVISION' lists them and why)")
    code, out, _ = run(capsys, ["history", QT, "--offline", "--definition", "^ACK Frame",
                                "--format", "json"])
    doc = json.loads(out)
    unread = doc["unread"]
    assert unread and {u["label"] for u in unread} <= set(doc["revisions"])
    assert f"{QT}-00" in {u["label"] for u in unread}
    assert set(unread[0]) == {"label", "line", "section", "caption", "notation", "reason", "example"}
    # the table's count is the JSON's
    assert f"not read: {len(unread)} figures" in last
    code, _, err = run(capsys, ["history", QT, "--offline", "--definition", "^ACK Frame", "--strict",
                                "--format", "csv"])
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith(f"draftscope: error: {QT}: {len(unread)} figures not read (--strict): "
                          f"{unread[0]['label']} line {unread[0]['line']}")


def test_one_no_match_error_everywhere(datatracker_env, capsys, tmp_path):
    """history and plot-definitions say it the same way (draw and story: tests/cli/test_cli_draw.py)."""
    hint = "; the pattern is case-sensitive, -i ignores case"
    code, _, err = run(capsys, ["history", QT, "--definition", "^ack frame$", "-q"])
    assert code == 1 and err == (f"draftscope: error: {QT}: no definition matches --definition "
                                 f"'^ack frame$' in 36 revisions ({QT}-00 .. rfc9000){hint}\n")
    code, _, err = run(capsys, ["plot-definitions", QT, "--offline", "--definition", "^ack frame$",
                                "--out", str(tmp_path / "plots")])
    assert code == 1 and err == ("draftscope: error: no definition matches --definition "
                                 f"'^ack frame$' in 36 revisions{hint}\n")


def test_diff_takes_definition_like_every_other_command(corpus_dir, capsys):
    a, b = (str(corpus_dir / QT / f"{QT}-{rev}.txt") for rev in ("27", "28"))
    code, out, _ = run(capsys, ["diff", a, b, "--definition", "^ACK Frame", "--format", "json"])
    doc = json.loads(out)
    assert code == 0 and [(d["from"], d["to"]) for d in doc["definitions"]] == [
        ("ACK Frame Format", "ACK Frame")]               # matched by its new name
    code, _, err = run(capsys, ["diff", a, b, "--definition", "^ack frame"])
    assert code == 1 and err == (f"draftscope: error: {QT}-27 -> {QT}-28: no definition matches "
                                 "--definition '^ack frame'; the pattern is case-sensitive, "
                                 "-i ignores case\n")
    code, out, _ = run(capsys, ["diff", a, b, "--definition", "^ack frame", "-i"])
    assert code == 0 and out.splitlines()[1].startswith("* ACK Frame Format -> ACK Frame")
