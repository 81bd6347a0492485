"""General rules of the box reader, each on a variant of a real drawing (issue 21).

The golden cases (tests/cases/definitions) hold real figures as printed; these check the rules
that decide between the geometry and the text on the same figures drawn slightly off.
"""

from __future__ import annotations

from draftscope.analyses.definitions.boxart import read_box

RULER = ["    0                   1                   2                   3",
         "    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"]
GRID = "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+"


def widths(lines):
    fields, _, warnings = read_box(lines)
    return [(f.name, f.bits) for f in fields], warnings


def test_a_wall_half_a_bit_off_snaps_to_the_neighbours():
    # RFC 9260's common header with its middle wall one column right: 9/7 as drawn, 16/16 as
    # the row below (and the byte grid) says
    lines = RULER + [GRID,
                     "   |     Source Port Number         |  Destination Port Number     |",
                     GRID,
                     "   |      Stream Identifier S      |   Stream Sequence Number n    |",
                     GRID]
    got, _ = widths(lines)
    assert got == [("Source Port Number", 16), ("Destination Port Number", 16),
                   ("Stream Identifier S", 16), ("Stream Sequence Number n", 16)]


def test_a_bare_number_the_grid_contradicts_is_a_value_and_says_so():
    # RFC 8415 section 11.5 draws "DUID-Type (4)" in a 16-bit cell: 4 is the type's value
    lines = RULER + [GRID,
                     "   |         DUID-Type (4)         |        UUID (128 bits)        |",
                     "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |",
                     "   |                                                               |",
                     "   |                                                               |",
                     "   |                                -+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+",
                     "   |                                |",
                     "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-"]
    fields, _, warnings = read_box(lines)
    assert [(f.name, f.bits, f.value) for f in fields] == [("DUID-Type", 16, "4"), ("UUID", 128, "")]
    assert warnings == ("DUID-Type: (4) in a cell drawn 16 bits wide read as its value",)


def test_octet_counts_in_cells_of_a_byte_grid_are_octets():
    # RFC 2131's layout: "(1)" in one-octet cells, "(4)" in a 32-bit row
    border = "   +---------------+---------------+---------------+---------------+"
    lines = RULER + [border,
                     "   |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |",
                     border,
                     "   |                            xid (4)                            |",
                     border]
    fields, _, warnings = read_box(lines)
    assert [(f.name, f.bits) for f in fields] == [("op", 8), ("htype", 8), ("hlen", 8),
                                                  ("hops", 8), ("xid", 32)]
    assert warnings and "octets" in warnings[0]


def test_a_continued_cell_is_one_field_and_a_margin_is_no_field():
    # RFC 9197's POT option: "(contd)" rows, a bracket in the right margin
    lines = RULER + [
        "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+",
        "   |        Namespace-ID           |IOAM POT-Type=0|R R R R R R R R|",
        "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<-+",
        "   |                        PktID                                  |  |",
        "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  P",
        "   |                        PktID (contd)                          |  O",
        "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<-+"]
    got, _ = widths(lines)
    assert got == [("Namespace-ID", 16), ("IOAM POT-Type", 8), ("R", 8), ("PktID", 64)]


def test_a_wall_a_whole_bit_off_snaps_to_the_byte_the_other_rows_agree_on():
    # RFC 3711 Figure 2 draws "PT=SR or RR" a bit too wide; the SDES header further down the
    # same drawing puts the wall at bit 16
    lines = RULER + [GRID,
                     "   |V=2|P|    RC   |   PT=SR or RR   |             length          |",
                     GRID,
                     "   |V=2|P|    SC   |  PT=SDES=202  |             length            |",
                     GRID]
    fields, _, warnings = read_box(lines)
    assert [(f.name, f.bits) for f in fields][:5] == [("V", 2), ("P", 1), ("RC", 5), ("PT", 8),
                                                      ("length", 16)]
    assert warnings == ("a wall drawn at bit 17 read at bit 16, where the other rows have theirs",)
