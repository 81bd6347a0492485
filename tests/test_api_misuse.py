"""A wrong argument to the public API gets a TypeError or a draftscope error (a ValueError)
raised at the edge, naming the parameter as the caller typed it (``marks=``, not ``--mark``);
the CLI says its own option names for the same mistakes."""

from __future__ import annotations

import math
import os
import threading

import pytest

import draftscope
from draftscope.errors import ParseError, PlotInputError, SettingsError
from draftscope.options import cli_words


def _frame():
    import pandas as pd

    rows = [{"name": "draft-x", "rev": rev, "keyword": k, "count": n}
            for rev, counts in (("00", (3, 1)), ("01", (4, 2)))
            for k, n in zip(("MUST", "SHOULD"), counts)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("call, error, words", [
    (lambda: draftscope.load_document(None), TypeError, "path_or_revision= must be a path"),
    (lambda: draftscope.load_document(42), TypeError, "got int 42"),
    (lambda: draftscope.load_document("/dev/zero"), ParseError,
     "/dev/zero is a character device, not a regular file"),
    (lambda: draftscope.keywords_frame([draftscope.__file__]), TypeError,
     "revisions= takes Revisions"),
    (lambda: draftscope.plot_keywords(_frame(), ["MUST"], marks=[5]), TypeError,
     "marks= takes Mark objects or 'REV=LABEL' strings, got int 5"),
    (lambda: draftscope.plot_keywords(_frame(), ["MUST"], marks=["10"]), PlotInputError,
     "marks= wants REV=LABEL"),
    (lambda: draftscope.Session(settings="x"), TypeError, "settings= must be a draftscope Settings"),
    (lambda: draftscope.analyse_lineages(None), TypeError, "lineages= takes"),
    (lambda: draftscope.Settings(retries=-1), SettingsError, "retries= must be at least 0, got -1"),
    (lambda: draftscope.Settings(read_timeout=math.nan), SettingsError,
     "read_timeout= must be a positive finite number, got nan"),
    (lambda: draftscope.Settings(connect_timeout="10"), TypeError, "connect_timeout= must be a number"),
    (lambda: draftscope.Session(jobs=0), SettingsError, "jobs= must be between 1 and 16, got 0"),
    (lambda: draftscope.keywords_frame([], workers=-3), SettingsError,
     "workers= must be at least 1, got -3"),
])
def test_misuse_is_refused_naming_the_parameter(call, error, words):
    with pytest.raises(error) as caught:
        call()
    assert words in str(caught.value)
    assert "--" not in str(caught.value)        # a notebook user reads no CLI option


def test_save_figure_checks_its_arguments(tmp_path):
    from matplotlib.figure import Figure

    with pytest.raises(TypeError, match="data= must be the DataFrame"):
        draftscope.save_figure(Figure(), None, tmp_path, "x")
    with pytest.raises(TypeError, match="out_dir= wants a folder path"):
        draftscope.save_figure(Figure(), _frame(), None, "x")
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_is_refused_before_it_is_read(tmp_path):
    """open() of a FIFO without a writer blocks for ever: it is opened non-blocking and refused."""
    fifo = tmp_path / "draft-x-00.txt"
    os.mkfifo(fifo)
    outcome = []

    def load():
        try:
            draftscope.load_document(fifo)
        except ParseError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(60)                  # an event, not a timing: it ends or it hangs
    assert outcome == [f"{fifo} is a FIFO, not a regular file: refusing to read it"]


@pytest.mark.parametrize("message, cli", [
    ("marks= wants REV=LABEL (e.g. 10='study start'), got '10'",
     "--mark wants REV=LABEL (e.g. 10='study start'), got '10'"),
    ("revisions=: '14..00' runs backwards", "--revisions: '14..00' runs backwards"),
    ("lowercase=True counts per revision only: drop by='section' or lowercase=True",
     "--lowercase counts per revision only: drop --by section or --lowercase"),
    ("figsize= wants WIDTHxHEIGHT", "--size wants WIDTHxHEIGHT"),
    ("x: not in the cache (drop offline=True to fetch it)",
     "x: not in the cache (drop --offline to fetch it)"),
    ("a draft-x=1 name and REV=LABEL stay", "a draft-x=1 name and REV=LABEL stay"),
])
def test_the_cli_says_its_option_names(message, cli):
    assert cli_words(message) == cli
