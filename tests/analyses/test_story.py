"""A definition's story along the real QUIC lineage (served by the fake datatracker, so revisions
carry their dates) is exactly what the definitions history reports as changes."""

from __future__ import annotations

import pytest
from conftest import served_corpus

from draftscope.analyses.definitions.story import (change_words, definition_stories, step_words,
                                                   definition_story, lineage_definitions)
from draftscope.errors import DefinitionsInputError, NoDataError
from draftscope.analyses.definitions.model import Definition, Field, FieldChange
from draftscope.tables.definitions import history_records
from draftscope.analyses.definitions.history import history_from_definitions

QUIC = "draft-ietf-quic-transport"


@pytest.fixture(scope="module")
def quic_extracted(corpus_dir, tmp_path_factory):
    from draftscope.fetch.session import fetch_lineage

    with served_corpus(corpus_dir, tmp_path_factory.mktemp("story-cache")):
        revisions = [r for r in fetch_lineage(QUIC, progress=False) if r.format == "txt"]
    return revisions, lineage_definitions(revisions)


@pytest.fixture(scope="module")
def quic_history(quic_extracted):
    from draftscope.analyses.definitions import definition_history

    history = definition_history(quic_extracted[0])
    # the story reads what the history reads
    assert history == history_from_definitions([(m, d) for m, d, _, _ in quic_extracted[1]],
                                               headings=[h for _, _, h, _ in quic_extracted[1]],
                                               unread=[u for _, _, _, u in quic_extracted[1]])
    return history


def history_changes(history, key):
    """(label, date, change) of every event of ``key`` that is not unchanged, as history says."""
    return [(e.label, e.date, e.change) for e in history.events
            if e.key == key and e.change != "unchanged"]


@pytest.mark.parametrize("pattern, key", [
    ("^ACK Frame", "ACK Frame"),
    ("^NEW_CONNECTION_ID", "NEW_CONNECTION_ID Frame"),
    ("^Long Header", "Long Header Packet"),
])
def test_story_steps_are_the_changes_history_reports(quic_extracted, quic_history, pattern, key):
    stories = definition_stories(quic_extracted[1], pattern, with_redraws=True)
    assert list(stories) == [key]
    steps = stories[key]
    expected = history_changes(quic_history, key)
    assert len(expected) >= 5           # these definitions change many times along the lineage
    assert [(s.label, s.date, s.change) for s in steps] == expected
    assert [s.index for s in steps] == list(range(len(steps)))
    # every step carries the drawing of its revision, and the previous step's drawing
    for before, step in zip(steps, steps[1:]):
        assert step.definition is not None and step.previous is not None
        if step.change != "removed":
            assert step.definition.name == next(
                e.definition for e in quic_history.events if e.key == key and e.label == step.label)
    # the dates are the revisions' dates from the datatracker
    dates = {r.label: r.date for r in quic_extracted[0]}
    assert all(s.date == dates[s.label] and s.date is not None for s in steps)


def test_ack_frame_story_in_words(quic_extracted, quic_history):
    steps = definition_story(quic_extracted[1], "^ACK Frame")
    first = steps[0]
    assert first.label == f"{QUIC}-00" and first.change == "added"
    assert first.date_text == quic_extracted[0][0].date.strftime("%Y-%m-%d")
    assert first.words[0] == f"first drawn: {len(first.definition.fields)} fields"
    # every field change the history reports for a step is one sentence of that step
    events = {e.label: e for e in quic_history.events if e.key == "ACK Frame"}
    for step in steps[1:]:
        changed = [fc for fc in events[step.label].field_changes if fc.change != "unchanged"]
        renamed = (f"renamed {step.previous.name} -> {step.definition.name}"
                   if step.previous.name != step.definition.name else None)
        assert len([w for w in step.words if w != renamed and not w.startswith("redrawn as")]) \
            == len(changed)
    # -28 redraws it as a field list, which now draws its Type field with its value
    assert all(s.change != "redrawn" for s in steps)
    with_redraws = definition_story(quic_extracted[1], "^ACK Frame", with_redraws=True)
    at_28 = next(s for s in with_redraws if s.label == f"{QUIC}-28")
    assert at_28.change == events[f"{QUIC}-28"].change
    assert at_28.words[0] == "redrawn as a field list (was a box diagram)"
    type_added = [w for w in at_28.words if w.startswith("Type (") and " added" in w]
    assert type_added and "0x02" in type_added[0]


def test_redraws_are_steps_only_when_asked(quic_extracted, quic_history):
    everything = definition_story(quic_extracted[1], "Frame$", with_redraws=True)
    without = definition_story(quic_extracted[1], "Frame$")
    redrawn = [s for s in everything if s.change == "redrawn"]
    assert len(without) == len(everything) - len(redrawn)
    assert all(s.change != "redrawn" for s in without)


