"""HTTP: one requests Session per run, urllib3 Retry underneath, our own 429 and truncation rules.

Layering (as httpx does it): urllib3's ``Retry`` on the adapter retries connection errors,
dropped connections and 5xx with exponential backoff; on top of it :class:`HttpClient` adds what
urllib3 cannot know: HTTP 429 with the datatracker's ``Retry-After: 0`` quirk (we back off anyway,
doubling, and give up rather than wait longer than ``max_wait``), bodies shorter than their
``Content-Length`` (retried, never returned), redirects only to the three configured hosts, and
a request counter.

What a hostile or broken server cannot do (issue 12): hold a request past its deadline (a timer
shuts the socket down: ``request_deadline`` per request, the phase's end for a group of them),
outlive Ctrl-C (:meth:`HttpClient.cancel` ends every request in flight), send more than the cap
of the body's kind (``max_text_bytes``, ``max_doc_bytes``, ``max_page_bytes``, counted on the
bytes received), make us inflate a gzip past that cap or decode any other encoding, or pass off
anything but a 200 as an answer.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from draftscope.errors import ConnectionFailed, FetchError, ThrottledError
from draftscope.options import DEFAULT_JOBS
from draftscope.fetch import jsonsafe
from draftscope.fetch.config import Settings, _origin

RETRY_STATUSES = (500, 502, 503, 504)
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
# what a body may be and how large (Settings attribute of the cap, and the word for messages)
KINDS = {"text": "max_text_bytes", "doc": "max_doc_bytes", "page": "max_page_bytes"}


class Interrupted(KeyboardInterrupt):
    """A download stopped because the run was interrupted (Ctrl-C): the CLI exits 130."""


@dataclass(frozen=True)
class Response:
    """What callers need from a successful (200) response: the body as received, never decoded
    beyond a bounded gzip/deflate, and never longer than the cap of its kind."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str]
    declared_length: int | None = None     # Content-Length, when the server sent one

    @property
    def length_known(self) -> bool:
        """Whether a body cut short would have been noticed (Content-Length or chunked)."""
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        return self.declared_length is not None or chunked

    def json(self):
        try:
            return jsonsafe.loads(self.content)
        except ValueError as exc:
            raise FetchError(f"{self.url} did not return usable JSON: {exc}") from None


# --------------------------------------------------------------------------- deadlines, Ctrl-C

class _Tripped(Exception):
    """Raised inside a request whose watch was tripped (deadline or cancel)."""


class _Watch:
    """One request's deadline: a timer shuts its socket down, which ends any blocked read."""

    def __init__(self) -> None:
        self.reason: str | None = None       # "deadline" | "cancelled"
        self.tripped = threading.Event()
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def attach(self, sock) -> None:
        with self._lock:
            self._sock = sock
            if self.reason is not None:
                _shutdown(sock)

    def detach(self) -> None:
        with self._lock:
            self._sock = None

    def trip(self, reason: str) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason
            self.tripped.set()
            if self._sock is not None:
                _shutdown(self._sock)


def _shutdown(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):
        pass


_current = threading.local()     # .watch: the request this thread is making


def _wait(seconds: float) -> None:
    """Sleep ``seconds``, cut short (with _Tripped) if this thread's request is tripped."""
    watch = getattr(_current, "watch", None)
    if watch is None:
        time.sleep(seconds)
    elif watch.tripped.wait(max(seconds, 0.0)):
        raise _Tripped(watch.reason)


class _WatchedConnection(HTTPConnection):
    def getresponse(self, *args, **kwargs):
        watch = getattr(_current, "watch", None)
        if watch is not None and self.sock is not None:
            watch.attach(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    getresponse = _WatchedConnection.getresponse


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedHTTPSPool}


