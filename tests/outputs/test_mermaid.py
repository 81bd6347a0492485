"""Mermaid packet-beta from the same layout as the PNG/SVG: the four drawings of
shared/examples/bitdiagrams (RFC 6824) with the widths of its expected.json, read at run time."""

from __future__ import annotations

import json
import re

import pytest

from draftscope.analyses.definitions import extract_definitions
from draftscope.text.document import load_document
from draftscope.analyses.definitions.model import Definition, Field
from draftscope.errors import PlotInputError
from draftscope.outputs.layout import display_name, layout_definition
from draftscope.outputs.mermaid import mermaid_packet

LINE = re.compile(r'^(\d+)(?:-(\d+))?: "([^"]*)"$')


def parse_packet(text: str) -> tuple[dict, list[tuple[int, int, str]]]:
    """(header lines: title, bitsPerRow; [(first bit, last bit, label)]) of a packet-beta text."""
    header: dict = {}
    blocks = []
    lines = text.splitlines()
    if lines[0] == "---":
        end = lines.index("---", 1)
        for line in lines[1:end]:
            if "bitsPerRow:" in line:
                header["bitsPerRow"] = int(line.split(":")[1])
        lines = lines[end + 1:]
    assert lines[0] == "packet-beta"
    for line in lines[1:]:
        if line.startswith("title "):
            header["title"] = line[6:]
        elif line.startswith("%%"):
            continue
        else:
            m = LINE.match(line)
            assert m, line
            first = int(m.group(1))
            blocks.append((first, int(m.group(2) or first), m.group(3)))
    return header, blocks


def test_the_four_example_drawings_as_mermaid(bitdiagram_examples):
    definitions = [d for d in extract_definitions(load_document(bitdiagram_examples / "rfc6824-join-dss.txt"))
                   if d.fields]
    expected = json.loads((bitdiagram_examples / "expected.json").read_text())["definitions"]
    assert len(definitions) == len(expected) == 4
    for definition, wanted in zip(definitions, expected):
        layout = layout_definition(definition)
        header, blocks = parse_packet(mermaid_packet(layout))
        assert header["title"] == definition.name and "bitsPerRow" not in header
        # contiguous from bit 0, as Mermaid requires; one block per field, in order
        assert blocks[0][0] == 0
        assert all(b[0] == a[1] + 1 for a, b in zip(blocks, blocks[1:]))
        assert len(blocks) == len(wanted["fields"])
        for (first, last, label), (name, bits, *_), box in zip(blocks, wanted["fields"],
                                                                layout.boxes):
            assert label.startswith(display_name(box.field))
            assert name.strip("()").lower() in label.lower()
            if bits is not None:
                assert last - first + 1 == bits
            else:      # a variable field: what the drawing gives it, its size said in words
                assert (first, last) == box.offset(layout.row_bits)
                assert f"({box.field.size})" in label
    # the Third ACK's 160-bit HMAC: bits 32..191, five rows of the drawing
    third = parse_packet(mermaid_packet(layout_definition(definitions[2])))[1]
    assert third[-1] == (32, 191, "Sender's HMAC")


def test_a_narrow_drawing_says_its_row_width():
    flags = Definition("Flags", "boxart", tuple(Field(n, 1) for n in "ABCDEFGH")
                       + (Field("Window", 8),))
    header, blocks = parse_packet(mermaid_packet(layout_definition(flags)))
    assert header["bitsPerRow"] == 16 and blocks[-1] == (8, 15, "Window")


def test_labels_cannot_break_the_syntax():
    tricky = Definition('A "quoted" %% name', "fieldlist",
                        (Field('Say "hi"\nthere', 8), Field("#x\x07", 8)))
    text = mermaid_packet(layout_definition(tricky))
    header, blocks = parse_packet(text)
    assert header["title"] == "A 'quoted' % % name"
    assert [b[2] for b in blocks] == ["Say 'hi' there", "＃x"]


def test_cards_and_huge_packets_are_refused():
    card = Definition("ClientHello", "tls-struct", (Field("random", 256, type="opaque"),))
    with pytest.raises(PlotInputError, match="card"):
        mermaid_packet(layout_definition(card))
    huge = Definition("Huge", "fieldlist", (Field("Data", 12000),))
    with pytest.raises(PlotInputError, match="10000"):
        mermaid_packet(layout_definition(huge))
