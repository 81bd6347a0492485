"""Hardening (issue 12): a hostile server, hostile cache files, kill -9 and Ctrl-C.

Every case ends in one error line (exit 1 or 2, never 70) or a clean skip with one warning line,
within a bounded time, with nothing wrong cached, no temp file left and nothing touched outside
the cache. Caps are set small through the DRAFTSCOPE_* variables so bombs stay cheap.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hostileserver import (NAME, HostileServer, drip, endless_chunked, gzipped, json_body,
                           raw_json, respond, sequence, stall)

from draftscope.cli import main
from draftscope.fetch.cache import Cache, temp_prefix
from draftscope.fetch.config import Settings
from draftscope.fetch.session import fetch_lineage

TEXT01 = rf"/archive/id/{NAME}-01\.txt"
DOC = rf"/doc/{NAME}/doc\.json"
LABELS = [f"{NAME}-00.txt", f"{NAME}-01.txt"]


@pytest.fixture
def hostile(corpus_dir, tmp_path, monkeypatch):
    """A started HostileServer; DRAFTSCOPE_* point at it, the cache at tmp_path/cache, small
    caps (1 MiB) and a 15 s request deadline (the slow-drip cases lower it to 1 s). Stopped (and checked for leftovers) after the test."""
    server = HostileServer(corpus_dir, lifetime=90).start()
    env = {"DRAFTSCOPE_DATATRACKER_URL": server.datatracker_url,
           "DRAFTSCOPE_ARCHIVE_URL": server.archive_url, "DRAFTSCOPE_RFC_URL": server.rfc_url,
           "DRAFTSCOPE_CACHE": str(tmp_path / "cache"),
           "DRAFTSCOPE_MAX_TEXT_BYTES": str(1 << 20), "DRAFTSCOPE_MAX_DOC_BYTES": str(1 << 20),
           "DRAFTSCOPE_MAX_PAGE_BYTES": str(1 << 20), "DRAFTSCOPE_REQUEST_DEADLINE": "15"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    server.cache = tmp_path / "cache"
    server.env = env
    yield server
    server.stop()
    assert not [p for p in tmp_path.rglob("*.part") if "elsewhere" not in p.parts], "a temp file was left"


# A run that ends, however loaded the machine, ends long before this; one that hangs on the
# server (what these tests guard against) reaches it: 8 request deadlines of the fixture.
HANG_BOUND = 8 * 15


def cli(argv, capsys) -> tuple[int, str, str]:
    started = time.monotonic()
    code = main(list(argv) + ["--retries", "1"])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < HANG_BOUND
    return code, out, err


def one_error(code: int, err: str, *fragments: str) -> str:
    """The run failed with exit 1/2 and exactly one error line containing ``fragments``."""
    lines = [line for line in err.splitlines() if not line.startswith("draftscope: warning:")]
    assert code in (1, 2), err
    assert len(lines) == 1 and lines[0].startswith("draftscope: error: "), err
    assert "internal error" not in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def cached_texts(cache: Path) -> list[str]:
    folder = cache / "id"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def fast_settings(server, cache: Path, **overrides) -> Settings:
    values = dict(datatracker_url=server.datatracker_url, archive_url=server.archive_url,
                  rfc_url=server.rfc_url, cache_dir=cache, backoff_factor=0.01,
                  throttle_backoff=0.05, retries=2)
    return Settings(**{**values, **overrides})


# --------------------------------------------------------------------------- the honest baseline

def test_the_honest_lineage_is_fetched(hostile, capsys):
    code, _out, err = cli(["fetch", NAME], capsys)
    assert code == 0, err
    assert cached_texts(hostile.cache) == LABELS
    assert (hostile.cache / "id" / LABELS[1]).read_bytes() == hostile.revisions["01"]
    meta = json.loads((hostile.cache / "meta" / f"{NAME}.json").read_text())
    assert meta["files"][LABELS[1]]["size"] == len(hostile.revisions["01"]) == 19546


# --------------------------------------------------------------------------- bad text answers

def _half(server) -> bytes:
    return server.revisions["01"][: len(server.revisions["01"]) // 2]


TEXT_CASES = {
    "gzip bomb": (lambda s: gzipped(b"\0" * (16 << 20)), "expanding past the limit of 1048576"),
    "small gzip of NULs": (lambda s: gzipped(b"\0" * 200_000), "NUL bytes"),
    "truncated gzip": (lambda s: gzipped(s.revisions["01"], cut=2000), "gzip stream without its end"),
    "no length, closed early": (lambda s: respond(_half(s), length=False), "cut short: no length"),
    "short of Content-Length": (lambda s: respond(_half(s), headers={"Content-Length": "19546"}),
                                "got 9773 of 19546 bytes"),
    "HTML with 200": (lambda s: respond(b"<!DOCTYPE html>\n<html><body>Sorry</body></html>",
                                        "text/html"), "an HTML or XML page"),
    "empty 200": (lambda s: respond(b""), "(empty)"),
    "204": (lambda s: respond(b"", status=204, reason="No Content"), "HTTP 204 No Content"),
    "300 without Location": (lambda s: respond(b"pick one", status=300, reason="Multiple Choices"),
                             "HTTP 300 Multiple Choices (only 200 is an answer)"),
    "huge Content-Length": (lambda s: respond(b"x", headers={"Content-Length": str(10 ** 12)}),
                            "declares 1000000000000 bytes, more than the limit"),
    "endless chunked body": (lambda s: endless_chunked(), "body larger than the limit of 1048576"),
    "brotli": (lambda s: respond(b"\x8b\x02\x80", headers={"Content-Encoding": "br"}),
               "refusing a body in 'br' encoding"),
    "slow drip": (lambda s: drip(s.revisions["01"], 0.1), "no complete answer within the deadline"),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_a_bad_text_answer_is_one_error_and_never_cached(hostile, capsys, monkeypatch, case):
    handler, message = TEXT_CASES[case]
    if case == "slow drip":
        monkeypatch.setenv("DRAFTSCOPE_REQUEST_DEADLINE", "1")
    hostile.route(TEXT01, handler(hostile))
    code, _out, err = cli(["fetch", NAME], capsys)     # ends: bounded by HANG_BOUND
    one_error(code, err, f"1 of 2 downloads failed for {NAME}", f"{NAME}-01.txt", message)
    assert code == 1 and cached_texts(hostile.cache) == [LABELS[0]]     # the good one is kept


def test_cached_text_emptied_or_cut_is_refetched_online_and_named_offline(hostile, capsys):
    assert cli(["fetch", NAME], capsys)[0] == 0
    path = hostile.cache / "id" / LABELS[1]
    path.write_bytes(_half(hostile))          # cut by hand: the size recorded at fetch differs
    code, _out, err = cli(["fetch", NAME], capsys)
    assert code == 0 and f"cached {path} is damaged (9773 bytes, 19546 when it was fetched)" in err
    assert path.read_bytes() == hostile.revisions["01"]
    path.write_bytes(b"")
    code, out, err = cli(["fetch", NAME, "--offline"], capsys)
    assert f"cached {path} is damaged (0 bytes, 19546 when it was fetched): not counted" in err
    assert hostile.count(TEXT01) == 2
    code, _out, err = cli(["keywords", NAME, "--offline"], capsys)
    assert "not counted" in err and "internal error" not in err


# --------------------------------------------------------------------------- doc.json

DOC_CASES = {
    "slow drip": (lambda s: drip(json.dumps(s.doc_json()).encode(), 0.1),
                  "no complete answer within the deadline"),
    "nested 200k deep": (lambda s: raw_json("[" * 200_000 + "]" * 200_000), "JSON nested too deeply"),
    "refused (403)": (lambda s: respond(b"no", status=403, reason="Forbidden"), "HTTP 403 Forbidden"),
    "redirected off-host": (lambda s: respond(b"", status=302,
                                              headers={"Location": "http://example.invalid/x"}),
                            "refusing to contact example.invalid"),
    "redirected to a non-URL": (lambda s: respond(b"", status=301, headers={"Location": "http://[x"}),
                                "unusable answer (Invalid IPv6 URL)"),
    "huge": (lambda s: raw_json(" " * (2 << 20) + "{}"),
             "more than the limit of 1048576 (raise it with DRAFTSCOPE_MAX_DOC_BYTES)"),
    "huge, no length": (lambda s: raw_json(" " * (2 << 20) + "{}", length=False),
                        "body larger than the limit of 1048576"),
    "a list": (lambda s: json_body([1, 2]), "not a doc.json object"),
    "503, unreadable Retry-After": (lambda s: respond(b"busy", status=503, reason="Busy",
                                                      headers={"Retry-After": "soon-ish"}),
                                    "HTTP 503 Busy"),
}


@pytest.mark.parametrize("case", sorted(DOC_CASES))
def test_a_bad_doc_json_is_one_error_naming_it(hostile, capsys, monkeypatch, case):
    handler, message = DOC_CASES[case]
    if case == "slow drip":
        monkeypatch.setenv("DRAFTSCOPE_REQUEST_DEADLINE", "1")
    hostile.route(DOC, handler(hostile))
    code, _out, err = cli(["fetch", NAME], capsys)
    line = one_error(code, err, f"cannot resolve the lineage of {NAME}", message)
    assert "unknown document" not in line and "cannot reach" not in line
    assert cached_texts(hostile.cache) == [] and not (hostile.cache / "meta").exists()


def test_twenty_thousand_revisions_are_refused_after_one_request(hostile, capsys, monkeypatch):
    monkeypatch.setenv("DRAFTSCOPE_MAX_DOC_BYTES", str(4 << 20))
    entries = [{"name": NAME, "rev": f"{i % 100:02d}", "published": f"2018-01-01T00:00:{i % 60:02d}Z"}
               for i in range(20_000)]
    entries = [{**e, "name": f"draft-hostile-test-{i // 100}"} for i, e in enumerate(entries)]
    entries.append({"name": NAME, "rev": "00", "published": None})
    hostile.route(DOC, json_body(hostile.doc_json(entries)))
    code, _out, err = cli(["fetch", NAME], capsys)
    one_error(code, err, f"the lineage of {NAME} lists 20001 revisions, more than the limit of 2000",
              "DRAFTSCOPE_MAX_REVISIONS")
    assert len(hostile.requests) == 1 and cached_texts(hostile.cache) == []


def test_bad_server_names_and_values_are_skipped_with_one_warning(hostile, capsys):
    good = hostile.doc_json()["rev_history"]
    bad = ('{"name": "draft-evil-x\\n", "rev": "00"}, {"name": "draft-hostile-test", "rev": "\u0665\u0666"}, '
           '{"name": "draft-' + "a" * 300 + '", "rev": "00"}, {"name": "draft-\\ud800x", "rev": "00"}, '
           '{"name": ["draft-a"], "rev": "00"}, 5, {"name": "draft-hostile-test", "rev": "02", '
           '"published": "\\udc80"}')
    text = json.dumps({"name": NAME, "title": "lone \ud800 surrogate", "rev_history": good},
                      ensure_ascii=True)
    hostile.route(DOC, raw_json(text.replace('"rev_history": [', '"rev_history": [' + bad + ", ")))
    hostile.route(rf"/archive/id/{NAME}-02\.txt", respond(hostile.revisions["01"]))
    code, _out, err = cli(["fetch", NAME], capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and f"the lineage of {NAME}: skipped 6 entries" in warnings[0]
    assert "'draft-evil-x\\n-00'" in warnings[0] and "\n" not in warnings[0]
    assert cached_texts(hostile.cache) == [*LABELS, f"{NAME}-02.txt"]   # "\udc80": no date, kept
    meta = json.loads((hostile.cache / "meta" / f"{NAME}.json").read_text(encoding="utf-8"))
    assert meta["doc"]["title"] == "lone \ufffd surrogate"
    code, out, err = cli(["keywords", NAME, "--offline", "--format", "csv"], capsys)
    assert code == 0, err
    names = {row.split(",")[0] for row in out.splitlines()[1:]}
    assert names == {NAME}


# --------------------------------------------------------------------------- throttling

def test_429_with_an_http_date_in_minus_0000_is_waited_for(hostile, tmp_path):
    when = "Thu, 01 Jan 2026 00:00:00 -0000"      # in the past: wait the backoff, then retry
    hostile.route(DOC, sequence(respond(b"", status=429, headers={"Retry-After": when}),
                                json_body(hostile.doc_json())))
    revisions = fetch_lineage(NAME, settings=fast_settings(hostile, tmp_path / "c"), progress=False)
    assert [r.label for r in revisions] == [f"{NAME}-00", f"{NAME}-01"]
    assert hostile.count(DOC) == 2


def test_retry_after_parsing_never_mixes_naive_and_aware_times():
    from draftscope.fetch.http import retry_after_seconds

    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:10 -0000", now=now) == 10.0
    assert retry_after_seconds("Fri, 31 Dec 99999 23:59:59 GMT", now=now) is None
    assert retry_after_seconds("\u0665", now=now) is None


# --------------------------------------------------------------------------- /api/v1 listings

GROUP = r"/api/v1/group/group/"
DOCS = r"/api/v1/doc/document/\?"


def _group(server, pages) -> None:
    server.route(GROUP, json_body({"meta": {"total_count": 1, "next": None},
                                   "objects": [{"acronym": "hostile"}]}))
    server.route(DOCS, pages)


def endless_pages(total_count=None):
    state = {"n": 0}

    def handler(conn):
        state["n"] += 1
        meta = {"limit": 1, "next": f"/api/v1/doc/document/?group__acronym=hostile&offset={state['n']}"}
        if total_count is not None:
            meta["total_count"] = total_count
        json_body({"meta": meta, "objects": [{"name": f"{NAME}"}]})(conn)
    return handler


@pytest.mark.parametrize("total_count, env, pages", [(3, {}, 5), (None, {"DRAFTSCOPE_MAX_PAGES": "12"}, 12)])
def test_endless_pagination_stops(hostile, capsys, monkeypatch, total_count, env, pages):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _group(hostile, endless_pages(total_count))
    code, _out, err = cli(["fetch", "--group", "hostile"], capsys)
    one_error(code, err, f"stopped after {pages} pages")
    assert hostile.count(DOCS) == pages


@pytest.mark.parametrize("page, message", [
    ({"meta": {}, "objects": {"name": NAME}}, "not a tastypie list"),
    ({"meta": [1], "objects": []}, "not a tastypie list"),
    ({"meta": {"next": 7}, "objects": [{"name": NAME}]}, "meta.next is a int"),
    ({"meta": {"next": "/api/v1/doc/document/?x=1"}, "objects": []}, "an empty page that points to another"),
    ({"meta": {"next": "http://[x"}, "objects": [{"name": NAME}]}, "unusable URL from the server"),
])
def test_wrong_shaped_api_pages_are_one_error(hostile, capsys, page, message):
    _group(hostile, json_body(page))
    code, _out, err = cli(["fetch", "--group", "hostile"], capsys)
    one_error(code, err, message)


def test_bad_names_in_a_group_list_are_skipped(hostile, capsys):
    objects = ('[{"name": ["draft-a"]}, {"name": "draft-\\ud800"}, {"name": "draft-evil-x\\n"}, '
               '{"name": "draft-' + "b" * 300 + '"}, "draft-x", {"name": "draft-hostile-test"}]')
    _group(hostile, raw_json('{"meta": {"total_count": 6, "limit": 100, "next": null}, '
                             f'"objects": {objects}}}'))
    code, _out, err = cli(["fetch", "--group", "hostile"], capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "working group hostile: skipped 5 entries" in warnings[0]
    assert cached_texts(hostile.cache) == LABELS


# --------------------------------------------------------------------------- cached metadata

def _meta_path(server) -> Path:
    return server.cache / "meta" / f"{NAME}.json"


@pytest.mark.parametrize("change", ["wrong shape", "from the future", "nested", "not JSON"])
def test_untrustworthy_cached_meta_is_fetched_again(hostile, capsys, change):
    assert cli(["fetch", NAME], capsys)[0] == 0
    path = _meta_path(hostile)
    meta = json.loads(path.read_text())
    if change == "wrong shape":
        meta["doc"] = {"rev_history": []}
    elif change == "from the future":
        meta["fetched_at"] = "2999-01-01T00:00:00+00:00"
    path.write_text("[" * 100_000 if change == "nested" else
                    "{\"doc\": " if change == "not JSON" else json.dumps(meta))
    code, _out, err = cli(["fetch", NAME], capsys)
    assert code == 0, err
    assert hostile.count(DOC) == 2 and json.loads(path.read_text())["doc"]["rev_history"]


def test_a_nested_meta_of_another_draft_does_not_break_offline_reads(hostile, capsys):
    entries = hostile.doc_json()["rev_history"] + [
        {"name": "rfc9999", "rev": "rfc9999", "published": "2019-01-01T00:00:00+00:00"}]
    hostile.route(DOC, json_body(hostile.doc_json(entries)))
    hostile.route(r"/rfc/rfc9999\.txt", respond(hostile.revisions["01"]))
    assert cli(["fetch", NAME], capsys)[0] == 0
    (hostile.cache / "meta" / "draft-unrelated.json").write_text("[" * 200_000 + "]" * 200_000)
    (hostile.cache / "meta" / "draft-other.json").write_text('{"doc": {"rev_history": 5}}')
    code, out, err = cli(["keywords", "rfc9999", "--offline", "--format", "csv"], capsys)
    assert code == 0, err
    assert {row.split(",")[0] for row in out.splitlines()[1:]} == {"rfc9999"}


# --------------------------------------------------------------------------- cache safety

def test_a_symlinked_cache_area_is_neither_written_nor_swept(hostile, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = elsewhere / ".important.txt.part"
    dead = elsewhere / f".{NAME}-00.txt.{_dead_pid()}-{temp_prefix(Path('x')).split('-')[-1]}abc.part"
    for path in (old, dead):
        path.write_bytes(b"not ours to delete")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    hostile.cache.mkdir()
    (hostile.cache / "id").symlink_to(elsewhere, target_is_directory=True)
    code, _out, err = cli(["fetch", NAME], capsys)
    one_error(code, err, "refusing to write outside the cache")
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted([old.name, dead.name])


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_a_kill_9_leftover_is_removed_by_the_next_run_at_once(hostile, capsys, tmp_path):
    ids = hostile.cache / "id"
    ids.mkdir(parents=True)
    script = ("import os, signal, tempfile, sys; from pathlib import Path; "
              "from draftscope.fetch.cache import temp_prefix; "
              f"p = Path({str(ids / LABELS[0])!r}); "
              "fd, tmp = tempfile.mkstemp(prefix=temp_prefix(p), suffix='.part', dir=p.parent); "
              "os.write(fd, b'half a draft' * 100000); print(tmp, flush=True); "
              "os.kill(os.getpid(), signal.SIGKILL)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    leftover = Path(proc.stdout.strip())
    assert leftover.stat().st_size == 1_200_000
    foreign = ids / f".{LABELS[1]}.somebody-else.part"      # not our naming: kept for an hour
    foreign.write_bytes(b"x")
    assert cli(["fetch", NAME], capsys)[0] == 0
    assert not leftover.exists() and foreign.exists()
    foreign.unlink()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_cache_files_and_outputs_get_the_same_mode(hostile, capsys, tmp_path, umask):
    from draftscope.cli.common import write_file_atomically

    previous = os.umask(umask)
    try:
        assert cli(["fetch", NAME], capsys)[0] == 0
        write_file_atomically(tmp_path / "out" / "table.csv", "a,b\n")
    finally:
        os.umask(previous)
    modes = {p.stat().st_mode & 0o777 for p in [*hostile.cache.rglob("*.*"), tmp_path / "out" / "table.csv"]}
    assert modes == {0o666 & ~umask}


# --------------------------------------------------------------------------- Ctrl-C

def default_sigint() -> None:
    """Run in the child before exec: SIGINT back to its default (Python then turns it into
    KeyboardInterrupt). A runner started as a background job has SIGINT ignored, children
    inherit that, and the CLI would never see the signal this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stalled, waits_for", [("texts", 2), ("doc.json", 1)])
