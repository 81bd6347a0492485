"""Did-you-mean for document names the datatracker does not know.

A typo (``draft-ietf-quic-transprot``) or a one-digit revision (``draft-ietf-quic-transport-3``)
otherwise ends in a bare "unknown document". When that happens the CLI asks, once and at the
end, for the names closest to it: those in the cache (``meta/``, ``id/``, ``rfc/``) and, unless
``--offline``, the datatracker's drafts that share its ``draft-<stream>-<group>-`` prefix (one
request, no retries). Best effort: a failure to suggest never hides the original error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

MAX_SUGGESTIONS = 3
MIN_SCORE = 80          # rapidfuzz ratio (0..100) a name needs to be suggested
# "unknown document NAME: ..." online; "offline: nothing cached for NAME (...)" offline.
_UNKNOWN = re.compile(r"^(?:unknown document|offline: nothing cached for) "
                      r"(?P<name>(?:draft|rfc)[a-z0-9.-]*)\b")
CLOSE_TO_BEST = 5       # ... and be within this many points of the best one
_ONE_DIGIT = re.compile(r"^(?P<name>draft-[a-z0-9-]+)-(?P<rev>\d)$")


def unknown_name(message: str) -> str | None:
    """The name in an ``unknown document NAME: ...`` message, else None."""
    match = _UNKNOWN.match(message)
    return match.group("name") if match else None


def revision_hint(name: str) -> str | None:
    """``draft-x-y-3`` -> ``draft-x-y-03``: revisions always have two digits."""
    match = _ONE_DIGIT.match(name)
    return f"{match.group('name')}-0{match.group('rev')}" if match else None


def closest_names(name: str, candidates: Iterable[str], *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The ``limit`` candidates closest to ``name``, best first: a rapidfuzz ratio of at least
    :data:`MIN_SCORE` and within :data:`CLOSE_TO_BEST` of the best (names of one working group
    share a long prefix, so ``-transprot`` is also 81 from ``-tls``); never the name itself."""
    from rapidfuzz import fuzz, process

    choices = sorted({c for c in candidates if c and c != name})
    found = process.extract(name, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=MIN_SCORE)
    if not found:
        return []
    best = found[0][1]
    return [choice for choice, score, _index in found if score >= best - CLOSE_TO_BEST]


def cached_names(cache_dir: Path) -> set[str]:
    """Document names the cache knows: its metadata, draft files and RFC files."""
    from draftscope.fetch.names import parse_filename

    names: set[str] = set()
    meta = cache_dir / "meta"
    if meta.is_dir():
        names.update(p.stem for p in meta.glob("*.json") if not p.stem.startswith("group."))
    for folder in (cache_dir / "id", cache_dir / "rfc"):
        if folder.is_dir():
            for path in folder.iterdir():
                parsed = parse_filename(path.name)
                if parsed:
                    names.add(parsed[0])
    return names


def datatracker_names(name: str, settings) -> set[str]:
    """Draft names the datatracker lists with ``name``'s ``draft-<stream>-<group>-`` prefix
    (one request, no retries; empty on any failure)."""
    from dataclasses import replace
    from urllib.parse import urlencode

    from draftscope.errors import DraftscopeError
    from draftscope.fetch.http import HttpClient

    parts = name.split("-")
    if parts[0] != "draft" or len(parts) < 4:
        return set()
    query = urlencode({"format": "json", "type": "draft", "limit": 200,
                       "name__startswith": "-".join(parts[:3]) + "-"})
    try:
        with HttpClient(replace(settings, retries=0), pool_size=1) as client:
            listing = client.get_json(f"{settings.datatracker_url}/api/v1/doc/document/?{query}")
    except (DraftscopeError, OSError, ValueError):
        return set()
    objects = listing.get("objects", []) if isinstance(listing, dict) else []
    return {o["name"] for o in objects if isinstance(o, dict) and isinstance(o.get("name"), str)}


def suggestions(name: str, *, settings, offline: bool) -> list[str]:
    """What to suggest for an unknown ``name``: the two-digit revision first, then the closest
    names of the cache and (online) the datatracker."""
    hint = revision_hint(name)
    if hint:
        return [hint]
    candidates = cached_names(Path(settings.cache_dir))
    if not offline:
        candidates |= datatracker_names(name, settings)
    return closest_names(name, candidates)


def did_you_mean(message: str, args) -> str:
    """``message`` with `` (did you mean X or Y?)`` when it names an unknown document and
    something close is known; ``message`` unchanged otherwise."""
    name = unknown_name(message)
    if name is None:
        return message
    try:
        from draftscope.cli.common import settings_from_args

        found = suggestions(name, settings=settings_from_args(args),
                            offline=bool(getattr(args, "offline", False)))
    except Exception:   # a suggestion must never replace the error it decorates
        return message
    if not found:
        return message
    if revision_hint(name):
        return f"{message} (revisions have two digits: did you mean {found[0]}?)"
    return f"{message} (did you mean {' or '.join(found)}?)"
