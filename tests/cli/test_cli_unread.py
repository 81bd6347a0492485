"""Nothing silent on the command line: unread figures in ``definitions`` (table, csv, json),
counted by ``history``, noted by ``diff``; ``--strict`` makes them exit 1 with one line."""

from __future__ import annotations

import csv
import io
import json

from draftscope.cli import main
from draftscope.tables.definitions import FIELD_COLUMNS

QT = "draft-ietf-quic-transport"


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_definitions_lists_unread_figures_in_every_format(corpus_dir, capsys):
    path = str(corpus_dir / "rfc" / "rfc9000.txt")
    code, out, _ = run(capsys, ["definitions", path])
    lines = out.splitlines()
    assert code == 0 and lines[0] == ("rfc9000: 35 definitions, 9 figures not read "
                                      "(0 unreadable, 9 not a definition)")
    at = lines.index("not read (figures drawn with box lines that no notation reader could read):")
    assert lines[at + 1].split() == ["543", "box", "art", "Table", "1:", "Stream", "ID", "Types",
                                     "[2.1", "Stream", "Types", "and", "Identifiers]"]
    assert lines[at + 2].strip() == ("not a definition: a table (a +===+ rule under its header "
                                     "row), not a bit diagram")

    code, out, _ = run(capsys, ["definitions", path, "--format", "json"])
    doc = json.loads(out)
    assert [u["line"] for u in doc["unread"]][:2] == [543, 686]
    states = doc["unread"][1]
    assert (states["caption"], states["notation"], states["example"], states["kind"]) == (
        "States for Sending Parts of Streams", "boxart", False, "not a definition")
    assert len(states["lines"]) == 26

    code, out, _ = run(capsys, ["definitions", path, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == FIELD_COLUMNS
    unread = [r for r in rows if r["unread"]]
    assert len(unread) == 9 and [(r["definition"], r["line"], r["field"]) for r in unread[:2]] == [
        ("Table 1: Stream ID Types", "543", ""), ("States for Sending Parts of Streams", "686", "")]
    assert {r["unread_kind"] for r in unread} == {"not a definition"}
    assert {r["unread_kind"] for r in rows if not r["unread"]} == {""}
    order = [int(r["line"]) for r in rows]
    assert order == sorted(order)                 # in document order among the fields


def test_strict_is_one_error_line_about_unreadable_figures_only(corpus_dir, capsys):
    # quic-transport-00 draws 4 frames in octet cells without a bit ruler (unreadable) and has a
    # packet-type flow and a frame-type table (not definitions)
    path = str(corpus_dir / QT / f"{QT}-00.txt")
    code, out, err = run(capsys, ["definitions", path, "--strict", "--format", "json"])
    unread = json.loads(out)["unread"]                 # the output first, then the error
    assert [(u["line"], u["kind"]) for u in unread][:3] == [
        (457, "not a definition"), (495, "unreadable"), (624, "not a definition")]
    assert code == 1 and err.splitlines() == [
        f"draftscope: error: {QT}-00: 4 figures not read (--strict): line 495 (octet cells "
        "(+--------+) and no bit ruler: the widths are only in the prose) and 3 more; "
        "'draftscope definitions' lists them"]
    code, _, err = run(capsys, ["diff", path, path, "--strict"])
    assert code == 1 and len(err.splitlines()) == 1 and "4 figures not read (--strict)" in err
    code, _, err = run(capsys, ["diff", path, path])
    assert code == 0 and err.splitlines() == [
        f"draftscope: {QT}-00: 7 figures not read (4 unreadable, 3 not a definition), not "
        f"compared ('draftscope definitions {QT}-00' lists them)"] * 2
    # RFC 9000's 9 unread figures are tables and state diagrams: --strict passes
    rfc9000 = str(corpus_dir / "rfc" / "rfc9000.txt")
    code, _, err = run(capsys, ["definitions", rfc9000, "--strict"])
    assert code == 0 and err == ""
    code, _, _ = run(capsys, ["diff", rfc9000, rfc9000, "--strict"])
    assert code == 0
    # a document whose figures all read passes --strict
    code, _, _ = run(capsys, ["definitions", str(corpus_dir / "rfc" / "rfc768.txt"), "--strict"])
    assert code == 0


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
        "'draftscope definitions REVISION' lists them and why)")
    code, out, _ = run(capsys, ["history", QT, "--offline", "--definition", "^ACK Frame",
                                "--format", "json"])
    doc = json.loads(out)
    unread = doc["unread"]
    assert unread and {u["label"] for u in unread} <= set(doc["revisions"])
    assert f"{QT}-00" in {u["label"] for u in unread}
    assert set(unread[0]) == {"label", "line", "section", "caption", "notation", "kind", "reason",
                              "example"}
    failing = [u for u in unread if u["kind"] == "unreadable"]
    assert failing and failing[0]["label"] == f"{QT}-00" and len(failing) < len(unread)
    # the table's counts are the JSON's, by kind
    assert f"not read: {len(unread)} figures" in last
    assert (f"({len(failing)} unreadable, {len(unread) - len(failing)} not a definition; "
            in last)
    code, _, err = run(capsys, ["history", QT, "--offline", "--definition", "^ACK Frame", "--strict",
                                "--format", "csv"])
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith(f"draftscope: error: {QT}: {len(failing)} figures not read (--strict): "
                          f"{failing[0]['label']} line {failing[0]['line']}")


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


def test_definitions_show_their_warnings_in_every_format(corpus_dir, capsys):
    """A definition's warnings (what won where drawing and text disagreed, TLS types left
    unresolved) are in the table, the JSON and the CSV: RFC 5246's V2ClientHello has a member
    of type Version, which RFC 5246 never defines."""
    path = str(corpus_dir / "rfc" / "rfc5246.txt")
    warning = "version: type Version is not defined in this document; width unresolved"
    code, out, _ = run(capsys, ["definitions", path])
    lines = out.splitlines()
    at = next(k for k, ln in enumerate(lines) if ln.split()[:4] == ["4948", "TLS", "struct",
                                                                    "V2ClientHello"])
    after = lines[at + 1:next((k for k in range(at + 1, len(lines)) if lines[k][:6].strip()),
                              len(lines))]
    assert code == 0 and [ln.strip() for ln in after if "warning:" in ln] == [f"warning: {warning}"]
    code, out, _ = run(capsys, ["definitions", path, "--format", "json"])
    records = {d["line"]: d for d in json.loads(out)["definitions"]}
    assert records[4948]["warnings"] == [warning]
    assert sum(1 for d in records.values() if d["warnings"]) == 3   # and SecurityParameters twice
    code, out, _ = run(capsys, ["definitions", path, "--format", "csv"])
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["line"] == "4948"]
    assert rows and {r["warnings"] for r in rows} == {warning}
