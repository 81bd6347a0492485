"""Structural diffs of real revisions: quic-transport -27 -> -28 (box art -> field lists) and more."""

from __future__ import annotations

import json

import pytest

from draftscope.analyses.definitions import diff_definitions, extract_definitions
from draftscope.text.document import load_document
from draftscope.analyses.definitions.match import hungarian, name_similarity, normalise_name
from draftscope.cli import main
from draftscope.tables.definitions import diff_record

QT = "draft-ietf-quic-transport/draft-ietf-quic-transport-{}.txt"


@pytest.fixture(scope="module")
def diff_27_28(corpus_dir):
    return diff_definitions(load_document(corpus_dir / QT.format("27")), load_document(corpus_dir / QT.format("28")))


def fields_of(change):
    return [(f.change, f.old.name if f.old else None, f.new.name if f.new else None, f.details)
            for f in change.fields]


def test_box_art_to_field_lists_is_a_set_of_changes(diff_27_28):
    counts = {k: len(diff_27_28.by_change(k))
              for k in ("added", "removed", "changed", "redrawn", "unchanged")}
    # 31 definitions drawn as box art in -27 are all matched to their -28 field lists;
    # -28 adds PATH_RESPONSE (which -27 described in prose only; its notation example, "Example
    # Structure", is left out). Those with the same fields, widths and values are redrawn (-27's
    # |0|1|S|R R|K|P P| read with its legend's names is -28's short header); the others changed
    assert counts == {"added": 1, "removed": 0, "changed": 14, "redrawn": 17, "unchanged": 0}
    assert sorted(c.new.name for c in diff_27_28.by_change("added")) == ["PATH_RESPONSE Frame"]
    matched = diff_27_28.by_change("changed") + diff_27_28.by_change("redrawn")
    assert all(c.old.notation == "boxart" and c.new.notation == "fieldlist" for c in matched)
    # a redraw changes no field: at most a placeholder gets its name or a drawn-now fixed value
    for c in diff_27_28.by_change("redrawn"):
        assert c.fields_removed == 0 or c.new.name == "Stateless Reset", c.new.name
        assert all(f.change in ("unchanged", "added", "removed") for f in c.fields), c.new.name
    assert "Stateless Reset" in {c.new.name for c in diff_27_28.by_change("redrawn")}
    # every changed definition has a renamed, resized or added/removed field of its own
    for c in diff_27_28.by_change("changed"):
        assert any(f.change not in ("unchanged",) and "drawn now" not in " ".join(f.details)
                   for f in c.fields), c.new.name
    assert diff_27_28.old_label == "draft-ietf-quic-transport-27"


def test_ack_frame_27_to_28(diff_27_28):
    ack = diff_27_28.find("ACK Frame")
    # -28 draws the frame's Type (0x02..0x03), which -27's box left out, and draws the ACK
    # Ranges (*) sequence as a repeated ACK Range: the same frame, redrawn
    assert (ack.old.name, ack.new.name, ack.change) == ("ACK Frame Format", "ACK Frame", "redrawn")
    assert fields_of(ack) == [
        ("added", None, "Type", ("drawn now (a fixed value the other notation left out)",)),
        ("unchanged", "Largest Acknowledged", "Largest Acknowledged", ()),
        ("unchanged", "ACK Delay", "ACK Delay", ()),
        ("unchanged", "ACK Range Count", "ACK Range Count", ()),
        ("unchanged", "First ACK Range", "First ACK Range", ()),
        ("unchanged", "ACK Ranges", "ACK Range", ("drawn as repeated ACK Range",)),
        ("unchanged", "ECN Counts", "ECN Counts", ()),
    ]
    ecn = ack.fields[-1]
    assert ecn.old.optional and ecn.new.optional          # still optional
    assert (ack.fields_added, ack.fields_removed, ack.fields_changed) == (1, 0, 0)


