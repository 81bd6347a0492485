"""Bad input across every command: one ``draftscope: error:`` line, a non-zero exit, no traceback,
and never a partial file in the cache.

Runs ``draftscope.cli.main`` against the fake datatracker (tests/fakedatatracker.py) with faults
switched on, and against real corpus drafts re-encoded, truncated or replaced by junk.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from draftscope.cli import build_parser, main

INV = "draft-ietf-quic-invariants"
QPACK = "draft-ietf-quic-qpack"
OUT = "<out>"   # replaced by a tmp folder

# every command that goes online, with arguments that would succeed against the fake datatracker
ONLINE = {
    "fetch": ["fetch", INV],
    "keywords": ["keywords", INV],
    "definitions": ["definitions", f"{INV}-05"],
    "diff": ["diff", f"{INV}-05", f"{INV}-06"],
    "history": ["history", INV],
    "plot": ["plot", INV, "--out", OUT],
    "plot-definitions": ["plot-definitions", INV, "--out", OUT],
    "compare": ["compare", INV, QPACK, "--out", OUT, "--workers", "1"],
    "group": ["group", "quic"],
}


def run(capsys, argv, tmp_path=None) -> tuple[int, str, str]:
    if tmp_path is not None:
        argv = [str(tmp_path / "out") if a == OUT else a for a in argv]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str, message: str | None = None, status: int | None = None) -> str:
    """The single stderr line of a failed command (asserting there is exactly one)."""
    assert code != 0 and (status is None or code == status), (code, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("draftscope: error: "), err
    if message is not None:
        assert message in lines[0], lines[0]
    return lines[0]


def leftovers(cache: Path) -> list[str]:
    """Temp or hidden files (a download that did not finish) anywhere in the cache."""
    if not cache.exists():
        return []
    return sorted(p.name for p in cache.rglob("*")
                  if p.name.startswith(".") or p.name.endswith(".part"))


def texts(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.txt")) + sorted(cache.rglob("*.xml")) if cache.exists() else []


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def same_as_corpus(paths: list[Path], corpus_dir: Path) -> bool:
    by_name = {p.name: p for p in corpus_dir.rglob("*.txt")}
    return all(p.read_bytes() == by_name[p.name].read_bytes() for p in paths)


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize("command", list(ONLINE))
def test_unknown_draft_is_one_line(datatracker_env, capsys, tmp_path, command):
    argv = [a.replace(INV, "draft-nobody-nothing-here") for a in ONLINE[command]]
    if command == "group":
        argv = ["group", "nosuchwg"]
    code, out, err = run(capsys, argv + ["-q"], tmp_path)
    expected = ("unknown working group 'nosuchwg': the datatracker has no group with that acronym"
                if command == "group" else
                "unknown document draft-nobody-nothing-here: the datatracker has no such draft or RFC")
    assert one_error_line(code, err, status=1) == f"draftscope: error: {expected}"
    assert out == "" and leftovers(datatracker_env.cache_dir) == []
    assert texts(datatracker_env.cache_dir) == []
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [c for c in ONLINE if c != "group"])
def test_invalid_name_is_refused_before_any_io(datatracker_env, capsys, tmp_path, monkeypatch,
                                               command):
    monkeypatch.chdir(tmp_path)
    argv = [a.replace(f"{INV}-05", "../../x").replace(INV, "../../x") for a in ONLINE[command]]
    code, out, err = run(capsys, argv, tmp_path)
    one_error_line(code, err, "invalid document name '../../x': expected draft-NAME, "
                              "draft-NAME-NN or rfcNNNN", status=2)
    assert datatracker_env.requests == [] and not datatracker_env.cache_dir.exists()


@pytest.mark.parametrize("name", ["draft-ietf-quic-transport/../../etc", "draft-Ietf quic",
                                  "%2e%2e%2fpasswd", "rfc0", "draft-", "draft_quic", "draft-x--y"])
def test_odd_names(datatracker_env, capsys, name):
    code, _, err = run(capsys, ["keywords", name])
    one_error_line(code, err, f"invalid document name {name!r}", status=2)
    assert datatracker_env.requests == []


def test_bad_group_acronym(datatracker_env, capsys, tmp_path):
    code, _, err = run(capsys, ["compare", "--group", "../x", "--out", str(tmp_path)])
    one_error_line(code, err, "invalid working group acronym '../x'", status=2)
    assert datatracker_env.requests == []


# --------------------------------------------------------------------------- network failures

@pytest.mark.parametrize("command", list(ONLINE))
def test_unreachable_host_from_the_url_options(datatracker_env, capsys, tmp_path, command):
    """The URL options beat $DRAFTSCOPE_*_URL on every command: pointed at a closed port, the
    command fails at once (one retry, no backoff) and the fake datatracker sees nothing."""
    dead = f"http://127.0.0.1:{closed_port()}"
    argv = ONLINE[command] + ["--datatracker-url", dead, "--archive-url", f"{dead}/archive/id",
                              "--rfc-url", f"{dead}/rfc", "--retries", "1", "-q"]
    code, out, err = run(capsys, argv, tmp_path)
    line = one_error_line(code, err, "Connection refused", status=1)
    assert f"{dead}/" in line
    if command != "group":
        assert "cannot reach the datatracker" in line
    assert datatracker_env.requests == [] and out == ""
    assert texts(datatracker_env.cache_dir) == [] and leftovers(datatracker_env.cache_dir) == []


def test_url_options_reach_a_working_datatracker(datatracker_env, capsys, monkeypatch):
    """...and pointed at a live service while the environment points at a dead one, they work."""
    dead = f"http://127.0.0.1:{closed_port()}"
    for var in ("DRAFTSCOPE_DATATRACKER_URL", "DRAFTSCOPE_ARCHIVE_URL", "DRAFTSCOPE_RFC_URL"):
        monkeypatch.setenv(var, dead)
    fake = datatracker_env
    code, out, err = run(capsys, ["keywords", "rfc8999", "--format", "csv", "-q",
                                  "--datatracker-url", fake.datatracker_url,
                                  "--archive-url", fake.archive_url, "--rfc-url", fake.rfc_url])
    assert code == 0, err
    counts = {r["keyword"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    # RFC 8999: MUST on lines 291, 297, 306, 308 and 342; the 11 of the boilerplate apart
    assert counts["MUST"] == 5 and sum(counts.values()) == 5
    assert fake.count("/rfc/rfc8999.txt") == 1


@pytest.mark.parametrize("command", list(ONLINE))
def test_throttled_forever(datatracker_env, capsys, tmp_path, command):
    datatracker_env.fail("429", times=None, retry_after="0")
    code, out, err = run(capsys, ONLINE[command] + ["--retries", "0", "-q"], tmp_path)
    one_error_line(code, err, "is throttling requests (HTTP 429 1 time, Retry-After: 0, 0 s "
                   "waited); try again later", status=1)
    assert datatracker_env.requests and {r.status for r in datatracker_env.requests} == {429}
    assert texts(datatracker_env.cache_dir) == [] and leftovers(datatracker_env.cache_dir) == []


@pytest.mark.parametrize(("command", "target"), [
    ("keywords", f"/doc/{INV}/doc.json"), ("diff", f"/doc/{INV}/doc.json"),
    ("group", "/api/v1/group/group/?format=json&acronym=quic")])
def test_connection_dropped_forever(datatracker_env, capsys, tmp_path, command, target):
    datatracker_env.fail("drop", times=None)
    code, out, err = run(capsys, ONLINE[command] + ["--retries", "1", "-q"], tmp_path)
    one_error_line(code, err, "Remote end closed connection without response", status=1)
    assert "Connection aborted" not in err   # the innermost reason, not urllib3's tuple repr
    assert [r.target for r in datatracker_env.requests] == [target, target]   # --retries 1
    assert texts(datatracker_env.cache_dir) == [] and leftovers(datatracker_env.cache_dir) == []


def test_retries_option_sets_the_attempts_per_request(datatracker_env, capsys):
    datatracker_env.fail("truncate", times=None, path=r"^/rfc/rfc8999\.txt$")
    for retries, attempts in (("0", 1), ("1", 2)):
        datatracker_env.clear_log()
        code, _, err = run(capsys, ["fetch", "rfc8999", "--retries", retries, "-q"])
        one_error_line(code, err, f"rfc8999.txt: body cut short {attempts} times", status=1)
        assert datatracker_env.count("/rfc/rfc8999.txt") == attempts
    cache = datatracker_env.cache_dir
    assert not (cache / "rfc" / "rfc8999.txt").exists() and leftovers(cache) == []


def test_truncated_single_revision_leaves_nothing(datatracker_env, capsys):
    datatracker_env.fail("truncate", times=None, path=rf"^/archive/id/{INV}-05\.txt$")
    code, out, err = run(capsys, ["definitions", f"{INV}-05", "--retries", "1", "-q"])
    one_error_line(code, err, f"1 of 1 downloads failed for {INV}-05 (0 fetched and kept; rerun "
                              f"to retry): {datatracker_env.archive_url}/{INV}-05.txt: body cut "
                              "short 2 times", status=1)
    cache = datatracker_env.cache_dir
    assert texts(cache) == [] and leftovers(cache) == []
    assert (cache / "meta" / f"{INV}.json").is_file()      # the revision list is complete and kept


def test_truncated_lineage_keeps_complete_files_and_resumes(datatracker_env, capsys, corpus_dir):
    datatracker_env.fail("truncate", times=None, path=rf"^/archive/id/{INV}-(04|11)\.txt$")
    code, out, err = run(capsys, ["fetch", INV, "--retries", "1", "-q"])
    line = one_error_line(code, err, status=1)
    assert line.startswith(f"draftscope: error: 2 of 15 downloads failed for {INV} "
                           "(13 fetched and kept; rerun to retry): ")
    cache = datatracker_env.cache_dir
    kept = texts(cache)
    assert len(kept) == 13 and leftovers(cache) == [] and same_as_corpus(kept, corpus_dir)
    assert {p.name for p in kept}.isdisjoint({f"{INV}-04.txt", f"{INV}-11.txt"})

    datatracker_env.clear_faults()
    datatracker_env.clear_log()
    assert run(capsys, ["fetch", INV, "-q"])[0] == 0
    assert sorted(r.path for r in datatracker_env.requests) == [
        f"/archive/id/{INV}-04.txt", f"/archive/id/{INV}-11.txt"]
    assert len(texts(cache)) == 15 and same_as_corpus(texts(cache), corpus_dir)


def test_figures_names_each_lineage_it_could_not_fetch(datatracker_env, capsys, tmp_path):
    """figures is a batch: one error line per figure not made (the others would be written)."""
    dead = f"http://127.0.0.1:{closed_port()}"
    code, out, err = run(capsys, ["figures", "--out", str(tmp_path), "--datatracker-url", dead,
                                  "--retries", "0", "-q"])
    lines = err.splitlines()
    assert code == 1 and out == "" and "Traceback" not in err and len(lines) == 4
    stems = ["draft-ietf-mptcp-multiaddressed_keywords", "draft-ietf-mptcp-rfc6824bis_keywords",
             "draft-ietf-quic-transport_keywords", "epiq18_quic_transport_keywords"]
    for line, stem in zip(lines, stems):
        lineage = stem.removesuffix("_keywords").replace("epiq18_quic_transport",
                                                         "draft-ietf-quic-transport")
        assert line.startswith(f"draftscope: error: {stem} not written: cannot reach the "
                               f"datatracker for {lineage}: ")
        assert "Connection refused" in line
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- --offline, empty cache

OFFLINE_MESSAGES = {
    "fetch": f"offline: nothing cached for {INV} (no ",
    "keywords": f"offline: nothing cached for {INV} (no ",
    "definitions": f"{INV}-05: not in the cache (drop --offline to fetch it)",
    "diff": f"{INV}-05: not in the cache (drop --offline to fetch it)",
    "history": f"offline: nothing cached for {INV} (no ",
    "plot": f"offline: nothing cached for {INV} (no ",
    "plot-definitions": f"offline: nothing cached for {INV} (no ",
    "compare": f"offline: nothing cached for {INV} (no ",
    "group": "offline: the drafts of quic are not cached; run 'draftscope fetch --group quic' "
             "online first",
}


@pytest.mark.parametrize("command", list(ONLINE))
def test_offline_with_an_empty_cache(datatracker_env, capsys, tmp_path, command):
    code, out, err = run(capsys, ONLINE[command] + ["--offline"], tmp_path)
    one_error_line(code, err, OFFLINE_MESSAGES[command], status=1)
    assert datatracker_env.requests == [] and texts(datatracker_env.cache_dir) == []


def test_offline_rfc_not_cached(datatracker_env, capsys):
    code, _, err = run(capsys, ["keywords", "rfc8999", "--offline"])
    one_error_line(code, err, "not in the cache: rfc8999.txt (drop --offline to fetch them)")
    assert datatracker_env.requests == []


# --------------------------------------------------------------------------- local files

@pytest.fixture
def invariants_13(corpus_dir) -> str:
    """draft-ietf-quic-invariants-13 (pure ASCII) with typographic characters that every encoding
    spells differently: curly apostrophes, an o-umlaut, curly quotes in the BCP 14 boilerplate."""
    text = (corpus_dir / INV / f"{INV}-13.txt").read_text(encoding="utf-8")
    assert text.isascii()
    edited = text
    for plain, fancy in (("Trust's", "Trust\u2019s"), ("Author's", "Author\u2019s"),
                         ("Martin Thomson", "Martin Th\u00f6mson"), ('"MUST"', "\u201cMUST\u201d")):
        assert plain in edited
        edited = edited.replace(plain, fancy)
    return edited


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_count_and_extract_the_same(invariants_13, tmp_path, capsys, encoding):
    """MUST on lines 361, 367, 376, 378 and 419; the boilerplate (line 132) lists all 11 phrases."""
    path = tmp_path / encoding / f"{INV}-13.txt"
    path.parent.mkdir()
    path.write_bytes(invariants_13.encode(encoding))
    for extra, expected in (([], {"MUST": 5}),
                            (["--include-boilerplate"], {"MUST": 6, "MUST NOT": 1, "REQUIRED": 1,
                                                         "SHALL": 1, "SHALL NOT": 1, "SHOULD": 1,
                                                         "SHOULD NOT": 1, "RECOMMENDED": 1,
                                                         "NOT RECOMMENDED": 1, "MAY": 1,
                                                         "OPTIONAL": 1})):
        code, out, err = run(capsys, ["keywords", str(path), "--format", "json", *extra])
        assert code == 0, err
        rows = json.loads(out)
        assert {(r["name"], r["rev"]) for r in rows} == {(INV, "13")}
        assert {r["keyword"]: r["count"] for r in rows if r["count"]} == expected
    code, out, err = run(capsys, ["definitions", str(path), "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert doc["document"] == f"{INV}-13"
    # section 4's "Example Structure" is a notation example, left out of the definitions
    assert [d["name"] for d in doc["definitions"]] == [
        "Long Header Packet", "Short Header Packet", "Version Negotiation Packet"]


@pytest.mark.parametrize("command", ["keywords", "definitions", "diff", "history"])
@pytest.mark.parametrize(("content", "message"), [
    (b"\0" * 4096, "is not a text file (NUL bytes: binary, or UTF-16 without a byte-order mark)"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8, "is not a text file"),
    (b"", "is empty: no document to read"),
    (b"\n\n  \f\n", "is empty: no document to read"),
])
def test_junk_local_files(tmp_path, capsys, corpus_dir, command, content, message):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(content)
    good = str(corpus_dir / INV / f"{INV}-13.txt")
    argv = [command, good, str(junk)] if command == "diff" else [command, str(junk)]
    code, out, err = run(capsys, argv)
    one_error_line(code, err, f"{junk} {message}", status=1)
    assert out == ""


@pytest.fixture
def broken_xml(corpus_dir, tmp_path) -> Path:
    """The first 9000 bytes of a real RFC XML draft: cut off inside a section."""
    path = tmp_path / f"{INV}-13.xml"
    path.write_bytes((corpus_dir / INV / f"{INV}-13.xml").read_bytes()[:9000])
    return path


@pytest.mark.parametrize("command", ["keywords", "definitions", "diff", "history"])
def test_malformed_xml(broken_xml, capsys, corpus_dir, command):
    good = str(corpus_dir / INV / f"{INV}-12.xml")
    argv = [command, good, str(broken_xml)] if command == "diff" else [command, str(broken_xml)]
    code, out, err = run(capsys, argv)
    one_error_line(code, err, f"{broken_xml}: not well-formed XML (Premature end of data",
                   status=1)


@pytest.mark.parametrize(("content", "message"), [
    (b"<html><body>MUST</body></html>", "not RFC XML (root element is <html>, expected <rfc>)"),
    (b"\0" * 300, "is not a text file"),
    ("<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>"
     + "".join(f"<!ENTITY {n} '{('&' + p + ';') * 10}'>" for p, n in zip("abcdefg", "bcdefgh"))
     + "]><rfc><middle><section><t>&h;</t></section></middle></rfc>", "not well-formed XML"),
])
def test_other_bad_xml(tmp_path, capsys, content, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, _, err = run(capsys, ["keywords", str(path)])
    one_error_line(code, err, message, status=1)


def test_external_entities_are_never_read(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("MUST MUST MUST")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rfc [<!ENTITY e SYSTEM "file://{secret}">]>'
                    '<rfc><middle><section title="S"><t>&e; MAY</t></section></middle></rfc>')
    code, out, err = run(capsys, ["keywords", str(path), "--format", "csv"])
    assert code == 0, err
    counts = {r["keyword"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    assert (counts["MAY"], counts["MUST"]) == (1, 0)


@pytest.mark.parametrize("command", ["keywords", "definitions", "diff", "history"])
def test_nonexistent_local_file(tmp_path, capsys, corpus_dir, command):
    missing = tmp_path / "nowhere" / f"{INV}-99.txt"
    argv = [command, str(missing), str(corpus_dir / INV / f"{INV}-13.txt")][:3 if command == "diff" else 2]
    code, _, err = run(capsys, argv)
    assert one_error_line(code, err, status=1) == f"draftscope: error: no such file: {missing}"


@pytest.mark.parametrize("command", ["keywords", "definitions", "diff", "history"])
@pytest.mark.parametrize("folder_name", ["drafts.txt", "drafts"])
def test_directory_as_target(tmp_path, capsys, command, folder_name):
    folder = tmp_path / folder_name
    folder.mkdir()
    argv = [command, str(folder), str(folder)][:3 if command == "diff" else 2]
    code, _, err = run(capsys, argv)
    one_error_line(code, err, f"{folder} is a directory; give a .txt or .xml file", status=2)


def test_file_of_another_kind(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("MUST")
    code, _, err = run(capsys, ["keywords", str(notes)])
    one_error_line(code, err, f"{notes}: only .txt and .xml files can be read", status=2)


@pytest.mark.parametrize("command", ["plot", "plot-definitions", "compare", "figures"])
def test_out_under_a_file_fails_before_any_request(datatracker_env, capsys, tmp_path, command):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    argv = [a for a in ONLINE.get(command, ["figures"]) if a not in ("--out", OUT)]
    code, _, err = run(capsys, argv + ["--out", str(blocker / "figs")])
    one_error_line(code, err, f"cannot write into --out {blocker / 'figs'}: {blocker} is not a "
                              "folder", status=1)
    assert datatracker_env.requests == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a Linux /proc")
@pytest.mark.parametrize("argv", [["story", INV, "--definition", "."],
                                  ["plot-definitions", INV], ["plot", INV]])
def test_out_where_no_folder_can_be_made_fails_before_any_request(datatracker_env, capsys, argv):
    """/proc passes every permission check (as root) yet refuses mkdir: the folder is made up
    front, so the refusal comes before the analysis, in --out's words."""
    code, _, err = run(capsys, argv + ["--out", "/proc/nope"])
    one_error_line(code, err, "cannot write into --out /proc/nope: no such file or directory",
                   status=1)
    assert datatracker_env.requests == []


