"""Extraction of protocol definitions from real corpus text: box art, field lists, TLS structs."""

from __future__ import annotations

import pytest

from draftscope.analyses.definitions import read_definitions, extract_definitions
from draftscope.analyses.definitions.boxart import find_boxes, parse_box
from draftscope.analyses.definitions.extract import caption_after
from draftscope.analyses.definitions.fieldlist import parse_field_list
from draftscope.analyses.definitions.sizes import read_cell_text
from draftscope.analyses.definitions.tls import parse_tls
from draftscope.text.document import load_document

QT = "draft-ietf-quic-transport/draft-ietf-quic-transport-{}.txt"


def layout(definition):
    return [(f.name, f.bits, f.size) for f in definition.fields]


def by_name(definitions, name):
    matches = [d for d in definitions if d.name == name]
    assert matches, f"{name} not in {[d.name for d in definitions]}"
    return matches[0]


@pytest.fixture(scope="module")
def transport(corpus_dir):
    return {rev: extract_definitions(load_document(corpus_dir / QT.format(rev))) for rev in ("00", "10", "27", "28")}


# --- size annotations ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Largest Acknowledged (i)", ("Largest Acknowledged", None, "i")),
    ("Stream ID (8, 16, 24, or 32)", ("Stream ID", None, "8/16/24/32")),   # spelled as in -01
    ("First Ack Block Length (8, 16, 32 or 48 bits)", ("First Ack Block Length", None, "8/16/32/48")),
    ("ECT(0) Count (i)", ("ECT(0) Count", None, "i")),        # a parenthesis inside the name
    ("Version (32) (client-only, optional)", ("Version", 32, "32")),
    ("Token (*)", ("Token", None, "..")),
    ("Payload Data* (variable)", ("Payload Data", None, "..")),
    ("Flags(8)", ("Flags", 8, "8")),
    ("Name String (Length bytes)", ("Name String", None, "..")),     # QPACK: length elsewhere
    ("Security Parameters Index (SPI)", ("Security Parameters Index (SPI)", None, "")),
])
def test_cell_text_sizes(text, expected):
    cell = read_cell_text(text)
    assert (cell.name, cell.bits, cell.size) == expected


# --- box art ------------------------------------------------------------------------------

def test_rfc791_header_widths_from_the_bit_ruler(corpus_dir):
    d = extract_definitions(load_document(corpus_dir / "rfc" / "rfc791.txt"))[0]
    # caption line above "Figure 4." (RFC 791 style)
    assert d.name == "Example Internet Datagram Header"
    assert d.section == "3.1 Internet Header Format"
    assert layout(d) == [
        ("Version", 4, "4"), ("IHL", 4, "4"), ("Type of Service", 8, "8"),
        ("Total Length", 16, "16"), ("Identification", 16, "16"), ("Flags", 3, "3"),
        ("Fragment Offset", 13, "13"), ("Time to Live", 8, "8"), ("Protocol", 8, "8"),
        ("Header Checksum", 16, "16"), ("Source Address", 32, "32"),
        ("Destination Address", 32, "32"), ("Options", 24, "24"), ("Padding", 8, "8"),
    ]
    assert sum(f.bits for f in d.fields) == 6 * 32


def test_rfc8200_multi_row_addresses_without_ruler(corpus_dir):
    d = by_name(extract_definitions(load_document(corpus_dir / "rfc" / "rfc8200.txt")), "IPv6 Header Format")
    assert d.caption == ""            # no caption: named after its section
    assert layout(d) == [
        ("Version", 4, "4"), ("Traffic Class", 8, "8"), ("Flow Label", 20, "20"),
        ("Payload Length", 16, "16"), ("Next Header", 8, "8"), ("Hop Limit", 8, "8"),
        ("Source Address", 128, "128"), ("Destination Address", 128, "128"),
    ]


def test_rfc3168_vertical_flag_labels(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / "rfc" / "rfc3168.txt"))
    new = by_name(defs, "The new definition of bytes 13 and 14 of the TCP Header.")
    assert [f.name for f in new.fields] == ["Header Length", "Reserved", "CWR", "ECE", "URG",
                                           "ACK", "PSH", "RST", "SYN", "FIN"]
    assert [f.bits for f in new.fields] == [4, 4, 1, 1, 1, 1, 1, 1, 1, 1]


def test_rfc4303_variable_fields_and_partial_borders(corpus_dir):
    top = extract_definitions(load_document(corpus_dir / "rfc" / "rfc4303.txt"))[0]
    assert top.name == "Top-Level Format of an ESP Packet"     # "Figure 1.  Top-Level ..."
    assert layout(top) == [
        ("Security Parameters Index (SPI)", 32, "32"), ("Sequence Number", 32, "32"),
        ("Payload Data", None, ".."), ("Padding", None, "0..2040"), ("Pad Length", 8, "8"),
        ("Next Header", 8, "8"), ("Integrity Check Value-ICV", None, ".."),
    ]


