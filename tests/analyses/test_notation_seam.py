"""The notation seam: readers registered in one ordered list, names and words in one table, and
nothing skipped silently (figures no reader can read are Unread, with the reason)."""

from __future__ import annotations

import re

import pytest

from draftscope.analyses.definitions import (Unread, diff_definitions, extract_definitions,
                                             notations, read_definitions)
from draftscope.analyses.definitions.model import Field
from draftscope.analyses.definitions.notations.base import (Block, NotationInfo, NotationReader,
                                                            Reading)
from draftscope.text.document import load_document, parse_text

EXAMPLES_NO_RULER = "patterns-no-ruler.txt"


class ToyRuleReader(NotationReader):
    """A toy ABNF-ish notation, ``name = field1 field2`` on one line, for the test only."""

    notations = (NotationInfo("toy-rule", "toy rule", "a toy rule"),)
    _RULE = re.compile(r"^\s{3}(?P<name>[a-z][\w-]*) = (?P<body>[a-z][\w-]*(?: [a-z][\w-]*)+)\s*$")

    def starts(self, lines, i):
        return "=" in lines[i] and bool(self._RULE.match(lines[i]))

    def read(self, lines, i, context):
        m = self._RULE.match(lines[i])
        fields = tuple(Field(w) for w in m.group("body").split())
        return Block(i + 1, (Reading(m.group("name"), "toy-rule", fields),))

    def finish(self, definitions, document, context):
        # a per-document post-pass sees every definition: marks its own as "seen by finish"
        return [d if d.notation != "toy-rule" else
                type(d)(d.name, d.notation, d.fields, d.section, d.line, "finished", d.example)
                for d in definitions]


TOY_TEXT = """\
1.  Introduction

   Some prose.

2.  Rules

   request-line = method target version

   ACK Frame {
     Type (i) = 0x02,
   }
"""


def test_a_reader_registered_in_the_test_is_used(monkeypatch):
    document = parse_text(TOY_TEXT, "draft-toy", "00")
    before = [d.notation for d in extract_definitions(document)]
    assert before == ["fieldlist"]            # nobody reads the rule yet
    monkeypatch.setattr(notations, "READERS", [ToyRuleReader(), *notations.READERS])
    found = extract_definitions(document)
    assert [(d.name, d.notation, d.field_names, d.line, d.section, d.caption) for d in found] == [
        ("request-line", "toy-rule", ["method", "target", "version"], 7, "2 Rules", "finished"),
        ("ACK Frame", "fieldlist", ["Type"], 9, "2 Rules", ""),
    ]
    # the one table knows the new notation's words as soon as its reader is registered
    assert notations.notation_label("toy-rule") == "toy rule"
    assert notations.notation_noun("toy-rule") == "a toy rule"
    # and its definitions diff like any other
    changed = parse_text(TOY_TEXT.replace("method target", "method path target"), "draft-toy", "01")
    diff = diff_definitions(document, changed)
    rule = diff.find("request-line")
    assert rule.change == "changed" and [f.new.name for f in rule.fields if f.change == "added"] == ["path"]


def test_one_table_of_notation_names_and_words():
    table = notations.notations()
    assert list(table) == ["tls-struct", "tls-enum", "fieldlist", "boxart"]     # reader order
    assert [table[n].label for n in table] == ["TLS struct", "TLS enum", "field list", "box art"]
    assert {n for n in table if table[n].drawn_as == "card"} == {"tls-struct", "tls-enum"}
    assert notations.notation_label("no-such") == "no-such"


def test_no_other_module_spells_the_notation_words():
    """The words live in the readers' NotationInfo only (tables, plots, CLI and stories ask)."""
    from pathlib import Path

    root = Path(notations.__file__).resolve().parents[3]
    spelled = []
    for path in sorted((root / "draftscope").rglob("*.py")):
        if "notations" in path.parts:
            continue
        text = path.read_text()
        for word in ('"box art"', '"field list"', '"a box diagram"', '"TLS struct"', '"a TLS enum"'):
            if word in text:
                spelled.append((path.name, word))
    assert spelled == []


# --------------------------------------------------------------------------- unread

def test_no_ruler_examples_are_found_and_read(bitdiagram_examples):
    # RFC 7871's DNS-style drawing ('0:' offsets in the margin, '+0 (MSB)' header) was not found
    # at all once: the margin is part of the figure and its +---+ grid of a column per bit reads it
    found = read_definitions(load_document(bitdiagram_examples / EXAMPLES_NO_RULER))
    dns = next(d for d in found.definitions if d.name.startswith("Option Format"))
    assert [(f.name, f.bits) for f in dns.fields] == [
        ("OPTION-CODE", 16), ("OPTION-LENGTH", 16), ("FAMILY", 16), ("SOURCE PREFIX-LENGTH", 8),
        ("SCOPE PREFIX-LENGTH", 8), ("ADDRESS", None)]
    assert found.unread == ()


