"""Bit diagrams read from their geometry: ruler -> bit offsets -> every cell a width.

The MPTCP drawings below are written here in RFC 6824 / RFC 8684 layout (MPTCP's own drafts are
not in the corpus); everything else is read from the shared example file and the corpus.
"""

from __future__ import annotations

import json
import re

import pytest

from draftscope.analyses.definitions import diff_definitions, extract_definitions
from draftscope.analyses.definitions.boxart import find_boxes, parse_box
from draftscope.analyses.definitions.extract import scan_lines
from draftscope.analyses.definitions.boxscan import read_drawing
from draftscope.analyses.definitions.geometry import find_ruler
from draftscope.analyses.definitions.sizes import read_cell_text
from draftscope.text.document import load_document

QT = "draft-ietf-quic-transport/draft-ietf-quic-transport-{}.txt"
RULER = ("                           1                   2                   3\n"
         "       0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1\n")

MP_CAPABLE = RULER + """\
      +---------------+---------------+-------+-------+---------------+
      |     Kind      |    Length     |Subtype|Version|A|B|C|D|E|F|G|H|
      +---------------+---------------+-------+-------+---------------+
      |                   Option Sender's Key (64 bits)               |
      |                                                               |
      |                                                               |
      +---------------------------------------------------------------+
      |                  Option Receiver's Key (64 bits)              |
      |                     (if option Length == 20)                  |
      |                                                               |
      +---------------------------------------------------------------+
"""
# RFC 6824 draws MP_PRIO one column short of 32 bits
MP_PRIO = RULER + """\
      +---------------+---------------+-------+-----+-+--------------+
      |     Kind      |     Length    |Subtype|     |B| AddrID (opt) |
      +---------------+---------------+-------+-----+-+--------------+
"""
REMOVE_ADDR = RULER + """\
      +---------------+---------------+-------+-------+---------------+
      |     Kind      |  Length = 3+n |Subtype|(resvd)|   Address ID  | ...
      +---------------+---------------+-------+-------+---------------+
                         (followed by n-1 Address IDs, if required)
"""
ADD_ADDR = RULER + """\
      +---------------+---------------+-------+-----+-+---------------+
      |     Kind      |     Length    |Subtype|(rsv)|E|  Address ID   |
      +---------------+---------------+-------+-----+-+---------------+
      |           Address (IPv4: 4 octets / IPv6: 16 octets)          |
      +-------------------------------+-------------------------------+
      |   Port (2 octets, optional)   |                               |
      +-------------------------------+                               |
      |                Truncated HMAC (8 octets, if E=0)              |
      |                               +-------------------------------+
      |                               |
      +-------------------------------+
"""


def reading(drawing: str):
    return [(f.name, f.bits, f.size, f.value, f.optional, f.condition, f.reserved, f.repeated)
            for f in parse_box(drawing.split("\n"))]


# --- the example file ---------------------------------------------------------------------

def test_example_file_matches_expected_json(bitdiagram_examples):
    folder = bitdiagram_examples
    expected = json.loads((folder / "expected.json").read_text())["definitions"]
    found = extract_definitions(load_document(folder / "rfc6824-join-dss.txt"))
    assert [d.caption for d in found] == [e["caption"] for e in expected]
    for definition, want in zip(found, expected):
        got = [(f.name, f.bits) for f in definition.fields]
        assert got == [(w[0], w[1]) for w in want["fields"]], definition.caption
        for field, w in zip(definition.fields, want["fields"]):
            if len(w) > 2 and w[2].startswith("value "):
                assert field.value == w[2].split(" ", 1)[1]
            elif len(w) > 2:                      # "32 or 64 bits, depending on flags"
                assert (field.size, field.condition) == ("32/64", "depending on flags")
            assert field.reserved == (w[0] == "(reserved)")
    # widths of each fixed row come to the ruler's 32 bits, the DSS drawn a column short too
    dss = found[3]
    assert sum(f.bits for f in dss.fields[:9]) == 32
    # the blank cell after Subtype is where "Subtype-specific data" begins: one variable field
    assert found[0].fields[-1].size == ".." and not found[0].fields[-1].reserved


# --- MPTCP drawings (written in the test, RFC 6824 / RFC 8684 layout) -------------------------