def test_out_probe_leaves_no_folder(tmp_path):
    from draftscope.cli.common import check_output_dir

    out = tmp_path / "a" / "b"
    assert check_output_dir(out) == out and not (tmp_path / "a").exists()
    out.mkdir(parents=True)
    assert check_output_dir(out) == out and out.is_dir()   # an existing folder stays


@pytest.mark.parametrize(("extra", "message"), [
    ([INV, "--compare"], "--compare needs at least two NAMEs (different drafts)"),
    ([INV, INV, "--compare"], "--compare needs at least two NAMEs (different drafts)"),
    ([INV, "draft-ietf-quic-qpack", "--compare", "--mark", "05=x"],
     "--mark cannot be combined with --compare"),
])
def test_plot_compare_options_fail_before_any_request(datatracker_env, capsys, tmp_path, extra,
                                                      message):
    code, _, err = run(capsys, ["plot", *extra, "--out", str(tmp_path)])
    one_error_line(code, err, f"draftscope: error: {message}", status=2)
    assert datatracker_env.requests == []


def test_plot_definitions_of_a_lineage_without_any(datatracker_env, capsys, tmp_path):
    """draft-ietf-quic-applicability-16 and RFC 9308 (the corpus's whole lineage) draw no packet
    format: nothing to plot is one line naming the draft, and no file is written."""
    code, out, err = run(capsys, ["plot-definitions", "draft-ietf-quic-applicability", "--out",
                                  str(tmp_path / "figs"), "-q"])
    assert out == ""
    one_error_line(code, err, "draftscope: error: draft-ietf-quic-applicability: no protocol "
                              "definitions in any of its 2 revisions, nothing to draw", status=1)
    assert not (tmp_path / "figs").exists()


