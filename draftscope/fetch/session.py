"""Session: one conversation with the datatracker (the role ietfdata's ``DataTracker`` and
``httpx.Client`` play).

A session owns what every fetch shares: the :class:`Settings`, the :class:`Cache`, the ONE
:class:`HttpClient` (opened on first request, never offline), the offline/refresh/jobs choices
and the progress policy. Every request of a command goes through it, so ``session.requests``
is what the server saw. Its methods are the fetch stage's verbs::

    with Session(settings, jobs=8) as session:
        result = session.lineage("draft-ietf-quic-transport")       # FetchResult
        [rev] = session.revision("draft-ietf-quic-invariants-05")   # one revision, lineage=False
        revisions = session.resolve("rfc9000")                      # what a user typed
        drafts = session.group("quic")                              # a WG's document dicts
        lineages = session.lineages(["draft-ietf-quic-qpack", "rfc8999"])   # .missing: data

The free functions (:func:`fetch_lineage`, :func:`sync_lineage`, :func:`group_drafts`,
:func:`resolve_target`, :func:`fetch_lineages`, all here, below the class) open a session for
one call: handy in notebooks, the same code underneath. They live beside Session, not in
``lineage``/``targets`` (which Session uses): no module of the fetch stage imports one that
imports it back.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from draftscope.errors import OfflineMissingError, UnknownDocumentError, UsageError
from draftscope.options import DEFAULT_JOBS, check_jobs
from draftscope.fetch.cache import Cache, CachedMeta
from draftscope.fetch.config import Settings
from draftscope.fetch.datatracker import list_group_documents
from draftscope.fetch.http import HttpClient
from draftscope.fetch.notices import record_partial
from draftscope.fetch.lineage import FileProgress, execute_plan, lineage_entries, plan_files
from draftscope.fetch.names import DocName, check_formats, check_group, parse_name
from draftscope.fetch.records import FetchResult, LineageEntry, Lineages, Revision, lineage_of
from draftscope.fetch.targets import is_local_path, known_entries, local_revision, pick_entry
from draftscope.progress import progress_bar


class Session:
    """Settings, cache, one HTTP client and the fetch options, shared by every call.

    ``offline`` makes no request at all (missing files are ``path=None``); ``refresh`` asks
    for lineage metadata cached less than a day ago again; ``jobs`` is the number of parallel
    text downloads (API calls stay sequential); ``progress`` is True/False/None (None: bars only
    when stderr is a terminal). ``client`` lends an existing HttpClient (not closed here).
    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, settings: Settings | None = None, *, offline: bool = False,
                 refresh: bool = False, jobs: int = DEFAULT_JOBS, progress: bool | None = None,
                 client: HttpClient | None = None) -> None:
        if settings is not None and not isinstance(settings, Settings):
            raise TypeError(f"settings= must be a draftscope Settings (Settings.from_env(...)), "
                            f"got {type(settings).__name__} {settings!r:.40}")
        if client is not None and not isinstance(client, HttpClient):
            raise TypeError(f"client= must be an HttpClient, got {type(client).__name__}")
        self.settings = settings or (client.settings if client else Settings.from_env())
        self.offline = bool(offline)
        self.refresh = bool(refresh)
        self.jobs = check_jobs(jobs)
        self.progress = progress
        self.cache = Cache(self.settings.cache_dir)
        self._client = client
        self._owns_client = client is None
        self._swept = False
        # offline lineages with files listed but not cached: {lineage: (files listed, missing)}
        self.partial: dict[str, tuple[int, list[str]]] = {}

    # -- the one client ------------------------------------------------------------------
    @property
    def client(self) -> HttpClient | None:
        """The session's HTTP client, opened on first use; None offline (no request, ever)."""
        if self.offline:
            return None
        if self._client is None:
            self._client = HttpClient(self.settings, pool_size=self.jobs)
        return self._client

    @property
    def requests(self) -> int:
        """HTTP requests made through this session so far (retries included)."""
        return self._client.requests if self._client is not None else 0

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "offline" if self.offline else self.settings.datatracker_url
        return f"Session({mode}, cache={self.settings.cache_dir}, requests={self.requests})"

    # -- lineages ------------------------------------------------------------------------
    def lineage(self, name: str, *, formats: Iterable[str] = ("txt",),
                bar: FileProgress | None = None) -> FetchResult:
        """Every revision of ``name``'s lineage (replaced drafts, the draft, successors, the RFC
        last) in the cache, with counts: cached, fetched, requests, missing.

        ``draft-x-07`` and ``rfcN`` stand for their lineage. One :class:`Revision` per file and
        format; a txt the archive lacks (or not cached, offline) has ``path=None``. ``bar``: a
        progress bar several lineages share (the session's own per-lineage bar otherwise).
        """
        doc_name = parse_name(name).name
        formats = check_formats(formats)
        before = self.requests
        meta, entries = self.lineage_entries(doc_name)
        plan = plan_files(entries, formats, settings=self.settings, cache=self.cache, meta=meta,
                          offline=self.offline)
        result = execute_plan(doc_name, plan, cache=self.cache, client=self.client, meta=meta,
                              jobs=self.jobs, progress=bar if bar is not None else self.progress,
                              entries=len(entries))
        if self.offline and result.missing:
            self.partial[doc_name] = (len(plan), list(result.missing))
            record_partial(doc_name, len(plan), result.missing)
        return replace(result, requests=self.requests - before)

    def lineage_entries(self, name: str) -> tuple[CachedMeta | None, list[LineageEntry]]:
        """A lineage's listing without its files: (cached metadata, entries) for document
        ``name`` (no revision suffix), from the cache when fresh (offline: of any age), else one
        doc.json request (or /api/v1)."""
        self._sweep()
        return lineage_entries(name, cache=self.cache, client=self.client, refresh=self.refresh)

    def lineages(self, names: Sequence[str], *, formats: Iterable[str] = ("txt",)) -> Lineages:
        """Each name's lineage, ``{lineage: [Revision with a file]}`` in the order given, under
        one progress bar over the files of all of them.

        Names of one lineage (``rfc9000`` after ``draft-ietf-quic-transport``, ``draft-x-05``
        after ``draft-x``) are fetched once; an RFC's lineage is named after its last draft.
        Revisions listed without a file are data, not noise: ``result.missing[lineage]`` names
        them (labels) and they are left out of the lists.
        """
        keys = list(dict.fromkeys(lineage_key(n) for n in names))
        if not keys:
            raise UsageError("no lineage to fetch: give draft names or a working group")
        lineages = Lineages()
        fetched = 0
        bar = progress_bar(self.progress, total=0, desc="fetch", unit="file", minimum=0)
        try:
            for done, key in enumerate(keys):
                bar.set_postfix_str(f"draft {done + 1}/{len(keys)}, {fetched} files fetched")
                result = self.lineage(key, formats=formats, bar=bar)
                fetched += result.fetched
                revisions = [r for r in result.revisions if r.path is not None]
                lineage = lineage_name(key, result.revisions)
                if lineage not in lineages:
                    lineages[lineage] = revisions
                    lineages.missing[lineage] = [r.label for r in result.revisions
                                                 if r.path is None]
            bar.set_postfix_str(f"{len(keys)} drafts, {fetched} files fetched")
        finally:
            bar.close()
        return lineages

    # -- single revisions ----------------------------------------------------------------
    def resolve(self, target: str | os.PathLike, *, lineage: bool = True,
                formats: Iterable[str] = ("txt",)) -> list[Revision]:
        """Revisions for what a user typed: a local .txt/.xml file | ``draft-NAME`` (its whole
        lineage; with ``lineage=False`` its latest revision) | ``draft-NAME-NN`` | ``rfcNNNN``
        (that revision)."""
        if is_local_path(target):
            return [local_revision(Path(target), self.cache)]
        parsed = parse_name(str(target))
        if parsed.rev is None and not parsed.is_rfc and lineage:
            return self.lineage(parsed.name, formats=formats).revisions
        return self.revision(str(target), formats=formats)

    def revision(self, name: str, *, formats: Iterable[str] = ("txt",)) -> list[Revision]:
        """One revision's files (one per format): ``draft-NAME-NN``, ``rfcNNNN``, or the latest
        revision of ``draft-NAME``; dated from the lineage's metadata (cached whatever its age,
        else one doc.json request, else None offline).

        Offline, a file not cached has ``path=None``; online, a revision the archive does not
        have is an :class:`UnknownDocumentError`.
        """
        parsed = parse_name(name)
        formats = check_formats(formats)
        try:
            return self._revision(parsed, formats)
        except UnknownDocumentError:
            if parsed.rev is None:   # "draft-ietf-tsvwg-ieee-802-11": digits, not a revision
                raise
            try:
                return self._revision(DocName(f"{parsed.name}-{parsed.rev}"), formats)
            except UnknownDocumentError:
                pass
            raise

    def _revision(self, parsed: DocName, formats: tuple[str, ...]) -> list[Revision]:
        meta = self.cache.read_meta(parsed.name)
        entries = [] if self.refresh else known_entries(self.cache, parsed.name)
        if not entries and not self.offline:
            meta, entries = self.lineage_entries(parsed.name)
        entry = pick_entry(parsed, entries, self.cache)
        plan = plan_files([entry], formats, settings=self.settings, cache=self.cache, meta=meta,
                          offline=self.offline)
        result = execute_plan(entry.label, plan, cache=self.cache, client=self.client, meta=meta,
                              jobs=self.jobs, progress=self.progress, entries=1)
        if result.missing:
            known = sorted({e.rev for e in entries if e.name == parsed.name and not e.is_rfc})
            if parsed.rev is not None and not parsed.is_rfc and known and parsed.rev not in known:
                # "not available from the archive" / "drop --offline" sent users after a
                # revision the lineage never had
                span = (f"only revision {known[0]}" if len(known) == 1
                        else f"revisions {known[0]}..{known[-1]}")
                raise UnknownDocumentError(f"{entry.label}: no such revision ({parsed.name} has "
                                           f"{span})")
            if not self.offline:
                raise UnknownDocumentError(f"{entry.label}: not available from the archive")
        return result.revisions

    # -- working groups ------------------------------------------------------------------
    def group(self, acronym: str, *, page_size: int = 100) -> list[dict]:
        """A working group's drafts (tastypie document dicts), cached in DIR/meta/group.<wg>.json
        and reused for a day like lineage metadata; offline, the cached list of any age."""
        acronym = check_group(acronym)
        now = datetime.now(timezone.utc)
        cached = self.cache.read_group(acronym)
        if self.offline:
            if cached is None:
                raise OfflineMissingError(f"offline: the drafts of {acronym} are not cached; run "
                                          f"'draftscope fetch --group {acronym}' online first")
            return cached[0]
        if cached is not None and not self.refresh and \
                (now - cached[1]).total_seconds() < self.settings.meta_max_age:
            return cached[0]
        documents = list_group_documents(acronym, settings=self.settings, client=self.client,
                                         page_size=page_size)
        self.cache.write_group(acronym, documents, now)
        return documents

    def _sweep(self) -> None:
        """Once per session online: delete temp files a killed earlier run left in the cache."""
        if not self.offline and not self._swept:
            self._swept = True
            self.cache.sweep_partials()


