"""fetch_lineage against the fake datatracker: requests counted, bytes compared with the corpus."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from draftscope.errors import FetchError, OfflineMissingError, UnknownDocumentError
from draftscope.fetch.cache import Cache
from draftscope.fetch.config import Settings
from draftscope.fetch.http import HttpClient
from draftscope.fetch.session import fetch_lineage, sync_lineage

TRANSPORT = "draft-ietf-quic-transport"
TRANSPORT_LABELS = [f"{TRANSPORT}-{i:02d}" for i in range(35)] + ["rfc9000"]


def fast_settings(server, cache_dir: Path, **overrides) -> Settings:
    """Settings pointing at the fake server, with backoffs short enough for tests."""
    values = dict(datatracker_url=server.datatracker_url, archive_url=server.archive_url,
                  rfc_url=server.rfc_url, cache_dir=cache_dir, backoff_factor=0.01,
                  throttle_backoff=0.05, retries=3)
    values.update(overrides)
    return Settings(**values)


def corpus_file(corpus_dir: Path, name: str, rev: str, fmt: str = "txt") -> Path:
    if name.startswith("rfc"):
        return corpus_dir / "rfc" / f"{name}.{fmt}"
    return corpus_dir / name / f"{name}-{rev}.{fmt}"


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_cold_fetch_of_transport_lineage(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    revisions = fetch_lineage(TRANSPORT, settings=settings)

    assert [r.label for r in revisions] == TRANSPORT_LABELS
    files = len(revisions)
    assert files == 36
    # F files cost F + 1 requests: one doc.json, then one GET per text, no /api/v1 at all
    assert len(datatracker.requests) == files + 1 <= files + 2
    assert datatracker.count("/doc/draft-ietf-quic-transport/doc.json") == 1
    assert datatracker.count("/api/v1/") == 0
    for revision in revisions:
        assert revision.path.read_bytes() == corpus_file(corpus_dir, revision.name, revision.rev).read_bytes()
    assert revisions[0].path == tmp_path / "cache" / "id" / "draft-ietf-quic-transport-00.txt"
    assert revisions[-1].path == tmp_path / "cache" / "rfc" / "rfc9000.txt"
    # dates: MANIFEST tag 2016-11-29T11:02:39+11:00 for -00; RFC 9000 is dated "May 2021"
    assert revisions[0].date == datetime(2016, 11, 29, 0, 2, 39, tzinfo=timezone.utc)
    assert revisions[27].date == datetime(2020, 2, 21, 14, 11, 33, tzinfo=timezone.utc)
    assert revisions[-1].date == datetime(2021, 5, 1, tzinfo=timezone.utc) and revisions[-1].is_rfc
    assert {r.headers["User-Agent"] for r in datatracker.requests} == {settings.user_agent}
    assert settings.user_agent.startswith("draftscope/0.1.0")
    meta = json.loads((tmp_path / "cache" / "meta" / f"{TRANSPORT}.json").read_text())
    assert meta["source"] == "doc.json" and len(meta["doc"]["rev_history"]) == 36
    assert not [p for p in all_files(tmp_path) if p.name.endswith(".part")]


def test_warm_rerun_makes_no_request_and_metadata_expires_after_a_day(datatracker, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    first = fetch_lineage(TRANSPORT, settings=settings)
    datatracker.clear_log()

    assert fetch_lineage(TRANSPORT, settings=settings) == first
    assert datatracker.requests == []

    fetch_lineage(TRANSPORT, settings=settings, refresh=True)   # metadata only: texts are immutable
    assert [r.path for r in datatracker.requests] == [f"/doc/{TRANSPORT}/doc.json"]

    meta_path = tmp_path / "cache" / "meta" / f"{TRANSPORT}.json"
    meta = json.loads(meta_path.read_text())
    meta["fetched_at"] = (datetime.now(timezone.utc) - timedelta(hours=25)).isoformat()
    meta_path.write_text(json.dumps(meta))
    datatracker.clear_log()
    fetch_lineage(TRANSPORT, settings=settings)
    assert [r.path for r in datatracker.requests] == [f"/doc/{TRANSPORT}/doc.json"]


def test_texts_download_in_parallel_api_calls_do_not(datatracker, tmp_path):
    datatracker.latency(0.1)   # long enough that 4 workers overlap even on a loaded machine
    for jobs in (1, 4):
        datatracker.clear_log()
        settings = fast_settings(datatracker, tmp_path / f"cache{jobs}")
        fetch_lineage("draft-ietf-quic-invariants", settings=settings, jobs=jobs)
        assert len(datatracker.requests) == 16 and datatracker.max_in_flight == jobs
    datatracker.clear_log()
    with HttpClient(fast_settings(datatracker, tmp_path)) as client:
        from draftscope.fetch.datatracker import list_group_documents
        list_group_documents("quic", page_size=1, client=client)
    assert len(datatracker.requests) == 7 and datatracker.max_in_flight == 1


def test_xml_is_fetched_where_the_archive_has_it(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    result = sync_lineage(TRANSPORT, settings=settings, formats=("txt", "xml"), progress=False)
    xml = [r for r in result.revisions if r.format == "xml"]
    assert len(xml) == 35 and all(not r.is_rfc for r in xml)      # rfc9000.xml: 404, normal
    assert xml[5].path.read_bytes() == corpus_file(corpus_dir, TRANSPORT, "05", "xml").read_bytes()
    assert result.missing == [] and result.fetched == 71 and result.requests == 73
    datatracker.clear_log()
    again = sync_lineage(TRANSPORT, settings=settings, formats=("txt", "xml"), progress=False)
    assert again.revisions == result.revisions and datatracker.requests == []   # the 404 is remembered


def test_429_retry_after_is_honoured_including_zero(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache", throttle_backoff=0.25)
    sleeps: list[float] = []
    datatracker.fail("429", times=1, path=r"^/doc/", retry_after=2)
    datatracker.fail("429", times=2, path=r"rfc9000\.txt", retry_after=0)
    with HttpClient(settings, sleep=sleeps.append) as client:
        revisions = sync_lineage(TRANSPORT, settings=settings, client=client).revisions
    # 2 s as asked; Retry-After: 0 still backs off, doubling from throttle_backoff
    assert sleeps == [2.0, 0.25, 0.5]
    assert datatracker.count("doc.json") == 2 and datatracker.count("/rfc/rfc9000.txt") == 3
    assert [r.status for r in datatracker.requests if r.path == "/rfc/rfc9000.txt"] == [429, 429, 200]
    assert revisions[-1].path.read_bytes() == (corpus_dir / "rfc" / "rfc9000.txt").read_bytes()


def test_429_asking_too_long_a_wait_gives_up_with_one_line(datatracker, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache", max_wait=30)
    datatracker.fail("429", times=None, path=r"-07\.txt", retry_after=3600)
    with pytest.raises(FetchError) as info:
        fetch_lineage(TRANSPORT, settings=settings)
    message = str(info.value)
    assert "\n" not in message and "429" in message and "draft-ietf-quic-transport-07.txt" in message
    assert datatracker.count("-07.txt") == 1          # no sleeping for an hour
    cached = {p.name for p in (tmp_path / "cache" / "id").iterdir()}
    assert len(cached) == 34 and "draft-ietf-quic-transport-07.txt" not in cached   # the rest is kept


def test_503_and_dropped_connections_are_retried(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    datatracker.fail("503", times=2, path=r"-12\.txt")
    datatracker.fail("drop", times=1, path=r"-13\.txt")
    revisions = fetch_lineage(TRANSPORT, settings=settings, jobs=1)
    assert [r.status for r in datatracker.requests if r.path.endswith("-12.txt")] == [503, 503, 200]
    assert [r.status for r in datatracker.requests if r.path.endswith("-13.txt")] == [0, 200]
    assert len(datatracker.requests) == 37 + 3
    for rev in ("12", "13"):
        assert revisions[int(rev)].path.read_bytes() == corpus_file(corpus_dir, TRANSPORT, rev).read_bytes()


def test_truncated_body_is_retried_and_never_cached(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    datatracker.fail("truncate", times=2, path=r"-20\.txt")
    revisions = fetch_lineage(TRANSPORT, settings=settings)
    assert datatracker.count("-20.txt") == 3
    assert revisions[20].path.read_bytes() == corpus_file(corpus_dir, TRANSPORT, "20").read_bytes()

    cache = tmp_path / "cache2"
    datatracker.fail("truncate", times=None, path=r"-21\.txt")
    with pytest.raises(FetchError, match=r"1 of 36 downloads failed.*-21\.txt.*cut short"):
        fetch_lineage(TRANSPORT, settings=fast_settings(datatracker, cache))
    assert not (cache / "id" / "draft-ietf-quic-transport-21.txt").exists()
    assert not [p for p in all_files(cache) if p.name.endswith(".part")]
    assert len(list((cache / "id").iterdir())) == 34 and (cache / "rfc" / "rfc9000.txt").is_file()


def test_offline_makes_no_request_and_names_missing_revisions(datatracker, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    with pytest.raises(OfflineMissingError, match="offline: nothing cached for draft-ietf-quic-transport"):
        fetch_lineage(TRANSPORT, settings=settings, offline=True)
    fetch_lineage(TRANSPORT, settings=settings)
    (tmp_path / "cache" / "id" / "draft-ietf-quic-transport-03.txt").unlink()
    (tmp_path / "cache" / "rfc" / "rfc9000.txt").unlink()
    datatracker.clear_log()

    result = sync_lineage(TRANSPORT, settings=settings, offline=True, progress=False)
    assert datatracker.requests == []
    assert result.missing == ["draft-ietf-quic-transport-03.txt", "rfc9000.txt"]
    assert [r.label for r in result.revisions if r.path is None] == ["draft-ietf-quic-transport-03", "rfc9000"]
    assert len(result.revisions) == 36 and result.cached == 34


def test_stale_temp_files_of_a_killed_run_are_swept(datatracker, tmp_path):
    ids = tmp_path / "cache" / "id"
    ids.mkdir(parents=True)
    old = ids / ".draft-ietf-quic-transport-05.txt.x1y2.part"
    recent = ids / ".draft-ietf-quic-transport-06.txt.z3.part"
    old.write_bytes(b"half a dr")
    recent.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    revisions = fetch_lineage(TRANSPORT, settings=fast_settings(datatracker, tmp_path / "cache"))
    assert not old.exists() and recent.exists()      # a concurrent run may still own a recent one
    assert revisions[5].path.stat().st_size == 183057   # wc -c of the corpus file


def test_offline_mirror_without_metadata(datatracker, corpus_dir, tmp_path):
    """An rsync mirror has id/ and rfc/ but no meta/: offline still finds the revisions."""
    mirror = tmp_path / "mirror"
    (mirror / "id").mkdir(parents=True)
    for rev in ("02", "10"):
        src = corpus_file(corpus_dir, "draft-ietf-quic-invariants", rev)
        (mirror / "id" / src.name).write_bytes(src.read_bytes())
    revisions = fetch_lineage("draft-ietf-quic-invariants", settings=fast_settings(datatracker, mirror),
                              offline=True)
    assert [(r.rev, r.date) for r in revisions] == [("02", None), ("10", None)]
    assert datatracker.requests == []


def test_offline_uses_a_lineage_cached_under_another_name(datatracker, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    online = fetch_lineage("rfc9002", settings=settings)
    datatracker.clear_log()
    offline = fetch_lineage("draft-ietf-quic-recovery", settings=settings, offline=True)
    assert offline == online and len(offline) == 36 and offline[0].date is not None
    assert datatracker.requests == []


def test_unknown_document_is_one_request_and_one_line(datatracker, tmp_path):
    with pytest.raises(UnknownDocumentError) as info:
        fetch_lineage("draft-nobody-no-such-thing", settings=fast_settings(datatracker, tmp_path / "c"))
    assert str(info.value) == ("unknown document draft-nobody-no-such-thing: "
                               "the datatracker has no such draft or RFC")
    assert len(datatracker.requests) == 1
    assert not (tmp_path / "c").exists()


def test_doc_json_failure_falls_back_to_the_api(datatracker, corpus_dir, tmp_path):
    settings = fast_settings(datatracker, tmp_path / "cache")
    datatracker.fail("503", times=None, path=r"doc\.json")
    revisions = fetch_lineage("rfc9000", settings=settings)
    assert [r.label for r in revisions] == TRANSPORT_LABELS
    assert revisions[0].date == datetime(2016, 11, 29, 0, 2, 39, tzinfo=timezone.utc)
    assert datatracker.count("/api/v1/doc/newrevisiondocevent/") == 1
    assert datatracker.count("/api/v1/doc/relateddocument/") >= 3
    meta = json.loads((tmp_path / "cache" / "meta" / "rfc9000.json").read_text())
    assert meta["source"] == "api"
    assert revisions[10].path.read_bytes() == corpus_file(corpus_dir, TRANSPORT, "10").read_bytes()


def test_declared_replaces_orders_lineage_with_rfc_last(make_datatracker, corpus_dir, tmp_path):
    server = make_datatracker(replaces={"draft-ietf-quic-applicability": ["draft-banks-quic-performance"]})
    settings = fast_settings(server, tmp_path / "cache")
    for entry_point in ("draft-banks-quic-performance", "draft-ietf-quic-applicability", "rfc9308"):
        revisions = fetch_lineage(entry_point, settings=settings)
        assert [(r.label, r.date.date().isoformat()) for r in revisions] == [
            ("draft-banks-quic-performance-00", "2020-12-23"),
            ("draft-ietf-quic-applicability-16", "2022-04-06"),
            ("rfc9308", "2022-09-01")]
    assert revisions[0].path.read_bytes() == corpus_file(
        corpus_dir, "draft-banks-quic-performance", "00").read_bytes()
    assert server.count("/archive/") + server.count("/rfc/") == 3     # files fetched once for all three


def test_phantom_predecessor_is_listed_first_and_reported_missing(make_datatracker, tmp_path):
    hamilton = "draft-hamilton-quic-transport-protocol"
    server = make_datatracker(
        phantom_revisions={hamilton: {"00": "2016-07-08T12:00:00+00:00", "01": "2016-10-31T12:00:00+00:00"}},
        replaces={TRANSPORT: [hamilton]})
    result = sync_lineage("rfc9000", settings=fast_settings(server, tmp_path / "cache"), progress=False)
    labels = [r.label for r in result.revisions]
    assert labels == [f"{hamilton}-00", f"{hamilton}-01"] + TRANSPORT_LABELS
    assert result.missing == [f"{hamilton}-00.txt", f"{hamilton}-01.txt"]
    assert result.revisions[0].path is None and result.fetched == 36
    assert len(server.requests) == 1 + 38


def test_progress_bar_describes_the_work(datatracker, tmp_path, capsys):
    settings = fast_settings(datatracker, tmp_path / "cache")
    fetch_lineage("draft-ietf-quic-invariants", settings=settings, progress=True)
    err = capsys.readouterr().err
    assert "draft-ietf-quic-invariants: 15 revisions, 0 cached, 15 to fetch" in err
    fetch_lineage("draft-ietf-quic-invariants", settings=settings, progress=False)
    assert capsys.readouterr().err == ""


def test_requests_only_go_to_the_configured_hosts(tmp_path):
    settings = Settings(datatracker_url="http://127.0.0.1:9", cache_dir=tmp_path)
    client = HttpClient(settings)
    with pytest.raises(FetchError, match="refusing to contact example.org"):
        client.get("http://example.org/archive/id/draft-x-00.txt")
    assert client.requests == 0


def test_cache_paths_stay_inside_the_cache(tmp_path):
    cache = Cache(tmp_path / "c")
    assert cache.text_path("draft-a-b", "03", "txt") == tmp_path / "c" / "id" / "draft-a-b-03.txt"
    assert cache.text_path("rfc9000", "rfc9000", "txt") == tmp_path / "c" / "rfc" / "rfc9000.txt"
    for bad in (("../../x", "00", "txt"), ("draft-a", "../0", "txt"), ("draft-a", "00", "sh")):
        with pytest.raises(Exception):
            cache.text_path(*bad)
    assert not (tmp_path / "c").exists()


def test_retry_after_parsing_and_throttle_waits():
    from draftscope.fetch.http import retry_after_seconds, throttle_wait

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert [throttle_wait(0.0, attempt, 2.0) for attempt in range(4)] == [2.0, 4.0, 8.0, 16.0]
    assert throttle_wait(None, 1, 2.0) == 4.0 and throttle_wait(5.0, 3, 2.0) == 5.0


def test_unsafe_names_from_the_server_are_skipped():
    from draftscope.fetch.datatracker import lineage_from_doc_json

    doc = {"rev_history": [
        {"name": "draft-a-b", "rev": "01", "published": "2020-02-01T00:00:00+00:00"},
        {"name": "../../etc/passwd", "rev": "00", "published": "2019-01-01T00:00:00+00:00"},
        {"name": "draft-a-b", "rev": "../x", "published": "2019-01-01T00:00:00+00:00"},
        {"name": "rfc9999", "rev": "rfc9999", "published": "2019-06-01 10:00:00"},
        {"name": "draft-a-b", "rev": "00", "published": "2020-01-01T00:00:00.123456+00:00"},
        {"name": "draft-a-b", "rev": "00", "published": "2021-01-01T00:00:00+00:00"},
    ]}
    assert [(e.label, e.date.isoformat()) for e in lineage_from_doc_json(doc)] == [
        ("draft-a-b-00", "2020-01-01T00:00:00.123456+00:00"),
        ("draft-a-b-01", "2020-02-01T00:00:00+00:00"),
        ("rfc9999", "2019-06-01T10:00:00+00:00")]


def test_unreachable_datatracker(make_datatracker, tmp_path):
    server = make_datatracker()
    settings = fast_settings(server, tmp_path / "cache", retries=1)
    first = fetch_lineage("draft-ietf-quic-invariants", settings=settings)
    server.stop()
    meta_path = tmp_path / "cache" / "meta" / "draft-ietf-quic-invariants.json"
    meta = json.loads(meta_path.read_text())
    meta["fetched_at"] = "2020-01-01T00:00:00+00:00"
    meta_path.write_text(json.dumps(meta))
    # stale metadata beats no metadata when the datatracker cannot be reached
    assert fetch_lineage("draft-ietf-quic-invariants", settings=settings) == first
    with pytest.raises(FetchError) as info:
        fetch_lineage("draft-ietf-quic-tls", settings=settings)
    assert str(info.value).startswith(
        f"cannot reach the datatracker for draft-ietf-quic-tls: {server.url}/doc/draft-ietf-quic-tls/doc.json: ")
    assert "Connection refused" in str(info.value) and "\n" not in str(info.value)