class PoliteRetry(Retry):
    """urllib3's Retry, leaving 429 to :class:`HttpClient`, capping any Retry-After it obeys,
    reading an unreadable Retry-After as absent, and sleeping in a way a deadline or Ctrl-C ends."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})

    def parse_retry_after(self, retry_after: str) -> float:
        try:
            return min(super().parse_retry_after(retry_after), self.backoff_max)
        except Exception:      # InvalidHeader, or a date past the year 9999 (OverflowError)
            return 0.0         # then the exponential backoff applies

    def sleep(self, response=None) -> None:
        wait = self.get_retry_after(response) if self.respect_retry_after_header and response \
            else None
        _wait(wait or self.get_backoff_time())


def make_session(settings: Settings, pool_size: int = DEFAULT_JOBS) -> requests.Session:
    """A Session whose adapter retries connection errors and 5xx with exponential backoff."""
    retry = PoliteRetry(
        total=settings.retries, connect=settings.retries, read=settings.retries,
        status=settings.retries, other=0, redirect=0,
        allowed_methods=frozenset({"GET", "HEAD"}), status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor, backoff_max=settings.max_wait,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
    )
    adapter = _WatchedAdapter(max_retries=retry, pool_connections=3, pool_maxsize=max(pool_size, 1))
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    session.headers["Accept-Encoding"] = "identity"   # Content-Length then counts body bytes
    session.trust_env = False   # no ~/.netrc credentials or proxies picked up behind our back
    return session


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse ``Retry-After`` (delta-seconds or HTTP-date); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,9}", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:            # "-0000": a UTC time from a source without a zone
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max((when - now).total_seconds(), 0.0)


def throttle_wait(retry_after: float | None, attempt: int, base: float) -> float:
    """How long to sleep after the ``attempt``-th 429 (0-based).

    A positive Retry-After is honoured as given; 0 or missing (a known datatracker bug) still
    backs off: ``base``, 2*base, 4*base ...
    """
    backoff = base * (2 ** attempt)
    if retry_after is None or retry_after <= 0:
        return backoff
    return retry_after


class _Truncated(Exception):
    """A body shorter than declared, or a gzip stream without its end: worth a retry."""


class HttpClient:
    """GETs against the three configured services, politely. Thread-safe for parallel texts.

    Every request has an overall deadline (connect to last byte, ``request_deadline``, and the
    end of the current :meth:`phase`); :meth:`cancel` (Ctrl-C) ends every request in flight
    within moments and makes later ones raise :class:`Interrupted`.
    """

    def __init__(self, settings: Settings, *, pool_size: int = DEFAULT_JOBS,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.settings = settings
        self.session = session or make_session(settings, pool_size)
        self.sleep = sleep or self._sleep
        self._lock = threading.Lock()
        self.requests = 0          # requests started by this client (retries inside urllib3 not seen)
        self._cancelled = threading.Event()
        self._active: set[_Watch] = set()
        self._phase_end: float | None = None
        self._phase_name = ""

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # deadlines and cancelling ---------------------------------------------------
    def cancel(self) -> None:
        """Stop every request in flight and refuse new ones (Ctrl-C)."""
        self._cancelled.set()
        with self._lock:
            active = list(self._active)
        for watch in active:
            watch.trip("cancelled")

    def resume(self) -> None:
        """Accept requests again once every cancelled one has ended (after :meth:`cancel`)."""
        self._cancelled.clear()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def phase(self, what: str, seconds: float | None = None) -> "_Phase":
        """``with client.phase("the texts of draft-x"):`` bounds every request inside it by one
        deadline for the whole phase (``settings.phase_deadline`` unless ``seconds``)."""
        return _Phase(self, what, self.settings.phase_deadline if seconds is None else seconds)

    def _sleep(self, seconds: float) -> None:
        if self._cancelled.wait(max(seconds, 0.0)):
            raise Interrupted()

    def check_url(self, url: str) -> str:
        try:
            origin = _origin(url)
        except ValueError:
            raise FetchError(f"refusing to contact {_printable(url)!r}: not a URL") from None
        if origin not in self.settings.allowed_origins:
            raise FetchError(f"refusing to contact {urlsplit(url).netloc or url}: "
                             "not one of the configured datatracker, archive or RFC hosts")
        return url

    # requests -------------------------------------------------------------------
    def get(self, url: str, *, accept: str | None = None, kind: str = "text") -> Response | None:
        """GET ``url``; None for 404/410; raises FetchError once retries are exhausted.

        ``kind`` ("text", "doc", "page") picks the size cap. Only a 200 is an answer: any other
        status is an error; a body is never decoded beyond a gzip/deflate bounded by that cap.
        """
        settings = self.settings
        headers = {"Accept": accept} if accept else {}
        throttled = truncated = redirects = 0
        waited = 0.0                # seconds slept on 429s: at most settings.throttle_budget
        started = time.monotonic()
        while True:
            self.check_url(url)
            if self._cancelled.is_set():
                raise Interrupted()
            deadline = started + settings.request_deadline
            if self._phase_end is not None:
                if time.monotonic() >= self._phase_end:
                    raise FetchError(f"{url}: not started, {self._phase_name} took longer than "
                                     f"{_seconds(self._phase_limit)}")
                deadline = min(deadline, self._phase_end)
            with self._lock:
                self.requests += 1
            try:
                outcome = self._attempt(url, headers, kind, deadline)
            except _Truncated as exc:
                truncated += 1
                if truncated > settings.retries:
                    raise FetchError(f"{url}: body cut short {truncated} times ({exc})") from None
                self.sleep(settings.backoff_factor * (2 ** (truncated - 1)))
                continue
            what, value = outcome
            if what == "body":
                return value
            if what == "redirect":
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(f"{url}: too many redirects")
                url = join_url(url, value)
                continue
            if what == "throttled":
                wait = throttle_wait(retry_after_seconds(value), throttled,
                                     settings.throttle_backoff)
                throttled += 1
                if (throttled > settings.retries or wait > settings.max_wait
                        or waited + wait > settings.throttle_budget
                        or time.monotonic() + wait > deadline):
                    raise ThrottledError(
                        f"{url}: {self._host_name(url)} is throttling requests (HTTP 429 {throttled} "
                        f"time{'s' if throttled > 1 else ''}, Retry-After: "
                        f"{_printable(value) or 'none'}, {waited:g} s waited); try again later")
                self.sleep(wait)
                waited += wait
                continue
            if what == "absent":
                return None
            raise FetchError(f"{url}: {value}")

    def _host_name(self, url: str) -> str:
        """``the datatracker (host)`` / ``the archive (host)`` / ``the RFC Editor (host)``."""
        origin = _origin(url)
        settings = self.settings
        for base, what in ((settings.datatracker_url, "the datatracker"),
                           (settings.archive_url, "the archive"), (settings.rfc_url, "the RFC Editor")):
            if _origin(base) == origin:
                return f"{what} ({urlsplit(url).netloc})"
        return urlsplit(url).netloc

    def _attempt(self, url: str, headers: dict, kind: str, deadline: float):
        """One GET under a watch: ("body", Response) | ("redirect", Location) |
        ("throttled", Retry-After) | ("absent", None) | ("error", message)."""
        watch = _Watch()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url}: no complete answer within the deadline")
        timer = threading.Timer(remaining, watch.trip, args=("deadline",))
        timer.daemon = True
        with self._lock:
            self._active.add(watch)
        if self._cancelled.is_set():
            watch.trip("cancelled")
        _current.watch = watch
        timer.start()
        response = None
        finished = False        # a complete answer: what is left of it may be drained
        try:
            # a stalled body is a body slower than the low-speed limit: no wait for a byte is
            # longer than its window
            response = self.session.get(
                url, headers=headers, allow_redirects=False, stream=True,
                timeout=(self.settings.connect_timeout,
                         min(self.settings.read_timeout, self.settings.low_speed_time)))
            status = response.status_code
            if status == 200:
                body = self._read_body(url, response, kind)
                if watch.reason is not None:      # the socket was shut: the body may be short
                    self._raise_tripped(url, watch)
                finished = True
                return "body", body
            finished = True                        # an error page: drained below, if small
            if status in REDIRECTS:
                location = response.headers.get("Location")
                if location:
                    return "redirect", location
                return "error", f"HTTP {status} redirect without a Location"
            if status == 429:
                return "throttled", response.headers.get("Retry-After")
            if status in (404, 410):
                return "absent", None
            reason = _printable(response.reason)
            return "error", f"HTTP {status} {reason}".rstrip() + \
                ("" if status >= 400 else " (only 200 is an answer)")
        except _Truncated:
            if watch.reason is None:
                raise
            self._raise_tripped(url, watch)
        except (_Tripped, requests.exceptions.RequestException, OSError) as exc:
            if watch.reason is not None:
                self._raise_tripped(url, watch)
            if isinstance(exc, (requests.exceptions.ChunkedEncodingError,
                                requests.exceptions.ContentDecodingError)):
                raise _Truncated(_reason(exc)) from None
            raise ConnectionFailed(f"{url}: {_reason(exc)}") from exc
        except ValueError as exc:   # requests parses a redirect's Location even when not following
            raise FetchError(f"{url}: unusable answer ({_printable(str(exc))})") from None
        finally:
            # never drain a body given up on (a trickle would hold us for its whole length)
            drained = response is not None and finished and _drain(response)
            timer.cancel()
            watch.detach()          # a late timer must not shut a socket back in the pool
            _current.watch = None
            with self._lock:
                self._active.discard(watch)
            if drained and watch.reason is None:
                response.raw.release_conn()      # reused by the next request
            elif response is not None:
                response.close()

    def _raise_tripped(self, url: str, watch: _Watch):
        if watch.reason == "cancelled" or self._cancelled.is_set():
            raise Interrupted() from None
        raise FetchError(f"{url}: no complete answer within the deadline "
                         f"({_seconds(self.settings.request_deadline)} per request"
                         + (f", {self._phase_name}" if self._phase_end is not None else "")
                         + ")") from None

    def _read_body(self, url: str, response, kind: str) -> Response:
        """The body, as bytes on the wire (or a bounded gzip/deflate of them), length checked."""
        limit = int(getattr(self.settings, KINDS[kind]))
        headers = response.headers
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url}: refusing a body in {_printable(encoding)!r} encoding "
                             "(asked for identity)")
        declared = _content_length(url, headers.get("Content-Length"))
        if declared is not None and declared > limit:
            raise FetchError(f"{url}: declares {declared} bytes, more than the limit of {limit} "
                             f"({_limit_hint(kind)})")
        decoder = None if encoding == "identity" else \
            zlib.decompressobj(zlib.MAX_WBITS | 16 if "gzip" in encoding else zlib.MAX_WBITS)
        raw = response.raw
        parts, received, produced = [], 0, 0
        speed = _SpeedLimit(self.settings.low_speed_limit, self.settings.low_speed_time)
        while True:
            try:
                chunk = raw.read1(CHUNK, decode_content=False)
            except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
                if _timed_out(exc):
                    raise FetchError(f"{url}: no byte for {_seconds(self.settings.low_speed_time)} "
                                     f"after {received} bytes (stalled)") from None
                raise _Truncated(f"got {received} of {declared} bytes" if declared is not None
                                 else _reason(exc)) from None
            if not chunk:
                break
            received += len(chunk)
            if speed.too_slow(received):
                raise FetchError(f"{url}: slower than {speed.limit:g} bytes/s over "
                                 f"{_seconds(speed.window)} ({received} bytes in "
                                 f"{speed.elapsed():.0f} s; DRAFTSCOPE_LOW_SPEED_LIMIT and "
                                 "DRAFTSCOPE_LOW_SPEED_TIME set the limit)")
            if received > limit:
                raise FetchError(f"{url}: body larger than the limit of {limit} bytes "
                                 f"({_limit_hint(kind)})")
            if decoder is not None:
                try:
                    chunk = decoder.decompress(chunk, limit - produced + 1)
                except zlib.error as exc:
                    raise FetchError(f"{url}: {encoding} body that does not decompress "
                                     f"({exc})") from None
                if decoder.unconsumed_tail or produced + len(chunk) > limit:
                    raise FetchError(f"{url}: {encoding} body expanding past the limit of "
                                     f"{limit} bytes ({_limit_hint(kind)})")
                produced += len(chunk)
            parts.append(chunk)
        if declared is not None and received != declared:
            raise _Truncated(f"got {received} of {declared} bytes")
        if decoder is not None and not decoder.eof:
            raise _Truncated(f"{encoding} stream without its end ({received} bytes)")
        return Response(url=url, status=200, content=b"".join(parts),
                        headers=dict(headers), declared_length=declared)

    def get_json(self, url: str, *, kind: str = "page"):
        """GET a JSON resource; None for 404; FetchError when the body is not usable JSON."""
        response = self.get(url, accept="application/json", kind=kind)
        return None if response is None else response.json()


class _SpeedLimit:
    """curl's --speed-limit/--speed-time: a transfer that moved fewer than ``limit * window``
    bytes over the last ``window`` seconds is too slow (a trickle is not a slow network)."""

    def __init__(self, limit: float, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.started = clock()
        self.marks: list[tuple[float, int]] = [(self.started, 0)]   # (time, bytes so far)

    def elapsed(self) -> float:
        return self.clock() - self.started

    def too_slow(self, received: int) -> bool:
        now = self.clock()
        self.marks.append((now, received))
        # keep one mark at or before the window's start: the window is measured from it
        while len(self.marks) > 2 and self.marks[1][0] <= now - self.window:
            self.marks.pop(0)
        since, then = self.marks[0]
        span = now - since
        return span >= self.window and (received - then) < self.limit * span


def _timed_out(exc: BaseException) -> bool:
    """A read that waited ``timeout`` seconds for a byte (not a reset, not a cut body)."""
    current: BaseException | None = exc
    for _ in range(6):
        if current is None:
            return False
        if isinstance(current, (socket.timeout, TimeoutError,
                                urllib3.exceptions.ReadTimeoutError)):
            return True
        current = current.__cause__ or current.__context__
    return False


def _drain(response, limit: int = CHUNK) -> bool:
    """Read what is left of a small body (an error page) so the connection can be reused and
    the server is not cut off mid-write; False when more than ``limit`` is left or it failed."""
    raw = response.raw
    try:
        left = limit
        while left > 0:
            chunk = raw.read1(min(left, CHUNK), decode_content=False)
            if not chunk:
                return True
            left -= len(chunk)
    except Exception:
        pass
    return False


class _Phase:
    def __init__(self, client: HttpClient, what: str, seconds: float):
        self.client, self.what, self.seconds = client, what, seconds

    def __enter__(self) -> HttpClient:
        client = self.client
        self.saved = (client._phase_end, client._phase_name, getattr(client, "_phase_limit", None))
        end = time.monotonic() + self.seconds
        if client._phase_end is None or end < client._phase_end:
            client._phase_end, client._phase_name = end, self.what
            client._phase_limit = self.seconds
        return client

    def __exit__(self, *exc) -> None:
        self.client._phase_end, self.client._phase_name, self.client._phase_limit = self.saved


def join_url(base: str, reference: str) -> str:
    """``reference`` (a server's Location or ``next``) resolved against ``base``; FetchError
    if it is not a URL at all (``http://[bad``)."""
    try:
        return urljoin(base, reference)
    except ValueError:
        raise FetchError(f"{base}: unusable URL from the server {_printable(reference)!r}") from None


def _content_length(url: str, value: str | None) -> int | None:
    """Content-Length as an int; FetchError if it is there but not one number."""
    if value is None:
        return None
    values = {v.strip() for v in value.split(",")}     # a repeated header arrives joined
    if len(values) == 1 and re.fullmatch(r"[0-9]{1,15}", next(iter(values))):
        return int(values.pop())
    raise FetchError(f"{url}: unreadable Content-Length {_printable(value)!r}")


def _limit_hint(kind: str) -> str:
    from draftscope.fetch.config import LIMIT_ENV_VARS

    return f"raise it with {LIMIT_ENV_VARS[KINDS[kind]]}"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _printable(value) -> str:
    """A server-supplied header value, safe to put in a one-line message."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else repr(value)
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in text)[:80]


def _reason(exc: BaseException) -> str:
    """The innermost useful message of a requests/urllib3 exception chain, on one line."""
    text, current = str(exc), exc
    for _ in range(8):
        reason = getattr(current, "reason", None)
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        if isinstance(reason, BaseException):
            current = reason
        elif nested:   # urllib3's ProtocolError('Connection aborted.', RemoteDisconnected(...))
            current = nested[-1]
        else:
            current = current.__cause__ or current.__context__
        if current is None:
            break
        if str(current):
            text = str(current)
    text = text.split(": ", 1)[1] if text.startswith("<") and ": " in text else text
    return (text.splitlines() or [type(exc).__name__])[0][:200]