def test_mp_capable_sizes_and_condition_out_of_names():
    assert reading(MP_CAPABLE) == [
        ("Kind", 8, "8", "", False, "", False, False),
        ("Length", 8, "8", "", False, "", False, False),
        ("Subtype", 4, "4", "", False, "", False, False),
        ("Version", 4, "4", "", False, "", False, False),
        *[(flag, 1, "1", "", False, "", False, False) for flag in "ABCDEFGH"],
        ("Option Sender's Key", 64, "64", "", False, "", False, False),
        ("Option Receiver's Key", 64, "64", "", False, "if option Length == 20", False, False),
    ]


def test_mp_prio_blank_cell_is_reserved_and_short_drawing_snaps():
    assert reading(MP_PRIO) == [
        ("Kind", 8, "8", "", False, "", False, False),
        ("Length", 8, "8", "", False, "", False, False),
        ("Subtype", 4, "4", "", False, "", False, False),
        ("(reserved)", 3, "3", "", False, "", True, False),
        ("B", 1, "1", "", False, "", False, False),
        ("AddrID", 8, "8", "", True, "", False, False),
    ]


def test_remove_addr_value_reserved_and_repeated_id():
    assert reading(REMOVE_ADDR) == [
        ("Kind", 8, "8", "", False, "", False, False),
        ("Length", 8, "8", "3+n", False, "", False, False),
        ("Subtype", 4, "4", "", False, "", False, False),
        ("(reserved)", 4, "4", "", False, "", True, False),
        ("Address ID", 8, "8", "", False, "", False, True),
    ]


def test_add_addr_octet_sizes_optional_and_condition():
    assert reading(ADD_ADDR) == [
        ("Kind", 8, "8", "", False, "", False, False),
        ("Length", 8, "8", "", False, "", False, False),
        ("Subtype", 4, "4", "", False, "", False, False),
        ("(reserved)", 3, "3", "", False, "", True, False),
        ("E", 1, "1", "", False, "", False, False),
        ("Address ID", 8, "8", "", False, "", False, False),
        ("Address", None, "32/128", "", False, "", False, False),
        ("Port", 16, "16", "", True, "", False, False),
        # starts in the blank cell right of Port: 16 + 32 + 16 bits, as "(8 octets)" says
        ("Truncated HMAC", 64, "64", "", False, "if E=0", False, False),
    ]
    drawing = read_drawing(ADD_ADDR.split("\n"))
    hmac = drawing.cells[-1]
    assert (hmac.text.startswith("Truncated HMAC"), hmac.start, hmac.bits) == (True, 16, 64)


@pytest.mark.parametrize("text, expected", [
    ("Port (2 octets, optional)", ("Port", 16, "16", True, "")),
    ("Truncated HMAC (8 octets, if E=0)", ("Truncated HMAC", 64, "64", False, "if E=0")),
    ("Data ACK (4 or 8 octets, depending on flags)", ("Data ACK", None, "32/64", False,
                                                      "depending on flags")),
    ("AddrID (opt)", ("AddrID", None, "", True, "")),
    ("Subtype-specific data (variable length)", ("Subtype-specific data", None, "..", False, "")),
    ("Connection ID (8..160)", ("Connection ID", None, "8..160", False, "")),
    ("Padding (0-255 bytes)", ("Padding", None, "0..2040", False, "")),
])
def test_cell_text_sizes_and_notes(text, expected):
    cell = read_cell_text(text)
    assert (cell.name, cell.bits, cell.size, cell.optional, cell.condition) == expected


@pytest.mark.parametrize("text, name, reserved", [
    ("", "(reserved)", True), ("(resvd)", "(reserved)", True), ("(rsv)", "(reserved)", True),
    ("Rsv", "(reserved)", True), ("Reserved", "Reserved", True), ("Unused", "Unused", True),
    ("Reserved Bits", "Reserved Bits", True), ("Address ID", "Address ID", False),
])
def test_reserved_cells(text, name, reserved):
    cell = read_cell_text(text)
    assert (cell.name, cell.reserved) == (name, reserved)


def test_placeholders_and_fixed_bits_are_not_names():
    assert (read_cell_text("T T").name, read_cell_text("T T").placeholder) == ("T", "letter")
    assert (read_cell_text("X X X X").name, read_cell_text("0").value) == ("X", "0")
    assert read_cell_text("1").name == "Fixed Bit"
    assert read_cell_text("E E E E E E E E E  Packet Number (8/16/24/32) E E E E E E E E").name == \
        "Packet Number"