def test_fields_renamed_in_place(diff_27_28):
    long_header = diff_27_28.find("Long Header Packet")
    assert long_header.old.name == "Long Header Packet Format"
    renamed = [(f.old.name, f.new.name) for f in long_header.fields if f.change == "renamed"]
    # -27's bit cells |1|1|T T|X X X X| are read with the names of the legend under the figure,
    # which are -28's names: only the spelled-out abbreviations are renames
    assert renamed == [("DCID Len", "DCID Length"), ("SCID Len", "SCID Length")]
    initial = diff_27_28.find("Initial Packet")
    # "(8/16/24/32)" and "(8..32)" are the same widths spelled two ways: no resize
    resized = [(f.new.name, f.details) for f in initial.fields if f.change == "resized"]
    assert resized == []
    number = next(f for f in initial.fields if f.new and f.new.name == "Packet Number")
    assert (number.old.size, number.new.size, number.change) == ("8/16/24/32", "8..32", "unchanged")


def test_renamed_definitions_are_matched(diff_27_28):
    pairs = {c.old.name: c.new.name for c in diff_27_28.changes if c.old and c.new}
    assert pairs["Handshake Protected Packet"] == "Handshake Packet"
    assert pairs["Generic Frame Layout"] == "Frame"
    assert pairs["QUIC Payload"] == "Packet Payload"
    assert pairs["Sequence of Transport Parameters"] == "Transport Parameters"
    assert pairs["Transport Parameter Encoding"] == "Transport Parameter"


def test_tls_structs_to_box_art_23_to_24(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("23")), load_document(corpus_dir / QT.format("24")))
    pairs = {c.old.name: (c.new.name if c.new else None) for c in diff.changes if c.old}
    assert pairs["TransportParameters"] == "Sequence of Transport Parameters"
    assert pairs["TransportParameter"] == "Transport Parameter Encoding"
    assert pairs["PreferredAddress"] == "Preferred Address format"
    assert pairs["TransportParameterId"] is None     # the enum became an IANA table
    assert diff.find("TransportParameterId").change == "removed"


def test_moved_fields_01_to_02(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("01")), load_document(corpus_dir / QT.format("02")))
    ack = diff.find("ACK Frame Format")
    assert [(f.change, f.new.name if f.new else None) for f in ack.fields] == [
        ("moved", "Num Blocks"), ("moved", "NumTS"), ("renamed", "Largest Acknowledged"),
        ("unchanged", "ACK Delay"), ("unchanged", "ACK Block Section"),
        ("unchanged", "Timestamp Section")]


def test_position_alone_is_no_rename_00_to_01(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("00")), load_document(corpus_dir / QT.format("01")))
    ack = diff.find("ACK Frame Format")
    renamed = [(f.old.name, f.new.name) for f in ack.fields if f.change == "renamed"]
    # -01 abbreviates "Num Timestamps (8)" to "NumTS (8)" (its field description still says
    # "Num Timestamps"); "Gap To Next Block (8)", also 8 bits and earlier in the same gap, moved
    # to the new Ack Block Section figure: removed here, not renamed to NumTS
    assert ("Num Timestamps", "NumTS") in renamed
    assert ("Gap To Next Block", "NumTS") not in renamed
    assert ("removed", "Gap To Next Block", None, ()) in fields_of(ack)
    # "AEAD Data" (no size) -> "{Encrypted Payload }" (*): nothing but position relates them
    regular = diff.find("Regular Packet")
    assert [f.change for f in regular.fields if f.old and f.old.name == "AEAD Data"] == ["removed"]


def test_same_size_in_a_crowded_gap_is_no_rename_01_to_02(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("01")), load_document(corpus_dir / QT.format("02")))
    goaway = diff.find("GOAWAY Frame")
    # -02 replaced Error Code (32) and Last Good Stream ID (32) with two 32-bit stream IDs:
    # the error code is gone (it was paired with "Largest Client Stream ID" on position alone)
    assert [(c, o, n) for c, o, n, _ in fields_of(goaway)] == [
        ("removed", "Error Code", None),
        ("renamed", "Last Good Stream ID", "Largest Client Stream ID"),
        ("added", None, "Largest Server Stream ID"),
        ("removed", "Reason Phrase Length", None),
        ("removed", "Reason Phrase", None),
    ]
    # one 64-bit field between the same neighbours on both sides: size and position agree
    window = diff.find("WINDOW_UPDATE Frame")
    assert [(f.old.name, f.new.name) for f in window.fields if f.change == "renamed"] == [
        ("Byte Offset", "Flow Control Offset")]