def test_quic_27_ack_frame_caption_split_by_page_break(corpus_dir, transport):
    raw = (corpus_dir / QT.format("27")).read_text().split("\n")
    # in the published text the page break falls between the box and its caption
    box_end = raw.index("                        Figure 19: ACK Frame Format")
    assert "[Page 112]" in "".join(raw[box_end - 8: box_end])
    ack = by_name(transport["27"], "ACK Frame Format")
    assert ack.caption == "ACK Frame Format"
    assert ack.section == "19.3 ACK Frames"
    assert ack.line == 6253      # the ruler line in the source file
    assert [(f.name, f.size, f.optional) for f in ack.fields] == [
        ("Largest Acknowledged", "i", False), ("ACK Delay", "i", False),
        ("ACK Range Count", "i", False), ("First ACK Range", "i", False),
        ("ACK Ranges", "..", False), ("ECN Counts", "..", True),
    ]


def test_quic_27_bit_fields_and_repeated_rows(transport):
    long_header = by_name(transport["27"], "Long Header Packet Format")
    # fixed bits and placeholder letters named by the legend under the figure ("Header Form:",
    # "Fixed Bit:", "Long Packet Type (T):", "Type-Specific Bits (X):"), as RFC 9000 names them
    assert [(f.name, f.bits, f.value) for f in long_header.fields][:5] == [
        ("Header Form", 1, "1"), ("Fixed Bit", 1, "1"), ("Long Packet Type", 2, ""),
        ("Type-Specific Bits", 4, ""), ("Version", 32, "")]
    ranges = by_name(transport["27"], "ACK Ranges")
    # four drawn rows of [Gap (i)] / [ACK Range (i)] with "..." between: one repeated pair
    assert [(f.name, f.optional, f.repeated) for f in ranges.fields] == [
        ("Gap", True, True), ("ACK Range", True, True)]
    payload = by_name(transport["27"], "QUIC Payload")
    assert [(f.name, f.repeated) for f in payload.fields] == [("Frame", True)]   # Frame 1..N


def test_quic_00_boxes_without_ruler_use_annotations(transport):
    defs = transport["00"]
    stream = by_name(defs, "STREAM Frame")
    assert layout(stream) == [
        ("Type", 8, "8"), ("Stream ID", None, "8/16/24/32"),
        ("Offset", None, "0/16/24/32/40/48/56/64"), ("Data length", None, "0/16"),
        ("Stream Data", None, ".."),     # "(per data length)": its length is another field's
    ]
    # "Headers (type-dependent)", "Data (type-dependent)": notes on the length, not names
    assert layout(by_name(defs, "Frames and Frame Types")) == [
        ("Type", 8, "8"), ("Headers", None, ".."), ("Data", None, "..")]
    # three boxes of one uncaptioned ACK frame diagram are one definition
    ack = by_name(defs, "ACK Frame")
    assert len(ack.fields) == 11 and not any(d.name.startswith("ACK Frame (") for d in defs)
    # the state diagram, the frame-type table and "| 0x00 |" are not definitions
    assert len(defs) == 13


def test_find_boxes_rejects_tables(corpus_dir):
    lines = (corpus_dir / QT.format("00")).read_text().split("\n")
    start = lines.index("         +------------------+--------------------+")
    spans = find_boxes(lines[start:start + 20])
    assert spans and parse_box(lines[start + spans[0][0]: start + spans[0][1]]) is None


# --- field lists --------------------------------------------------------------------------

def test_quic_28_field_list_notation(transport, corpus_dir):
    ack = by_name(transport["28"], "ACK Frame")
    assert ack.notation == "fieldlist"
    assert ack.caption == "ACK Frame Format"
    assert [(f.name, f.size, f.optional, f.repeated, f.value) for f in ack.fields] == [
        ("Type", "i", False, False, "0x02..0x03"),
        ("Largest Acknowledged", "i", False, False, ""),
        ("ACK Delay", "i", False, False, ""),
        ("ACK Range Count", "i", False, False, ""),
        ("First ACK Range", "i", False, False, ""),
        ("ACK Range", "..", False, True, ""),
        ("ECN Counts", "..", True, False, ""),
    ]
    assert "Example Structure" not in [d.name for d in transport["28"]]     # a notation example
    examples = extract_definitions(load_document(corpus_dir / QT.format("28")), examples=True)
    example = by_name(examples, "Example Structure")
    assert example.example and example.section == "1.3 Notational Conventions"
    assert [d.name for d in examples if d.example] == ["Example Structure"]
    assert [(f.name, f.bits, f.size) for f in example.fields][:4] == [
        ("One-bit Field", 1, "1"), ("7-bit Field with Fixed Value", 7, "7"),
        ("Arbitrary-Length Field", None, ".."), ("Variable-Length Field", None, "8..24")]
    assert example.fields[1].value == "61"


