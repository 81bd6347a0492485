"""HTTP: one requests Session per run, urllib3 Retry underneath, our own 429 and truncation rules.

Layering (as httpx does it): urllib3's ``Retry`` on the adapter retries connection errors,
dropped connections and 5xx with exponential backoff; on top of it :class:`HttpClient` adds what
urllib3 cannot know: HTTP 429 with the datatracker's ``Retry-After: 0`` quirk (we back off anyway,
doubling, and give up rather than wait longer than ``max_wait``), bodies shorter than their
``Content-Length`` (retried, never returned), redirects only to the three configured hosts, and
a request counter.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from draftscope.errors import ConnectionFailed, FetchError
from draftscope.fetch.config import Settings, _origin

RETRY_STATUSES = (500, 502, 503, 504)



MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Response:
    """What callers need from a successful (2xx) response."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str]

    def json(self):
        import json

        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(f"{self.url} did not return JSON") from exc


class PoliteRetry(Retry):
    """urllib3's Retry, leaving 429 to :class:`HttpClient` and capping any Retry-After it obeys."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.backoff_max)


def make_session(settings: Settings, pool_size: int = 4) -> requests.Session:
    """A Session whose adapter retries connection errors and 5xx with exponential backoff."""
    retry = PoliteRetry(
        total=settings.retries, connect=settings.retries, read=settings.retries,
        status=settings.retries, other=0, redirect=0,
        allowed_methods=frozenset({"GET", "HEAD"}), status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor, backoff_max=settings.max_wait,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=3, pool_maxsize=max(pool_size, 1))
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    session.headers["Accept-Encoding"] = "identity"   # Content-Length then counts body bytes
    session.trust_env = False   # no ~/.netrc credentials or proxies picked up behind our back
    return session


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse ``Retry-After`` (delta-seconds or HTTP-date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
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


class HttpClient:
    """GETs against the three configured services, politely. Thread-safe for parallel texts."""

    def __init__(self, settings: Settings, *, pool_size: int = 4,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.session = session or make_session(settings, pool_size)
        self.sleep = sleep
        self._lock = threading.Lock()
        self.requests = 0          # requests started by this client (retries inside urllib3 not seen)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check_url(self, url: str) -> str:
        if _origin(url) not in self.settings.allowed_origins:
            raise FetchError(f"refusing to contact {urlsplit(url).netloc or url}: "
                             "not one of the configured datatracker, archive or RFC hosts")
        return url

    def get(self, url: str, *, accept: str | None = None) -> Response | None:
        """GET ``url``; None for 404/410; raises FetchError once retries are exhausted."""
        settings = self.settings
        headers = {"Accept": accept} if accept else {}
        throttled = truncated = 0
        redirects = 0
        while True:
            self.check_url(url)
            with self._lock:
                self.requests += 1
            try:
                response = self.session.get(
                    url, headers=headers, allow_redirects=False,
                    timeout=(settings.connect_timeout, settings.read_timeout))
                content = response.content
            except (requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                truncated += 1
                if truncated > settings.retries:
                    raise FetchError(f"{url}: body cut short {truncated} times ({_reason(exc)})") from exc
                self.sleep(settings.backoff_factor * (2 ** (truncated - 1)))
                continue
            except requests.exceptions.RequestException as exc:
                raise ConnectionFailed(f"{url}: {_reason(exc)}") from exc

            status = response.status_code
            if status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(f"{url}: too many redirects")
                url = urljoin(url, response.headers["Location"])
                continue
            if status == 429:
                wait = throttle_wait(retry_after_seconds(response.headers.get("Retry-After")),
                                     throttled, settings.throttle_backoff)
                throttled += 1
                if throttled > settings.retries or wait > settings.max_wait:
                    raise FetchError(f"{url}: throttled by the server (HTTP 429, Retry-After: "
                                     f"{response.headers.get('Retry-After', 'none')}); try again later")
                self.sleep(wait)
                continue
            if status in (404, 410):
                return None
            if status >= 400:
                raise FetchError(f"{url}: HTTP {status} {response.reason or ''}".rstrip())
            expected = response.headers.get("Content-Length")
            if expected is not None and expected.isdigit() and len(content) != int(expected) \
                    and not response.headers.get("Content-Encoding"):
                truncated += 1
                if truncated > settings.retries:
                    raise FetchError(f"{url}: got {len(content)} of {expected} bytes "
                                     f"{truncated} times")
                self.sleep(settings.backoff_factor * (2 ** (truncated - 1)))
                continue
            return Response(url=url, status=status, content=content, headers=dict(response.headers))

    def get_json(self, url: str):
        """GET a JSON resource; None for 404; FetchError when the body is not JSON."""
        response = self.get(url, accept="application/json")
        return None if response is None else response.json()


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