def test_renames_need_evidence_helpers():
    from draftscope.analyses.definitions.match import is_abbreviation, is_placeholder, rename_evidence
    from draftscope.analyses.definitions.model import Field

    assert is_abbreviation("NumTS", "Num Timestamps")
    assert is_abbreviation("DCID Length", "Destination Connection ID Length")
    assert not is_abbreviation("NumTS", "Gap To Next Block")
    assert is_placeholder("T T") and is_placeholder("00001") and not is_placeholder("ODCIL")
    gap, ts = Field("Gap To Next Block", 8, "8"), Field("Num Timestamps", 8, "8")
    numts = Field("NumTS", 8, "8")
    assert rename_evidence(gap, numts, gap_old=[gap, ts], gap_new=[numts]) is None
    assert rename_evidence(ts, numts, gap_old=[gap, ts], gap_new=[numts]) is not None
    assert rename_evidence(gap, numts) is not None          # alone between the same neighbours
    assert rename_evidence(Field("AEAD Data"), Field("Encrypted Payload", None, "..")) is None


def test_width_choices_spelled_differently_are_the_same_size(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("00")), load_document(corpus_dir / QT.format("01")))
    stream = diff.find("STREAM Frame")
    # -00 "Stream ID (8, 16, 24, or 32)", -01 "Stream ID (8/16/24/32)"; "Data length (0 or 16)"
    # became "[Data Length (16)]" (absent = 0): a real change
    assert [(c, o, d) for c, o, _n, d in fields_of(stream)] == [
        ("removed", "Type", ()), ("unchanged", "Stream ID", ()), ("unchanged", "Offset", ()),
        ("resized", "Data length", ("size 0/16 -> 16", "now optional")),
        ("unchanged", "Stream Data", ())]


def test_identical_revisions_are_unchanged(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / QT.format("28")))
    diff = diff_definitions(defs, defs)
    assert {c.change for c in diff.changes} == {"unchanged"}
    assert len(diff.changes) == 32       # 33 field lists less the notation example


def test_json_contract(diff_27_28):
    record = diff_record(diff_27_28)
    assert set(record) == {"from", "to", "definitions"}
    assert record["from"] == "draft-ietf-quic-transport-27"
    ack = next(d for d in record["definitions"] if d["to"] == "ACK Frame")
    assert {k: ack[k] for k in ("change", "from", "notation_from", "notation_to")} == {
        "change": "redrawn", "from": "ACK Frame Format", "notation_from": "boxart",
        "notation_to": "fieldlist"}
    first = ack["fields"][0]
    assert {k: first[k] for k in ("change", "from", "to", "bits_from", "bits_to", "value_from",
                                  "value_to", "aspects")} == {
        "change": "added", "from": None, "to": "Type", "bits_from": None, "bits_to": None,
        "value_from": None, "value_to": "0x02..0x03", "aspects": []}
    long_header = next(d for d in record["definitions"] if d["to"] == "Long Header Packet")
    version = next(f for f in long_header["fields"] if f["to"] == "Version")
    assert (version["change"], version["bits_from"], version["bits_to"]) == ("unchanged", 32, 32)
    json.dumps(record)


def test_diff_of_most_distant_revisions(corpus_dir):
    """(Its speed is a benchmark's business, not a test's: benchmarks/.)"""
    diff = diff_definitions(load_document(corpus_dir / QT.format("00")),
                            load_document(corpus_dir / "rfc" / "rfc9000.txt"))
    # what survives from -00 to RFC 9000 (renamed along the way)
    pairs = {c.old.name: c.new.name for c in diff.changes if c.old and c.new}
    assert pairs["STREAM Frame"] == "STREAM Frame"
    assert pairs["ACK Frame"] == "ACK Frame"
    assert pairs["CONNECTION_CLOSE frame"] == "CONNECTION_CLOSE Frame"


