"""One CLI vocabulary (issue 11): options are never abbreviated, an unknown option points to
the sub-command's help, the keywords table fits a terminal, options that cannot be combined are
refused, headerless texts are named, and the keyword frame keeps RFC 2119's order."""

from __future__ import annotations

import csv
import io

import pytest

from draftscope.cli import main

QT = "draft-ietf-quic-transport"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def qt(corpus_dir, rev, ext="txt"):
    return str(corpus_dir / QT / f"{QT}-{rev}.{ext}")


# --------------------------------------------------------------------------- parsing

@pytest.mark.parametrize("argv", [
    ["fetch", "rfc8999", "--form", "csv"],          # once silently taken as --formats
    ["fetch", "rfc8999", "--file", "xml"],           # an abbreviation of --file-types
    ["keywords", "rfc8999", "--work", "2"],          # an abbreviation of --workers
])
def test_options_are_never_abbreviated(datatracker_env, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and datatracker_env.requests == []
    assert err == (f"draftscope: error: {argv[0]}: unrecognized arguments: "
                   f"{' '.join(argv[2:])} (see 'draftscope {argv[0]} --help')\n")


def test_fetch_format_csv_is_the_format(datatracker_env, capsys):
    code, out, err = run(capsys, "fetch", "draft-ietf-quic-invariants-05", "--format", "csv", "-q")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["rev"], r["format"]) for r in rows] == [
        ("draft-ietf-quic-invariants", "05", "txt")]


def test_unknown_option_points_to_the_sub_command_help(capsys):
    code, out, err = run(capsys, "keywords", "rfc9000", "--bogus")
    assert code == 2
    assert err == ("draftscope: error: keywords: unrecognized arguments: --bogus "
                   "(see 'draftscope keywords --help')\n")
    code, out, err = run(capsys, "--bogus")
    assert err.endswith("(see 'draftscope --help')\n")


# --------------------------------------------------------------------------- keywords

def test_keywords_table_fits_100_columns(corpus_dir, capsys):
    revs = [qt(corpus_dir, rev) for rev in ("00", "14", "34")] + [
        str(corpus_dir / "rfc" / "rfc9000.txt")]
    code, out, _ = run(capsys, "keywords", *revs)
    lines = out.splitlines()
    assert code == 0 and max(map(len, lines)) <= 100
    # every phrase that occurs in these four has a column, the others (REQUIRED...) none
    assert lines[0].split() == ["MUST", "SHOULD", "boiler"]
    assert lines[1].split() == ["revision", "MUST", "NOT", "SHALL", "SHOULD", "NOT",
                                "RECOMMENDED", "MAY", "OPTIONAL", "total", "plate"]
    assert lines[2] == QT
    assert lines[3].split() == ["00", "60", "24", "0", "9", "3", "0", "21", "0", "117", "4"]
    assert lines[6].split()[:3] == ["rfc9000", "214", "88"]


def test_keywords_by_section_fits_and_cuts_titles_with_an_ellipsis(corpus_dir, capsys):
    code, out, _ = run(capsys, "keywords", qt(corpus_dir, "34"), "--by", "section")
    lines = out.splitlines()
    assert code == 0 and max(map(len, lines)) <= 100
    assert lines[2] == f"{QT}-34"
    cut = [line for line in lines if "\u2026" in line]
    assert any(line.startswith("2.1 Stream Types and Identifi\u2026") for line in cut)
    # the cells after a cut title still line up under their headers
    assert {len(line) for line in lines[3:]} == {len(lines[1])}


