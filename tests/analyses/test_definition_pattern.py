"""--definition's one meaning: a regex searched in name, caption or history key; untrusted
patterns are run with a time limit."""

from __future__ import annotations

import pytest

from draftscope.analyses.definitions.model import Definition
from draftscope.analyses.definitions.pattern import DefinitionPattern, revisions_text
from draftscope.errors import DefinitionsInputError, NoDataError


def test_name_caption_and_key():
    ack = Definition("ACK Frame", "fieldlist", (), caption="")
    drawn = Definition("Long Header", "boxart", (), caption="Long Header Packet Format")
    p = DefinitionPattern("Packet Format$")
    assert not p.matches_definition(ack) and p.matches_definition(drawn)      # by caption
    assert DefinitionPattern("^ACK").matches_definition(ack)                  # by name
    # along a lineage: (key, name in this revision, caption)
    rows = [("ACK Frame", "ACK Frame Format", ""), ("PADDING Frame", "PADDING", "Padding")]
    assert DefinitionPattern("ACK Frame$").matching_keys(rows) == {"ACK Frame"}   # the key
    assert DefinitionPattern("^Padding").matching_keys(rows) == {"PADDING Frame"}  # a caption


def test_case_and_the_one_error():
    p = DefinitionPattern("^ack")
    assert not p.matches("ACK Frame") and p.folded().matches("ACK Frame")
    assert DefinitionPattern("^ack", ignore_case=True).matches("ACK Frame")
    error = p.no_match("draft-x", within=" in " + revisions_text(["draft-x-00", "draft-x-01"]),
                       would_match_ignoring_case=True)
    assert isinstance(error, NoDataError)
    assert str(error) == ("draft-x: no definition matches --definition '^ack' in 2 revisions "
                          "(draft-x-00 .. draft-x-01); the pattern is case-sensitive, -i ignores case")
    assert str(p.no_match("", would_match_ignoring_case=False)) == "no definition matches --definition '^ack'"


def test_bad_and_catastrophic_patterns_are_input_errors():
    with pytest.raises(DefinitionsInputError, match="not a valid pattern"):
        DefinitionPattern("ACK(")
    # nested alternation on a long name backtracks exponentially: stopped, one clear error
    slow = DefinitionPattern("(a|aa)+$")
    with pytest.raises(DefinitionsInputError, match="takes too long to match"):
        slow.search("a" * 40 + "!")
    # issue 20's (a+)+$ against a 27-character name: answered (the regex engine does not
    # backtrack on it) or stopped, never minutes
    try:
        assert DefinitionPattern("(a+)+$").search("a" * 26 + "!") is False
    except DefinitionsInputError:
        pass