@contextmanager
def open_session(session: Session | None = None, **options) -> Iterator[Session]:
    """``session`` itself (left open), or a new :class:`Session` from ``options`` closed on exit:
    how functions that take ``session=`` or the loose options (settings, offline, ...) get one."""
    if session is not None:
        yield session
        return
    with Session(**options) as own:
        yield own


def lineage_key(name: str) -> str:
    """The lineage a name stands for: ``draft-x-07`` -> ``draft-x``; drafts and RFCs as given."""
    return parse_name(name).name


def lineage_name(name: str, revisions: Sequence[Revision]) -> str:
    """What a lineage is called among several: the draft asked for, or for an RFC the last draft
    before it (so ``rfc9000`` and ``draft-ietf-quic-transport`` are one lineage)."""
    if not DocName(name).is_rfc:
        return name
    return lineage_of(list(revisions)) or name


def fetch_lineages(names: Sequence[str], *, settings: Settings | None = None,
                   offline: bool = False, refresh: bool = False, jobs: int = DEFAULT_JOBS,
                   progress: bool | None = None) -> Lineages:
    """:meth:`Session.lineages` in a session of its own (for notebooks): ``{lineage:
    [Revision]}`` with ``.missing`` naming the revisions listed without a file."""
    with Session(settings, offline=offline, refresh=refresh, jobs=jobs, progress=progress) as s:
        return s.lineages(names)


