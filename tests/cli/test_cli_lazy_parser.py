"""``draftscope COMMAND ...`` builds only COMMAND's sub-parser (draftscope.cli.COMMANDS): the
table must name every command each module registers, and the lazy parser must answer exactly
as the whole one does (help, errors, parsed options)."""

from __future__ import annotations

import argparse
import importlib
import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from draftscope.cli import COMMAND_MODULES, COMMANDS, build_parser
from draftscope.cli.common import CliParser
from draftscope.errors import UsageError


def _choices(parser: argparse.ArgumentParser) -> list[str]:
    return list(next(a for a in parser._actions if a.dest == "command").choices)


@pytest.mark.parametrize("module_name", COMMAND_MODULES)
def test_the_table_names_what_each_module_registers(module_name):
    """A command added to a module's register() but not to COMMANDS fails here (it would
    otherwise be reachable only through the whole parser)."""
    parser = CliParser(prog="draftscope")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    importlib.import_module(module_name).register(subparsers)
    assert _choices(parser) == [c for c, m in COMMANDS.items() if m == module_name]
    for name, sub in subparsers.choices.items():
        assert callable(sub.get_default("func")), name   # main() never falls to the top help


def test_the_whole_parser_lists_the_commands_in_table_order():
    assert _choices(build_parser()) == list(COMMANDS)
    for argv in ([], ["--help"], ["--version"], ["keyword"], ["-h", "keywords"], ["--", "fetch"]):
        assert _choices(build_parser(argv)) == list(COMMANDS), argv


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_builds_its_own_module_only(command):
    expected = [c for c, m in COMMANDS.items() if m == COMMANDS[command]]
    assert _choices(build_parser([command, "--help"])) == expected


def _outcome(parser: argparse.ArgumentParser, argv: list[str]):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            result: tuple = ("parsed", vars(parser.parse_args(argv)))
        except UsageError as exc:
            result = ("error", str(exc))
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


def _same_as_whole(argv: list[str]) -> tuple:
    lazy = _outcome(build_parser(argv), argv)
    assert lazy == _outcome(build_parser(), argv), argv
    return lazy


@pytest.mark.parametrize("command", COMMANDS)
def test_lazy_help_and_errors_are_the_whole_parsers(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    (kind, code), out, _err = _same_as_whole([command, "--help"])
    assert (kind, code) == ("exit", 0) and out.startswith(f"usage: draftscope {command} ")
    kind, message = _same_as_whole([command, "--no-such-option", "x"])[0]
    assert kind == "error" and f"(see 'draftscope {command} --help')" in message
    _same_as_whole([command])                   # most need a target: argparse says which
    _same_as_whole([command, "x", "--version"])  # a top-level option after the command
    _same_as_whole([command, "x", "--format", "bogus", "--workers", "0"])


@pytest.mark.parametrize("argv", [
    ["keywords", "a.txt", "--workers", "0"],
    ["keywords", "a.txt", "--by"],
    ["keywords", "a.txt", "--by", "page"],
    ["keywords", "a.txt", "--form", "csv"],          # never abbreviated
    ["keywords", "a.txt", "b.txt", "--format", "csv", "-q", "--lowercase"],   # parses
    ["fetch", "rfc1", "--jobs", "many"],
    ["plot", "draft-x", "--size", "3"],
    ["plot", "draft-x", "--image-format", "gif"],
    ["definitions", "rfc9000", "--definition", "("],
    ["textdiff", "a.txt"],
    ["scan", "--workers", "2"],
])
def test_bad_and_good_invocations_read_alike(argv, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _same_as_whole(argv)


def test_a_quick_command_imports_no_other_command_module():
    code = ("import sys; from draftscope.cli import main\n"
            "try:\n    main(['keywords', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('draftscope.cli.')), "
            "file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert "usage: draftscope keywords" in result.stdout
    loaded = eval(result.stderr.strip().splitlines()[-1])
    assert [m for m in loaded if m in COMMAND_MODULES] == ["draftscope.cli.keywords"]


def test_main_without_a_command_still_lists_them_all(capsys):
    from draftscope.cli import main

    assert main([]) == 2
    err = capsys.readouterr().err
    assert all(f"    {command}" in err for command in COMMANDS)
    assert main(["keyword", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'keyword' (choose from 'fetch', 'keywords'" in err
