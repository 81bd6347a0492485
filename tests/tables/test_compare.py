"""draftscope compare / compare_frame / summary_frame / plot_compare on real QUIC drafts,
served by the fake datatracker from ../shared/corpus."""

from __future__ import annotations

import csv
from datetime import datetime, timezone

import pandas as pd
import pytest

from draftscope.errors import CompareInputError, DraftscopeError
from draftscope.fetch.config import Settings
from draftscope.fetch.session import fetch_lineage
from draftscope.fetch.session import fetch_lineages
from draftscope.tables.compare import (
    analyse_lineages,
    compare_frame,
    missing_message,
    summary_frame,
    summary_rows,
)
from draftscope.tables.keywords import keywords_frame

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"
APPLICABILITY = "draft-ietf-quic-applicability"


@pytest.fixture(scope="module")
def quic(corpus_dir, tmp_path_factory):
    """invariants (14 revisions + RFC 8999) and qpack (22 + RFC 9204), fetched and analysed once."""
    from fakedatatracker import start_server

    server = start_server(corpus_dir)
    settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
    lineages = fetch_lineages([INVARIANTS, QPACK], settings=settings, progress=False)
    analyses = analyse_lineages(lineages, workers=1, progress=False)
    yield settings, lineages, analyses
    server.stop()


def test_lineages_are_whole_and_in_order(quic):
    _settings, lineages, _analyses = quic
    assert [r.label for r in lineages[INVARIANTS]][:2] == [f"{INVARIANTS}-00", f"{INVARIANTS}-01"]
    assert [r.label for r in lineages[INVARIANTS]][-1] == "rfc8999"
    assert len(lineages[INVARIANTS]) == 15 and len(lineages[QPACK]) == 23


def test_compare_counts_are_the_keyword_stage_numbers(quic):
    settings, lineages, analyses = quic
    frame = compare_frame(analyses, keywords=["MUST", "MUST NOT", "SHOULD", "MAY"])
    expected = pd.concat([keywords_frame(fetch_lineage(n, settings=settings, offline=True))
                          for n in (INVARIANTS, QPACK)])
    expected = expected[expected["keyword"].isin(["MUST", "MUST NOT", "SHOULD", "MAY"])]
    merged = frame.merge(expected, on=["name", "rev", "keyword"], suffixes=("", "_stage"),
                         validate="one_to_one")
    assert len(merged) == len(frame) == (15 + 23) * 4
    assert (merged["count"] == merged["count_stage"]).all()
    # hand-checked in the texts: RFC 8999 says MUST 5 times outside the BCP 14 boilerplate
    must = frame.set_index(["label", "keyword"])["count"]
    assert must[("rfc8999", "MUST")] == 5
    assert must[("rfc8999", "MUST NOT")] == 0


def test_alignments_put_lineages_on_one_axis(quic):
    _settings, _lineages, analyses = quic
    progress = compare_frame(analyses, keywords=["MUST"], align="progress")
    invariants = progress[progress["lineage"] == INVARIANTS]
    assert invariants["x"].tolist() == [i / 14 for i in range(15)]
    assert progress.groupby("lineage")["x"].agg(["min", "max"]).values.tolist() == [[0, 1], [0, 1]]
    by_revision = compare_frame(analyses, keywords=["MUST"], align="revision")
    assert by_revision[by_revision["lineage"] == QPACK]["x"].tolist() == list(range(23))
    by_date = compare_frame(analyses, keywords=["MUST"], align="date")
    first = by_date[by_date["label"] == f"{INVARIANTS}-00"]["x"].iloc[0]
    assert first == pd.Timestamp("2018-02-28 02:57:12", tz="UTC")   # MANIFEST tag date