def test_a_grid_of_yes_no_answers_is_refused():
    table = """\
      +-----------+-----+-----+-----+
      | Frame     | 0-RTT | 1-RTT | Handshake |
      +-----------+-----+-----+-----+
      | PADDING   | Yes | Yes | Yes |
      +-----------+-----+-----+-----+
      | ACK       | No  | Yes[1] | Yes |
      +-----------+-----+-----+-----+
      | CRYPTO    | No  | Yes | Yes |
      +-----------+-----+-----+-----+
"""
    assert parse_box(table.split("\n")) is None


def test_rulers_of_every_width_and_indent():
    assert find_ruler([" 0 1 2 3 4 5 6 7"]).bits == 8
    sixteen = find_ruler(["        0   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15"])
    assert (sixteen.bits, sixteen.step) == (16, 4.0)
    assert find_ruler(["0                   1                   2                   3"]) is None
    assert find_ruler([RULER.split("\n")[0], RULER.split("\n")[1]]).bits == 32


# --- corpus -------------------------------------------------------------------------------

def ruler_drawings(corpus_dir):
    for path in sorted(corpus_dir.rglob("*.txt")):
        lines = path.read_text(errors="replace").split("\n")
        for start, end in find_boxes(lines):
            box = lines[start:end]
            if find_ruler(box) is not None:
                yield path.name, start + 1, box


def test_every_ruler_drawing_in_the_corpus_adds_up(corpus_dir):
    """Every row of every ruler-drawn diagram: its cells tile it from bit 0 to its right wall,
    which is the ruler's width for a full row (QUIC's one-byte rows end earlier, at a whole
    number of bits); no field is named by a bare digit or a run of one placeholder letter."""
    drawings = rows = 0
    bad_rows, bad_names = [], []
    for name, line, box in ruler_drawings(corpus_dir):
        drawing = read_drawing(box)
        if drawing is None or drawing.width is None:
            continue
        drawings += 1
        for row in drawing.rows:
            if row.variable or row.right is None:
                continue
            rows += 1
            spans = [span for _, span in row.spans]
            tiles = all(a.end == b.start for a, b in zip(spans, spans[1:])) and spans[0].start == 0
            widths = sum(s.end - s.start for s in spans)
            if not tiles or widths != row.right or row.right > drawing.width or (
                    row.right < drawing.width and row.right % 8 and drawing.width % 8 == 0
                    and row.right != drawing.width):
                bad_rows.append((name, line, row.line, widths, row.right))
        for field in parse_box(box) or []:
            if re.fullmatch(r"\d+|([A-Za-z])(\s+\1)+", field.name):
                bad_names.append((name, line, field.name))
    assert drawings > 900 and rows > 1500
    assert bad_rows == [] and bad_names == []


def test_rfc8200_text_border_rows_and_dotted_options(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / "rfc" / "rfc8200.txt"))
    hop = next(d for d in defs if d.name.startswith("Hop-by-Hop Options Header"))
    assert [(f.name, f.bits, f.size) for f in hop.fields] == [
        ("Next Header", 8, "8"), ("Hdr Ext Len", 8, "8"), ("Options", None, "..")]


def test_quic_tls_20_header_protection_split(corpus_dir):
    defs = extract_definitions(load_document(corpus_dir / "draft-ietf-quic-tls" / "draft-ietf-quic-tls-20.txt"))
    parts = [d for d in defs if d.name.startswith("Header Protection and Ciphertext Sample")]
    assert [d.name.split(": ")[1] for d in parts] == ["Long Header", "Short Header", "Common Fields"]
    # no legend names these bits in quic-tls: the fixed bits |0|1| are one "Fixed Bits" (2) = 1
    # (as RFC 9000 writes its Stateless Reset), letters stay letters
    assert [(f.name, f.bits, f.value) for f in parts[1].fields][:3] == [
        ("Fixed Bits", 2, "1"), ("S", 1, ""), ("E", 5, "")]
    assert parts[2].fields[0].name == "Packet Number"


@pytest.fixture(scope="module")
def transport(corpus_dir):
    return {rev: extract_definitions(load_document(corpus_dir / QT.format(rev))) for rev in ("16", "17", "27")}