def test_cache_dir_that_is_a_file(datatracker_env, capsys, tmp_path):
    blocker = tmp_path / "cache-file"
    blocker.write_text("")
    code, _, err = run(capsys, ["fetch", "rfc8999", "--cache-dir", str(blocker)])
    one_error_line(code, err, f"cache folder {blocker} cannot be created: {blocker} is a file",
                   status=2)
    assert datatracker_env.requests == []


@pytest.mark.parametrize("url", ["ftp://example.org", "not a url", "http://", "https://x/?q=1"])
def test_bad_base_url(datatracker_env, capsys, url):
    code, _, err = run(capsys, ["keywords", "rfc8999", "--rfc-url", url])
    one_error_line(code, err, "DRAFTSCOPE_RFC_URL/rfc_url must be an http(s) URL", status=2)
    assert datatracker_env.requests == []


# --------------------------------------------------------------------------- options

@pytest.mark.parametrize(("argv", "message"), [
    (["keywords"], "keywords: the following arguments are required: TARGET "
                   "(see 'draftscope keywords --help')"),
    (["keywords", "rfc8999", "--format", "xls"], "keywords: argument --format: invalid choice: 'xls'"),
    (["fetch", "rfc8999", "--retries", "-1"], "fetch: argument --retries: must be 0 or more, got -1"),
    (["fetch", "rfc8999", "--retries", "lots"], "fetch: argument --retries: expected a whole number"),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
    (["diff", "rfc8999"], "diff: the following arguments are required: B"),
    (["history", INV, "--definition", "("], "history: argument --definition: '(' is not a valid regular expression"),
    (["history", INV, "--workers", "0"], "history: argument --workers: must be at least 1, got 0"),
    (["history", INV, "--changes-only"], "--changes-only applies to --format csv or json"),
    (["keywords", INV, "--workers", "0"], "keywords: argument --workers: must be at least 1, got 0"),
    (["keywords", INV, "--jobs", "0"], "keywords: argument --jobs: must be at least 1, got 0"),
    (["compare", INV, QPACK, "--jobs", "0"], "compare: argument --jobs: must be at least 1, got 0"),
    (["group", "quic", "--page-size", "0"], "--page-size must be at least 1, got 0"),
    (["fetch", "--group", "quic", "--page-size", "-5"], "--page-size must be at least 1, got -5"),
    (["plot", INV, "--keywords", "MUSTARD"], "--keywords: unknown phrase(s) MUSTARD"),
])
def test_bad_options_are_one_line(datatracker_env, capsys, argv, message):
    code, out, err = run(capsys, argv)
    one_error_line(code, err, message, status=2)
    assert out == "" and datatracker_env.requests == []