def test_every_quic_28_figure_with_a_field_list_is_found(transport):
    names = [d.name for d in transport["28"]]
    # 33 field lists, less RFC 9000's notation example ("Example Structure", section 1.3)
    assert len(names) == 32 and all(d.notation == "fieldlist" for d in transport["28"])
    frames = [n for n in names if n.endswith(" Frame")]
    assert len(frames) == 17 and "PATH_RESPONSE Frame" in frames


def test_field_list_parser_directly():
    lines = ["   Retry Packet {", "     Header Form (1) = 1,", "     Retry Token (..),",
             "     Retry Integrity Tag (128),", "   }"]
    name, fields, end = parse_field_list(lines, 0)
    assert (name, end) == ("Retry Packet", 5)
    assert [(f.name, f.bits, f.value) for f in fields] == [
        ("Header Form", 1, "1"), ("Retry Token", None, ""), ("Retry Integrity Tag", 128, "")]


def test_quic_tls_30_field_list_comments(corpus_dir):
    # "Reserved Bits (2),   # Protected": the comments used to glue three fields into one name
    defs = extract_definitions(load_document(corpus_dir / "draft-ietf-quic-tls" / "draft-ietf-quic-tls-30.txt"))
    short = by_name(defs, "Short Header Packet")
    assert [(f.name, f.size) for f in short.fields] == [
        ("Header Form", "1"), ("Fixed Bit", "1"), ("Spin Bit", "1"), ("Reserved Bits", "2"),
        ("Key Phase", "1"), ("Packet Number Length", "2"), ("Destination Connection ID", "0..160"),
        ("Packet Number", "8..32"), ("Protected Payload", "0..24"), ("Protected Payload", "128"),
        ("Protected Payload", "..")]
    assert len(by_name(defs, "Initial Packet").fields) == 17


def test_quic_01_braces_mark_encryption_not_name(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / QT.format("01")))
    assert layout(by_name(defs, "Regular Packet"))[-1] == ("Encrypted Payload", None, "..")


# --- TLS presentation language ------------------------------------------------------------

def test_rfc5246_structs_and_enums(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / "rfc" / "rfc5246.txt"))
    plaintext = by_name(defs, "TLSPlaintext")
    assert plaintext.notation == "tls-struct"
    assert [(f.type, f.name, f.bits, f.size) for f in plaintext.fields] == [
        ("ContentType", "type", 8, "8"),                   # enum { ..., (255) } ContentType
        ("ProtocolVersion", "version", 16, "16"),          # struct { uint8 major; uint8 minor; }
        ("uint16", "length", 16, "16"), ("opaque", "fragment", None, "[TLSPlaintext.length]")]
    content = by_name(defs, "ContentType")
    assert content.notation == "tls-enum"
    assert [(f.name, f.value, f.bits) for f in content.fields] == [
        ("change_cipher_spec", "20", 8), ("alert", "21", 8), ("handshake", "22", 8),
        ("application_data", "23", 8)]
    hello = by_name(defs, "ClientHello")
    assert [(f.name, f.size) for f in hello.fields][3:5] == [
        ("cipher_suites", "<2..2^16-2>"), ("compression_methods", "<1..2^8-1>")]
    # one-line enums, enums without values, names on the next line
    assert [f.name for f in by_name(defs, "BulkCipherAlgorithm").fields] == ["null", "rc4", "3des", "aes"]
    # section 4 "Presentation Language" explains the notation: its types are examples
    assert "Taste" not in {d.name for d in defs}
    taste = by_name(extract_definitions(load_document(corpus_dir / "rfc" / "rfc5246.txt"), examples=True), "Taste")
    assert taste.example and taste.fields[0].bits == 16        # (32000) needs two bytes
    # one-line definitions and empty structs are definitions too
    assert [(f.type, f.size, f.bits) for f in by_name(defs, "CipherSuite").fields] == [("uint8", "[2]", 16)]
    assert by_name(defs, "HelloRequest").fields == ()


def test_quic_transport_10_transport_parameters(transport):
    defs = [d for d in transport["10"] if d.notation.startswith("tls")]
    # "uint32 QuicVersion;" is a one-line definition
    assert [(d.name, d.notation) for d in defs] == [
        ("QuicVersion", "tls-struct"), ("TransportParameterId", "tls-enum"),
        ("TransportParameter", "tls-struct"), ("TransportParameters", "tls-struct")]
    assert [(f.type, f.bits) for f in defs[0].fields] == [("uint32", 32)]
    params = defs[3]
    assert [(f.name, f.type, f.size) for f in params.fields] == [
        ("select (Handshake.msg_type)", "select", ""),
        ("parameters", "TransportParameter", "<22..2^16-1>")]
    assert params.caption == "Definition of TransportParameters"


