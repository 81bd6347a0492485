"""The datatracker's interfaces: doc.json (one request per lineage) and the tastypie /api/v1/.

Parsing is pure (``lineage_from_doc_json``); the functions taking an :class:`HttpClient` do the
requests, one at a time. See ../shared/docs/datatracker-api.md for the interface itself.

Every value a server sends is checked before use (type, name syntax, length): a bad entry is
skipped (the caller says so in one warning line), a bad envelope is a FetchError naming the
URL, and a listing is followed for at most ``total_count / limit`` pages plus a little slack
(never more than ``settings.max_pages``).
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from draftscope.errors import FetchError, InvalidNameError, SettingsError, UnknownDocumentError
from draftscope.fetch.config import Settings
from draftscope.fetch.http import HttpClient, join_url
from draftscope.fetch.names import (REVISION_RE, is_rfc, revision_label, check_document_name, check_group,
                                    check_revision)
from draftscope.fetch.notices import warn
from draftscope.fetch.records import LineageEntry, lineage_order

API = "/api/v1"
PAGE_SLACK = 2          # pages followed past what total_count/limit promises


# --------------------------------------------------------------------------- URLs

def doc_json_url(settings: Settings, name: str) -> str:
    return f"{settings.datatracker_url}/doc/{quote(check_document_name(name))}/doc.json"


def text_url(settings: Settings, name: str, rev: str, fmt: str) -> str:
    """Archive URL of a draft revision, or the RFC Editor URL of an RFC."""
    check_document_name(name)
    if is_rfc(name):
        return f"{settings.rfc_url}/{name}.{fmt}"
    return f"{settings.archive_url}/{name}-{check_revision(rev)}.{fmt}"


def api_url(settings: Settings, resource: str, **params) -> str:
    query = urlencode({"format": "json", **params})
    return f"{settings.datatracker_url}{API}/{resource}/?{query}"


# --------------------------------------------------------------------------- parsing (pure)

def parse_time(value) -> datetime | None:
    """ISO-8601 with offset, ``...Z`` or the naive ``%Y-%m-%d %H:%M:%S`` (UTC) -> aware UTC."""
    if not value or not isinstance(value, str) or len(value) > 64 or not value.isascii():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def lineage_from_doc_json(doc: dict, skipped: list | None = None) -> list[LineageEntry]:
    """doc.json's ``rev_history`` -> entries in lineage order (RFC last).

    Entries whose name or rev is not a safe draft/RFC name are skipped (and appended to
    ``skipped`` when given): names become paths.
    """
    entries: dict[tuple[str, str], LineageEntry] = {}
    history = doc.get("rev_history") if isinstance(doc, dict) else None
    for item in history if isinstance(history, list) else []:   # a hand-edited cache, say
        if not isinstance(item, dict):
            if skipped is not None:
                skipped.append(item)
            continue
        name, rev = item.get("name"), item.get("rev")
        try:
            check_document_name(name)
            if is_rfc(name):
                rev = name
            else:
                check_revision(rev)
        except InvalidNameError:
            if skipped is not None:
                skipped.append(revision_label(name, rev) if isinstance(name, str) else name)
            continue   # never let a server-supplied name become a path outside the cache
        key = (name, rev)
        if key not in entries:
            entries[key] = LineageEntry(name, rev, parse_time(item.get("published")))
    return lineage_order(list(entries.values()))


def doc_json_is_complete(doc, name: str) -> bool:
    """Usable doc.json for ``name``: a dict whose rev_history lists ``name`` itself."""
    if not isinstance(doc, dict) or not isinstance(doc.get("rev_history"), list):
        return False
    return any(isinstance(e, dict) and e.get("name") == name for e in doc["rev_history"])


def name_from_uri(uri) -> str | None:
    """``/api/v1/doc/document/draft-x/`` -> ``draft-x`` (None unless a valid document name)."""
    if not isinstance(uri, str) or len(uri) > 400:
        return None
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    try:
        return check_document_name(name)
    except InvalidNameError:
        return None


def shown(value, limit: int = 40) -> str:
    """A server-supplied value, short and on one line, for a warning."""
    text = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit] + "..."


def skipped_note(where: str, skipped: list) -> str:
    return (f"{where}: skipped {len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} with an "
            f"unusable name ({', '.join(shown(s) for s in skipped[:3])}"
            f"{', ...' if len(skipped) > 3 else ''})")


# --------------------------------------------------------------------------- requests

def fetch_doc_json(client: HttpClient, name: str) -> dict | None:
    """GET doc.json; None when the datatracker does not know ``name`` (404)."""
    doc = client.get_json(doc_json_url(client.settings, name), kind="doc")
    if doc is not None and not isinstance(doc, dict):
        raise FetchError(f"{doc_json_url(client.settings, name)}: not a doc.json object")
    return doc


def iter_objects(client: HttpClient, url: str):
    """Yield the objects of a tastypie list, following ``meta.next`` page by page.

    Stops with a FetchError on a page of the wrong shape, a ``next`` seen before, or more pages
    than ``total_count / limit`` (+ slack) or ``settings.max_pages`` allow.
    """
    settings = client.settings
    seen_pages: set[str] = set()
    allowed = settings.max_pages
    while url:
        if url in seen_pages:
            raise FetchError(f"{url}: pagination loops")
        if len(seen_pages) >= allowed:
            raise FetchError(f"{url}: stopped after {len(seen_pages)} pages, more than the listing "
                             f"announced (or DRAFTSCOPE_MAX_PAGES={settings.max_pages})")
        seen_pages.add(url)
        page = client.get_json(url, kind="page")
        if page is None:
            raise FetchError(f"{url}: not found")
        meta = page.get("meta", {}) if isinstance(page, dict) else None
        if not isinstance(page, dict) or not isinstance(page.get("objects"), list) \
                or not isinstance(meta, (dict, type(None))):
            raise FetchError(f"{url}: not a tastypie list")
        meta = meta or {}
        nxt, total, limit = meta.get("next"), meta.get("total_count"), meta.get("limit")
        if nxt is not None and not isinstance(nxt, str):
            raise FetchError(f"{url}: not a tastypie list (meta.next is {shown(nxt)})")
        if _count(total) is not None and _count(limit):
            allowed = min(allowed, -(-_count(total) // _count(limit)) + PAGE_SLACK)
        if nxt and not page["objects"]:
            raise FetchError(f"{url}: an empty page that points to another")
        yield from page["objects"]
        url = join_url(settings.datatracker_url + "/", nxt) if nxt else None


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def list_group_documents(acronym: str, *, settings: Settings | None = None, page_size: int = 100,
                         client: HttpClient | None = None, doc_type: str = "draft") -> list[dict]:
    """All documents whose current group is ``acronym`` (tastypie resources, ordered by id).

    Checks the group first, so an unknown acronym is an UnknownDocumentError, not an empty list.
    Individual drafts adopted later belong to group ``none`` and appear only through lineage.
    """
    acronym = check_group(acronym)
    if not 1 <= page_size <= 1000:
        raise SettingsError(f"page size must be between 1 and 1000, got {page_size}")
    settings = settings or (client.settings if client else Settings.from_env())
    own = client is None
    client = client or HttpClient(settings, pool_size=1)
    try:
        with client.phase(f"the list of {acronym}'s drafts"):
            return _group_documents(client, settings, acronym, page_size, doc_type)
    finally:
        if own:
            client.close()


def _group_documents(client: HttpClient, settings: Settings, acronym: str, page_size: int,
                     doc_type: str) -> list[dict]:
    """The group check, then its documents page by page; unusable entries skipped, said once."""
    groups = client.get_json(api_url(settings, "group/group", acronym=acronym))
    if not isinstance(groups, dict) or not isinstance(groups.get("objects"), list):
        raise FetchError(f"{api_url(settings, 'group/group', acronym=acronym)}: "
                         "not a tastypie list")
    if not groups["objects"]:
        raise UnknownDocumentError(f"unknown working group {acronym!r}: the datatracker has no "
                                   "group with that acronym")
    url = api_url(settings, "doc/document", group__acronym=acronym, type=doc_type,
                  order_by="id", limit=page_size)
    documents, seen, skipped = [], set(), []
    for obj in iter_objects(client, url):
        name = obj.get("name") if isinstance(obj, dict) else None
        try:
            check_document_name(name)
        except InvalidNameError:
            skipped.append(name if isinstance(obj, dict) else obj)
            continue
        if name not in seen:   # pages can repeat rows (ietfdata saw it)
            seen.add(name)
            documents.append(obj)
    if skipped:
        warn(skipped_note(f"working group {acronym}", skipped))
    return documents


def lineage_from_api(client: HttpClient, name: str) -> tuple[list[LineageEntry], dict]:
    """Rebuild a lineage from /api/v1 when doc.json fails: BFS over replaces and became_rfc,
    then each draft's new-revision events. Returns (entries, a doc.json-like dict to cache).
    """
    settings = client.settings
    names, queue, rfcs = {name}, deque([name]), set()
    documents: dict[str, dict] = {}
    while queue:
        current = queue.popleft()
        resource = client.get_json(
            f"{settings.datatracker_url}{API}/doc/document/{quote(current)}/?format=json")
        if resource is not None and not isinstance(resource, dict):
            raise FetchError(f"{settings.datatracker_url}{API}/doc/document/{current}/: "
                             "not a document")
        if resource is None:
            if current == name:
                raise UnknownDocumentError(f"unknown document {name}: the datatracker has no such draft or RFC")
            continue
        documents[current] = resource
        if is_rfc(current):
            rfcs.add(current)
            queries = [dict(target__name=current, relationship__slug="became_rfc")]
        else:
            queries = [dict(source__name=current, relationship__slug="replaces"),
                       dict(target__name=current, relationship__slug="replaces"),
                       dict(source__name=current, relationship__slug="became_rfc")]
        for params in queries:
            for rel in iter_objects(client, api_url(settings, "doc/relateddocument", limit=100, **params)):
                for side in ("source", "target"):
                    other = name_from_uri(rel.get(side)) if isinstance(rel, dict) else None
                    if other and other not in names:
                        if len(names) >= settings.max_revisions:
                            raise FetchError(f"{name}: more than {settings.max_revisions} related "
                                             "documents (DRAFTSCOPE_MAX_REVISIONS raises it)")
                        names.add(other)
                        queue.append(other)

    entries = []
    for doc_name, resource in sorted(documents.items()):
        if is_rfc(doc_name):
            entries.append(LineageEntry(doc_name, doc_name, parse_time(resource.get("time"))))
            continue
        revs: dict[str, datetime | None] = {}
        url = api_url(settings, "doc/newrevisiondocevent", doc__name=doc_name, limit=100)
        for event in iter_objects(client, url):
            if not isinstance(event, dict):
                continue
            rev, when = event.get("rev"), parse_time(event.get("time"))
            if not isinstance(rev, str) or not REVISION_RE.match(rev):
                continue
            if rev not in revs or (when and (revs[rev] is None or when < revs[rev])):
                revs[rev] = when   # duplicates: keep the earliest
        if not revs and isinstance(resource.get("rev"), str) and REVISION_RE.match(resource["rev"]):
            revs = {f"{i:02d}": None for i in range(int(resource["rev"]) + 1)}
        entries.extend(LineageEntry(doc_name, rev, when) for rev, when in revs.items())
    entries = lineage_order(entries)
    doc_like = {
        "name": name,
        "rev_history": [{"name": e.name, "rev": e.rev,
                         "published": e.date.isoformat() if e.date else None,
                         "url": f"/doc/{e.name}/" if e.is_rfc else f"/doc/{e.name}/{e.rev}/"}
                        for e in entries],
    }
    return entries, doc_like