def test_keywords_filter_in_every_format(corpus_dir, capsys):
    code, out, _ = run(capsys, "keywords", qt(corpus_dir, "34"), "--keywords", "must,may")
    assert [line.split() for line in out.splitlines()[:4]] == [
        ["boiler"], ["revision", "MUST", "MAY", "total", "plate"], [QT],
        ["34", "217", "120", "554", "11"]]     # total: all 11 phrases, not only those shown
    code, out, _ = run(capsys, "keywords", qt(corpus_dir, "34"), "--keywords", "MAY,MUST",
                       "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["keyword"], r["count"]) for r in rows] == [("MUST", "217"), ("MAY", "120")]


def test_lowercase_by_section_is_refused(corpus_dir, capsys):
    code, out, err = run(capsys, "keywords", qt(corpus_dir, "34"), "--by", "section",
                         "--lowercase")
    assert code == 2 and out == ""
    assert err == ("draftscope: error: --lowercase counts per revision only: drop --by section "
                   "or --lowercase\n")


def test_headerless_text_is_counted_with_a_warning(tmp_path, corpus_dir, capsys):
    readme = tmp_path / "README.txt"
    readme.write_text("Notes\n\nThe client MUST retry. It MAY give up.\n")
    code, out, err = run(capsys, "keywords", str(readme), qt(corpus_dir, "34"), "--format", "csv")
    assert code == 0
    assert err == (f"draftscope: warning: {readme} has no Internet-Draft or RFC header: read as "
                   "a plain text (is it a draft?)\n")
    counts = {(r["name"], r["keyword"]): int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    assert counts[("README", "MUST")] == 1 and counts[(QT, "MUST")] == 217


def test_every_corpus_text_has_a_document_header(corpus_dir):
    from draftscope.cli.common import has_document_header

    files = [p for p in corpus_dir.rglob("*") if p.suffix in (".txt", ".xml")]
    assert len(files) > 200
    assert [p for p in files
            if not has_document_header(p.read_bytes()[:65536], xml=p.suffix == ".xml")] == []
    assert not has_document_header((corpus_dir / "README.md").read_bytes()[:65536])


def test_keyword_frame_keeps_rfc2119_order(corpus_dir):
    from draftscope.fetch.session import resolve_target
    from draftscope.tables.keywords import keywords_frame

    frame = keywords_frame(resolve_target(qt(corpus_dir, "34")), lowercase=True)
    assert list(frame.columns) == ["lineage", "name", "rev", "label", "date", "keyword", "count"]
    assert frame["keyword"].cat.ordered
    assert list(frame["keyword"].cat.categories[:4]) == ["MUST", "MUST NOT", "REQUIRED", "SHALL"]
    assert list(frame["keyword"].cat.categories[-1:]) == ["optional"]
    wide = frame.pivot_table(index="rev", columns="keyword", values="count", aggfunc="sum",
                             observed=True)
    assert list(wide.columns[:3]) == ["MUST", "MUST NOT", "REQUIRED"]
    assert wide.loc["34", "MUST"] == 217 and wide.loc["34", "must"] == 4


# --------------------------------------------------------------------------- typos

def test_typo_suggests_the_datatracker_s_closest_name(datatracker_env, capsys):
    code, out, err = run(capsys, "keywords", "draft-ietf-quic-transprot")
    assert code == 1 and out == ""
    assert err == ("draftscope: error: unknown document draft-ietf-quic-transprot: the "
                   "datatracker has no such draft or RFC (did you mean draft-ietf-quic-transport?)\n")
    listing = [r.target for r in datatracker_env.requests if r.path == "/api/v1/doc/document/"]
    assert listing == ["/api/v1/doc/document/?format=json&type=draft&limit=200"
                       "&name__startswith=draft-ietf-quic-"]


def test_typo_offline_suggests_from_the_cache(datatracker_env, capsys):
    assert run(capsys, "fetch", "draft-ietf-quic-invariants", "-q")[0] == 0
    datatracker_env.clear_log()
    code, out, err = run(capsys, "fetch", "draft-ietf-quic-invarants", "--offline")
    assert code == 1 and datatracker_env.requests == []
    assert err.startswith("draftscope: error: offline: nothing cached for draft-ietf-quic-invarants")
    assert err.endswith(" (did you mean draft-ietf-quic-invariants?)\n")


def test_one_digit_revision_hints_at_two(datatracker_env, capsys):
    code, out, err = run(capsys, "keywords", "draft-ietf-quic-transport-3")
    assert code == 1
    assert err.endswith("(revisions have two digits: did you mean draft-ietf-quic-transport-03?)\n")


def test_closest_names_keeps_only_the_close_ones():
    from draftscope.cli.suggest import closest_names

    known = ["draft-ietf-quic-transport", "draft-ietf-quic-tls", "draft-ietf-quic-recovery",
             "rfc9000"]
    assert closest_names("draft-ietf-quic-transprot", known) == ["draft-ietf-quic-transport"]
    assert closest_names("draft-ietf-quic-recvery", known) == ["draft-ietf-quic-recovery"]
    assert closest_names("draft-nobody-nothing-here", known) == []
    assert "draft-ietf-quic-tls" not in closest_names("draft-ietf-quic-tls", known)   # never itself


def test_fetch_without_a_name_is_a_usage_error(datatracker_env, capsys):
    code, out, err = run(capsys, "fetch")
    assert (code, out) == (2, "") and datatracker_env.requests == []
    assert err == "draftscope: error: nothing to fetch: give at least one NAME or --group WG\n"


def test_fetch_counts_revisions_and_files_apart(datatracker_env, capsys):
    """14 draft revisions (group and compare count those) + the RFC, in 29 files: 14 txt, the 14
    xml sources the corpus holds, the RFC's text (its xml is a normal 404)."""
    code, out, err = run(capsys, "fetch", "draft-ietf-quic-invariants", "--file-types", "txt,xml")
    assert code == 0
    assert err.splitlines()[0] == (
        "draft-ietf-quic-invariants: 14 draft revisions + rfc8999 in 29 files (0 cached, "
        f"29 fetched) in {datatracker_env.cache_dir}")
    assert len(out.splitlines()) == 1 + 29
    code, out, err = run(capsys, "group", "quic", "--format", "csv", "-q")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["draft-ietf-quic-invariants"]["revisions"],
            rows["draft-ietf-quic-invariants"]["rfc"]) == ("14", "rfc8999")


# --------------------------------------------------------------------------- compare's figure

def test_compare_takes_the_figure_options(datatracker_env, tmp_path, capsys):
    import struct

    out = tmp_path / "figs"
    code, stdout, err = run(capsys, "compare", "draft-ietf-quic-invariants",
                            "draft-ietf-quic-applicability", "--no-definitions", "--workers", "1",
                            "--out", str(out), "--image-format", "png,pdf", "--dpi", "50",
                            "--size", "6x4", "--title", "Two QUIC drafts", "--normalize", "-q")
    assert code == 0 and err == ""
    stem = "compare_keywords_per-1000-words"       # a bare --normalize: per 1000 words
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"{stem}.csv", f"{stem}.pdf", f"{stem}.png", "compare_summary.csv"]
    lines = stdout.splitlines()      # the summary table, then the paths written
    assert lines[0].split()[:2] == ["lineage", "revisions"]
    assert lines[-4:] == [str(out / f"{stem}.png"), str(out / f"{stem}.pdf"),
                          str(out / f"{stem}.csv"), str(out / "compare_summary.csv")]
    width, height = struct.unpack(">II", (out / f"{stem}.png").read_bytes()[16:24])
    assert (width, height) == (300, 200)           # 6x4 inches at 50 dpi
    assert (out / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
