"""resolve_target: turn what a user typed into revisions on disk.

A target is a local ``.txt``/``.xml`` file, ``draft-NAME`` (its whole lineage, or only its
latest revision), ``draft-NAME-NN`` (that revision) or ``rfcNNNN`` (that RFC). Single revisions
take their date from the lineage's metadata: the cached doc.json whatever its age (publication
dates do not change), else one doc.json request online (then cached), else None offline.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Iterable

from draftscope.errors import UnknownDocumentError
from draftscope.fetch.cache import Cache
from draftscope.fetch.config import Settings
from draftscope.fetch.datatracker import lineage_from_doc_json
from draftscope.fetch.http import HttpClient
from draftscope.fetch.lineage import (check_jobs, execute_plan, fetch_lineage, lineage_entries,
                                      plan_files)
from draftscope.fetch.names import DocName, check_formats, parse_filename, parse_name
from draftscope.fetch.records import LineageEntry, Revision

LOCAL_SUFFIXES = (".txt", ".xml")


def resolve_target(target: str | os.PathLike, *, settings: Settings | None = None,
                   offline: bool = False, lineage: bool = True,
                   formats: Iterable[str] = ("txt",), progress: bool | None = False,
                   refresh: bool = False, jobs: int = 4) -> list[Revision]:
    """Revisions for ``target``: local file | draft-NAME | draft-NAME-NN | rfcNNNN.

    ``lineage=False`` narrows ``draft-NAME`` to its latest revision. Missing files offline have
    ``path=None``; a revision the archive does not have is an UnknownDocumentError.
    """
    settings = settings or Settings.from_env()
    if is_local_path(target):
        return [local_revision(Path(target), Cache(settings.cache_dir))]
    parsed = parse_name(str(target))
    formats = check_formats(formats)
    if parsed.rev is None and not parsed.is_rfc and lineage:
        return fetch_lineage(parsed.name, settings=settings, offline=offline, refresh=refresh,
                             jobs=jobs, formats=formats, progress=progress)
    try:
        return _resolve_one(parsed, settings=settings, offline=offline, formats=formats,
                            progress=progress, refresh=refresh, jobs=jobs)
    except UnknownDocumentError:
        # "draft-ietf-tsvwg-ieee-802-11" ends in digits without being a revision
        if parsed.rev is None:
            raise
        whole = DocName(f"{parsed.name}-{parsed.rev}")
        try:
            return _resolve_one(whole, settings=settings, offline=offline, formats=formats,
                                progress=progress, refresh=refresh, jobs=jobs)
        except UnknownDocumentError:
            pass
        raise


def is_local_path(target) -> bool:
    """A path-like object, or a string ending in .txt/.xml (names never do)."""
    if isinstance(target, os.PathLike):
        return True
    return isinstance(target, str) and target.lower().endswith(LOCAL_SUFFIXES)


def local_revision(path: Path, cache: Cache | None = None) -> Revision:
    """A Revision for a file on disk; name/rev from an archive-style file name when it has one."""
    if not path.is_file():
        raise UnknownDocumentError(f"no such file: {path}")
    fmt = "xml" if path.suffix.lower() == ".xml" else "txt"
    parsed = parse_filename(path.name)
    if parsed is None:
        return Revision(path.stem, "", None, path, fmt)
    name, rev, _ = parsed
    date = _cached_date(cache, name, rev) if cache else None
    return Revision(name, rev, date, path, fmt)


def _cached_date(cache: Cache, name: str, rev: str) -> datetime | None:
    for entry in known_entries(cache, name):
        if entry.rev == rev:
            return entry.date
    return None


def known_entries(cache: Cache, name: str) -> list[LineageEntry]:
    """``name``'s revisions as listed by cached metadata: its own, else any lineage listing it."""
    own = cache.read_meta(name)
    metas = [own] if own is not None else cache.iter_meta()
    for meta in metas:
        entries = [e for e in lineage_from_doc_json(meta.doc) if e.name == name]
        if entries:
            return entries
    return []


def _resolve_one(parsed: DocName, *, settings: Settings, offline: bool, formats: tuple[str, ...],
                 progress: bool | None, refresh: bool, jobs: int) -> list[Revision]:
    """One revision (draft-NAME-NN, rfcNNNN, or the latest of draft-NAME)."""
    cache = Cache(settings.cache_dir)
    client = None if offline else HttpClient(settings, pool_size=check_jobs(jobs))
    try:
        meta = cache.read_meta(parsed.name)
        entries = [] if refresh else known_entries(cache, parsed.name)
        if not entries and client is not None:
            meta, entries = lineage_entries(parsed.name, cache=cache, client=client, refresh=refresh)
        entry = _pick(parsed, entries, cache)
        plan = plan_files([entry], formats, settings=settings, cache=cache, meta=meta,
                          offline=offline)
        result = execute_plan(entry.label, plan, cache=cache, client=client, meta=meta, jobs=jobs,
                              progress=progress, entries=1)
    finally:
        if client is not None:
            client.close()
    if result.missing and not offline:
        raise UnknownDocumentError(f"{entry.label}: not available from the archive")
    return result.revisions


def _pick(parsed: DocName, entries: list[LineageEntry], cache: Cache) -> LineageEntry:
    if parsed.is_rfc:
        rev = parsed.name
    elif parsed.rev is not None:
        rev = parsed.rev
    else:   # latest revision of this draft
        revs = [e.rev for e in entries if e.name == parsed.name]
        revs = revs or [rev for rev, _fmt, _path in cache.cached_revisions(parsed.name)]
        if not revs:
            raise UnknownDocumentError(f"unknown document {parsed.name}: no revision known"
                                       " (fetch it online first)")
        rev = max(revs)
    for entry in entries:
        if entry.name == parsed.name and entry.rev == rev:
            return entry
    return LineageEntry(parsed.name, rev, None)
