"""The readable ``history`` report on real revisions of draft-ietf-quic-transport."""

from __future__ import annotations

import pytest

from draftscope.cli.definitions import format_history_text

QUIC = "draft-ietf-quic-transport"


@pytest.fixture(scope="module")
def history_27_28(corpus_dir):
    from draftscope.analyses.definitions import definition_history
    from draftscope.fetch.records import Revision

    revisions = [Revision(QUIC, rev, None, corpus_dir / QUIC / f"{QUIC}-{rev}.txt", "txt")
                 for rev in ("27", "28")]
    return definition_history(revisions)


def test_a_redrawn_definition_shows_both_notations(history_27_28):
    """Draft 28 redrew every format from ASCII boxes as field lists (``ACK Frame { ... }``)."""
    lines = format_history_text(history_27_28, "^ACK Frame").splitlines()
    assert lines[0].startswith("1 definition") and lines[0].endswith(
        f" over 2 revisions ({QUIC}-27 .. {QUIC}-28)")
    assert lines[1] == "ACK Frame"
    assert lines[2] == f"  {QUIC}-27     first drawn as ACK Frame Format (box art)"
    # the same fields in another notation; the frame's Type, left out of the box, is drawn now
    # (ACK Ranges (*) drawn as a repeated ACK Range is the same field)
    assert lines[3] == f"  {QUIC}-28     redrawn (box art -> field list): +Type (drawn now)"


def test_history_pattern_matching_nothing_is_an_error_like_story(datatracker_env, capsys):
    """``history --definition Nope`` said "0 definitions" and exit 0 (story and draw call that an
    error): the same one line now, in every format, and ``--jobs`` is the shared download option."""
    from draftscope.cli import main

    inv = "draft-ietf-quic-invariants"
    for fmt in ("table", "csv"):
        code = main(["history", inv, "--definition", "Nope", "--format", fmt, "--jobs", "2", "-q"])
        out, err = capsys.readouterr()
        assert (code, out) == (1, "")
        assert err == (f"draftscope: error: {inv}: no definition matches --definition 'Nope' in "
                       f"15 revisions ({inv}-00 .. rfc8999)\n")   # -i would not match: no hint
    code = main(["history", inv, "--definition", "^long header", "-q"])
    assert code == 1 and capsys.readouterr().err.endswith(
        "; the pattern is case-sensitive, -i ignores case\n")   # -i would match: the hint
    assert main(["history", f"{inv}-05", "-q"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"3 definitions over 1 revision ({inv}-05)"
