"""Definition history over the whole draft-ietf-quic-transport lineage (-00 .. -34, RFC 9000)."""

from __future__ import annotations

import json

import pytest

from draftscope.analyses.definitions import definition_history
from draftscope.analyses.definitions.history import history_from_definitions
from draftscope.cli import main
from draftscope.tables.definitions import HISTORY_COLUMNS, history_frame

QT = "draft-ietf-quic-transport"


@pytest.fixture(scope="module")
def paths(corpus_dir):
    revs = sorted((corpus_dir / QT).glob(f"{QT}-[0-9][0-9].txt"))
    assert len(revs) == 35
    return revs + [corpus_dir / "rfc" / "rfc9000.txt"]


@pytest.fixture(scope="module")
def history(paths):
    return definition_history(paths)


def short(label):
    return None if label is None else label.replace(f"{QT}-", "-")


@pytest.fixture(scope="module")
def lives(history):
    return {life.key: life for life in history.lives()}


@pytest.mark.parametrize("key, introduced, removed", [
    ("STREAM Frame", "-00", None),
    ("ACK Frame", "-00", None),
    ("GOAWAY Frame", "-00", "-05"),
    ("STOP_WAITING Frame Format", "-00", "-02"),
    ("ACK_ECN Frame Format", "-13", "-15"),
    ("APPLICATION_CLOSE frame", "-14", "-17"),   # -13 only said "same format as CONNECTION_CLOSE"
    ("CRYPTO Frame", "-13", None),
    ("RETIRE_CONNECTION_ID Frame", "-15", None),
    ("PATH_RESPONSE Frame", "-28", None),        # before -28: "identical to PATH_CHALLENGE"
    ("HANDSHAKE_DONE Frame", "-29", None),
    ("TransportParameterId", "-02", "-24"),
    ("QuicVersion", "-02", "-19"),               # "uint32 QuicVersion;" on one line
])
def test_frames_appear_and_disappear(lives, key, introduced, removed):
    life = lives[key]
    assert (short(life.introduced), short(life.removed)) == (introduced, removed)


def test_renames_are_followed(lives):
    # -17 renamed the three BLOCKED frames; the history keeps each on its own row
    assert lives["DATA_BLOCKED Frame"].names[:2] == ("BLOCKED Frame", "DATA_BLOCKED Frame")
    assert lives["STREAM_DATA_BLOCKED Frame"].names[1:3] == ("STREAM_BLOCKED Frame", "STREAM_DATA_BLOCKED Frame")
    assert lives["STREAMS_BLOCKED Frame"].names[:2] == ("STREAM_ID_BLOCKED Frame", "STREAMS_BLOCKED Frames")
    assert lives["RESET_STREAM Frame"].names[0] == "RST_STREAM Frame"
    assert lives["MAX_STREAM_DATA Frame"].names[0] == "WINDOW_UPDATE Frame"
    assert lives["1-RTT Packet"].names == ("Short Header Format", "Short Header Packet Format",
                                           "Short Header Packet", "1-RTT Packet")


def test_history_frame_columns_and_counts(history):
    frame = history_frame(history)
    assert list(frame.columns) == ["lineage", *HISTORY_COLUMNS]
    assert set(frame["lineage"]) == {"draft-ietf-quic-transport"}   # a bare history: its last draft
    assert frame["label"].nunique() == 36 and frame["label"].iloc[-1] == "rfc9000"
    counts = frame.groupby("change").size().to_dict()
    # definitions are matched on names and field sets, not on field pairing. 17 of the 31
    # definitions -28 drew again as field lists kept their fields, widths and values: redrawn
    # (the TLS TransportParameters' select is diffed case by case: -05, -06, -08, -09 change a
    # case, unchanged before; -27's bit cells are read with their legend's names; RFC 9000's
    # "Example Structure" is a notation example, left out: one added and seven unchanged fewer)
    # "uint32 QuicVersion;", a one-line TLS definition, is read from -02 to -18: one added, one
    # removed and 16 unchanged more)
    assert counts == {"added": 47, "changed": 158, "redrawn": 17, "removed": 12, "unchanged": 803}
    # field counts of the changed events (the redrawn ones add 11 drawn-now Types and the
    # Stateless Reset's fixed bits); was 121, 83, 216 before values and flags were their own
    # kinds, "8/16/24/32" and "8..32" the same size and a frame's Type no rival of a renamed
    # field (Data Limit -> Maximum Data at -28), and select cases diffed
    changed = frame[frame["change"] == "changed"]
    assert changed[["fields_added", "fields_removed", "fields_changed"]].sum().to_list() == [
        95, 65, 210]     # -01..-07's "Gap 1 / Ack Block 1 Length / ... / Gap N" one repeated pair;
    # -15's NEW_CONNECTION_ID Sequence -> Sequence Number one rename, not a removal and an addition;
    # a name holding the old one's words outweighs an equal size (issue 21): -17's "Type (7)" ->
    # "Long Packet Type (2)" in three drawings, -24's TLS "value" -> "Transport Parameter Value",
    # and -10's "Type (5)" -> the one-bit cell the box reader names "Short Packet Type" renamed
    # (five fewer added and removed, five more changed; was 100, 70, 205)
    redrawn = frame[frame["change"] == "redrawn"]
    assert set(redrawn["rev"]) == {"28"}
    assert redrawn[["fields_added", "fields_removed", "fields_changed"]].sum().to_list() == [
        11, 0, 0]
    ack_01 = frame[(frame["rev"] == "01") & (frame["key"] == "ACK Frame")].iloc[0]
    assert "-Gap To Next Block;" in ack_01["details"]
    assert "Num Timestamps -> NumTS;" in ack_01["details"]
    at_28 = frame[frame["rev"] == "28"].groupby("change").size().to_dict()
    assert at_28 == {"added": 1, "changed": 14, "redrawn": 17}
    ack_28 = frame[(frame["rev"] == "28") & (frame["key"] == "ACK Frame")].iloc[0]
    assert (ack_28["definition"], ack_28["change"], ack_28["fields_added"],
            ack_28["fields_removed"], ack_28["fields_changed"]) == ("ACK Frame", "redrawn", 1, 0, 0)
    assert ack_28["details"] == "+Type (drawn now)"
    # RFC 9000 is -34 as published: nothing changes
    assert set(frame[frame["label"] == "rfc9000"]["change"]) == {"unchanged"}