def test_quic_tls_05_hkdf_label_defaults(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / "draft-ietf-quic-tls" / "draft-ietf-quic-tls-05.txt"))
    label = by_name(defs, "HkdfLabel")
    assert [(f.type, f.name, f.size, f.value) for f in label.fields] == [
        ("uint16", "length", "16", "Length"), ("opaque", "label", "<10..255>", '"tls13 " + Label'),
        ("uint8", "hashLength", "8", "")]


def test_tls_one_line_vector_type(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / QT.format("23")))
    vector = by_name(defs, "TransportParameters")
    assert [(f.name, f.size, f.repeated) for f in vector.fields] == [
        ("TransportParameter", "<0..2^16-1>", True)]


def test_parse_tls_rejects_templates():
    assert parse_tls(["      struct {", "          T1 f1;", "      } [[T]];"], 0) is None


# --- XML ----------------------------------------------------------------------------------

def test_xml_and_text_give_the_same_definitions(corpus_dir, transport):
    xml = extract_definitions(load_document(corpus_dir / "draft-ietf-quic-transport"
                                            / "draft-ietf-quic-transport-27.xml"))
    assert [d.name for d in xml] == [d.name for d in transport["27"]]
    assert [layout(d) for d in xml] == [layout(d) for d in transport["27"]]
    assert by_name(xml, "ACK Frame Format").section == "19.3 ACK Frames"


def test_caption_after_skips_blank_lines_only():
    lines = ["+-+", "", "   Figure 7: Use of Connection IDs", "   text"]
    assert caption_after(lines, 1) == "Use of Connection IDs"
    assert caption_after(["+-+", "", "   Some text.", ""], 1) == ""


def test_xml_v2_matches_text(corpus_dir):
    series = corpus_dir / "draft-ietf-quic-transport"
    xml = extract_definitions(load_document(series / "draft-ietf-quic-transport-10.xml"))
    text = extract_definitions(load_document(series / "draft-ietf-quic-transport-10.txt"))
    assert len(xml) == 24
    assert [(d.name, d.notation, layout(d)) for d in xml] == [(d.name, d.notation, layout(d)) for d in text]


def test_definitions_frame_is_tidy(corpus_dir):
    from draftscope.tables.definitions import FIELD_COLUMNS, definitions_frame

    frame = definitions_frame(corpus_dir / QT.format("28"))
    # every frame's identity first (a path: its own name the lineage, no date), then the fields
    assert list(frame.columns) == ["lineage", "name", "rev", "label", "date", *FIELD_COLUMNS[2:]]
    assert set(frame["label"]) == {"draft-ietf-quic-transport-28"} and frame["date"].isna().all()
    found = read_definitions(load_document(corpus_dir / QT.format("28")))
    fields = sum(len(d.fields) for d in found.definitions if not d.example)
    unread = [u for u in found.unread if not u.example]
    assert len(frame) == fields + len(unread) and len(unread) > 0
    # one row per unread figure: no field, the reason in "unread"
    rows = frame[frame["unread"] != ""]
    assert list(rows["line"]) == [u.line for u in unread]
    assert list(rows["unread"]) == [u.reason for u in unread] and rows["field"].isna().all()
    version = frame[(frame["definition"] == "Long Header Packet") & (frame["field"] == "Version")].iloc[0]
    assert (version["rev"], version["position"], version["bits"], version["size"]) == ("28", 4, 32, "32")
    ack_range = frame[(frame["definition"] == "ACK Frame") & (frame["field"] == "ACK Range")].iloc[0]
    assert ack_range["repeated"] and frame["bits"].isna().loc[ack_range.name]


def test_cli_start_up_stays_light():
    import subprocess
    import sys

    code = ("import argparse, sys, draftscope.cli.definitions as d; "
            "d.register(argparse.ArgumentParser().add_subparsers()); "
            "print(sorted(m for m in ('pandas', 'lxml', 'numpy', 'rapidfuzz') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_field_list_reserved_fields_are_reserved_as_in_box_art(corpus_dir):
    """RFC 9000's field lists mark 'Reserved Bits (2)' and 'Unused (7)' reserved, as box art does
    for its Reserved cells, so a drawing hatches them whichever notation the revision used."""
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.text.document import load_document

    doc = load_document(corpus_dir / "rfc" / "rfc9000.txt")
    reserved = {(d.name, f.name, f.bits) for d in extract_definitions(doc) for f in d.fields
                if f.reserved}
    assert ("Initial Packet", "Reserved Bits", 2) in reserved
    assert ("Version Negotiation Packet", "Unused", 7) in reserved
    assert not any(name == "Packet Number Length" for _, name, _ in reserved)