def fetch_lineage(name: str, *, settings: Settings | None = None, offline: bool = False,
                  refresh: bool = False, jobs: int = DEFAULT_JOBS, formats: Iterable[str] = ("txt",),
                  progress: "bool | None | FileProgress" = None) -> list[Revision]:
    """Whole lineage of ``name`` in order (replaced drafts, the draft, successors, RFC last).

    One :class:`Revision` per file and format; a txt revision the archive lacks (or that is
    not cached, offline) has ``path=None``; xml revisions appear only where the file exists.
    """
    return sync_lineage(name, settings=settings, offline=offline, refresh=refresh, jobs=jobs,
                        formats=formats, progress=progress).revisions


def sync_lineage(name: str, *, settings: Settings | None = None, offline: bool = False,
                 refresh: bool = False, jobs: int = DEFAULT_JOBS, formats: Iterable[str] = ("txt",),
                 progress: "bool | None | FileProgress" = None,
                 client: HttpClient | None = None) -> FetchResult:
    """fetch_lineage with the counts the CLI reports (cached, fetched, requests, missing), in a
    session of its own (:meth:`draftscope.fetch.session.Session.lineage`); ``client`` lends it
    an open HttpClient."""
    bar = progress if isinstance(progress, FileProgress) else None
    with Session(settings, offline=offline, refresh=refresh, jobs=jobs, client=client,
                 progress=None if bar is not None else progress) as session:
        return session.lineage(name, formats=formats, bar=bar)


