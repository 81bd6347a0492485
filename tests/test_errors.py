"""One error tree: every error class lives in draftscope.errors, input errors are ValueErrors,
and exit codes are the CLI's table, not attributes of library classes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import draftscope
from draftscope import errors
from draftscope.cli import EXIT_CODES, exit_code, main

PACKAGE = Path(draftscope.__file__).parent
ERROR_CLASSES = [obj for obj in vars(errors).values()
                 if isinstance(obj, type) and issubclass(obj, errors.DraftscopeError)]


def _public_exception_classes_outside_errors() -> list[str]:
    """``module:Class`` for every public class outside errors.py whose bases name an error."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
                if any(base.endswith(("Error", "Exception", "Failed")) for base in bases):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    return found


def test_every_error_class_is_defined_in_errors_py():
    assert _public_exception_classes_outside_errors() == []
    assert len(ERROR_CLASSES) >= 17


def test_no_library_error_carries_an_exit_code():
    assert [cls.__name__ for cls in ERROR_CLASSES if "exit_code" in vars(cls)] == []


def test_input_errors_are_value_errors_and_exit_2():
    inputs = {cls.__name__ for cls in ERROR_CLASSES if issubclass(cls, errors.InputError)}
    assert inputs == {"InputError", "InvalidNameError", "UsageError", "SettingsError",
                      "KeywordsInputError", "DefinitionsInputError", "CompareInputError",
                      "PlotInputError", "ScanInputError"}
    for cls in ERROR_CLASSES:
        expected = 2 if cls.__name__ in inputs else 1
        assert issubclass(cls, ValueError) == (expected == 2), cls
        assert exit_code(cls("x")) == expected, cls
    assert EXIT_CODES[-1] == (errors.DraftscopeError, 1)


def test_errors_are_public_api():
    for cls in ERROR_CLASSES:
        assert getattr(draftscope, cls.__name__) is cls
        assert cls.__name__ in draftscope.__all__


@pytest.mark.parametrize("argv, code", [
    (["fetch", "not-a-draft"], 2),                       # InvalidNameError
    (["keywords", "draft-ietf-quic-invariants", "--by", "page"], 2),   # argparse -> UsageError
])
def test_cli_maps_input_errors_to_exit_2(argv, code, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTSCOPE_CACHE", str(tmp_path / "cache"))
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and err.count("\n") == 1


def test_cli_maps_other_failures_to_exit_1(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTSCOPE_CACHE", str(tmp_path / "cache"))
    assert main(["keywords", "draft-ietf-quic-invariants", "--offline"]) == 1   # OfflineMissingError
    assert capsys.readouterr().err.startswith("draftscope: error: ")