def test_normalized_values(quic):
    _settings, _lineages, analyses = quic
    frame = compare_frame(analyses, keywords=["MUST"], normalize="per-1000-words")
    row = frame[frame["label"] == "rfc8999"].iloc[0]
    assert row["value"] == pytest.approx(5 * 1000 / row["words"])
    pages = compare_frame(analyses, keywords=["MUST"], normalize="per-page")
    last = pages[pages["label"] == f"{QPACK}-21"].iloc[0]
    assert last["value"] == pytest.approx(last["count"] / last["pages"])


def test_summary_table(quic):
    _settings, _lineages, analyses = quic
    rows = {r["lineage"]: r for r in summary_rows(analyses)}
    invariants = rows[INVARIANTS]
    assert (invariants["revisions"], invariants["first"], invariants["last"], invariants["rfc"]) == (
        14, f"{INVARIANTS}-00", "rfc8999", "rfc8999")
    # 2018-02-28T02:57:12Z (-00 tag) to 2021-05-01 (RFC 8999's "May 2021"): 1157.9 days
    assert invariants["months"] == 38.0
    assert (invariants["phrases_first"], invariants["phrases_last"]) == (2, 5)
    assert invariants["density_last"] == round(5000 / invariants["words_last"], 2)
    # -00 draws the long header, short header and Version Negotiation packet, as RFC 8999
    # does (its notation example, "Figure 1: Example Format", is not a protocol definition)
    assert (invariants["definitions_first"], invariants["definitions_added"],
            invariants["definitions_removed"], invariants["definitions_last"]) == (3, 0, 0, 3)
    qpack = rows[QPACK]
    assert (qpack["revisions"], qpack["rfc"], qpack["months"]) == (22, "rfc9204", 48.3)


def test_months_run_to_now_without_an_rfc(quic):
    _settings, lineages, _analyses = quic
    drafts_only = {INVARIANTS: [r for r in lineages[INVARIANTS] if not r.is_rfc]}
    now = datetime(2022, 2, 28, 2, 57, 12, tzinfo=timezone.utc)   # four years after -00
    frame = summary_frame(drafts_only, definitions=False, now=now, workers=1, progress=False)
    row = frame.iloc[0]
    assert (row["revisions"], row["last"], row["rfc"], row["months"]) == (
        14, f"{INVARIANTS}-13", None, 48.0)
    assert pd.isna(row["definitions_added"])


def test_bad_options_are_one_line_errors(quic):
    _settings, _lineages, analyses = quic
    with pytest.raises(CompareInputError, match="unknown alignment 'page'"):
        compare_frame(analyses, align="page")
    with pytest.raises(CompareInputError, match="unknown BCP 14 phrase"):
        compare_frame(analyses, keywords=["MUSTN'T"])


# --------------------------------------------------------------------------- plots

def test_plot_compare_small_multiples_scale_each_draft(quic):
    """Each panel has its own y axis from 0 (issue 11): invariants' MUST (at most 5) is not
    flattened under QPACK's 28."""
    from draftscope.plots.compare import plot_compare

    _settings, _lineages, analyses = quic
    frame = compare_frame(analyses, align="progress")
    fig = plot_compare(frame, align="progress")
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in visible] == [INVARIANTS, QPACK]
    for ax, lineage in zip(visible, (INVARIANTS, QPACK)):
        top = frame.loc[frame["lineage"] == lineage, "value"].max()
        assert ax.get_ylim()[0] == 0 and top <= ax.get_ylim()[1] <= max(top * 1.1, 4.5)
    assert visible[0].get_ylim()[1] < visible[1].get_ylim()[1]
    hue = plot_compare(frame, ["MUST"], align="progress")     # one keyword: a colour per draft
    labels = [t.get_text() for t in hue.axes[0].texts]     # named at the lines' ends
    assert labels == ["invariants", "qpack"] and "draft-ietf-quic-" in hue.axes[0].get_title()


