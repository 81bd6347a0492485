"""A server that trickles, stalls, pages for ever or throttles for ever is given up on in time
(issue 20, item 8): a minimum transfer rate over a window (curl's --speed-limit/--speed-time)
ends a trickle while a slow but moving download goes on; a page cap fit for a real working
group; a bounded wait on HTTP 429 with one line saying who throttles, and no fallback to the
same throttled host. Time is compared with what the server would have taken, never with a
wall-clock constant."""

from __future__ import annotations

import time

import pytest

from hostileserver import NAME, HostileServer, drip, json_body, respond, stall
from draftscope.cli import main
from draftscope.errors import FetchError, ThrottledError
from draftscope.fetch.config import Settings
from draftscope.fetch.http import HttpClient, _SpeedLimit
from draftscope.fetch.session import fetch_lineage

TEXT01 = rf"/archive/id/{NAME}-01\.txt"
DOC = rf"/doc/{NAME}/doc\.json"


@pytest.fixture
def server(corpus_dir):
    hostile = HostileServer(corpus_dir, lifetime=90).start()
    yield hostile
    hostile.stop()


def settings(server, tmp_path, **overrides) -> Settings:
    values = dict(datatracker_url=server.datatracker_url, archive_url=server.archive_url,
                  rfc_url=server.rfc_url, cache_dir=tmp_path / "cache", retries=1,
                  backoff_factor=0.01, throttle_backoff=0.05)
    return Settings(**{**values, **overrides})


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("rate, fails_at", [(1, 30.0), (512, 30.0), (0.2, 30.0)])
def test_a_trickle_fails_after_the_window(rate, fails_at):
    """One byte a second (and 512 B/s, half the limit) fail when the 30 s window is full."""
    clock = Clock()
    limit = _SpeedLimit(1024.0, 30.0, clock)
    received = 0
    while clock.now < 600:
        clock.now += 1.0 if rate >= 1 else 1 / rate
        received += max(int(rate), 1)
        if limit.too_slow(received):
            break
    assert clock.now == pytest.approx(fails_at, abs=5.0 if rate < 1 else 0.0)


def test_a_slow_moving_download_and_a_burst_after_a_pause_go_on():
    clock = Clock()
    limit = _SpeedLimit(1024.0, 30.0, clock)
    received = 0
    for _second in range(600):            # 2 KB/s for ten minutes: slow, but moving
        clock.now += 1.0
        received += 2048
        assert not limit.too_slow(received)
    clock.now += 20.0                     # a 20 s pause, then the rest at once: within 30 s
    received += 200_000
    assert not limit.too_slow(received)


def _fetch_seconds(server, tmp_path, **overrides) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        fetch_lineage(NAME, settings=settings(server, tmp_path, **overrides), progress=False)
    except FetchError as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


def test_a_trickling_body_is_given_up_on_a_moving_one_is_not(server, tmp_path):
    body = server.revisions["01"]                      # 19546 bytes
    server.route(TEXT01, drip(body, 0.05, step=10))    # 200 B/s: the whole body would take 98 s
    took, error = _fetch_seconds(server, tmp_path, low_speed_limit=1000.0, low_speed_time=1.5)
    assert error is not None and "slower than 1000 bytes/s over 1.5 s" in str(error), error
    # given up long before the body's end (and before the server's own 20 s cut-off: what is
    # left of a body given up on is never drained)
    assert took < 98 / 8
    server.route(TEXT01, drip(body, 0.05, step=2000))  # 40 KB/s: a slow network, moving
    took, error = _fetch_seconds(server, tmp_path / "2", low_speed_limit=1000.0,
                                 low_speed_time=1.5)
    assert error is None
    assert (tmp_path / "2" / "cache" / "id" / f"{NAME}-01.txt").read_bytes() == body


def test_a_stalled_body_fails_after_the_window_not_the_deadline(server, tmp_path):
    server.route(TEXT01, stall(b"Network Working Group\n"))
    took, error = _fetch_seconds(server, tmp_path, low_speed_time=1.0, request_deadline=60.0)
    assert error is not None and "no byte for 1 s after 22 bytes (stalled)" in str(error), error
    assert took < 60 / 4                               # the window, not the 60 s deadline


def test_endless_pagination_stops_at_a_working_groups_size(server, tmp_path, monkeypatch, capsys):
    state = {"n": 0}

    def endless(conn):
        state["n"] += 1
        nxt = f"/api/v1/doc/document/?group__acronym=hostile&offset={state['n']}"
        json_body({"meta": {"limit": 100, "next": nxt}, "objects": [{"name": NAME}]})(conn)

    server.route(r"/api/v1/group/group/", json_body({"meta": {"total_count": 1, "next": None},
                                                     "objects": [{"acronym": "hostile"}]}))
    server.route(r"/api/v1/doc/document/", endless)
    for key, value in {"DRAFTSCOPE_DATATRACKER_URL": server.datatracker_url,
                       "DRAFTSCOPE_ARCHIVE_URL": server.archive_url,
                       "DRAFTSCOPE_RFC_URL": server.rfc_url,
                       "DRAFTSCOPE_CACHE": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(key, value)
    assert main(["fetch", "--group", "hostile", "--retries", "0", "-q"]) == 1
    err = capsys.readouterr().err
    assert "stopped after 50 pages" in err and err.count("\n") == 1, err
    assert server.count(r"/api/v1/doc/document/") == 50          # was 1000
    assert Settings().max_pages == 50


PAST = "Mon, 01 Jan 2001 00:00:00 GMT"


def test_endless_429_with_a_retry_after_in_the_past_is_given_up_within_the_budget(server, tmp_path):
    """Retry-After in the past reads as 0: backed off 2, 4, 8, 16 s (30 s, the budget), then
    one error naming the throttling host; /api/v1 (the same host) is not tried."""
    server.route(DOC, respond(b"", status=429, headers={"Retry-After": PAST}))
    sleeps: list[float] = []
    values = settings(server, tmp_path, retries=10, throttle_backoff=2.0)
    with HttpClient(values, sleep=sleeps.append) as client:
        from draftscope.fetch.session import sync_lineage

        with pytest.raises(ThrottledError) as caught:
            sync_lineage(NAME, settings=values, client=client, progress=False)
    assert sleeps == [2.0, 4.0, 8.0, 16.0] and sum(sleeps) <= values.throttle_budget
    host = server.datatracker_url.split("//")[1]
    assert f"the datatracker ({host}) is throttling requests (HTTP 429 5 times" in str(caught.value)
    assert server.count(DOC) == 5 and server.count(r"/api/v1/") == 0


def test_the_cli_says_the_datatracker_throttles_in_one_line(server, tmp_path, monkeypatch, capsys):
    server.route(DOC, respond(b"", status=429, headers={"Retry-After": PAST}))
    for key, value in {"DRAFTSCOPE_DATATRACKER_URL": server.datatracker_url,
                       "DRAFTSCOPE_ARCHIVE_URL": server.archive_url,
                       "DRAFTSCOPE_RFC_URL": server.rfc_url,
                       "DRAFTSCOPE_CACHE": str(tmp_path / "cache"),
                       "DRAFTSCOPE_THROTTLE_BUDGET": "1"}.items():
        monkeypatch.setenv(key, value)
    assert main(["fetch", NAME, "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the datatracker (" in err and "is throttling requests" in err
    assert "try again later" in err and server.count(r"/api/v1/") == 0
