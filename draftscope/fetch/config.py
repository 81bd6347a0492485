"""Settings: where to fetch from, where to cache, how patiently to retry.

One frozen dataclass built from the environment (``DRAFTSCOPE_*``) with explicit overrides on
top, so the CLI options and notebook keyword arguments share one code path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from draftscope import __version__
from draftscope.errors import SettingsError
from draftscope.options import (DEFAULT_ARCHIVE_URL, DEFAULT_CACHE_DIR,  # noqa: F401 - the defaults
                                DEFAULT_DATATRACKER_URL, DEFAULT_RETRIES, DEFAULT_RFC_URL,
                                check_count, check_number)

ENV_VARS = {
    "datatracker_url": "DRAFTSCOPE_DATATRACKER_URL",
    "archive_url": "DRAFTSCOPE_ARCHIVE_URL",
    "rfc_url": "DRAFTSCOPE_RFC_URL",
    "cache_dir": "DRAFTSCOPE_CACHE",
}

# Limits a hostile or broken server cannot push past; generous for the real datatracker and
# archive, raised through these variables (or Settings(...) / Settings.with_(...)).
LIMIT_ENV_VARS = {
    "request_deadline": "DRAFTSCOPE_REQUEST_DEADLINE",
    "phase_deadline": "DRAFTSCOPE_PHASE_DEADLINE",
    "max_text_bytes": "DRAFTSCOPE_MAX_TEXT_BYTES",
    "max_doc_bytes": "DRAFTSCOPE_MAX_DOC_BYTES",
    "max_page_bytes": "DRAFTSCOPE_MAX_PAGE_BYTES",
    "max_pages": "DRAFTSCOPE_MAX_PAGES",
    "max_revisions": "DRAFTSCOPE_MAX_REVISIONS",
    "low_speed_limit": "DRAFTSCOPE_LOW_SPEED_LIMIT",
    "low_speed_time": "DRAFTSCOPE_LOW_SPEED_TIME",
    "throttle_budget": "DRAFTSCOPE_THROTTLE_BUDGET",
}



@dataclass(frozen=True)
class Settings:
    """Everything the fetch stage needs to know about the outside world."""

    datatracker_url: str = DEFAULT_DATATRACKER_URL
    archive_url: str = DEFAULT_ARCHIVE_URL
    rfc_url: str = DEFAULT_RFC_URL
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    user_agent: str = f"draftscope/{__version__} (+https://github.com/draftscope/draftscope)"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = DEFAULT_RETRIES    # per request, for connection errors, 5xx, 429, truncation
    backoff_factor: float = 0.5       # urllib3 Retry: sleeps 0, 2f, 4f, 8f ... between retries
    throttle_backoff: float = 2.0     # first wait after a 429 without a usable Retry-After
    max_wait: float = 60.0            # give up rather than sleep longer than this for one 429
    meta_max_age: float = 86400.0     # seconds a cached doc.json is reused without --refresh
    request_deadline: float = 600.0   # one request, connect to last body byte, retries included
    phase_deadline: float = 3600.0    # one phase of a command (a lineage's metadata, its texts)
    max_text_bytes: int = 64 << 20    # a revision text (the largest real ones are a few MB)
    max_doc_bytes: int = 16 << 20     # one doc.json
    max_page_bytes: int = 16 << 20    # one /api/v1 page
    max_pages: int = 50               # pages followed in one /api/v1 listing (100 documents
                                      # a page: the largest working groups need a handful)
    max_revisions: int = 2000         # files one lineage may list (the longest real: ~200)
    # a body slower than low_speed_limit bytes/s over any low_speed_time seconds is given up
    # (curl's --speed-limit/--speed-time): a trickle or a stall fails in about 30 s, a slow
    # but moving download goes on
    low_speed_limit: float = 1024.0
    low_speed_time: float = 30.0
    throttle_budget: float = 30.0     # seconds one request may spend waiting on HTTP 429s

    def __post_init__(self) -> None:
        for key in ("datatracker_url", "archive_url", "rfc_url"):
            value = str(getattr(self, key)).rstrip("/")
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise SettingsError(f"{ENV_VARS[key]}/{key} must be an http(s) URL, got {value!r}")
            object.__setattr__(self, key, value)
        for key in LIMIT_ENV_VARS:
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise SettingsError(f"{LIMIT_ENV_VARS[key]}/{key} must be a positive number, "
                                    f"got {value!r}")
        check_count("retries", self.retries, minimum=0)
        for key in ("connect_timeout", "read_timeout", "meta_max_age"):
            check_number(key, getattr(self, key))
        for key in ("backoff_factor", "throttle_backoff", "max_wait"):
            check_number(key, getattr(self, key), positive=False)
        if not isinstance(self.cache_dir, (str, os.PathLike)):
            raise TypeError(f"cache_dir= must be a path, got {self.cache_dir!r}")
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ``DRAFTSCOPE_*`` variables, then non-None ``overrides``."""
        environ = os.environ if environ is None else environ
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        values = {key: environ[var] for key, var in ENV_VARS.items() if environ.get(var)}
        for key, var in LIMIT_ENV_VARS.items():
            if environ.get(var):
                values[key] = _number(var, environ[var], int if key.startswith("max_") else float)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **overrides) -> "Settings":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def allowed_origins(self) -> frozenset[str]:
        """scheme://host[:port] of the three services: the only places a request may go."""
        return frozenset(_origin(u) for u in (self.datatracker_url, self.archive_url, self.rfc_url))


def _number(var: str, text: str, kind: type):
    try:
        value = kind(text.strip())
    except ValueError:
        raise SettingsError(f"{var} must be a {'whole ' if kind is int else ''}number, "
                            f"got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise SettingsError(f"{var} must be a positive number, got {text!r}")
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"