def test_quic_short_header_bits_named_as_rfc9000(transport):
    short = next(d for d in transport["27"] if d.name == "Short Header Packet Format")
    assert [(f.name, f.bits, f.value) for f in short.fields][:6] == [
        ("Header Form", 1, "0"), ("Fixed Bit", 1, "1"), ("Spin Bit", 1, ""),
        ("Reserved Bits", 2, ""), ("Key Phase", 1, ""), ("Packet Number Length", 2, "")]
    initial = next(d for d in transport["27"] if d.name == "Initial Packet")
    # no legend of its own: named from the document's other legends, by letter and bit position
    assert [(f.name, f.bits, f.value) for f in initial.fields][:5] == [
        ("Header Form", 1, "1"), ("Fixed Bit", 1, "1"), ("Long Packet Type", 2, "0"),
        ("Reserved Bits", 2, ""), ("Packet Number Length", 2, "")]


def test_new_connection_id_text_border(transport):
    for rev in ("17", "27"):
        frame = next(d for d in transport[rev] if d.name.startswith("NEW_CONNECTION_ID Frame"))
        length, cid = [f for f in frame.fields if f.name in ("Length", "Connection ID")]
        assert (length.bits, cid.bits) == (8, None)
        assert cid.size == ("32..144" if rev == "17" else "8..160")


def test_no_false_new_connection_id_resize_16_to_17(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("16")), load_document(corpus_dir / QT.format("17")))
    frame = diff.find("NEW_CONNECTION_ID Frame")
    kinds = {f.new.name if f.new else f.old.name: f.change for f in frame.fields}
    assert kinds["Length"] not in ("resized", "removed", "added")
    assert kinds["Connection ID"] not in ("resized", "removed", "added")
    assert kinds["Stateless Reset Token"] == "unchanged"


def test_no_false_changes_27_to_28_in_new_connection_id(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("27")), load_document(corpus_dir / QT.format("28")))
    frame = diff.find("NEW_CONNECTION_ID Frame")
    assert {f.change for f in frame.fields if f.change not in ("unchanged",)} <= {"added"}
    assert [f.new.name for f in frame.fields if f.change == "added"] == ["Type"]


def test_scan_lines_flags_notation_examples():
    lines = ["   0 1 2 3 4 5 6 7", "  +-+-+-+-+-+-+-+-+", "  |  A  |   B   |", "  +-+-+-+-+-+-+-+-+"]
    found = scan_lines(lines, section_at=lambda i: ("1.3", "Notational Conventions"))
    assert [d.example for d in found] == [True]


def test_xml_flags_the_same_notation_example(corpus_dir):
    from draftscope.text.document import load_document

    xml = load_document(corpus_dir / "draft-ietf-quic-transport" / "draft-ietf-quic-transport-28.xml")
    assert [d.name for d in extract_definitions(xml, examples=True) if d.example] == ["Example Structure"]
    assert len(extract_definitions(xml)) == 32


def test_lists_drawn_out_in_full_collapse_to_repeated_groups(corpus_dir):
    # quic-transport -01: "Gap 1 | Ack Block 1 Length", "Gap 2 | ...", ..., "Gap N | ..."
    defs = extract_definitions(load_document(corpus_dir / QT.format("01")))
    blocks = next(d for d in defs if d.name == "Ack Block Section")
    assert [(f.name, f.bits, f.size, f.optional, f.repeated) for f in blocks.fields] == [
        ("First Ack Block Length", None, "8/16/32/48", False, False),
        ("Gap", 8, "8", True, True), ("Ack Block Length", None, "8/16/32/48", True, True)]


def test_notes_right_of_the_box_are_flags(corpus_dir):
    # quic-transport -00: "| Gap To Next Block (8) | Ack Block Length ... | <-- optional,"
    #                     "+--------------------------------------------+     repeats"
    ack = next(d for d in extract_definitions(load_document(corpus_dir / QT.format("00"))) if d.name == "ACK Frame")
    gap = next(f for f in ack.fields if f.name == "Gap To Next Block")
    assert (gap.optional, gap.repeated) == (True, True)


def test_full_width_cell_over_several_lines_counts_its_rows():
    hmac = read_drawing(REMOVE_ADDR.split("\n")[:2] + """\
      +---------------------------------------------------------------+
      |                                                               |
      |                                                               |
      |                        Sender's HMAC                          |
      |                                                               |
      |                                                               |
      +---------------------------------------------------------------+""".split("\n")).cells[0]
    assert (hmac.bits, hmac.rows) == (160, 5)


