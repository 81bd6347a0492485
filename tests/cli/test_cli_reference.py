"""docs/cli.md is exactly what ``python3 -m draftscope.cli.reference`` prints: regenerate it
after changing any option, help text or example (the command is in DEVELOPING.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from draftscope.cli.reference import REGENERATE, generated_with, help_texts, reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_up_to_date():
    written = DOC.read_text(encoding="utf-8")
    if generated_with() not in written:
        pytest.skip(f"docs/cli.md was rendered by another Python's argparse ({generated_with()} "
                    "here); its layout differs between versions")
    assert written == reference(), f"docs/cli.md is stale: run `{REGENERATE}`"


def test_reference_holds_every_command_s_help():
    texts = help_texts()
    assert list(texts)[:3] == ["draftscope", "draftscope fetch", "draftscope keywords"]
    assert {"draftscope compare", "draftscope group", "draftscope plot"} <= set(texts)
    document = reference()
    for name, text in texts.items():
        assert f"## {name}\n\n```text\n{text.rstrip()}\n```" in document
    assert max(len(line) for text in texts.values() for line in text.splitlines()) <= 100


def test_reference_does_not_depend_on_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow_terminal = reference()
    monkeypatch.setenv("COLUMNS", "250")
    assert reference() == narrow_terminal


def test_generator_runs_as_documented(tmp_path):
    done = subprocess.run([sys.executable, "-m", "draftscope.cli.reference"], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout == reference() and done.stderr == ""
