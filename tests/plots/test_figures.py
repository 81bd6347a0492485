"""``draftscope figures`` / ``make_figures`` and the ``plot`` commands against the fake datatracker.

The fake server serves the QUIC drafts of the shared corpus but no MPTCP draft, which is
exactly the offline situation the reference set must survive: the QUIC and EPIQ'18 figures are
written, the two MPTCP lineages are named as failures, the exit status is non-zero.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from draftscope.cli import main
from draftscope.plots.figures import FigureFailure
from conftest import served_corpus

QUIC = "draft-ietf-quic-transport"
REFERENCE_STEMS = {
    "draft-ietf-mptcp-multiaddressed_keywords",
    "draft-ietf-mptcp-rfc6824bis_keywords",
    f"{QUIC}_keywords",
    "epiq18_quic_transport_keywords",
}


@pytest.fixture(scope="module")
def server(corpus_dir, tmp_path_factory):
    """One fake datatracker and one cache for the module, wired through DRAFTSCOPE_*."""
    with served_corpus(corpus_dir, tmp_path_factory.mktemp("cache")) as server:
        yield server


@pytest.fixture(scope="module")
def reference(server, tmp_path_factory):
    from draftscope.plots.figures import make_figures

    out = tmp_path_factory.mktemp("figures")
    return out, make_figures(out, progress=False)


@pytest.fixture(scope="module")
def quic_counts(server):
    """The keyword stage's counts for the lineage, straight from the library."""
    from draftscope.fetch.session import fetch_lineage
    from draftscope.tables.keywords import keywords_frame

    revisions = [r for r in fetch_lineage(QUIC, progress=False) if r.format == "txt"]
    return keywords_frame(revisions)


def must_counts(frame):
    return [int(c) for c in frame.loc[frame["keyword"] == "MUST", "count"]]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# --- make_figures ----------------------------------------------------------------------------

def test_reference_set_writes_quic_and_epiq_and_names_mptcp(reference):
    out, result = reference
    assert not result.ok
    assert {saved.png.stem for saved in result.written} == {
        f"{QUIC}_keywords", "epiq18_quic_transport_keywords"}
    for saved in result.written:
        for path in saved.paths:
            assert path.parent == out and path.stat().st_size > 0
    assert [(f.stem, f.lineage) for f in result.failures] == [
        ("draft-ietf-mptcp-multiaddressed_keywords", "draft-ietf-mptcp-multiaddressed"),
        ("draft-ietf-mptcp-rfc6824bis_keywords", "draft-ietf-mptcp-rfc6824bis"),
    ]
    for failure in result.failures:
        assert "\n" not in str(failure) and failure.lineage in str(failure)


def test_on_figure_is_called_as_each_figure_is_done(server, tmp_path):
    """A progress bar over figures reaches its end with the last one: each call comes after
    that figure was written or failed."""
    from draftscope.plots.figures import FigureSpec, make_figures

    done = []
    specs = (FigureSpec("inv", "draft-ietf-quic-invariants"),
             FigureSpec("bis", "draft-ietf-mptcp-rfc6824bis"))
    result = make_figures(tmp_path, figures=specs, progress=False,
                          on_figure=lambda stem: done.append(
                              (stem, sorted(p.name for p in tmp_path.iterdir()))))
    written = ["inv.csv", "inv.png", "inv.svg"]
    assert done == [("inv", written), ("bis", written)]
    assert [f.stem for f in result.failures] == ["bis"]


def test_figure_failure_names_the_draft_once():
    """The fetch stage's messages name the draft; a message that does not gets it prefixed."""
    named = FigureFailure("x_keywords", "draft-a-b", "unknown document draft-a-b: no such draft")
    assert str(named) == "x_keywords not written: unknown document draft-a-b: no such draft"
    unnamed = FigureFailure("x_keywords", "draft-a-b", "no revisions to plot")
    assert str(unnamed) == "x_keywords not written: draft-a-b: no revisions to plot"


def test_epiq_csv_is_drafts_00_to_14(reference, quic_counts):
    out, _ = reference
    data = pd.read_csv(out / "epiq18_quic_transport_keywords.csv", dtype={"rev": str})
    assert list(data["keyword"].unique()) == ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"]
    assert list(data.loc[data["keyword"] == "MUST", "rev"]) == [f"{i:02d}" for i in range(15)]
    assert must_counts(data) == must_counts(quic_counts)[:15]