def test_unread_figures_of_rfc9000(corpus_dir):
    found = read_definitions(load_document(corpus_dir / "rfc" / "rfc9000.txt"))
    unread = [(u.line, u.caption, u.section, u.reason) for u in found.unread]
    assert unread[:2] == [
        (543, "Table 1: Stream ID Types", "2.1 Stream Types and Identifiers",
         "a table (a +===+ rule under its header row), not a bit diagram"),
        # the whole state diagram is one figure, not one per group of box lines
        (686, "States for Sending Parts of Streams", "3.1 Sending Stream States",
         "a diagram with arrows (a state or message flow), not a bit diagram")]
    assert len(found.unread[1].lines) == 26 and found.unread[1].lines[0].strip() == "+-------+"
    assert all(u.notation == "boxart" and u.reason for u in found.unread)
    # extract_definitions is read_definitions without the unread
    assert [d.name for d in extract_definitions(load_document(corpus_dir / "rfc" / "rfc9000.txt"))] == [
        d.name for d in found.definitions if not d.example]


@pytest.mark.parametrize("figure, reason, kind", [
    # a table drawn with +===+ under its header (xml2rfc v3)
    ("   +======+=======+\n   | Code | Name  |\n   +======+=======+\n   | 0x1  | A     |\n"
     "   +------+-------+\n", "a table (a +===+ rule under its header row), not a bit diagram",
     "not a definition"),
    # a state diagram with arrows
    ("   +--------+   send   +--------+\n   | Idle   |--------->| Open   |\n"
     "   +--------+          +--------+\n       ^                    |\n"
     "       +--------------------+\n", "a diagram with arrows (a state or message flow), not a bit diagram",
     "not a definition"),
    # RFC 4291: sizes in a row of their own above the cells
    ("   |         n bits         |   m bits  |       128-n-m bits         |\n"
     "   +------------------------+-----------+----------------------------+\n"
     "   | global routing prefix  | subnet ID |       interface ID         |\n"
     "   +------------------------+-----------+----------------------------+\n",
     "sizes written in a row of their own (| 7 bits |1| 40 bits |), not in the cells, and no bit ruler",
     "unreadable"),
])
def test_unread_reasons(figure, reason, kind):
    text = "1.  Formats\n\n   The format:\n\n" + figure + "\n                  Figure 1: The Thing\n\n   More prose.\n"
    found = read_definitions(parse_text(text, "draft-x", "00"))
    assert found.definitions == ()
    assert [(u.reason, u.caption, u.line, u.section, u.kind) for u in found.unread] == [
        (reason, "The Thing", 5, "1 Formats", kind)]
    assert isinstance(found.unread[0], Unread)


def test_every_corpus_figure_with_box_lines_is_read_or_unread(corpus_dir):
    """RFC 791: its option drawings without a ruler are listed with a reason, not dropped."""
    found = read_definitions(load_document(corpus_dir / "rfc" / "rfc791.txt"))
    reasons = [u.reason for u in found.unread]
    assert "octet cells (+--------+) and no bit ruler: the widths are only in the prose" in reasons
    assert all(reasons)
    lines = {d.line for d in found.definitions} | {u.line for u in found.unread}
    assert len(lines) == len(found.definitions) + len(found.unread)      # never both


# --------------------------------------------------------------------------- typed entry points

def test_entry_points_name_the_wrong_parameter(corpus_dir):
    from draftscope.analyses.definitions import definition_history
    from draftscope.analyses.definitions.story import definition_story

    with pytest.raises(TypeError, match=r"extract_definitions: document= must be a Document .*not int"):
        extract_definitions(42)
    with pytest.raises(TypeError, match=r"not PosixPath"):
        extract_definitions(corpus_dir / "rfc" / "rfc768.txt")      # load_document first
    with pytest.raises(TypeError, match=r"diff_definitions: old= .*item 0 is int"):
        diff_definitions([1, 2], [3])
    with pytest.raises(TypeError, match=r"diff_definitions: new= .*not str"):
        diff_definitions([], "rfc768.txt")
    with pytest.raises(TypeError, match=r"revisions must be a sequence .*not one PosixPath"):
        definition_history(corpus_dir / "rfc" / "rfc768.txt")
    with pytest.raises(TypeError, match=r"revisions must hold Revisions, Documents or paths, not int"):
        definition_history([1])
    with pytest.raises(TypeError, match=r"history_or_revisions= .*not int"):
        definition_story(42, "ACK")
    with pytest.raises(TypeError, match=r"definition= must be a str"):
        definition_story([], 42)
