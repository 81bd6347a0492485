"""Every revision of a draft's lineage, from the datatracker into the cache: the plan and the
downloads behind :func:`draftscope.fetch.session.fetch_lineage`.

Plan, then act: the lineage comes from ONE doc.json request (or the cached copy, reused for a
day), falling back to /api/v1 only when doc.json fails or lacks the document; the plan says for
each file whether it is cached, known absent or to fetch; texts then download in parallel
(``jobs`` connections) while API calls stay sequential. Texts are immutable: a cached file is
never requested again. ``offline`` makes no request at all.

What is cached is checked first: a downloaded text must look like a revision
(:mod:`draftscope.fetch.validate`) or the download fails naming its URL; its size and sha256
go into the lineage's metadata, and a cached file that no longer matches (cut, emptied,
overwritten) is fetched again online and reported, not counted, offline. A lineage listing more
than ``settings.max_revisions`` revisions is refused before any text is requested. Ctrl-C
cancels every download at once.

``progress`` is True/False/None (a bar per lineage; None: only when stderr is a terminal) or a
caller's bar (:class:`FileProgress`, e.g. tqdm) that several lineages share: each adds its files
to ``total`` and counts them off as they are resolved; the caller closes it.

The orchestration (which client, which cache, which options) is the
:class:`~draftscope.fetch.session.Session`'s; the free functions (``fetch_lineage``,
``sync_lineage``, ``group_drafts``) live beside it and open one per call.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from draftscope.errors import (ConnectionFailed, DraftscopeError, FetchError,
                               OfflineMissingError, ThrottledError, UnknownDocumentError)
from draftscope.fetch.cache import Cache, CachedMeta, file_record
from draftscope.fetch.config import Settings
from draftscope.fetch.datatracker import (doc_json_is_complete, fetch_doc_json, lineage_from_api,
                                          lineage_from_doc_json, skipped_note, text_url)
from draftscope.fetch.http import HttpClient
from draftscope.fetch.notices import warn
from draftscope.fetch.validate import cached_problem, text_problem
from draftscope.fetch.records import FetchResult, LineageEntry, Revision
from draftscope.progress import progress_bar



@runtime_checkable
class FileProgress(Protocol):
    """A progress bar shared across lineages (tqdm fits): files are added to ``total`` as each
    lineage is planned, ``update(n)`` counts them off (cached, known absent or downloaded)."""

    total: Any

    def update(self, n: int = 1) -> Any: ...


@dataclass(frozen=True)
class PlannedFile:
    """One file of the lineage and what to do about it."""

    entry: LineageEntry
    format: str
    url: str
    path: Path
    action: str          # "cached" | "fetch" | "absent" (server said 404 recently) | "offline"
                         # | "damaged" (cached but failing the text checks, offline)

    @property
    def filename(self) -> str:
        return f"{self.entry.label}.{self.format}"




# --------------------------------------------------------------------------- groups

# --------------------------------------------------------------------------- lineage

def lineage_entries(name: str, *, cache: Cache, client: HttpClient | None, refresh: bool = False,
                    now: datetime | None = None) -> tuple[CachedMeta | None, list[LineageEntry]]:
    """The lineage's entries: cached meta if fresh, else doc.json, else /api/v1, else stale meta.

    ``client=None`` means offline: cached meta of any age (its own, else a lineage listing it),
    else the files a mirror holds (no dates). Cached meta that does not list ``name`` is not
    used online (it is fetched again). Online, a lineage of more than ``max_revisions``
    revisions is refused before any text is requested.
    """
    now = now or datetime.now(timezone.utc)
    cached = cache.read_meta(name)
    cached_entries = _listed(cached, name)
    if cached_entries is None:
        cached = None
    if client is None:
        if cached is not None:
            return cached, _entries(cached, name)
        for other in cache.iter_meta():         # e.g. rfc9000's lineage lists the draft
            entries = _listed(other, name)
            if entries is not None:
                return other, _entries(other, other.name)
        files = cache.cached_revisions(name)
        if not files:
            raise OfflineMissingError(f"offline: nothing cached for {name} (no {cache.meta_path(name)});"
                                      f" run 'draftscope fetch {name}' online first")
        revs = sorted({rev for rev, _fmt, _path in files})
        return None, [LineageEntry(name, rev, None) for rev in revs]

    settings = client.settings
    if cached is not None and not refresh and cached.age_seconds(now) < settings.meta_max_age:
        return cached, _capped(name, _entries(cached, name), settings)
    with client.phase(f"the metadata of {name}"):
        meta = _fetch_meta(name, client, cached, now)
    if meta is not cached:
        cache.write_meta(meta)
    return meta, _capped(name, _entries(meta, name), settings)


def _fetch_meta(name: str, client: HttpClient, cached: CachedMeta | None,
                now: datetime) -> CachedMeta:
    """doc.json, else /api/v1, else ``cached`` (stale) when the datatracker fails."""
    failure: DraftscopeError | None = None
    try:
        doc = fetch_doc_json(client, name)
    except ThrottledError:             # the same host serves /api/v1: it throttles that too
        if cached is not None:
            return cached
        raise
    except ConnectionFailed as exc:    # the same host serves /api/v1: no point falling back
        if cached is not None:
            return cached
        raise ConnectionFailed(f"cannot reach the datatracker for {name}: {exc} (use offline=True, or "
                               "point DRAFTSCOPE_DATATRACKER_URL at a mirror)") from exc
    except FetchError as exc:
        doc, failure = None, exc
    if doc is not None and doc_json_is_complete(doc, name):
        return CachedMeta(name=name, doc=doc, fetched_at=now, source="doc.json")
    if doc is None and failure is None:
        raise UnknownDocumentError(f"unknown document {name}: the datatracker has no such draft or RFC")
    try:
        _entries_found, doc_like = lineage_from_api(client, name)
    except UnknownDocumentError as exc:
        if failure is None:
            raise
        raise FetchError(f"cannot resolve the lineage of {name}: {failure} (and /api/v1 does not "
                         "list it)") from exc
    except FetchError as exc:
        if cached is not None:        # better stale metadata than none
            return cached
        raise FetchError(f"cannot resolve the lineage of {name}: {failure or exc}") from exc
    return CachedMeta(name=name, doc=doc_like, fetched_at=now, source="api")


def _listed(meta: CachedMeta | None, name: str) -> list[LineageEntry] | None:
    """The entries of ``meta`` if it lists ``name`` itself, else None (no use for ``name``)."""
    if meta is None:
        return None
    entries = lineage_from_doc_json(meta.doc)
    return entries if any(entry.name == name for entry in entries) else None


def _entries(meta: CachedMeta, name: str) -> list[LineageEntry]:
    """The entries of ``meta``, saying (once) what was skipped as unusable."""
    skipped: list = []
    entries = lineage_from_doc_json(meta.doc, skipped)
    if skipped:
        warn(skipped_note(f"the lineage of {name}", skipped))
    return entries


def _capped(name: str, entries: list[LineageEntry], settings: Settings) -> list[LineageEntry]:
    if len(entries) > settings.max_revisions:
        raise FetchError(f"the lineage of {name} lists {len(entries)} revisions, more than the "
                         f"limit of {settings.max_revisions}; nothing downloaded (raise it with "
                         "DRAFTSCOPE_MAX_REVISIONS)")
    return entries


# --------------------------------------------------------------------------- plan (pure)

def plan_files(entries: list[LineageEntry], formats: tuple[str, ...], *, settings: Settings,
               cache: Cache, meta: CachedMeta | None, offline: bool) -> list[PlannedFile]:
    """Decide per file: cached, to fetch, known absent, or unavailable offline."""
    absent = set(meta.absent) if meta else set()
    records = meta.files if meta else {}
    plan = []
    for entry in entries:
        for fmt in formats:
            path = cache.text_path(entry.name, entry.rev, fmt)
            filename = f"{entry.label}.{fmt}"
            problem = cached_problem(path, fmt, records.get(filename)) if path.is_file() else ""
            if problem is None:
                action = "cached"
            elif problem:           # emptied, cut, overwritten: never counted as the revision
                action = "damaged" if offline else "fetch"
                warn(f"cached {path} is damaged ({problem}): "
                     + ("not counted; run online to fetch it again" if offline
                        else "fetching it again"))
            elif offline:
                action = "offline"
            elif filename in absent:
                action = "absent"
            else:
                action = "fetch"
            plan.append(PlannedFile(entry, fmt, text_url(settings, entry.name, entry.rev, fmt),
                                    path, action))
    return plan


# --------------------------------------------------------------------------- act

def execute_plan(name: str, plan: list[PlannedFile], *, cache: Cache, client: HttpClient | None,
                 meta: CachedMeta | None, jobs: int, progress: "bool | None | FileProgress",
                 entries: int) -> FetchResult:
    """Download what the plan says, in parallel; return the revisions in plan order."""
    todo = [item for item in plan if item.action == "fetch"]
    cached = sum(item.action == "cached" for item in plan)
    shared = progress if isinstance(progress, FileProgress) else None
    if shared is not None:
        shared.total = (shared.total or 0) + len(plan)
        shared.update(len(plan) - len(todo))        # cached, known absent, offline: resolved
    outcome: dict[str, str] = {}          # filename -> "ok" | "absent"
    records: dict[str, dict] = {}         # filename -> size and sha256 of what was cached
    errors: list[str] = []
    if todo:
        bar = shared if shared is not None else progress_bar(
            progress, desc=f"{name}: {entries} revisions, {cached} cached, {len(todo)} to fetch",
            unit="file", total=len(todo))
        executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="draftscope-fetch")
        try:
            with client.phase(f"the texts of {name}"):
                futures = {executor.submit(_download, client, cache, item, records): item
                           for item in todo}
                for future in as_completed(futures):
                    item = futures[future]
                    try:
                        outcome[item.filename] = future.result()
                    except FetchError as exc:
                        errors.append(str(exc))
                    bar.update(1)
        except BaseException:     # Ctrl-C, or a bug: stop every download now, not one by one
            client.cancel()
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
            client.resume()       # a notebook's session stays usable after an interrupt
            if shared is None:
                bar.close()
            _remember(cache, meta, [f for f, o in outcome.items() if o == "absent"], records)
    fetched = sum(o == "ok" for o in outcome.values())
    if errors:
        raise FetchError(f"{len(errors)} of {len(todo)} downloads failed for {name} "
                         f"({fetched} fetched and kept; rerun to retry): {errors[0]}")

    revisions, missing = [], []
    for item in plan:
        ok = item.action == "cached" or outcome.get(item.filename) == "ok"
        if ok:
            revisions.append(Revision(item.entry.name, item.entry.rev, item.entry.date, item.path,
                                      item.format))
        elif item.format == "txt":        # xml is optional: a missing xml is no revision at all
            revisions.append(Revision(item.entry.name, item.entry.rev, item.entry.date, None, "txt"))
            missing.append(item.filename)
    return FetchResult(target=name, revisions=revisions, cached=cached, fetched=fetched,
                       missing=missing)


def _download(client: HttpClient, cache: Cache, item: PlannedFile, records: dict) -> str:
    response = client.get(item.url, kind="text")
    if response is None:
        return "absent"
    problem = text_problem(response.content, item.format, length_known=response.length_known)
    if problem:
        raise FetchError(f"{response.url}: not a revision text ({problem}); not cached")
    cache.write_text(item.entry.name, item.entry.rev, item.format, response.content)
    records[item.filename] = file_record(response.content)
    return "ok"


def _remember(cache: Cache, meta: CachedMeta | None, absent: list[str],
              records: dict[str, dict]) -> None:
    """Record 404s in the lineage's meta so a warm rerun does not ask again (until it expires),
    and the size and sha256 of each file cached, so a file cut or emptied later is noticed."""
    if meta is None:
        return
    if set(absent) <= set(meta.absent) and all(meta.files.get(f) == r for f, r in records.items()):
        return
    meta.absent = sorted(set(meta.absent) | set(absent))
    meta.files = {**meta.files, **records}
    cache.write_meta(meta)