def test_several_definitions_get_a_story_each(quic_extracted):
    stories = definition_stories(quic_extracted[1], "^(ACK|PADDING|PING) Frame")
    assert len(stories) >= 2
    for key, steps in stories.items():
        assert all(s.key == key for s in steps)


def test_pattern_is_case_sensitive_unless_told(quic_extracted):
    with pytest.raises(NoDataError, match="'\\^ack frame'.*case-sensitive"):
        definition_story(quic_extracted[1], "^ack frame")
    assert definition_story(quic_extracted[1], "^ack frame", ignore_case=True)[0].key == "ACK Frame"


def test_bad_and_unknown_patterns_are_one_line_errors(quic_extracted):
    with pytest.raises(DefinitionsInputError, match="not a valid pattern"):
        definition_story(quic_extracted[1], "ACK(")
    with pytest.raises(NoDataError) as info:
        definition_story(quic_extracted[1], "^NO SUCH FRAME$")
    assert "\n" not in str(info.value) and "NO SUCH FRAME" in str(info.value)


def test_story_from_a_bare_history_has_no_drawings(quic_history):
    steps = definition_story(quic_history, "^ACK Frame", with_redraws=True)
    assert [(s.label, s.date, s.change) for s in steps] == [
        c for c in history_changes(quic_history, "ACK Frame")]
    assert all(s.definition is None for s in steps)


def test_story_frame_is_tidy(quic_extracted):
    from draftscope.analyses.definitions import definition_history
    from draftscope.tables.story import FRAME_COLUMNS, STORY_COLUMNS, story_frame, story_markdown

    steps = definition_story(quic_extracted[1], "^ACK Frame")
    frame = story_frame(steps)
    # every frame's identity first, then the story's own columns
    assert list(frame.columns) == FRAME_COLUMNS and set(STORY_COLUMNS) < set(FRAME_COLUMNS)
    assert list(frame.columns[:5]) == ["lineage", "name", "rev", "label", "date"]
    assert set(frame["lineage"]) == {QUIC}
    assert list(frame["step"]) == list(range(1, len(steps) + 1))
    assert list(frame["label"]) == [s.label for s in steps]
    assert frame["fields"].iloc[0] == len(steps[0].definition.fields)
    markdown = story_markdown(steps, lineage=QUIC)
    assert markdown.startswith(f"# ACK Frame: its story in {QUIC}")
    assert all(s.label in markdown for s in steps)
    rows = history_records(definition_history(quic_extracted[0]), definition="^ACK Frame$",
                           changes_only=True)
    assert len(frame) == len([r for r in rows if r["change"] != "redrawn"])


def test_change_words_say_what_a_reader_needs():
    port = Field("Port", bits=16, size="16", optional=True)
    assert change_words(FieldChange("added", None, port)) == "Port (16 bits) added, optional"
    backup = Field("B", bits=1, size="1")
    assert change_words(FieldChange("removed", backup, None)) == "B (1 bit) removed"
    old, new = Field("Ack Delay", bits=16, size="16"), Field("ACK Delay", size="i")
    assert change_words(FieldChange("renamed", old, new)) == (
        "renamed Ack Delay -> ACK Delay, resized from 16 bits to variable-length integer")


def test_change_words_name_the_old_value_and_never_say_a_word_twice():
    """Issue 17: a changed condition says what it was; a field named reserved is not also
    called reserved; a definition renamed names both names."""
    before = Field("Data ACK", size="32/64", condition="if a=0")
    after = Field("Data ACK", size="32/64", condition="if a=1")
    assert change_words(FieldChange("flags", before, after)) == (
        "Data ACK condition `if a=0` -> `if a=1`")
    plain = Field("Data ACK", size="32/64")
    assert change_words(FieldChange("flags", plain, after)) == "Data ACK now present only if a=1"
    assert change_words(FieldChange("flags", before, plain)) == (
        "Data ACK no longer conditional (was `if a=0`)")
    assert change_words(FieldChange("flags", Field("B", 1), Field("B", 1, optional=True))) == (
        "B now optional")
    reserved = Field("(reserved)", bits=3, size="3", reserved=True)
    assert change_words(FieldChange("added", None, reserved)) == "(reserved) (3 bits) added"
    unnamed = Field("", bits=4, size="4", reserved=True)
    assert change_words(FieldChange("added", None, unnamed)) == "reserved (4 bits) added"
    old = Definition("ACK Frame", "boxart", (plain,))
    new = Definition("ACK Frame Format", "boxart", (plain,))
    assert step_words("changed", new, (), old)[0] == "renamed ACK Frame -> ACK Frame Format"
