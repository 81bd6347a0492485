"""Every sub-command's --help speaks one vocabulary (issue 11): a shared option has one
spelling and one meaning (the help text of ``cli.common.SHARED_HELP``, the same type and
default) wherever it appears, and the retired spellings are gone."""

from __future__ import annotations

import argparse

import pytest

from draftscope.cli import build_parser, main
from draftscope.cli.common import (DEFAULT_IMAGE_FORMATS, DEFAULT_JOBS, SHARED_HELP,
                                   network_options)
from draftscope.cli.reference import command_parsers

PARSER = build_parser()
COMMANDS = command_parsers(PARSER)

# Spellings that meant something else once, or another word for a shared idea.
RETIRED = {"--json", "--csv", "--formats", "--x", "--processes", "--threads",
           "--output", "--outdir", "--image-formats", "--fig-size", "--figsize"}
# Option -> (default, what the parsed value is) wherever it appears.
DEFAULTS = {"--jobs": DEFAULT_JOBS, "--workers": None, "--format": "table", "--normalize": "none",
            "--image-format": DEFAULT_IMAGE_FORMATS, "--align": "revision", "--title": None,
            "--xlabel": None, "--dpi": None, "--size": None, "--definition": None}


# Commands whose stdout is no records but a document: ``--format`` still says what goes to
# stdout, but chooses among these (the first the default). textdiff prints a word diff (text)
# or one HTML page (issue 16).
OWN_FORMATS = {"textdiff": ("text", "html")}


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {flag: action for action in parser._actions for flag in action.option_strings}


def test_every_command_is_checked():
    assert set(COMMANDS) >= {"fetch", "keywords", "definitions", "diff", "history", "plot",
                             "plot-definitions", "figures", "group", "compare"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_runs(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    out, err = capsys.readouterr()
    assert done.value.code == 0 and err == ""
    assert out.startswith(f"usage: draftscope {command} ")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_shared_options_have_one_meaning(command):
    found = options(COMMANDS[command])
    assert sorted(set(found) & RETIRED) == []
    for flag, action in found.items():
        if flag == "--format" and command in OWN_FORMATS:
            assert tuple(action.choices) == OWN_FORMATS[command]
            assert action.default == OWN_FORMATS[command][0]
            continue
        if flag in SHARED_HELP:
            assert action.help == SHARED_HELP[flag], (command, flag)
            if flag in DEFAULTS:
                assert action.default == DEFAULTS[flag], (command, flag)
    if "--format" in found and command not in OWN_FORMATS:
        assert found["--format"].choices[0] == "table"
        assert set(found["--format"].choices) <= {"table", "csv", "json"}
    if "--align" in found:
        assert set(found["--align"].choices) <= {"revision", "date", "progress"}
    if "--definition" in found:
        assert "-i" in found and found["-i"] is found["--ignore-case"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_other_option_speaks_of_processes_or_connections(command):
    """Processes are --workers and downloads --jobs, never another option's business."""
    for flag, action in options(COMMANDS[command]).items():
        if flag in ("--jobs", "--workers") or not action.help:
            continue
        text = action.help.lower()
        assert "process" not in text or "processes" not in text.split("(")[0], (command, flag)
        assert "parallel" not in text, (command, flag)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_cache_options_are_the_shared_ones(command):
    shared = options(network_options())
    found = options(COMMANDS[command])
    for flag in ("--cache-dir", "--offline", "--refresh", "--retries", "-q"):
        if flag in found:
            assert found[flag].help == shared[flag].help, (command, flag)


def test_download_and_process_options_where_work_is_done():
    """Every command that downloads a lineage takes --jobs; those that analyse many revisions in
    processes take --workers."""
    for command in ("fetch", "keywords", "history", "compare", "plot", "plot-definitions",
                    "story", "draw", "definitions", "diff", "figures"):
        assert "--jobs" in options(COMMANDS[command]), command
    for command in ("keywords", "history", "compare"):
        assert "--workers" in options(COMMANDS[command]), command


def test_figure_commands_share_out_and_image_format():
    for command in ("plot", "plot-definitions", "figures", "compare", "draw", "story"):
        found = options(COMMANDS[command])
        assert {"--out", "--image-format"} <= set(found), command
    for command in ("plot", "plot-definitions", "compare"):
        assert {"--title", "--xlabel", "--dpi", "--size"} <= set(options(COMMANDS[command]))
