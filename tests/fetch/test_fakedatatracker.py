"""The test server itself: it must serve the corpus in the datatracker's layout, faithfully."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def test_doc_json_lists_lineage_with_rfc_last(datatracker):
    status, body, headers = get(datatracker.datatracker_url + "/doc/draft-ietf-quic-transport/doc.json")
    doc = json.loads(body)
    history = doc["rev_history"]
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [(e["name"], e["rev"]) for e in history[:2]] == [
        ("draft-ietf-quic-transport", "00"), ("draft-ietf-quic-transport", "01")]
    assert history[0]["published"] == "2016-11-29T00:02:39+00:00"   # tag 2016-11-29T11:02:39+11:00
    assert history[-1] == {"name": "rfc9000", "rev": "rfc9000",
                           "published": "2021-05-01T00:00:00+00:00", "url": "/doc/rfc9000/"}
    assert len(history) == 36 and doc["rev"] == "34" and doc["group"]["acronym"] == "quic"


def test_declared_replaces_and_phantom_revisions(make_datatracker):
    server = make_datatracker(
        phantom_revisions={"draft-hamilton-quic-transport-protocol": {"01": "2016-07-08T00:00:00+00:00"}},
        replaces={"draft-ietf-quic-transport": ["draft-hamilton-quic-transport-protocol"]})
    doc = json.loads(get(server.datatracker_url + "/doc/rfc9000/doc.json")[1])
    assert [e["name"] + "-" + e["rev"] for e in doc["rev_history"][:2]] == [
        "draft-hamilton-quic-transport-protocol-01", "draft-ietf-quic-transport-00"]
    assert len(doc["rev_history"]) == 37
    status, body, headers = get(server.archive_url + "/draft-hamilton-quic-transport-protocol-01.txt")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"Not Found" in body


def test_tastypie_pagination(datatracker):
    url = datatracker.datatracker_url + "/api/v1/doc/document/?group__acronym=quic&type=draft&order_by=id&limit=4"
    page = json.loads(get(url)[1])
    assert page["meta"] == {"limit": 4, "offset": 0, "total_count": 6, "previous": None,
                            "next": "/api/v1/doc/document/?group__acronym=quic&type=draft&order_by=id&limit=4&offset=4"}
    last = json.loads(get(datatracker.datatracker_url + page["meta"]["next"])[1])
    assert last["meta"]["next"] is None
    names = [o["name"] for o in page["objects"] + last["objects"]]
    assert names == ["draft-ietf-quic-applicability", "draft-ietf-quic-invariants",
                     "draft-ietf-quic-qpack", "draft-ietf-quic-recovery", "draft-ietf-quic-tls",
                     "draft-ietf-quic-transport"]
    capped = json.loads(get(datatracker.datatracker_url + "/api/v1/doc/document/?limit=5000")[1])
    assert capped["meta"]["limit"] == 1000


def test_archive_bytes_and_faults(datatracker, corpus_dir):
    expected = (corpus_dir / "draft-ietf-quic-transport" / "draft-ietf-quic-transport-27.txt").read_bytes()
    url = datatracker.archive_url + "/draft-ietf-quic-transport-27.txt"
    assert get(url)[1] == expected
    datatracker.fail("429", times=1, retry_after=0)
    status, _, headers = get(url)
    assert status == 429 and headers["Retry-After"] == "0"
    datatracker.fail("truncate", times=1, path=r"-27\.txt")
    with pytest.raises(Exception):
        get(url)
    assert get(url)[1] == expected
    assert [r.status for r in datatracker.requests] == [200, 429, 200, 200]
    assert datatracker.count("-27.txt") == 4


def test_standalone_prints_exports(corpus_dir):
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parents[1] / "fakedatatracker.py"), "--corpus", str(corpus_dir),
                             "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        assert [line.split("=")[0] for line in lines] == [
            "export DRAFTSCOPE_DATATRACKER_URL", "export DRAFTSCOPE_ARCHIVE_URL", "export DRAFTSCOPE_RFC_URL"]
        rfc_url = lines[2].split("=", 1)[1]
        assert get(rfc_url + "/rfc9000.txt")[1] == (corpus_dir / "rfc" / "rfc9000.txt").read_bytes()
    finally:
        proc.terminate()
        proc.wait(timeout=5)
