"""Unread figures and --definition matching as rows (tables.definitions)."""

from __future__ import annotations

import re

from draftscope.analyses.definitions import definition_history, read_definitions
from draftscope.tables.definitions import (FIELD_COLUMNS, UNREAD_COLUMNS, definitions_frame,
                                           field_rows, history_records, history_unread_records,
                                           matching_keys, unread_record)
from draftscope.text.document import load_document

QT = "draft-ietf-quic-transport"


def test_field_rows_interleave_unread_figures_by_line(corpus_dir):
    found = read_definitions(load_document(corpus_dir / "rfc" / "rfc9000.txt"))
    rows = field_rows(found.definitions, "rfc9000", "rfc9000", found.unread)
    assert all(set(r) == set(FIELD_COLUMNS) for r in rows)
    lines = [r["line"] for r in rows]
    assert lines == sorted(lines)
    assert [r["line"] for r in rows if r["unread"]] == [u.line for u in found.unread]
    fields = sum(1 for d in found.definitions for f in d.fields) + sum(
        len(v.fields) for d in found.definitions for f in d.fields for v in f.variants)
    assert len(rows) == fields + len(found.unread)
    record = unread_record(found.unread[0])
    assert list(record) == [*UNREAD_COLUMNS, "lines"] and record["lines"][0].strip().startswith("+===")
    assert "lines" not in unread_record(found.unread[0], with_lines=False)


def test_definitions_frame_of_several_revisions_keeps_unread_rows(corpus_dir):
    paths = [corpus_dir / QT / f"{QT}-{rev}.txt" for rev in ("00", "01")]
    frame = definitions_frame(paths)
    unread = frame[frame["unread"] != ""]
    expected = [len(read_definitions(load_document(p)).unread) for p in paths]
    assert list(unread.groupby("rev").size()) == expected and all(expected)
    assert unread["field"].isna().all() and unread["position"].isna().all()


def test_history_keeps_unread_per_revision_and_matches_captions(corpus_dir):
    paths = [corpus_dir / QT / f"{QT}-{rev}.txt" for rev in ("27", "28")]
    history = definition_history(paths)
    per_revision = {label: len(u) for label, u in history.unread.items()}
    assert per_revision == {f"{QT}-{rev}": len(read_definitions(load_document(p)).unread)
                            for rev, p in zip(("27", "28"), paths)}
    rows = history_unread_records(history)
    assert len(rows) == sum(per_revision.values()) and rows[0]["label"] == f"{QT}-27"
    # a caption finds its definition (rows carry the caption of every revision)
    captioned = next(r for r in history_records(history) if r["caption"])
    matched = history_records(history, definition="^" + re.escape(captioned["caption"]) + "$")
    assert {r["key"] for r in matched} == {captioned["key"]}
    assert matching_keys("ACK", [("ACK Frame", "ACK Frame Format", ""), ("Packet", "Packet", "")]) == {"ACK Frame"}