def test_quic_csv_is_the_whole_lineage(reference, quic_counts):
    out, _ = reference
    data = pd.read_csv(out / f"{QUIC}_keywords.csv", dtype={"rev": str})
    must = data[data["keyword"] == "MUST"]
    assert list(must["rev"])[-2:] == ["34", "rfc9000"]
    assert must_counts(data) == must_counts(quic_counts)
    svg = (out / f"{QUIC}_keywords.svg").read_text()
    assert "RFC 9000" in svg and "Number of appearances" in svg


# --- the CLI ---------------------------------------------------------------------------------

def test_cli_figures_exits_non_zero_naming_each_missing_lineage(server, tmp_path, capsys):
    code, out, err = run(capsys, "figures", "--out", str(tmp_path), "--quiet")
    assert code == 1
    errors = err.strip().splitlines()
    assert len(errors) == 2
    assert errors[0] == ("draftscope: error: draft-ietf-mptcp-multiaddressed_keywords not written: "
                         "unknown document draft-ietf-mptcp-multiaddressed: the datatracker has "
                         "no such draft or RFC")
    assert errors[1].startswith("draftscope: error: draft-ietf-mptcp-rfc6824bis_keywords not "
                                "written: unknown document draft-ietf-mptcp-rfc6824bis: ")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{stem}.{ext}" for stem in
                             (f"{QUIC}_keywords", "epiq18_quic_transport_keywords")
                             for ext in ("csv", "png", "svg"))
    assert sorted(out.split()) == sorted(str(tmp_path / name) for name in written)


def test_cli_figures_offline_from_the_warm_cache_makes_no_request(server, reference, tmp_path,
                                                                  capsys):
    # ``reference`` (make_figures, what the command runs) has warmed the module's cache
    server.clear_log()
    code, out, err = run(capsys, "figures", "--out", str(tmp_path), "--offline", "--quiet")
    assert server.count() == 0
    assert code == 1 and len(err.strip().splitlines()) == 2
    assert (tmp_path / "epiq18_quic_transport_keywords.png").exists()