def test_plot_compare_takes_keyword_frames_with_a_lineage_column(quic):
    """What ``draftscope plot NAME... --compare`` passes: keyword stage frames + lineage."""
    from draftscope.plots.compare import compare_series

    settings, _lineages, _analyses = quic
    combined = pd.concat([keywords_frame(fetch_lineage(n, settings=settings, offline=True))
                          .assign(lineage=n) for n in (INVARIANTS, QPACK)], ignore_index=True)
    series = compare_series(combined, ["MUST"], align="progress")
    invariants = series[series["lineage"] == INVARIANTS]
    assert invariants["x"].tolist() == [i / 14 for i in range(15)]
    assert invariants["value"].iloc[-1] == 5.0


def test_normalised_keyword_frames_match_the_comparison(quic):
    """Sizes have one source: keyword frames with ``sizes=True`` normalise to the same values
    as ``compare_frame``, and without sizes normalising is a one-line error."""
    from draftscope.plots.compare import compare_series

    settings, _lineages, analyses = quic
    sized = keywords_frame(fetch_lineage(INVARIANTS, settings=settings, offline=True), sizes=True)
    series = compare_series(sized, ["MUST"], normalize="per-1000-words")
    reference = compare_frame(analyses, keywords=["MUST"], normalize="per-1000-words")
    reference = reference[reference["lineage"] == INVARIANTS]
    assert series["value"].tolist() == pytest.approx(reference["value"].tolist())
    # RFC 8999: MUST 5 times in 2512 words (`wc -w`: unpaginated, nothing to remove)
    assert series["value"].iloc[-1] == pytest.approx(5 * 1000 / 2512)
    with pytest.raises(DraftscopeError, match="needs the pages of each revision"):
        compare_series(sized.drop(columns="pages"), ["MUST"], normalize="per-page")


# --------------------------------------------------------------------------- CLI