def test_definitions_nested_in_a_notation_section_are_examples():
    from types import SimpleNamespace

    from draftscope.analyses.definitions.extract import _mark_nested_examples
    from draftscope.analyses.definitions.model import Definition, Field

    sections = [SimpleNamespace(number="1.3", title="Notational Conventions"),
                SimpleNamespace(number="1.3.2", title="Bit Diagrams"),
                SimpleNamespace(number="17", title="Packet Formats")]
    nested = Definition("Sample", "boxart", (Field("A", 8),), section="1.3.2 Bit Diagrams")
    real = Definition("Long Header", "boxart", (Field("A", 8),), section="17 Packet Formats")
    assert [d.example for d in _mark_nested_examples([nested, real], sections)] == [True, False]


def test_a_table_with_a_column_of_row_labels_is_refused(corpus_dir):
    # RFC 6052 Figure 1: one row per prefix length ("|32|", "|40|", ...), not a packet format
    names = [d.name for d in extract_definitions(load_document(corpus_dir / "rfc" / "rfc6052.txt"))]
    assert "IPv4-Embedded IPv6 Address Format" not in names


def test_bracketed_indices_collapse(corpus_dir):
    routing = next(d for d in extract_definitions(load_document(corpus_dir / "rfc" / "rfc2460.txt"))
                   if d.name == "Routing Header (2)")
    assert [(f.name, f.bits, f.repeated) for f in routing.fields][-2:] == [
        ("Reserved", 32, False), ("Address", 128, True)]


# RFC 6824's ADD_ADDR (IPVer, no HMAC) and RFC 8684's MP_CAPABLE (conditions per key, a
# checksum "16 bits, optional"): the same notation as above, written other ways
ADD_ADDR_6824 = RULER + """\
      +---------------+---------------+-------+-------+---------------+
      |     Kind      |     Length    |Subtype| IPVer |  Address ID   |
      +---------------+---------------+-------+-------+---------------+
      |          Address (IPv4 - 4 octets / IPv6 - 16 octets)         |
      +-------------------------------+-------------------------------+
      |   Port (2 octets, optional)   |
      +-------------------------------+
"""
MP_CAPABLE_8684 = RULER + """\
      +---------------+---------------+-------+-------+---------------+
      |     Kind      |    Length     |Subtype|Version|A|B|C|D|E|F|G|H|
      +---------------+---------------+-------+-------+---------------+
      |                   Option Sender's Key (64 bits)               |
      |                      (if option Length > 4)                   |
      |                                                               |
      +---------------------------------------------------------------+
      |                  Option Receiver's Key (64 bits)              |
      |                     (if option Length > 12)                   |
      |                                                               |
      +-------------------------------+-------------------------------+
      |  Data-Level Length (16 bits)  |  Checksum (16 bits, optional) |
      +-------------------------------+-------------------------------+
"""


def test_add_addr_6824_and_mp_capable_8684():
    assert reading(ADD_ADDR_6824)[3:] == [
        ("IPVer", 4, "4", "", False, "", False, False),
        ("Address ID", 8, "8", "", False, "", False, False),
        ("Address", None, "32/128", "", False, "", False, False),
        ("Port", 16, "16", "", True, "", False, False)]
    assert reading(MP_CAPABLE_8684)[-4:] == [
        ("Option Sender's Key", 64, "64", "", False, "if option Length > 4", False, False),
        ("Option Receiver's Key", 64, "64", "", False, "if option Length > 12", False, False),
        ("Data-Level Length", 16, "16", "", False, "", False, False),
        ("Checksum", 16, "16", "", True, "", False, False)]
    # MP_CAPABLE from RFC 6824 to RFC 8684: the receiver's key's condition changed, which is
    # an attribute of the same field now, not a rename
    old = {f.name: f for f in parse_box(MP_CAPABLE.split("\n"))}
    new = {f.name: f for f in parse_box(MP_CAPABLE_8684.split("\n"))}
    key = "Option Receiver's Key"
    assert (old[key].condition, new[key].condition) == ("if option Length == 20", "if option Length > 12")


def test_boundary_ruler_and_centred_title(corpus_dir):
    # RFC 768: "0      7 8     15 16    23 24    31" over +--------+ bytes, and a centred title
    udp = extract_definitions(load_document(corpus_dir / "rfc" / "rfc768.txt"))[0]
    assert udp.name == "User Datagram Header Format"
    assert [(f.name, f.bits, f.size) for f in udp.fields] == [
        ("Source Port", 16, "16"), ("Destination Port", 16, "16"), ("Length", 16, "16"),
        ("Checksum", 16, "16"), ("data octets", None, "..")]
    assert find_ruler(["   0      7 8     15 16    23 24    31"]).bits == 32
