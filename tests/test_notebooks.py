"""Every notebook in notebooks/ runs top to bottom against the fake datatracker, and is stored
with its outputs stripped.

The kernel inherits this process's environment, so the DRAFTSCOPE_* variables set here point
the notebooks' library calls at the local server; one cache is shared by all notebooks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import served_corpus

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))



def read_notebook(path: Path):
    """nbformat imported when a test reads a notebook: its jsonschema import (about a second)
    is paid by the process that runs these tests, not by every process that collects them."""
    import nbformat

    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def notebook_env(corpus_dir, tmp_path_factory):
    with served_corpus(corpus_dir, tmp_path_factory.mktemp("notebook-cache"),
                       MPLBACKEND="Agg") as server:
        yield server


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert "01_quic_transport_keywords.ipynb" in names
    assert "02_definitions_history.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    notebook = read_notebook(path)
    import nbformat

    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_against_the_fake_datatracker(path, notebook_env, tmp_path):
    from nbclient import NotebookClient

    notebook = read_notebook(path)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    assert not (tmp_path / "cache").exists()     # the cache DRAFTSCOPE_CACHE names, no other

    errors = [
        output for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if output.output_type == "error"
    ]
    assert not errors
    text = "\n".join(
        output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs if output.output_type == "stream")
    figures = sum(
        "image/png" in output.get("data", {}) for cell in notebook.cells
        if cell.cell_type == "code" for output in cell.outputs)
    for expected in EXPECTED_OUTPUT.get(path.name, ()):
        assert expected in text
    assert figures >= EXPECTED_FIGURES.get(path.name, 0)
    tables = "\n".join(
        output.get("data", {}).get("text/plain", "") for cell in notebook.cells
        if cell.cell_type == "code" for output in cell.outputs
        if output.output_type == "execute_result")
    for header, row in EXPECTED_TABLES.get(path.name, ()):
        assert header in tables and row in tables


# What the notebooks must print from the real corpus (the keyword stage's counts, the lineage);
# notebook 03's reading is written from these numbers
EXPECTED_OUTPUT = {
    "01_quic_transport_keywords.ipynb": (
        "36 revisions, from draft-ietf-quic-transport-00 to rfc9000",
        "largest MUST jump: draft-ietf-quic-transport-01 -> draft-ietf-quic-transport-02 (+30)",
    ),
    "03_compare_working_group.ipynb": (
        "draft-ietf-quic-transport: 35 draft revisions, 53 months from the first to rfc9000; "
        "117 -> 545 BCP 14 phrases, 9.4 per 1000 words at the end",
        "draft-ietf-quic-tls: 35 draft revisions, 53 months from the first to rfc9001; "
        "48 -> 127 BCP 14 phrases, 7.4 per 1000 words at the end",
        "draft-ietf-quic-recovery: 35 draft revisions, 53 months from the first to rfc9002; "
        "1 -> 83 BCP 14 phrases, 7.1 per 1000 words at the end",
        "draft-ietf-quic-invariants: 14 draft revisions, 38 months from the first to rfc8999; "
        "2 -> 5 BCP 14 phrases, 2.0 per 1000 words at the end",
    ),
    # notebook 04 scans the cache those lineages are fetched into (dates and groups from its
    # metadata); QUIC redrew its formats as field lists in transport-28 (May 2020)
    "04_archive_scan.ipynb": (
        "148 files, 0 unreadable, dates from: {'metadata': 148}",
        "Before May 2017, 9 revisions had a median of 5.4 BCP 14 phrases per 1000 words; "
        "from May 2017 on, 139 revisions had 6.1.",
        "the first was draft-ietf-quic-tls-08 (2017-12-06)",
        "8 of 12 documents carried a protocol definition in some revision; 5 in boxart, "
        "6 in fieldlist, 2 in tls-struct, 3 in tls-enum.",
        "draft-ietf-quic-transport: first field list in -28 (2020-05-20), 0 box-art and 32 "
        "field-list definitions in it",
    ),
    "02_definitions_history.ipynb": (
        "The MPTCP lineages are not available from http://127.0.0.1:",
        "the QUIC example below runs offline",
        "ACK Frame story: first drawn in draft-ietf-quic-transport-00 (2016-11-29)",
    ),
}
EXPECTED_FIGURES = {"01_quic_transport_keywords.ipynb": 3, "02_definitions_history.ipynb": 4,
                    "03_compare_working_group.ipynb": 3, "04_archive_scan.ipynb": 1}

# The keyword notebooks show tables as people read them: whole counts, RFC 2119's order.
EXPECTED_TABLES = {
    "01_quic_transport_keywords.ipynb": [
        # the counts table: ints (not 60.0 from pivot_table's mean), MUST, MUST NOT, SHOULD...
        ("keyword                            MUST  MUST NOT  SHOULD  SHOULD NOT",
         "draft-ietf-quic-transport 00         60        24       9           3"),
        # the steps table: whole numbers too
        ("keyword   MUST  MUST NOT  SHOULD  SHOULD NOT  total",
         "02          30        -3      22           1     56"),
    ],
}


@pytest.mark.parametrize("name", ["01_quic_transport_keywords.ipynb",
                                  "03_compare_working_group.ipynb"])
def test_keyword_notebooks_use_the_public_api_only(name):
    """``import draftscope`` and ``draftscope.<name>``: no ``draftscope.plots.keywords`` or
    ``draftscope.tables.compare`` internals a reader would have to know."""
    import re

    from draftscope import __all__ as public

    notebook = read_notebook(NOTEBOOKS[0].parent / name)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    imports = re.findall(r"^\s*(?:from|import)\s+(draftscope\S*)", code, re.MULTILINE)
    assert imports == ["draftscope"]
    used = set(re.findall(r"\bdraftscope\.(\w+)", code))
    assert used and used <= set(public), used - set(public)


# What may stand in prose without being computed: RFC and BCP numbers, "per 1000 words", the
# paper's name, numbered headings and list items, and anything in `code`.
_NOT_QUOTED = re.compile(r"`[^`]*`|\b(?:RFC|BCP) ?\d+|per 1000 words|EPIQ'18|^#+ \d+\.|^\d+\. ",
                         re.MULTILINE)
_NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_prose_quotes_only_numbers_the_notebook_computes_or_checks(path):
    """A number in a Markdown cell must be checked by the notebook's code (an assertion cell
    next to the reading) or the reading must be written by code from its variables: stored
    prose cannot drift from the outputs (notebook 03 said 53 months and 11 removed while its
    cells printed 50 and 12)."""
    notebook = read_notebook(path)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    in_code = set(re.findall(r"\d+(?:\.\d+)?", code))
    unchecked = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            numbers = _NUMBER.findall(_NOT_QUOTED.sub(" ", cell.source))
            missing = [n for n in numbers if n.replace(",", "") not in in_code]
            if missing:
                unchecked[index] = missing
    assert unchecked == {}, f"{path.name}: numbers in prose that no cell computes or checks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_use_the_projects_cache(path, tmp_path):
    """Run from notebooks/, a notebook's settings point at the project's cache/ (where the CLI
    keeps it), not at a second notebooks/cache/; DRAFTSCOPE_CACHE still names another."""
    import os
    import subprocess
    import sys

    notebook = read_notebook(path)
    setup = notebook.cells[1].source.replace("%matplotlib inline", "")
    assert "settings" in setup
    folder = tmp_path / "notebooks"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DRAFTSCOPE_CACHE"}
    for extra, expected in (({}, tmp_path / "cache"),
                            ({"DRAFTSCOPE_CACHE": str(tmp_path / "mine")}, tmp_path / "mine")):
        run = subprocess.run([sys.executable, "-c", setup + "\nprint(settings.cache_dir)"],
                             cwd=folder, env={**env, **extra}, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert run.stdout.splitlines()[-1] == str(expected)