def test_ctrl_c_during_stalled_downloads_exits_130_at_once(hostile, tmp_path, stalled, waits_for):
    """SIGINT while every download is stalled mid-body (texts in worker threads, doc.json in
    the main thread): exit 130 at once (measured 0.1-0.2 s), not when the 60 s request
    deadline would have ended the stall: the bound is a quarter of it, so a loaded machine
    cannot fail the test while a run that waits for the deadline still does."""
    if stalled == "texts":
        for rev in ("00", "01"):
            hostile.route(rf"/archive/id/{NAME}-{rev}\.txt", stall(b"Network Working Group\n"))
        pattern = r"/archive/id/"
    else:
        hostile.route(DOC, stall(b'{"name": '))
        pattern = DOC
    env = {**os.environ, **hostile.env, "DRAFTSCOPE_REQUEST_DEADLINE": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "draftscope", "fetch", NAME, "--jobs", "4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_sigint)
    try:
        deadline = time.monotonic() + HANG_BOUND
        while hostile.count(pattern) < waits_for and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)                       # both downloads are now stalled mid-body
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=HANG_BOUND)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and err.strip().endswith("draftscope: interrupted"), err
    assert "Traceback" not in err
    assert took < 60 / 4, f"took {took:.2f} s to stop"
    assert cached_texts(hostile.cache) == []


