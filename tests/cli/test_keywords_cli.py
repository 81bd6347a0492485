"""``draftscope keywords`` end to end: local files, the fetch stage (fake datatracker), formats,
errors, and no pandas on the CSV/JSON path."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from draftscope.cli import main

QT = "draft-ietf-quic-transport"


def qt(corpus_dir, rev, ext="txt"):
    return str(corpus_dir / QT / f"{QT}-{rev}.{ext}")


def run(capsys, *argv):
    code = main(["keywords", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_long_form_with_zeros(corpus_dir, capsys):
    code, out, _ = run(capsys, qt(corpus_dir, "00"), qt(corpus_dir, "14"), qt(corpus_dir, "34"), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "name,rev,date,keyword,count"   # tables.keywords.RECORD_COLUMNS
    assert {r["date"] for r in rows} == {""}       # local files: no date
    assert len(rows) == 33  # 3 revisions x 11 phrases, zeros included
    got = {(r["rev"], r["keyword"]): int(r["count"]) for r in rows}
    assert [got[("00", k)] for k in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")] == [60, 24, 9, 3]
    assert [got[("14", k)] for k in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")] == [151, 52, 71, 10]
    assert [got[("34", k)] for k in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")] == [217, 89, 108, 13]
    assert got[("14", "SHALL NOT")] == 0


def test_local_files_are_named_like_the_text_stage_names_them(corpus_dir, tmp_path, capsys):
    """A file saved as RFC8999.txt is rfc8999 (as load_document and history name it), not a
    document called RFC8999 without a revision."""
    upper = tmp_path / "RFC8999.txt"
    upper.write_bytes((corpus_dir / "rfc" / "rfc8999.txt").read_bytes())
    code, out, _ = run(capsys, str(upper), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["name"], r["rev"]) for r in rows} == {("rfc8999", "rfc8999")}
    # hand-checked: RFC 8999 says MUST 5 times outside the BCP 14 boilerplate
    assert [int(r["count"]) for r in rows if r["keyword"] == "MUST"] == [5]


def test_json_by_section_and_boilerplate_option(corpus_dir, capsys):
    code, out, _ = run(capsys, qt(corpus_dir, "34", "xml"), "--by", "section", "--format", "json",
                       "--include-boilerplate")
    assert code == 0
    records = json.loads(out)
    assert list(records[0]) == ["name", "rev", "date", "keyword", "count", "section", "title"]
    terms = {r["keyword"]: r["count"] for r in records if r["section"] == "1.2"}
    assert terms["MUST"] == 1 and terms["NOT RECOMMENDED"] == 1  # the boilerplate, included
    assert sum(r["count"] for r in records if r["keyword"] == "MUST") == 218


def test_lowercase_rows_and_table(corpus_dir, capsys):
    code, out, _ = run(capsys, qt(corpus_dir, "00"), "--lowercase", "--format", "csv")
    rows = {r["keyword"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows["must"] == 24 and rows["MUST"] == 60 and len(rows) == 18
    code, out, _ = run(capsys, qt(corpus_dir, "34"), qt(corpus_dir, "34", "xml"))
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["MUST", "SHOULD"]          # MUST over NOT, SHOULD over NOT
    assert lines[1].split()[:3] == ["revision", "MUST", "NOT"]
    assert lines[2] == QT                                      # the name heads its revisions
    assert lines[3].split()[:3] == ["34", "217", "89"]
    assert lines[4].split()[:4] == ["34", "(xml)", "217", "89"]


def test_bad_input_is_one_line(tmp_path, capsys):
    code, out, err = run(capsys, str(tmp_path / "draft-missing-00.txt"))
    assert code != 0 and err.startswith("draftscope: error: ") and len(err.strip().splitlines()) == 1
    bad = tmp_path / "draft-x-y-01.xml"
    bad.write_text("<rfc><t>unclosed</rfc>")
    code, out, err = run(capsys, str(bad))
    assert code != 0 and "not well-formed XML" in err and "Traceback" not in err
    code, out, err = run(capsys, "draft-bad_name")
    assert code == 2 and err.startswith("draftscope: error: invalid document name")


def test_draft_names_through_the_fetch_stage(datatracker_env, capsys):
    code, out, _ = run(capsys, "draft-ietf-quic-invariants", "--format", "csv", "-q")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    revs = list(dict.fromkeys((r["name"], r["rev"]) for r in rows))
    assert revs[0] == ("draft-ietf-quic-invariants", "00") and revs[-1] == ("rfc8999", "rfc8999")
    got = {(r["rev"], r["keyword"]): int(r["count"]) for r in rows}
    # cached now: the same counts offline, and single revisions by name
    code, out2, _ = run(capsys, "draft-ietf-quic-invariants", "--format", "csv", "--offline")
    assert out2 == out
    code, out3, _ = run(capsys, "draft-ietf-quic-invariants-13", "--format", "csv", "--offline")
    single = {r["keyword"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out3))}
    assert single == {k: got[("13", k)] for k in single}
    assert single["MUST"] > 0


def test_keywords_command_does_not_import_pandas(corpus_dir):
    probe = (
        "import sys\nfrom draftscope.cli import main\n"
        f"main(['keywords', {qt(corpus_dir, '34')!r}, '--format', 'csv', '--by', 'section'])\n"
        f"main(['keywords', {qt(corpus_dir, '34')!r}, {qt(corpus_dir, '34', 'xml')!r}, '--format', 'json'])\n"
        "heavy = [m for m in ('pandas', 'seaborn', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
