"""`draftscope fetch` end to end: exit codes, one-line errors, request counts, outputs."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from draftscope.cli import main

TRANSPORT = "draft-ietf-quic-transport"


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cold_then_warm(datatracker_env, capsys):
    code, out, err = run(["fetch", TRANSPORT, "--jobs", "8"], capsys)
    assert code == 0
    assert err.splitlines() == [
        f"{TRANSPORT}: 35 draft revisions + rfc9000 in 36 files (0 cached, 36 fetched) "
        f"in {datatracker_env.cache_dir}",
        "37 requests"]
    lines = out.splitlines()      # the table: one row per file, its path the result
    assert lines[0].split() == ["name", "rev", "date", "path"] and len(lines) == 1 + 36
    assert lines[1].split() == [TRANSPORT, "00", "2016-11-29",
                                str(datatracker_env.cache_dir / "id" / f"{TRANSPORT}-00.txt")]
    assert lines[-1].split() == ["rfc9000", "rfc9000", "2021-05-01",
                                 str(datatracker_env.cache_dir / "rfc" / "rfc9000.txt")]
    assert len(datatracker_env.requests) == 37
    datatracker_env.clear_log()
    code, out2, err = run(["fetch", TRANSPORT, "--quiet"], capsys)
    assert (code, out2, err) == (0, out, "") and datatracker_env.requests == []


def test_one_request_is_singular(datatracker_env, capsys):
    """The lineage is cached by its draft name; asked for by its RFC, one doc.json request."""
    run(["fetch", "draft-ietf-quic-invariants", "-q"], capsys)
    datatracker_env.clear_log()
    code, out, err = run(["fetch", "rfc8999"], capsys)
    assert code == 0 and err.splitlines()[-1] == "1 request"
    assert len(datatracker_env.requests) == 1


def test_json_and_csv_records(datatracker_env, capsys, corpus_dir):
    code, out, _ = run(["fetch", "rfc9001", "--format", "json", "-q"], capsys)
    records = json.loads(out)
    assert code == 0 and len(records) == 36
    assert records[0] == {"name": "draft-ietf-quic-tls", "rev": "00", "date": "2016-11-29T00:02:39+00:00",
                          "format": "txt",
                          "path": str(datatracker_env.cache_dir / "id" / "draft-ietf-quic-tls-00.txt")}
    assert records[-1]["name"] == "rfc9001" and records[-1]["date"] == "2021-05-01T00:00:00+00:00"
    code, out, _ = run(["fetch", "draft-ietf-quic-tls-27", "--format", "csv", "-q", "--offline"],
                         capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [{"name": "draft-ietf-quic-tls", "rev": "27", "date": "2020-02-21T14:11:33+00:00",
                     "format": "txt",
                     "path": str(datatracker_env.cache_dir / "id" / "draft-ietf-quic-tls-27.txt")}]
    assert Path(rows[0]["path"]).read_bytes() == (
        corpus_dir / "draft-ietf-quic-tls" / "draft-ietf-quic-tls-27.txt").read_bytes()


def test_invalid_name_is_refused_before_any_io(datatracker_env, capsys, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(["fetch", "draft-ietf-quic-tls", "../../x"], capsys)
    assert code == 2 and out == ""
    assert err == ("draftscope: error: invalid document name '../../x': "
                   "expected draft-NAME, draft-NAME-NN or rfcNNNN\n")
    assert datatracker_env.requests == []
    assert sorted(tmp_path.rglob("*")) == before and not datatracker_env.cache_dir.exists()


def test_unknown_draft_one_line_nonzero(datatracker_env, capsys):
    code, out, err = run(["fetch", "draft-nobody-nothing-here"], capsys)
    assert code == 1 and out == ""
    assert err == ("draftscope: error: unknown document draft-nobody-nothing-here: "
                   "the datatracker has no such draft or RFC\n")


def test_unknown_name_keeps_the_rows_of_the_others(datatracker_env, capsys):
    """A bad name among good ones: the good ones are fetched and printed, then its error, exit 1."""
    code, out, err = run(["fetch", "draft-ietf-quic-invariants-05", "draft-nope-foo",
                          "draft-nobody-nothing-here", "--quiet"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == ["name", "rev", "date", "path"] and len(lines) == 2
    assert lines[1].split()[:2] == ["draft-ietf-quic-invariants", "05"]
    assert Path(lines[1].split()[-1]).is_file()
    assert err.splitlines() == [
        "draftscope: error: unknown document draft-nope-foo: the datatracker has no such draft or RFC",
        "draftscope: error: unknown document draft-nobody-nothing-here: "
        "the datatracker has no such draft or RFC"]


def test_unknown_draft_via_subprocess_has_no_traceback(datatracker_env):
    proc = subprocess.run([sys.executable, "-m", "draftscope", "fetch", "draft-nobody-nothing-here"],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == ("draftscope: error: unknown document draft-nobody-nothing-here: "
                           "the datatracker has no such draft or RFC\n")
    assert datatracker_env.count("/doc/draft-nobody-nothing-here/doc.json") == 1


def test_group_follows_pagination(datatracker_env, capsys):
    code, out, err = run(["fetch", "--group", "quic", "--page-size", "2", "--format", "json", "-q"],
                         capsys)
    assert code == 0
    pages = [r.target for r in datatracker_env.requests if r.path == "/api/v1/doc/document/"]
    assert pages == [
        "/api/v1/doc/document/?format=json&group__acronym=quic&type=draft&order_by=id&limit=2",
        "/api/v1/doc/document/?format=json&group__acronym=quic&type=draft&order_by=id&limit=2&offset=2",
        "/api/v1/doc/document/?format=json&group__acronym=quic&type=draft&order_by=id&limit=2&offset=4"]
    names = {(r["name"]) for r in json.loads(out)}
    assert names == {"draft-ietf-quic-applicability", "rfc9308", "draft-ietf-quic-invariants", "rfc8999",
                     "draft-ietf-quic-qpack", "rfc9204", "draft-ietf-quic-recovery", "rfc9002",
                     "draft-ietf-quic-tls", "rfc9001", "draft-ietf-quic-transport", "rfc9000"}
    assert len(json.loads(out)) == 2 + 15 + 23 + 36 + 36 + 36
    # 1 group check + 3 pages + 6 doc.json + 148 files
    assert len(datatracker_env.requests) == 1 + 3 + 6 + 148
    datatracker_env.clear_log()
    assert run(["fetch", "--group", "quic", "-q"], capsys)[0] == 0
    assert run(["fetch", "--group", "quic", "-q", "--offline"], capsys)[0] == 0
    assert datatracker_env.requests == []       # the group's list is cached like lineage metadata


def test_unknown_group(datatracker_env, capsys):
    code, _, err = run(["fetch", "--group", "nosuchwg"], capsys)
    assert code == 1
    assert err == ("draftscope: error: unknown working group 'nosuchwg': "
                   "the datatracker has no group with that acronym\n")
    assert len(datatracker_env.requests) == 1


def test_offline_names_missing_revisions(datatracker_env, capsys):
    assert run(["fetch", "draft-ietf-quic-invariants", "-q"], capsys)[0] == 0
    for rev in ("04", "11"):
        (datatracker_env.cache_dir / "id" / f"draft-ietf-quic-invariants-{rev}.txt").unlink()
    datatracker_env.clear_log()
    code, out, err = run(["fetch", "draft-ietf-quic-invariants", "--offline"], capsys)
    assert code == 1 and datatracker_env.requests == []
    assert err.splitlines()[-1] == ("draftscope: error: offline: 2 file(s) not in the cache: "
                                    "draft-ietf-quic-invariants-04.txt, draft-ietf-quic-invariants-11.txt")

def default_sigint() -> None:
    """Run in the child before exec: SIGINT back to its default (Python then turns it into
    KeyboardInterrupt). A runner started as a background job has SIGINT ignored, children
    inherit that, and the CLI would never see the signal this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupted_run_keeps_what_was_fetched(datatracker_env, corpus_dir):
    """SIGINT in the middle of a slow download: complete files stay, no partial file, rerun finishes.

    Revisions 10 and later are held back by the server (a minute each), so the run is still
    downloading whenever the signal lands, however loaded the machine: it cannot finish first."""
    datatracker_env.latency(0.15, path=r"^/archive/")
    datatracker_env.latency(60.0, path=r"^/archive/.*-[1-3][0-9]\.txt$|^/rfc/")
    proc = subprocess.Popen([sys.executable, "-m", "draftscope", "fetch", TRANSPORT, "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                            preexec_fn=default_sigint)
    ids = datatracker_env.cache_dir / "id"
    deadline = time.monotonic() + 120          # an event (4 files), bounded only against a hang
    while time.monotonic() < deadline and len(list(ids.glob("*.txt")) if ids.is_dir() else []) < 4:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and err.strip().endswith("draftscope: interrupted")
    assert "Traceback" not in err

    kept = sorted(ids.iterdir())
    assert 4 <= len(kept) <= 10                 # 00..09: the held-back ones never arrived
    assert not [p for p in kept if not p.name.endswith(".txt")]       # no temp/partial files
    for path in kept:
        assert path.read_bytes() == (corpus_dir / TRANSPORT / path.name).read_bytes()

    datatracker_env.clear_faults()
    datatracker_env.clear_log()
    assert main(["fetch", TRANSPORT, "-q"]) == 0
    fetched = [r.path for r in datatracker_env.requests]
    assert len(fetched) == 36 - len(kept)                           # metadata cached, kept files skipped
    assert not set(fetched) & {f"/archive/id/{p.name}" for p in kept}