def test_no_traceback_through_the_real_entry_point(tmp_path):
    junk = tmp_path / "draft-x-y-00.txt"
    junk.write_bytes(b"\0" * 100)
    proc = subprocess.run([sys.executable, "-m", "draftscope", "definitions", str(junk)],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (f"draftscope: error: {junk} is not a text file (NUL bytes: binary, "
                           "or UTF-16 without a byte-order mark)\n")


# --------------------------------------------------------------------------- --help

COMMANDS = ["fetch", "keywords", "definitions", "diff", "history", "plot", "plot-definitions",
            "figures", "group", "compare"]


def _help(command: str, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "100")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return sub.format_help()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_examples_and_the_shared_options(command, monkeypatch):
    text = _help(command, monkeypatch)
    assert f"usage: draftscope {command} " in text
    examples = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert examples and all(line.startswith(f"  draftscope {command}") for line in examples)
    section = re.search(r"\ncache and network:\n(.*?)(\n\n|\Z)", text, re.S).group(1)
    reference = re.search(r"\ncache and network:\n(.*?)(\n\n|\Z)", _help("fetch", monkeypatch),
                          re.S).group(1)
    # the same options with the same help text everywhere (columns differ with the longest option)
    assert section.split() == reference.split()
    for option in ("--cache-dir DIR", "--offline", "--refresh", "--datatracker-url URL",
                   "--archive-url URL", "--rfc-url URL", "--retries N", "-q, --quiet"):
        assert option in section
    assert "(default: $DRAFTSCOPE_CACHE or ./cache)" in section
    assert "https://www.ietf.org/archive/id)" in section


@pytest.mark.parametrize("command", COMMANDS)
def test_help_states_defaults_of_choices(command, monkeypatch):
    """Every option with choices says which one is the default."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    for action in sub._actions:
        if action.choices and action.default is not None:
            assert f"(default: {action.default})" in " ".join(action.help.split()), action.dest


# --------------------------------------------------------------------------- a damaged cache, bugs

@pytest.mark.parametrize(("meta", "offline"), [
    ('{"name": "draft-ietf-quic-invariants", "fetched_at": "2020-01', 14),    # cut short
    ('[1, 2]', 14),                                                          # not an object
    ('{"name": "draft-ietf-quic-invariants", "fetched_at": "2020-01-01T00:00:00+00:00", '
     '"source": "doc.json", "doc": {"rev_history": 5}}', 14),                # wrong shape
])
def test_damaged_cached_metadata(datatracker_env, capsys, meta, offline):
    """Offline, an unreadable revision list, or one of the wrong shape, falls back to the
    draft's cached files (-00..-13, the RFC is known only from the list): no traceback. Online,
    the list is fetched again and all 15 revisions are back."""
    assert run(capsys, ["fetch", INV, "-q"])[0] == 0
    (datatracker_env.cache_dir / "meta" / f"{INV}.json").write_text(meta)
    datatracker_env.clear_log()
    code, out, err = run(capsys, ["history", INV, "--offline", "--format", "json"])
    if isinstance(offline, int):
        assert code == 0, err
        assert json.loads(out)["revisions"] == [f"{INV}-{n:02d}" for n in range(offline)]
    else:
        one_error_line(code, err, offline, status=1)
    assert datatracker_env.requests == []
    code, out, err = run(capsys, ["history", INV, "--format", "json", "-q"])
    assert code == 0, err
    assert json.loads(out)["revisions"][-1] == "rfc8999"
    assert len(json.loads(out)["revisions"]) == 15 and datatracker_env.count("doc.json") == 1


def test_a_bug_is_one_line_naming_where(capsys, monkeypatch, tmp_path):
    import draftscope.cli.keywords as keywords_cli

    def broken(args):
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr(keywords_cli, "resolve_targets", broken)
    monkeypatch.delenv("DRAFTSCOPE_DEBUG", raising=False)
    code, out, err = run(capsys, ["keywords", "rfc8999"])
    line = one_error_line(code, err, status=70)
    assert line == ("draftscope: error: internal error: TypeError: 'int' object is not iterable "
                    "(at test_cli_errors.py:%d; rerun with DRAFTSCOPE_DEBUG=1 for the traceback)"
                    % (broken.__code__.co_firstlineno + 1))
    monkeypatch.setenv("DRAFTSCOPE_DEBUG", "1")
    with pytest.raises(TypeError):
        main(["keywords", "rfc8999"])


def test_help_defaults_are_the_settings_defaults():
    from draftscope.cli.common import DEFAULT_RETRIES, ENVIRONMENT_HELP
    from draftscope.fetch import config

    assert config.Settings().retries == DEFAULT_RETRIES
    lines = ENVIRONMENT_HELP.splitlines()
    for var, default in (("DRAFTSCOPE_CACHE", f"./{config.DEFAULT_CACHE_DIR})"),
                         ("DRAFTSCOPE_DATATRACKER_URL", config.DEFAULT_DATATRACKER_URL),
                         ("DRAFTSCOPE_ARCHIVE_URL", config.DEFAULT_ARCHIVE_URL),
                         ("DRAFTSCOPE_RFC_URL", config.DEFAULT_RFC_URL)):
        assert any(line.split()[0] == var and line.endswith(f"default {default}") for line in lines)


def test_figure_option_defaults_are_the_library_values():
    from draftscope.cli.common import FIGURE_KEYWORDS, NORMALIZATIONS
    from draftscope.plots.style import EPIQ_KEYWORDS
    from draftscope.tables import keywords

    assert FIGURE_KEYWORDS.split(",") == list(EPIQ_KEYWORDS)
    assert NORMALIZATIONS == tuple(keywords.NORMALIZATIONS)


def test_start_up_imports_nothing_heavy():
    """`draftscope --help` and argument errors never load the HTTP or data stack."""
    code = ("import sys\nfrom draftscope.cli import main\n"
            "for argv in (['--help'], ['keywords', '--format', 'xls', 'x']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "heavy = ('pandas', 'numpy', 'matplotlib', 'seaborn', 'lxml', 'requests', 'urllib3',"
            " 'tqdm')\n"
            "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr.splitlines()[-1] == "[]", proc.stderr
