"""What a scan reads: the revision texts under a mirror or a cache, and what the cache knows.

ROOT is a copy of the IETF rsync archive (``id/``, ``rfc/``, folders of years at any depth) or
draftscope's own cache (the same layout plus ``meta/``). Every ``.txt`` and ``.xml`` file whose
name is a draft revision or an RFC (``draft-x-y-07.txt``, ``rfc9000.xml``) is a revision text;
any other file (PDF, HTML, indexes, hidden and temporary files) is not looked at.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from draftscope.fetch.names import parse_filename

# draft-ietf-<group>-...: the IETF's naming rule for working group drafts
_WG_DRAFT = re.compile(r"\Adraft-ietf-([a-z0-9]+)-")


@dataclass(frozen=True)
class SourceFile:
    """One revision text found under ROOT, with the stat a rerun compares."""

    path: str              # relative to ROOT, POSIX separators: the dataset's key
    size: int
    mtime_ns: int
    name: str
    rev: str
    format: str            # "txt" | "xml"


@dataclass(frozen=True)
class Known:
    """What the cache's metadata says of a revision (either may be unknown)."""

    date: datetime | None = None
    group: str | None = None


def find_sources(root: str | os.PathLike) -> list[SourceFile]:
    """Every revision text under ``root``, sorted by path (symlinked folders are not followed)."""
    top = os.fspath(root)
    prefix = len(os.path.join(top, ""))  # entries' paths start with the root and a separator
    found: list[SourceFile] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue   # an unreadable folder holds nothing we can read
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
                continue
            parsed = parse_filename(entry.name)
            if parsed is None or not entry.is_file():
                continue
            info = entry.stat()
            relative = entry.path[prefix:].replace(os.sep, "/")   # (strings: pathlib was a third of it)
            found.append(SourceFile(relative, info.st_size, info.st_mtime_ns, *parsed))
    found.sort(key=lambda s: s.path)
    return found


def known_revisions(root: str | os.PathLike) -> dict[tuple[str, str], Known]:
    """(name, rev) -> date and group from a cache's ``meta/`` (empty for a plain mirror);
    (name, "") -> the group of any revision of a document a lineage lists (see :func:`lookup`)."""
    if not (Path(root) / "meta").is_dir():
        return {}
    from draftscope.fetch.cache import Cache
    from draftscope.fetch.datatracker import lineage_from_doc_json

    known: dict[tuple[str, str], Known] = {}
    for meta in Cache(root).iter_meta():
        group = meta.doc.get("group")
        acronym = group.get("acronym") if isinstance(group, dict) else None
        if not isinstance(acronym, str) or acronym in ("", "none"):
            acronym = None
        for entry in lineage_from_doc_json(meta.doc):
            old = known.get((entry.name, entry.rev), Known())
            known[(entry.name, entry.rev)] = Known(old.date or entry.date, old.group or acronym)
            if acronym is not None and (entry.name, "") not in known:
                known[(entry.name, "")] = Known(None, acronym)   # any revision of the name
    return known


def lookup(known: dict[tuple[str, str], Known], name: str, rev: str) -> Known:
    """What ``known`` says of a revision: its own entry, else its document's group."""
    return known.get((name, rev)) or known.get((name, ""), Known())


def group_from_name(name: str) -> str | None:
    """``draft-ietf-quic-transport`` -> ``quic``; None for other drafts and RFCs."""
    m = _WG_DRAFT.match(name)
    return m.group(1) if m else None
