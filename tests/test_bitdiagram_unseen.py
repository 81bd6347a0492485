"""Bit diagrams the corpus does not hold, written here in their real published layout.

Each drawing is typed from the RFC it names (layout, indent and ruler as printed there, typos
included where the RFC has them) and its reading is pinned field by field: the project is judged
on drafts we never see, so these check that the reading generalises beyond the corpus.
"""

from __future__ import annotations

import pytest

from draftscope.analyses.definitions import extract_definitions
from draftscope.analyses.definitions.boxart import parse_box
from draftscope.analyses.definitions.model import Field
from draftscope.tables.definitions import show_field

RULER3 = ("                        1                   2                   3\n"
          "    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1\n")


def widths(drawing: str) -> list[tuple[str, int | None]]:
    return [(f.name, f.bits) for f in parse_box(drawing.split("\n"))]


def read_document(tmp_path, text: str):
    path = tmp_path / "draft-example-unseen-00.txt"
    path.write_text(text)
    return extract_definitions(path)


# RFC 8684 ADD_ADDR with its content row two columns wider than the borders: (rsv) drawn as
# wide as the 4-bit border cell and E squeezed in beside it
ADD_ADDR_TYPO = RULER3 + """\
   +---------------+---------------+-------+-------+---------------+
   |     Kind      |     Length    |Subtype| (rsv) |E|  Address ID   |
   +---------------+---------------+-------+-------+---------------+
"""


def test_a_row_too_wide_keeps_the_widths_that_agree_with_the_border():
    assert widths(ADD_ADDR_TYPO) == [("Kind", 8), ("Length", 8), ("Subtype", 4),
                                     ("(reserved)", 3), ("E", 1), ("Address ID", 8)]


@pytest.mark.parametrize("row", [
    "   |     Kind      |     Length    |Subtype|rsvd |   Address ID  |",     # 2 short
    "   |     Kind    |     Length    |Subtype|(rsvd) |   Address ID  |",     # Kind 2 short
    "   |     Kind      |     Length    |Subtype|(rsvd) |   Address ID    |",  # last 2 long
    "   |     Kind      |     Length      |Subtype|(rsvd) |   Address ID  |",  # Length 2 long
])
def test_one_cell_drawn_a_bit_off_keeps_the_border_widths(row):
    border = "   +---------------+---------------+-------+-------+---------------+\n"
    assert widths(RULER3 + border + row + "\n" + border) == [
        ("Kind", 8), ("Length", 8), ("Subtype", 4), ("(reserved)", 4), ("Address ID", 8)]


REMOVE_ADDR_DOC = """\
3.4.2.  Remove Address

   If, during the lifetime of an MPTCP connection, a previously announced address becomes
   invalid, the affected host should announce this.

                        1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +---------------+---------------+-------+-------+---------------+
   |     Kind      |  Length = 3+n |Subtype|(resvd)|   Address ID  | ...
   +---------------+---------------+-------+-------+---------------+
                              (followed by n-1 Address IDs, if required)

              Figure 2: Remove Address (REMOVE_ADDR) Option

   For security purposes, if a host receives a REMOVE_ADDR option, it must
   ensure the affected path or paths are not in use.
"""


def test_a_note_under_the_drawing_does_not_hide_the_caption(tmp_path):
    (d,) = read_document(tmp_path, REMOVE_ADDR_DOC)
    assert d.name == d.caption == "Remove Address (REMOVE_ADDR) Option"
    assert [(f.name, f.bits, f.value, f.reserved, f.repeated) for f in d.fields] == [
        ("Kind", 8, "", False, False), ("Length", 8, "3+n", False, False),
        ("Subtype", 4, "", False, False), ("(reserved)", 4, "", True, False),
        ("Address ID", 8, "", False, True)]


def test_conditions_are_printed_as_written():
    for condition in ("depending on flags", "if E=0", "if option Length == 20"):
        f = Field("Data ACK", None, "32/64", condition=condition)
        assert show_field(f) == f"Data ACK (32/64) ({condition})"
