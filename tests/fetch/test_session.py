"""One fetch Session per command: every request goes through its one HttpClient, so the count a
command prints, or the session's ``requests``, is exactly what the server logged.

Each command runs on a fresh cache against the fake datatracker (tests/fakedatatracker.py) while
every HttpClient ever constructed is recorded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import draftscope
from draftscope.cli import main
from draftscope.fetch.http import HttpClient
from draftscope.fetch.session import Session

INV = "draft-ietf-quic-invariants"       # 14 drafts (00..13) + RFC 8999
QPACK = "draft-ietf-quic-qpack"          # 22 drafts (00..21) + RFC 9204
PACKAGE = Path(draftscope.__file__).parent


@pytest.fixture
def clients(monkeypatch):
    """Every HttpClient constructed while the test runs."""
    made: list[HttpClient] = []
    original = HttpClient.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(HttpClient, "__init__", recording_init)
    return made


def _printed_requests(err: str) -> int:
    [count] = re.findall(r"^(\d+) requests?$", err, flags=re.M)
    return int(count)


# fetch prints its count: it must be the server's, for lineages and single revisions alike
@pytest.mark.parametrize("argv, expected", [
    (["fetch", INV], 1 + 15),                 # doc.json + 14 drafts + RFC 8999
    (["fetch", f"{INV}-05"], 2),              # doc.json (for the date) + the one text
    (["fetch", "rfc8999"], 1 + 15),           # an RFC stands for its whole lineage
    # the draft's doc.json once for both revisions, then the RFC's lineage (its own doc.json)
    (["fetch", f"{INV}-05", f"{INV}-06", "rfc8999"], 1 + 2 + 1 + 13),
    (["fetch", "--group", "quic", f"{INV}-05"], None),
])
def test_fetch_prints_what_the_server_saw(datatracker_env, clients, capsys, argv, expected):
    assert main(argv) == 0
    printed = _printed_requests(capsys.readouterr().err)
    assert printed == datatracker_env.count() == sum(c.requests for c in clients)
    assert len(clients) == 1
    if expected is not None:
        assert printed == expected
    datatracker_env.clear_log()
    assert main(argv) == 0                    # warm: nothing asked again, and it says so
    assert _printed_requests(capsys.readouterr().err) == datatracker_env.count() == 0


# the other commands print no count: one client, and it made every request the server logged
@pytest.mark.parametrize("argv", [
    ["keywords", INV],
    ["keywords", f"{INV}-05", f"{INV}-07"],
    ["keywords", "rfc8999"],
    ["definitions", f"{INV}-05"],
    ["diff", f"{INV}-05", f"{INV}-06"],
    ["history", INV],
    ["plot", INV, QPACK, "--out", "<out>"],
    ["plot-definitions", INV, "--out", "<out>"],
    ["compare", INV, QPACK, "--out", "<out>", "--workers", "1", "--no-definitions"],
    ["group", "quic"],
], ids=lambda argv: " ".join(argv[:2]))
def test_every_command_makes_its_requests_through_one_client(datatracker_env, clients, capsys,
                                                             tmp_path, argv):
    argv = [str(tmp_path / "out") if a == "<out>" else a for a in argv]
    assert main(argv + ["-q"]) == 0, capsys.readouterr().err
    assert datatracker_env.count() > 0
    assert len(clients) == 1
    assert clients[0].requests == datatracker_env.count()


def test_diff_asks_for_the_lineage_once(datatracker_env, clients, capsys):
    assert main(["diff", f"{INV}-05", f"{INV}-06", "-q"]) == 0
    assert datatracker_env.count("doc.json") == 1 and datatracker_env.count("/archive/") == 2


# the library: a session counts what its verbs asked for, whatever the mix
def test_a_session_counts_every_request_of_its_verbs(datatracker_env, clients):
    with Session(jobs=3) as session:
        assert session.client is not None and session.requests == 0
        assert len(session.revision(f"{QPACK}-03")) == 1
        assert session.requests == datatracker_env.count() == 2
        result = session.lineage(INV)
        assert result.requests == 1 + 15 and result.fetched == 15
        drafts = session.group("quic")
        assert any(d["name"] == INV for d in drafts)
        lineages = session.lineages([f"{INV}-03", "rfc8999", QPACK])   # INV and rfc8999: one
        assert list(lineages) == [INV, QPACK]
        assert [len(v) for v in lineages.values()] == [15, 23] and lineages.missing == {
            INV: [], QPACK: []}
        assert session.requests == datatracker_env.count()
    assert len(clients) == 1


def test_the_free_functions_count_like_a_session(datatracker_env, clients):
    result = draftscope.sync_lineage(INV)
    assert result.requests == datatracker_env.count() == 16
    [revision] = draftscope.resolve_target(f"{QPACK}-07")
    assert revision.path.is_file() and datatracker_env.count() == 16 + 2
    assert len(clients) == 2                 # one session, one client, per call


def test_offline_session_has_no_client(datatracker_env, clients):
    draftscope.fetch_lineage(INV, progress=False)
    datatracker_env.clear_log()
    with Session(offline=True) as session:
        assert session.client is None
        assert [r.label for r in session.resolve(INV)][-1] == "rfc8999"
        [missing] = session.resolve(f"{QPACK}-03")
        assert missing.path is None and session.requests == 0
    assert datatracker_env.count() == 0 and len(clients) == 1    # the online fetch's only


def test_a_lent_client_is_used_and_left_open(datatracker_env, clients):
    settings = draftscope.Settings.from_env()
    with HttpClient(settings) as client:
        with Session(client=client) as session:
            session.revision(f"{INV}-02")
        session.revision(f"{INV}-03")              # still open: the session did not close it
        assert client.requests == datatracker_env.count() == 3
    assert len(clients) == 1


# analysing a revision for a comparison reads its file once
def test_analyse_revision_reads_the_file_once(datatracker_env, monkeypatch):
    from draftscope.analyses import keyword_scan
    from draftscope.fetch import cache
    from draftscope.tables.compare import analyse_revision

    [revision] = draftscope.resolve_target(f"{INV}-05")
    expected = {row["keyword"]: row["count"] for row in draftscope.keyword_records([revision])}
    reads: list[Path] = []
    original = cache.open_regular        # how the text stage opens a file (FIFOs refused)

    def counting_open(path):
        reads.append(Path(path))
        return original(path)

    monkeypatch.setattr(cache, "open_regular", counting_open)
    monkeypatch.setattr(keyword_scan, "count_file", lambda *a, **k: pytest.fail("read again"))
    analysis = analyse_revision((revision, True))
    assert reads == [revision.path]
    counts = dict(analysis.counts)
    assert counts == expected and counts["MUST"] > 0 and analysis.definitions


# one progress helper
def test_tqdm_is_imported_by_the_progress_helper_only():
    users = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                   if re.search(r"^\s*(from tqdm|import tqdm)", path.read_text(), flags=re.M))
    assert users == ["progress.py"]


def test_a_revision_the_lineage_never_had_is_named_as_such(datatracker_env, capsys):
    # draft-...-99 read "not available from the archive" online and "drop --offline to fetch it"
    # offline: the lineage's revisions are known, so say which they are
    inv = "draft-ietf-quic-invariants"
    expected = (f"draftscope: error: {inv}-99: no such revision ({inv} has revisions 00..13)\n")
    assert main(["definitions", f"{inv}-99", "-q"]) == 1
    assert capsys.readouterr().err == expected
    assert main(["keywords", f"{inv}-99", "--offline"]) == 1       # from the cached metadata
    assert capsys.readouterr().err == expected
    assert main(["keywords", f"{inv}-05", "--offline"]) == 1       # listed, not fetched: as before
    assert "no such revision" not in capsys.readouterr().err
    assert main(["fetch", f"{inv}-05", "-q"]) == 0
    capsys.readouterr()
    assert main(["keywords", f"{inv}-05", "--offline", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(f"{inv},05,")
