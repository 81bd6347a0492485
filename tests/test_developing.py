"""DEVELOPING.md points at contracts instead of copying them: what it names must exist, and its
stage map must be the one tests/test_import_direction.py enforces."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from test_import_direction import STAGES

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "DEVELOPING.md").read_text(encoding="utf-8")


def test_named_constants_exist():
    """`tables.group.GROUP_COLUMNS`, and the bare `X_COLUMNS` that follow one on a line."""
    checked = 0
    for line in TEXT.replace("\n  ", " ").splitlines():
        module = None
        for dotted in re.findall(r"`([a-z_.]+)\.([A-Z_]+)`|`([A-Z_]{4,})`", line):
            path, constant, bare = dotted
            if path:
                full = path if path.startswith("draftscope") else f"draftscope.{path}"
                module = importlib.import_module(full)
                assert hasattr(module, constant), f"{path}.{constant}"
                checked += 1
            elif module is not None and bare.endswith("COLUMNS"):
                assert hasattr(module, bare), f"{module.__name__}.{bare}"
                checked += 1
    assert checked >= 8


def test_named_files_exist():
    for path in re.findall(r"`((?:draftscope|tests|docs|benchmarks)/[\w/.]+\.(?:py|md))`", TEXT):
        assert (ROOT / path).exists(), path
    for module in re.findall(r"`((?:fetch|text|analyses|tables|plots|cli)/[\w/]+\.py)`", TEXT):
        assert (ROOT / "draftscope" / module).exists(), module


def test_stage_map_is_the_enforced_one():
    rows = re.findall(r"^\| (\w+) \| `draftscope/", TEXT, flags=re.MULTILINE)
    assert rows == [s for s in STAGES if s != "__main__"]


def test_it_stays_short():
    # room for the three recipes issue 19 asks for (a notation, an output format, a command)
    assert len(TEXT.encode()) < 11000