# --------------------------------------------------------------------------- matplotlib

def test_matplotlib_writes_nothing_under_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME",
                                                            "XDG_CACHE_HOME")}
    script = ("import sys, draftscope.cli; assert 'matplotlib' not in sys.modules; "
              "from draftscope.plots.style import new_figure; fig, ax = new_figure(); "
              "ax.plot([1, 2]); fig.savefig(sys.argv[1]); import os; print(os.environ['MPLCONFIGDIR'])")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "f.png")], capture_output=True,
                          text=True, env={**env, "HOME": str(home)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert list(home.rglob("*")) == []
    assert Path(proc.stdout.strip()).parent == Path(tempfile.gettempdir())


# --------------------------------------------------------------------------- the text checks

def test_every_real_text_passes_the_checks_even_without_a_length(corpus_dir):
    """The checks refuse what a revision never is: none of the corpus' texts, however strict."""
    from draftscope.fetch.validate import cached_problem, text_problem

    files = sorted(p for p in corpus_dir.rglob("*") if p.suffix in (".txt", ".xml"))
    assert len(files) > 200
    refused = {p.name: text_problem(p.read_bytes(), p.suffix[1:], length_known=False)
               or cached_problem(p, p.suffix[1:]) for p in files}
    assert {name: why for name, why in refused.items() if why} == {}


def test_xml_that_does_not_parse_is_never_cached(hostile, corpus_dir, tmp_path):
    from draftscope.errors import FetchError

    good = (corpus_dir / "draft-ietf-quic-invariants" / "draft-ietf-quic-invariants-00.xml").read_bytes()
    hostile.route(rf"/archive/id/{NAME}-00\.xml", respond(good))
    hostile.route(rf"/archive/id/{NAME}-01\.xml", respond(good[: len(good) // 2]))
    with pytest.raises(FetchError, match=rf"{NAME}-01\.xml: not a revision text \(XML that does not parse"):
        fetch_lineage(NAME, settings=fast_settings(hostile, tmp_path / "c"), formats=("txt", "xml"),
                      progress=False)
    assert cached_texts(tmp_path / "c") == [f"{NAME}-00.txt", f"{NAME}-00.xml", f"{NAME}-01.txt"]


def test_an_interrupted_session_stays_usable(hostile, tmp_path):
    """KeyboardInterrupt in the caller's thread (a notebook's interrupt) while texts download:
    the downloads stop, nothing half-written stays, and the same client fetches afterwards."""
    from draftscope.fetch.http import HttpClient
    from draftscope.fetch.session import sync_lineage

    for rev in ("00", "01"):
        hostile.route(rf"/archive/id/{NAME}-{rev}\.txt", sequence(stall(b"Network"), respond(hostile.revisions[rev])))

    class Bar:                      # a shared bar whose first count is the interrupt
        total = 0

        def update(self, n=1):
            if n:
                raise KeyboardInterrupt

    settings = fast_settings(hostile, tmp_path / "c", request_deadline=30.0)
    with HttpClient(settings) as client:
        started = time.monotonic()
        hostile.route(rf"/archive/id/{NAME}-00\.txt", respond(hostile.revisions["00"]))
        with pytest.raises(KeyboardInterrupt):
            sync_lineage(NAME, settings=settings, client=client, progress=Bar(), jobs=2)
        # stopped by the interrupt, not by the 30 s deadline the stalled download would reach
        assert time.monotonic() - started < 30 / 2 and not client.cancelled
        assert cached_texts(tmp_path / "c") == [LABELS[0]]
        result = sync_lineage(NAME, settings=settings, client=client, progress=False)
    assert result.fetched == 1 and cached_texts(tmp_path / "c") == LABELS