def test_cli_plot_with_mark_and_per_page(server, tmp_path, capsys, quic_counts):
    code, out, err = run(capsys, "plot", QUIC, "--keywords", "must,should not",
                         "--normalize", "per-page", "--mark", "10=study start",
                         "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    stem = tmp_path / f"{QUIC}_keywords_must+should-not_per-page"
    assert out.split() == [str(stem) + ext for ext in (".png", ".svg", ".csv")]
    data = pd.read_csv(f"{stem}.csv", dtype={"rev": str})
    assert list(data["keyword"].unique()) == ["MUST", "SHOULD NOT"]
    must = data[data["keyword"] == "MUST"].set_index("rev")
    assert must.loc["10", "pages"] == 101
    assert must.loc["10", "value"] == pytest.approx(must.loc["10", "count"] / 101)
    assert must_counts(data) == must_counts(quic_counts)


def test_cli_plot_on_dates(server, tmp_path, capsys):
    code, out, err = run(capsys, "plot", QUIC, "--align", "date", "--keywords", "MUST",
                         "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    data = pd.read_csv(tmp_path / f"{QUIC}_keywords_must_by-date.csv", dtype={"rev": str})
    dates = pd.to_datetime(data["date"], utc=True)
    assert dates.notna().all() and dates.is_monotonic_increasing
    assert str(dates.iloc[0].date()) == "2016-11-29"


def test_cli_plot_all_keywords_in_rfc_2119_order(server, tmp_path, capsys):
    """--keywords all: the eleven phrases in RFC 2119's order (legend and CSV), MUST first."""
    code, out, err = run(capsys, "plot", QUIC, "--keywords", "all", "--out", str(tmp_path),
                         "--quiet")
    assert code == 0, err
    data = pd.read_csv(tmp_path / f"{QUIC}_keywords_all.csv", dtype={"rev": str})
    assert list(data["keyword"].unique()) == [
        "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",
        "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL"]
    # RFC 9000 (hand-checked, outside the boilerplate): 119 MAY, 1 OPTIONAL
    rfc = data[data["rev"] == "rfc9000"].set_index("keyword")["count"]
    assert (rfc["MAY"], rfc["OPTIONAL"]) == (119, 1)


def test_cli_plot_compare_two_lineages(server, tmp_path, capsys):
    """Named after the lineages: never the compare command's compare_keywords.*."""
    code, out, err = run(capsys, "plot", QUIC, "draft-ietf-quic-recovery", "--compare",
                         "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    stem = tmp_path / f"{QUIC}+draft-ietf-quic-recovery_keywords"
    assert out.split() == [f"{stem}.png", f"{stem}.svg", f"{stem}.csv"]
    data = pd.read_csv(f"{stem}.csv", dtype={"rev": str})
    assert list(data["lineage"].unique()) == [QUIC, "draft-ietf-quic-recovery"]
    assert not list(tmp_path.glob("compare_keywords*"))


def test_cli_plot_definitions(server, tmp_path, capsys):
    code, out, err = run(capsys, "plot-definitions", QUIC, "--definition", "^GOAWAY",
                         "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    grid = pd.read_csv(tmp_path / f"{QUIC}_definitions.csv", dtype={"rev": str})
    states = grid.set_index("rev")["state"]
    assert (states["00"], states["05"], states["06"]) == ("added", "removed", "absent")


@pytest.mark.parametrize(("argv", "message", "status"), [
    (["plot", QUIC, "--keywords", "MUSTARD"], "--keywords: unknown phrase(s) MUSTARD", 2),
    (["plot", "not-a-draft"], "invalid document name 'not-a-draft'", 2),
    (["plot", QUIC, "--mark", "10"], "--mark wants REV=LABEL", 2),
    (["plot", QUIC, "--compare"], "--compare needs at least two NAMEs", 2),
    (["plot", QUIC, "--revisions", "14..00"], "--revisions: '14..00' runs backwards", 2),
    (["plot", QUIC, "--revisions", "40..45"], "--revisions: 40, 41, 42 ... 45 (6 revisions) not in", 2),
    (["plot", QUIC, "--align", "progress"], "--align progress puts several lineages", 2),
    (["plot", QUIC, "--image-format", "png,gif"], "unknown image format(s) gif", 2),
    (["plot", QUIC, "--size", "8by4"], "argument --size: wants WIDTHxHEIGHT", 2),
    (["plot", QUIC, "--dpi", "5"], "argument --dpi: must be between", 2),
    (["plot", "missing-draft-00.txt"], "no such file: missing-draft-00.txt", 1),
    (["plot", QUIC, "--x", "date"], "unrecognized arguments: --x", 2),
    (["plot", QUIC, "--mark", "99=x"], "no revision 99 in the plot", 2),
    (["plot", "draft-ietf-mptcp-rfc6824bis"], "draft-ietf-mptcp-rfc6824bis", 1),
    (["plot-definitions", QUIC, "--definition", "("], "not a valid pattern", 2),
])
def test_cli_bad_input_is_one_line(server, tmp_path, capsys, argv, message, status):
    code, out, err = run(capsys, *argv, "--out", str(tmp_path), "--quiet")
    assert code == status
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("draftscope: error: ")
    assert message in lines[0]


def test_plot_commands_do_not_import_heavy_libraries_at_start_up():
    code = ("import sys; from draftscope.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'seaborn', 'lxml') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- what plot writes, named by its options --------------------------------------------------

def test_cli_plot_file_names_follow_the_options(server, tmp_path, capsys):
    """A normalised figure never overwrites the raw one, nor a subset of revisions the whole."""
    written = []
    for extra in ([], ["--normalize"], ["--normalize", "per-page"], ["--revisions", "00..14"],
                  ["--keywords", "all"]):
        # PNG alone: the names are the point (the SVG beside it is the other tests')
        code, out, err = run(capsys, "plot", QUIC, *extra, "--image-format", "png",
                             "--out", str(tmp_path), "--quiet")
        assert code == 0, err
        written.append(out.split()[0])
    assert [p.rsplit("/", 1)[1] for p in written] == [
        f"{QUIC}_keywords.png", f"{QUIC}_keywords_per-1000-words.png",
        f"{QUIC}_keywords_per-page.png", f"{QUIC}_keywords_revisions-00..14.png",
        f"{QUIC}_keywords_all.png"]
    assert len(list(tmp_path.glob("*.png"))) == 5


def test_cli_plot_revisions_title_size_dpi_and_pdf(server, tmp_path, capsys, quic_counts):
    """The EPIQ'18 figure from the command line: drafts 00..14, a title, an x label, a 6 x 3.5
    inch figure at 200 dpi (1200 x 700 pixels), written as PNG and PDF."""
    from PIL import Image

    code, out, err = run(capsys, "plot", QUIC, "--revisions", "00..14", "--mark", "10=study start",
                         "--title", "QUIC transport, 2016-2018", "--xlabel", "Draft",
                         "--size", "6x3.5", "--dpi", "200", "--image-format", "png,pdf",
                         "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    stem = tmp_path / f"{QUIC}_keywords_revisions-00..14"
    assert out.split() == [f"{stem}.png", f"{stem}.pdf", f"{stem}.csv"]
    assert Image.open(f"{stem}.png").size == (1200, 700)
    assert Path(f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
    data = pd.read_csv(f"{stem}.csv", dtype={"rev": str})
    assert must_counts(data) == must_counts(quic_counts)[:15]
    svg = tmp_path / "svg"
    run(capsys, "plot", QUIC, "--revisions", "00..14", "--title", "QUIC transport, 2016-2018",
        "--xlabel", "Draft", "--image-format", "svg", "--out", str(svg), "--quiet")
    text = (svg / f"{QUIC}_keywords_revisions-00..14.svg").read_text()
    assert "QUIC transport, 2016-2018" in text and ">Draft<" in text


def test_cli_plot_local_files_as_one_lineage(server, corpus_dir, tmp_path, capsys, quic_counts):
    """An author's unpublished revisions: local files, plotted in the order given."""
    files = [str(corpus_dir / QUIC / f"{QUIC}-{rev}.txt") for rev in ("12", "13", "14")]
    code, out, err = run(capsys, "plot", *files, "--out", str(tmp_path), "--quiet")
    assert code == 0, err
    data = pd.read_csv(tmp_path / f"{QUIC}_keywords.csv", dtype={"rev": str})
    must = data[data["keyword"] == "MUST"]
    assert list(must["rev"]) == ["12", "13", "14"]
    assert must_counts(data) == must_counts(quic_counts)[12:15]


def test_cli_plot_local_files_one_name_each_labelled(server, corpus_dir, tmp_path, capsys):
    """notes.txt then draft-x-01.txt: one lineage named after the draft (not "notes notes ->
    draft-x 01", not named after the last file), notes labelled by its file name."""
    notes = tmp_path / "notes.txt"
    notes.write_text("The client MUST do it and SHOULD say so.\n")
    draft = corpus_dir / QUIC / f"{QUIC}-01.txt"
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "plot", str(notes), str(draft), "--out", str(out_dir), "--quiet")
    assert code == 0, err
    data = pd.read_csv(out_dir / f"{QUIC}_keywords.csv", dtype={"rev": str})
    assert list(data.drop_duplicates("position")["label"]) == ["notes", "01"]
    assert set(data["name"]) == {QUIC}
    svg = (out_dir / f"{QUIC}_keywords.svg").read_text()
    assert f"Keywords in {QUIC}" in svg and "notes notes" not in svg


def test_cli_plot_refuses_revisions_not_in_the_lineage(server, tmp_path, capsys):
    code, out, err = run(capsys, "plot", QUIC, "--revisions", "30..99", "--out", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"draftscope: error: --revisions: 35, 36, 37 ... 99 (65 revisions) "
                          f"not in {QUIC} (it has 00..34, rfc9000)")
    code, out, err = run(capsys, "plot", QUIC, "--revisions", "33,36", "--out", str(tmp_path))
    assert code == 2 and "--revisions: 36 not in" in err
    assert not list(tmp_path.iterdir())


def test_cli_plot_refuses_one_revision_given_twice(server, corpus_dir, tmp_path, capsys):
    files = [str(corpus_dir / QUIC / f"{QUIC}-34.{ext}") for ext in ("txt", "xml")]
    code, out, err = run(capsys, "plot", *files, "--out", str(tmp_path), "--quiet")
    assert code == 2 and out == ""
    assert err.startswith(f"draftscope: error: {QUIC}-34 given twice (") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_figures_and_plot_reruns_are_byte_identical(server, tmp_path, capsys):
    for run_dir in ("a", "b"):
        code, _, err = run(capsys, "plot", QUIC, "--image-format", "png,svg,pdf",
                           "--out", str(tmp_path / run_dir), "--quiet")
        assert code == 0, err
    for ext in ("png", "svg", "pdf", "csv"):
        name = f"{QUIC}_keywords.{ext}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), ext