def test_first_drawn_and_first_mentioned(history, lives):
    # PADDING and PING are described (with their own section headings) from -00 and drawn
    # from -29; Initial from -02 (heading "Initial Packet"), drawn from -13
    assert (short(lives["PADDING Frame"].first_drawn), short(lives["PADDING Frame"].first_mentioned)) == (
        "-29", "-00")
    assert short(lives["PING Frame"].first_mentioned) == "-00"
    assert (short(lives["Initial Packet"].first_drawn), short(lives["Initial Packet"].first_mentioned)) == (
        "-13", "-02")
    assert short(lives["HANDSHAKE_DONE Frame"].first_mentioned) == "-25"
    # drawn from the first revision: nothing earlier to mention it
    assert lives["STREAM Frame"].first_mentioned is None
    frame = history_frame(history, definition="^PADDING")
    assert set(frame["first_mentioned"]) == {f"{QT}-00"}
    from draftscope.cli.definitions import format_history_text

    lines = format_history_text(history, "^PADDING").splitlines()
    assert lines[2] == (f"  {QT}-29     first drawn (field list); named in section headings "
                        f"since {QT}-00")


def test_definition_pattern_is_case_sensitive(history):
    # README: `history ... --definition 'ACK'`: the ACK definitions, not every "Packet"
    keys = set(history_frame(history, definition="ACK")["key"])
    assert keys and all("ACK" in k for k in keys)
    assert not any("Packet" in k and "ACK" not in k for k in keys)
    blind = set(history_frame(history, definition="ACK", ignore_case=True)["key"])
    assert "Initial Packet" in blind and keys < blind


def test_history_frame_filter_and_changes_only(history):
    frame = history_frame(history, definition="^GOAWAY", changes_only=True)
    assert list(zip(frame["rev"], frame["change"])) == [
        ("00", "added"), ("01", "changed"), ("02", "changed"), ("05", "removed")]
    assert frame.iloc[-1]["fields"] == 0


def test_history_is_pure_over_extracted_definitions(history):
    empty = history_from_definitions([(("x", "00", "x-00", None), [])])
    assert empty.labels == ["x-00"] and empty.events == []


def test_cli_history_against_fake_datatracker(datatracker_env, capsys):
    assert main(["history", QT, "--definition", "GOAWAY", "-q"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"1 definition over 36 revisions ({QT}-00 .. rfc9000)"
    assert out[1] == "GOAWAY Frame"
    assert out[-2].split() == [f"{QT}-05", "removed", "(box", "art)"]
    # the figures no reader could read are counted, not skipped silently
    assert out[-1].startswith("not read: ") and "figures drawn with box lines in" in out[-1]
    assert main(["history", QT, "--offline", "--format", "json", "--changes-only",
                 "--definition", "HANDSHAKE_DONE"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(e["rev"], e["change"]) for e in doc["events"]] == [("29", "added")]
    assert main(["history", QT, "--offline", "--format", "csv", "--definition", "^PADDING"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == ",".join(HISTORY_COLUMNS) and len(rows) == 1 + 7   # -29 .. -34 and RFC 9000


def test_cli_history_bad_pattern(datatracker_env, capsys):
    assert main(["history", QT, "--definition", "([", "-q"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and "not a valid regular expression" in err