def test_cli_compare_writes_figure_csv_and_summary(datatracker_env, tmp_path, capsys):
    from draftscope.cli import main

    out = tmp_path / "out"
    drafts = [INVARIANTS, QPACK, APPLICABILITY]
    assert main(["compare", *drafts, "--keywords", "all", "--align", "progress",
                 "--out", str(out), "--format", "csv", "-q", "--workers", "1"]) == 0
    stdout = capsys.readouterr().out
    # the figure's name says the options that change what it draws (all phrases, progress axis)
    stem = "compare_keywords_all_by-progress"
    for name in (f"{stem}.png", f"{stem}.svg", f"{stem}.csv", "compare_summary.csv"):
        assert (out / name).stat().st_size > 0
    assert (out / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"
    with open(out / f"{stem}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == (15 + 23 + 2) * 11
    stage = pd.concat([keywords_frame(fetch_lineage(n, offline=True)) for n in drafts])
    expected = {(r.name, r.rev, r.keyword): r.count for r in stage.itertuples()}
    assert {(r["name"], r["rev"], r["keyword"]): int(r["count"]) for r in rows} == expected
    summary = list(csv.DictReader(stdout.splitlines()))
    assert summary == list(csv.DictReader((out / "compare_summary.csv").read_text().splitlines()))
    assert [(r["lineage"], r["revisions"], r["months"], r["phrases_last"], r["rfc"])
            for r in summary] == [(INVARIANTS, "14", "38.0", "5", "rfc8999"),
                                  (QPACK, "22", "48.3", "48", "rfc9204"),
                                  # only -16 is in the corpus: 2022-04-06 to RFC 9308 (Sept 2022)
                                  (APPLICABILITY, "1", "4.9", "0", "rfc9308")]


@pytest.mark.parametrize("argv, code, message", [
    (["compare", "--group", "nosuchwg"], 1, "unknown working group 'nosuchwg'"),
    (["compare"], 2, "give draft NAMEs or --group WG"),
    (["compare", INVARIANTS, "--keywords", "MUSTN'T"], 2, "--keywords: unknown phrase(s) MUSTN'T"),
    (["compare", "draft-nobody-nothing"], 1, "unknown document draft-nobody-nothing"),
    (["compare", INVARIANTS, "--workers", "0"], 2, "argument --workers: must be at least 1"),
    (["compare", INVARIANTS, "--out", "/dev/null/figures"], 1, "cannot write into --out"),
])
def test_cli_compare_errors_are_one_line(datatracker_env, tmp_path, capsys, argv, code, message):
    from draftscope.cli import main

    out = [] if "--out" in argv else ["--out", str(tmp_path / "out")]
    assert main(argv + ["-q"] + out) == code
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_names_of_one_lineage_compare_once(quic):
    settings, lineages, _analyses = quic
    same = fetch_lineages(["rfc8999", f"{INVARIANTS}-05", INVARIANTS], settings=settings,
                          offline=True, progress=False)
    assert list(same) == [INVARIANTS]
    assert [r.label for r in same[INVARIANTS]] == [r.label for r in lineages[INVARIANTS]]


# --------------------------------------------------------------------------- missing revisions

PHANTOM = {INVARIANTS: {"14": "2021-02-01T00:00:00+00:00"}}   # listed by doc.json, 404 in the archive


def test_revisions_the_archive_lacks_are_named_not_dropped(make_datatracker, tmp_path):
    server = make_datatracker(phantom_revisions=PHANTOM)
    settings = Settings.from_env(server.env(), cache_dir=tmp_path / "cache")
    lineages = fetch_lineages([INVARIANTS], settings=settings, progress=False)
    assert lineages.missing == {INVARIANTS: [f"{INVARIANTS}-14"]}
    assert missing_message(INVARIANTS, lineages.missing[INVARIANTS]) == (
        f"{INVARIANTS}: 1 revision missing from the archive, left out of the "
        f"comparison: {INVARIANTS}-14")
    labels = [r.label for r in lineages[INVARIANTS]]
    assert len(labels) == 15 and labels[-2:] == [f"{INVARIANTS}-13", "rfc8999"]
    analyses = analyse_lineages(lineages, definitions=False, workers=1, progress=False)
    assert analyses[0].missing == [f"{INVARIANTS}-14"] and len(analyses[0].revisions) == 15
    row = summary_rows(analyses)[0]
    assert (row["revisions"], row["missing"]) == (14, f"{INVARIANTS}-14")
    # {name: revisions} straight from the fetch stage: the Revision without a path is named too
    revisions = fetch_lineage(INVARIANTS, settings=settings, offline=True)
    assert [r.label for r in revisions if r.path is None] == [f"{INVARIANTS}-14"]
    frame = compare_frame({INVARIANTS: revisions}, keywords=["MUST"], workers=1)
    assert frame.attrs["missing"] == {INVARIANTS: [f"{INVARIANTS}-14"]} and len(frame) == 15
    offline = fetch_lineages([INVARIANTS], settings=settings, offline=True, progress=False)
    assert [missing_message(k, v, offline=True) for k, v in offline.missing.items()] == [
        f"{INVARIANTS}: 1 revision not in the cache (offline), left out of the "
        f"comparison: {INVARIANTS}-14"]


def test_cli_compare_warns_about_missing_revisions(make_datatracker, tmp_path, monkeypatch, capsys):
    from draftscope.cli import main

    server = make_datatracker(phantom_revisions=PHANTOM)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DRAFTSCOPE_CACHE", str(tmp_path / "cache"))
    assert main(["compare", INVARIANTS, "--out", str(tmp_path / "out"), "--format", "csv", "-q",
                 "--workers", "1", "--no-definitions"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"draftscope: warning: {INVARIANTS}: 1 revision missing from the archive, left out of "
        f"the comparison: {INVARIANTS}-14"]
    summary = list(csv.DictReader(captured.out.splitlines()))
    assert [(r["revisions"], r["missing"]) for r in summary] == [("14", f"{INVARIANTS}-14")]