def group_drafts(acronym: str, *, settings: Settings | None = None, client: HttpClient | None = None,
                 offline: bool = False, refresh: bool = False, page_size: int = 100) -> list[dict]:
    """A working group's drafts (tastypie document dicts), cached a day, in a session of its own
    (:meth:`draftscope.fetch.session.Session.group`)."""
    with Session(settings, offline=offline, refresh=refresh, client=client) as session:
        return session.group(acronym, page_size=page_size)


def resolve_target(target: str | os.PathLike, *, settings: Settings | None = None,
                   offline: bool = False, lineage: bool = True,
                   formats: Iterable[str] = ("txt",), progress: bool | None = False,
                   refresh: bool = False, jobs: int = DEFAULT_JOBS) -> list[Revision]:
    """Revisions for ``target``: local file | draft-NAME | draft-NAME-NN | rfcNNNN, in a
    session of its own (see :meth:`draftscope.fetch.session.Session.resolve`).

    ``lineage=False`` narrows ``draft-NAME`` to its latest revision. Missing files offline have
    ``path=None``; a revision the archive does not have is an UnknownDocumentError.
    """
    with Session(settings, offline=offline, refresh=refresh, jobs=jobs, progress=progress) as s:
        return s.resolve(target, lineage=lineage, formats=formats)
