"""The on-disk cache, laid out like the IETF rsync archive so a mirror can stand in for it.

    DIR/id/<draft>-<rev>.txt|.xml     immutable revision texts (rsync.ietf.org::id-archive)
    DIR/rfc/rfcNNNN.txt|.xml          immutable RFC texts (rsync.rfc-editor.org::rfcs-text-only)
    DIR/meta/<name>.json              {"fetched_at", "source", "doc": doc.json as received, "absent"}

Every write goes to a temporary file in the destination directory and is renamed into place
(``os.replace``), so a reader never sees half a file and an interrupted run leaves none.
Paths are built only from validated names and checked to stay inside DIR.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from draftscope.errors import CacheError, DraftscopeError
from draftscope.fetch.names import (FORMATS, check_document_name, check_group, check_revision,
                                    parse_filename)

TEMP_SUFFIX = ".part"



@dataclass
class CachedMeta:
    """A lineage's metadata as cached: the doc.json body and when it was fetched."""

    name: str
    doc: dict
    fetched_at: datetime
    source: str = "doc.json"            # or "api" when rebuilt from /api/v1
    absent: list[str] = field(default_factory=list)   # files the server answered 404 for

    def age_seconds(self, now: datetime | None = None) -> float:
        now = now or datetime.now(timezone.utc)
        return (now - self.fetched_at).total_seconds()


class Cache:
    """Paths and atomic reads/writes under one cache directory."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # paths ------------------------------------------------------------------
    def text_path(self, name: str, rev: str, fmt: str) -> Path:
        check_document_name(name)
        if fmt not in FORMATS:
            raise CacheError(f"unknown format {fmt!r}")
        if name.startswith("rfc"):
            return self._inside(self.root / "rfc" / f"{name}.{fmt}")
        return self._inside(self.root / "id" / f"{name}-{check_revision(rev)}.{fmt}")

    def meta_path(self, name: str) -> Path:
        return self._inside(self.root / "meta" / f"{check_document_name(name)}.json")

    def _inside(self, path: Path) -> Path:
        root = self.root.resolve()
        resolved = path.resolve()
        if resolved.parent.parent != root:   # DIR/<area>/<file>
            raise CacheError(f"refusing to write outside the cache: {path}")
        return path

    # texts ------------------------------------------------------------------
    def has_text(self, name: str, rev: str, fmt: str) -> bool:
        return self.text_path(name, rev, fmt).is_file()

    def write_text(self, name: str, rev: str, fmt: str, data: bytes) -> Path:
        path = self.text_path(name, rev, fmt)
        _write_or_explain(path, data)
        return path

    def cached_revisions(self, name: str) -> list[tuple[str, str, Path]]:
        """(rev, fmt, path) of a document's files present in the cache (a mirror has no meta)."""
        check_document_name(name)
        folder = self.root / ("rfc" if name.startswith("rfc") else "id")
        if not folder.is_dir():
            return []
        found = []
        for path in folder.glob(f"{name}*"):
            parsed = parse_filename(path.name)
            if parsed and parsed[0] == name:
                found.append((parsed[1], parsed[2], path))
        return sorted(found)

    # metadata ---------------------------------------------------------------
    def read_meta(self, name: str) -> CachedMeta | None:
        path = self.meta_path(name)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            fetched_at = datetime.fromisoformat(raw["fetched_at"])
            if fetched_at.tzinfo is None:
                fetched_at = fetched_at.replace(tzinfo=timezone.utc)
            return CachedMeta(name=name, doc=raw["doc"], fetched_at=fetched_at,
                              source=raw.get("source", "doc.json"), absent=list(raw.get("absent", [])))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):   # corrupt: treat as absent, it will be refetched
            return None

    def group_path(self, acronym: str) -> Path:
        return self._inside(self.root / "meta" / f"group.{check_group(acronym)}.json")

    def read_group(self, acronym: str) -> tuple[list[dict], datetime] | None:
        """A working group's cached document list and when it was fetched."""
        path = self.group_path(acronym)   # a bad acronym raises, outside the corrupt-file net
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            fetched_at = datetime.fromisoformat(raw["fetched_at"])
            if fetched_at.tzinfo is None:
                fetched_at = fetched_at.replace(tzinfo=timezone.utc)
            return list(raw["documents"]), fetched_at
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None

    def write_group(self, acronym: str, documents: list[dict], fetched_at: datetime) -> Path:
        path = self.group_path(acronym)
        body = {"group": acronym, "fetched_at": fetched_at.isoformat(), "documents": documents}
        _write_or_explain(path, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        return path

    def sweep_partials(self, older_than: float = 3600.0) -> int:
        """Delete temp files a killed run (SIGKILL, power loss) left behind; returns how many."""
        cutoff = time.time() - older_than
        removed = 0
        for area in ("id", "rfc", "meta"):
            folder = self.root / area
            for path in folder.glob(f".*{TEMP_SUFFIX}") if folder.is_dir() else []:
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    pass
        return removed

    def iter_meta(self):
        """Every cached lineage's metadata (a revision may be listed in another name's lineage)."""
        folder = self.root / "meta"
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                meta = self.read_meta(path.stem)
            except DraftscopeError:
                continue
            if meta is not None:
                yield meta

    def write_meta(self, meta: CachedMeta) -> Path:
        path = self.meta_path(meta.name)
        body = {"name": meta.name, "fetched_at": meta.fetched_at.isoformat(), "source": meta.source,
                "absent": sorted(set(meta.absent)), "doc": meta.doc}
        _write_or_explain(path, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _write_or_explain(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise CacheError(f"cannot write {path}: {exc.strerror or exc}") from exc