def test_matching_helpers():
    assert normalise_name("Preferred Address format") == normalise_name("PreferredAddress")
    assert normalise_name("ECN Count Format") == normalise_name("ECN Counts") == "ecn count"
    assert name_similarity("ACK Frame Format", "ACK Frame") == 1.0
    assert name_similarity("TransportParameters", "TransportParameter") == 0.95
    assert name_similarity("ACK Frame", "STREAM Frame") < 0.8
    # the greedy choice (0,0) would cost 1 + 9; the optimum pairs across
    assert hungarian([[1.0, 2.0], [3.0, 9.0]]) == [(0, 1), (1, 0)]
    assert hungarian([[5.0], [1.0], [3.0]]) == [(1, 0)]


# --- CLI ----------------------------------------------------------------------------------

def test_cli_diff_json_and_text(corpus_dir, capsys):
    a, b = str(corpus_dir / QT.format("27")), str(corpus_dir / QT.format("28"))
    assert main(["diff", a, b, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["to"] == "draft-ietf-quic-transport-28" and len(record["definitions"]) == 32
    assert main(["diff", a, b]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "definitions draft-ietf-quic-transport-27 -> draft-ietf-quic-transport-28: "
        "1 added, 0 removed, 14 changed, 17 redrawn, 0 unchanged")
    assert "* ACK Frame Format -> ACK Frame (box art -> field list) redrawn" in text
    assert "~ ECN Count Format -> ECN Counts (box art -> field list)" in text
    # changes only: the unchanged Largest Acknowledged is listed with --all alone
    assert "Largest Acknowledged" not in text
    assert main(["diff", a, b, "--all"]) == 0
    assert "    Largest Acknowledged" in capsys.readouterr().out


def test_cli_definitions_formats(corpus_dir, capsys):
    path = str(corpus_dir / "rfc" / "rfc8200.txt")
    assert main(["definitions", path, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["document"] == "rfc8200" and doc["definitions"][0]["name"] == "IPv6 Header Format"
    assert main(["definitions", path, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == ("name,rev,definition,notation,section,line,position,field,bits,size,type,"
                       "optional,repeated,value,condition,reserved,case,example,warnings,unread,"
                       "unread_kind")
    assert ("rfc8200,rfc8200,IPv6 Header Format,boxart,3 IPv6 Header Format,299,6,Source Address,"
            "128,128,,False,False,,,False,,False,,,") in rows
    # the fragment layouts of section 4.5 are drawn without a ruler or sizes: rows that say why
    unread = [r for r in rows[1:] if not r.endswith(",")]
    assert unread and all(r.split(",")[6:8] == ["", ""] for r in unread)
    assert {r.rsplit(",", 1)[1] for r in unread} <= {"unreadable", "not a definition"}
    assert main(["definitions", path]) == 0
    # 15: the Pad1/PadN options and the appendix's option layouts are separate drawings now
    assert capsys.readouterr().out.startswith(f"rfc8200: 15 definitions, {len(unread)} figures not read")


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "missing.txt"), str(tmp_path / "other.txt")]) != 0
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and len(err.strip().splitlines()) == 1
    assert main(["definitions", "not a name"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and "Traceback" not in err


# --- values ---------------------------------------------------------------------------------

def test_a_changed_value_is_a_change_of_its_own(corpus_dir):
    from draftscope.text.document import parse_text

    raw = (corpus_dir / "rfc" / "rfc9000.txt").read_text()
    assert raw.count("Type (i) = 0x1a,") == 1
    old = parse_text(raw, "rfc9000", "rfc9000")
    new = parse_text(raw.replace("Type (i) = 0x1a,", "Type (i) = 0x2a,"), "rfc9000", "rfc9000")
    diff = diff_definitions(old, new, old_label="a", new_label="b")
    changed = [c for c in diff.changes if c.change != "unchanged"]
    assert [(c.change, c.new.name) for c in changed] == [("changed", "PATH_CHALLENGE Frame")]
    (field,) = [f for f in changed[0].fields if f.change != "unchanged"]
    assert (field.change, field.new.name, field.old.value, field.new.value) == (
        "value", "Type", "0x1a", "0x2a")
    assert field.aspects == {"value"} and field.details == ("value 0x1a -> 0x2a",)
    assert (changed[0].fields_added, changed[0].fields_removed, changed[0].fields_changed) == (0, 0, 1)
    record = diff_record(diff)
    frame = next(d for d in record["definitions"] if d["change"] == "changed")
    typ = next(f for f in frame["fields"] if f["change"] == "value")
    assert (typ["value_from"], typ["value_to"], typ["aspects"]) == ("0x1a", "0x2a", ["value"])
    # the same value written another way is no change
    same = parse_text(raw.replace("Type (i) = 0x1a,", "Type (i) = 0x1A,"), "rfc9000", "rfc9000")
    assert {c.change for c in diff_definitions(old, same).changes} == {"unchanged"}


def test_field_change_kinds_follow_the_aspects():
    from draftscope.analyses.definitions.diff import compare_fields
    from draftscope.analyses.definitions.model import Field

    base = Field("Length", 8, "8", "uint8")
    assert compare_fields(base, base).change == "unchanged"
    assert compare_fields(base, Field("Length", 16, "16", "uint8")).change == "resized"
    retyped = compare_fields(base, Field("Length", 8, "8", "opaque"))
    assert (retyped.change, retyped.aspects) == ("retyped", {"type"})
    flags = compare_fields(base, Field("Length", 8, "8", "uint8", optional=True))
    assert (flags.change, flags.details) == ("flags", ("now optional",))
    cond = compare_fields(Field("Key", 64, "64", condition="if Length == 20"),
                          Field("Key", 64, "64", condition="if Length == 24"))
    assert (cond.change, cond.aspects) == ("flags", {"condition"})
    assert compare_fields(base, base, moved=True).change == "moved"
    both = compare_fields(base, Field("Len", 16, "16", "uint8"))
    assert both.change == "renamed" and both.aspects == {"name", "size"}


def test_cli_definitions_table_shows_values_and_labels(corpus_dir, capsys):
    assert main(["definitions", str(corpus_dir / "rfc" / "rfc9000.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    # the columns are labelled (the line number was an unlabelled column)
    assert lines[1].split() == ["line", "notation", "name", "[section]"]
    padding = lines.index(next(line for line in lines if " PADDING Frame " in line))
    assert lines[padding].split()[:4] == ["5864", "field", "list", "PADDING"]
    assert lines[padding + 1].strip() == "Type (i) = 0x00"          # the value parsed is shown
    assert main(["definitions", str(corpus_dir / "rfc" / "rfc5246.txt")]) == 0
    text = capsys.readouterr().out
    assert "        warning(1), fatal(2)\n" in text                   # enum code points, not widths
    # wrapped after a comma, within 100 columns (one Handshake line was 390 wide)
    assert ("        ProtocolVersion client_version, Random random, SessionID session_id,\n"
            "        CipherSuite cipher_suites<2..2^16-2>") in text
    assert max(len(line) for line in text.splitlines() if line.startswith("        ")) <= 100
    assert "\n        case certificate: Certificate; case server_key_exchange: ServerKeyExchange;\n" in text


def test_cli_diff_csv_rows_per_field_change(corpus_dir, capsys):
    import csv
    import io

    from draftscope.tables.definitions import DIFF_COLUMNS

    a, b = str(corpus_dir / QT.format("27")), str(corpus_dir / QT.format("28"))
    assert main(["diff", a, b, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == DIFF_COLUMNS
    ack = [r for r in rows if r["definition_to"] == "ACK Frame"]
    assert [(r["definition_change"], r["field_change"], r["field_to"], r["value_to"]) for r in ack][:2] == [
        ("redrawn", "added", "Type", "0x02..0x03"),
        ("redrawn", "unchanged", "Largest Acknowledged", "")]


def test_new_connection_id_16_to_17_is_a_move_not_a_resize(corpus_dir, capsys):
    # -17 put Length after Sequence Number and drew Connection ID in a row with a text border
    diff = diff_definitions(load_document(corpus_dir / QT.format("16")), load_document(corpus_dir / QT.format("17")))
    frame = diff.find("NEW_CONNECTION_ID Frame")
    assert [(f.change, f.new.name) for f in frame.fields if f.change != "unchanged"] == [
        ("moved", "Length")]
    assert main(["diff", str(corpus_dir / QT.format("16")), str(corpus_dir / QT.format("17"))]) == 0
    out = capsys.readouterr().out
    assert "    ~ Length                                         moved\n" in out   # not "moved: moved"


def test_new_connection_id_14_to_15_sequence_renamed_not_replaced(corpus_dir, capsys):
    # -15 moved Length in front and renamed Sequence "Sequence Number": "sequence" is a generic
    # word in a definition's name ("Sequence of Transport Parameters"), never in a field's
    diff = diff_definitions(load_document(corpus_dir / QT.format("14")), load_document(corpus_dir / QT.format("15")))
    frame = diff.find("NEW_CONNECTION_ID Frame")
    assert [(f.change, f.old.name, f.new.name) for f in frame.fields if f.change != "unchanged"] == [
        ("renamed", "Sequence", "Sequence Number")]
    assert (frame.fields_added, frame.fields_removed) == (0, 0)
    assert main(["diff", str(corpus_dir / QT.format("14")), str(corpus_dir / QT.format("15"))]) == 0
    out = capsys.readouterr().out
    assert "    ~ Sequence -> Sequence Number                    renamed: moved\n" in out


def test_value_change_said_once_in_table_and_history(corpus_dir):
    # "value: 0x1a -> 0x2a", not "value: value 0x1a -> 0x2a" (the kind, then its details)
    from draftscope.cli.definitions import format_diff_text
    from draftscope.tables.definitions import describe_field_changes
    from draftscope.text.document import parse_text

    raw = (corpus_dir / "rfc" / "rfc9000.txt").read_text()
    old = parse_text(raw, "rfc9000", "rfc9000")
    new = parse_text(raw.replace("Type (i) = 0x1a,", "Type (i) = 0x2a,"), "rfc9000", "rfc9000")
    diff = diff_definitions(old, new, old_label="a", new_label="b")
    text = format_diff_text(diff_record(diff))
    assert "    ~ Type                                           value: 0x1a -> 0x2a" in text.splitlines()
    frame = diff.find("PATH_CHALLENGE Frame")
    assert describe_field_changes(frame.fields) == "Type (value: 0x1a -> 0x2a)"


def test_wrap_fields_breaks_after_commas_only():
    from draftscope.cli.definitions import wrap_fields

    layout = "Header Form (1) = 1, Fixed Bit (1) = 1, Long Packet Type (2) = 0, Version (32)"
    assert wrap_fields(layout, width=40) == [
        "Header Form (1) = 1, Fixed Bit (1) = 1,", "Long Packet Type (2) = 0, Version (32)"]
    assert " ".join(wrap_fields(layout, width=10)) == layout      # a longer field keeps its line
    assert wrap_fields("") == [""]


def test_goaway_quic_http_27_to_28_names_outweigh_sizes():
    """quic-http -27 drew GOAWAY as box art with one ``Stream ID (i)``; -28 as a field list
    ``Type (i) = 0x7, Length (i), Stream ID/Push ID (..)``. The new ``Length (i)`` has the old
    field's size, ``Stream ID/Push ID`` its words: the words win (issue 21)."""
    from pathlib import Path

    from draftscope.text.document import parse_text

    cases = Path(__file__).resolve().parents[1] / "cases" / "definitions"
    old, new = (parse_text((cases / f"quic-http-{rev}-goaway.txt").read_text(),
                           name="draft-ietf-quic-http", rev=rev) for rev in ("27", "28"))
    result = diff_definitions(old, new)
    assert (result.old_label, result.new_label) == ("draft-ietf-quic-http-27", "draft-ietf-quic-http-28")
    (change,) = result.changes
    assert (change.change, change.old.name, change.new.name) == ("changed", "GOAWAY Frame Payload",
                                                                 "GOAWAY Frame")
    assert [(fc.change, fc.old and fc.old.name, fc.new and fc.new.name) for fc in change.fields] == [
        ("added", None, "Type"), ("added", None, "Length"),
        ("renamed", "Stream ID", "Stream ID/Push ID")]
    assert change.fields[2].details == ("size i -> ..",)
