"""What a user typed, turned into revisions on disk: the helpers behind
:meth:`draftscope.fetch.session.Session.resolve` (and :func:`~draftscope.fetch.session.resolve_target`).

A target is a local ``.txt``/``.xml`` file, ``draft-NAME`` (its whole lineage, or only its
latest revision), ``draft-NAME-NN`` (that revision) or ``rfcNNNN`` (that RFC). Single revisions
take their date from the lineage's metadata: the cached doc.json whatever its age (publication
dates do not change), else one doc.json request online (then cached), else None offline.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path


from draftscope.errors import UnknownDocumentError
from draftscope.fetch.cache import Cache
from draftscope.fetch.datatracker import lineage_from_doc_json
from draftscope.fetch.names import LOCAL_SUFFIXES, DocName, parse_filename
from draftscope.fetch.records import LineageEntry, Revision



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


def pick_entry(parsed: DocName, entries: list[LineageEntry], cache: Cache) -> LineageEntry:
    """The entry ``parsed`` names: its revision, the RFC, or the latest revision of the draft."""
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
