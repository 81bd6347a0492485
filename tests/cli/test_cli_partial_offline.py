"""Offline, a lineage whose cache lacks some of its files is read in part by every command
that goes on: one warning line names what was left out (history, story and plot-definitions
said nothing before); commands that need every revision (keywords, plot) refuse instead."""

from __future__ import annotations

import pytest

from draftscope.cli import main

INV = "draft-ietf-quic-invariants"
GONE = ("03", "04", "07")


@pytest.fixture
def partial_cache(datatracker_env):
    assert main(["fetch", INV, "-q"]) == 0
    for rev in GONE:
        (datatracker_env.cache_dir / "id" / f"{INV}-{rev}.txt").unlink()
    return datatracker_env.cache_dir


WARNING = (f"draftscope: warning: {INV}: 3 of 15 files not in the cache (offline), left out: "
           + ", ".join(f"{INV}-{rev}.txt" for rev in GONE) + " (drop --offline to fetch them)\n")


@pytest.mark.parametrize("command", [
    ["history", INV],
    ["plot-definitions", INV],
    ["story", INV, "--definition", "Long Header"],
])
def test_a_partial_lineage_is_named_in_one_warning_line(partial_cache, tmp_path, capsys, command):
    capsys.readouterr()
    out_dir = ["--out", str(tmp_path / "out")] if command[0] != "history" else []
    assert main([*command, *out_dir, "--offline", "-q"]) == 0
    assert capsys.readouterr().err == WARNING


@pytest.mark.parametrize("command", [["keywords", INV], ["plot", INV]])
def test_commands_that_need_every_revision_refuse(partial_cache, tmp_path, capsys, command):
    capsys.readouterr()
    code = main([*command, *(["--out", str(tmp_path)] if command[0] == "plot" else []),
                 "--offline", "-q"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("draftscope: error: ")
    assert "warning" not in err


def test_online_nothing_is_said(partial_cache, capsys):
    capsys.readouterr()
    assert main(["history", INV, "-q"]) == 0        # fetched again: whole
    assert capsys.readouterr().err == ""
