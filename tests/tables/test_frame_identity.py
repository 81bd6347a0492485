"""Issue 19 item 4: every frame takes one or many lineages and carries ``lineage, name, rev,
label, date`` as keywords_frame does. Real QUIC lineages, served by the fake datatracker from
../shared/corpus: invariants (14 drafts + RFC 8999) and qpack (22 drafts + RFC 9204)."""

from __future__ import annotations

import pandas as pd
import pytest

from draftscope.analyses.definitions.story import definition_stories
from draftscope.fetch.config import Settings
from draftscope.fetch.session import fetch_lineages
from draftscope.tables.changes import changes_frame
from draftscope.tables.definitions import definitions_frame, history_frame
from draftscope.tables.keywords import IDENTITY_COLUMNS, keywords_frame
from draftscope.tables.story import story_frame

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"


@pytest.fixture(scope="module")
def lineages(corpus_dir, tmp_path_factory):
    from fakedatatracker import start_server

    server = start_server(corpus_dir)
    settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
    yield fetch_lineages([INVARIANTS, QPACK], settings=settings, progress=False)
    server.stop()


def _identity(frame: pd.DataFrame) -> None:
    assert tuple(frame.columns[:5]) == IDENTITY_COLUMNS
    assert str(frame["date"].dtype).startswith("datetime64") and str(frame["date"].dt.tz) == "UTC"


def test_definitions_frame_of_two_lineages(lineages):
    frame = definitions_frame(lineages)
    _identity(frame)
    assert list(frame["lineage"].unique()) == [INVARIANTS, QPACK]
    first = frame.iloc[0]
    assert (first["name"], first["rev"], first["label"]) == (INVARIANTS, "00", f"{INVARIANTS}-00")
    assert first["date"] == pd.Timestamp("2018-02-28 02:57:12", tz="UTC")
    assert (first["definition"], first["field"], first["bits"]) == ("QUIC Long Header", "Fixed Bit", 1)
    # the RFC's rows belong to the lineage that became it, labelled with the RFC's name
    rfc = frame[frame["name"] == "rfc9204"]
    assert set(rfc["lineage"]) == {QPACK} and set(rfc["label"]) == {"rfc9204"}
    assert set(rfc["date"]) == {pd.Timestamp("2022-06-01", tz="UTC")}
    # one lineage, a list of lineages and a single revision say the same
    one = definitions_frame(lineages[INVARIANTS])
    pd.testing.assert_frame_equal(one, frame[frame["lineage"] == INVARIANTS].reset_index(drop=True))
    listed = definitions_frame([lineages[INVARIANTS], lineages[QPACK]])
    pd.testing.assert_frame_equal(listed, frame)
    single = definitions_frame(lineages[INVARIANTS][0])
    assert set(single["label"]) == {f"{INVARIANTS}-00"} and set(single["lineage"]) == {INVARIANTS}


def test_history_frame_of_two_lineages(lineages):
    frame = history_frame(lineages)
    _identity(frame)
    invariants = frame[frame["lineage"] == INVARIANTS]
    # the invariants draw three definitions from -00 (long header, short header, version negotiation)
    assert (invariants["change"] == "added").sum() == 3
    assert set(invariants[invariants["change"] == "added"]["label"]) == {f"{INVARIANTS}-00"}
    assert invariants["label"].iloc[-1] == "rfc8999"
    assert set(frame[frame["name"] == "rfc9204"]["lineage"]) == {QPACK}
    one = history_frame(lineages[INVARIANTS])
    on = ["lineage", "label", "date", "key", "change", "fields"]
    pd.testing.assert_frame_equal(one[on], invariants[on].reset_index(drop=True))


def test_changes_frame_of_two_lineages(lineages):
    frame = changes_frame(lineages, definitions=False, workers=1, unchanged=False)
    _identity(frame)
    assert list(frame["lineage"].unique()) == [INVARIANTS, QPACK]
    # a step's identity is its newer revision: label is "to"; 14 drafts + the RFC are 14 steps
    assert (frame["label"] == frame["to"]).all()
    assert frame[frame["lineage"] == INVARIANTS]["to"].nunique() <= 14
    last = frame[frame["lineage"] == INVARIANTS].iloc[-1]
    assert (last["name"], last["label"], last["from"]) == ("rfc8999", "rfc8999", f"{INVARIANTS}-13")
    assert last["date"] == pd.Timestamp("2021-05-01", tz="UTC")   # the datatracker's RFC month


def test_story_frame_names_its_lineage(lineages):
    stories = definition_stories(lineages[INVARIANTS], "Long Header", workers=1)
    frame = story_frame(stories)
    _identity(frame)
    assert set(frame["lineage"]) == {INVARIANTS}
    assert frame["label"].iloc[0] == f"{INVARIANTS}-00" and frame["step"].iloc[0] == 1
    many = story_frame({INVARIANTS: stories, "elsewhere": stories})
    assert list(many["lineage"].unique()) == [INVARIANTS, "elsewhere"] and len(many) == 2 * len(frame)


def test_keywords_and_definitions_frames_share_the_identity(lineages):
    keywords = keywords_frame(lineages[INVARIANTS], workers=1)
    definitions = definitions_frame(lineages[INVARIANTS])
    on = ["lineage", "name", "rev", "label", "date"]
    assert set(map(tuple, definitions[on].drop_duplicates().values)) <= set(
        map(tuple, keywords[on].drop_duplicates().values))
