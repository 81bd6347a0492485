"""The public API (``draftscope.<name>``) covers what the notebooks use: they import nothing but
``draftscope`` itself, and every ``draftscope.<name>`` they call exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

import draftscope

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _code(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    lines = [line for cell in cells if cell.cell_type == "code"
             for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_use_only_the_public_api(path):
    tree = ast.parse(_code(path))
    private = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("draftscope"):
            private.append(f"from {node.module} import ...")
        if isinstance(node, ast.Import):
            private += [a.name for a in node.names if a.name.startswith("draftscope.")]
    assert private == []
    used = set(re.findall(r"\bdraftscope\.(\w+)", _code(path)))
    assert used and used <= set(draftscope.__all__)


def test_every_public_name_resolves():
    for name in draftscope.__all__:
        assert getattr(draftscope, name) is not None
    for name in ("Session", "fetch_lineages", "analyse_lineages", "keyword_series",
                 "DraftscopeError", "InputError"):
        assert name in draftscope.__all__
    with pytest.raises(AttributeError):
        draftscope.not_a_name  # noqa: B018
