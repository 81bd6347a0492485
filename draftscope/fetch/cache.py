"""The on-disk cache, laid out like the IETF rsync archive so a mirror can stand in for it.

    DIR/id/<draft>-<rev>.txt|.xml     immutable revision texts (rsync.ietf.org::id-archive)
    DIR/rfc/rfcNNNN.txt|.xml          immutable RFC texts (rsync.rfc-editor.org::rfcs-text-only)
    DIR/meta/<name>.json              {"fetched_at", "source", "doc": doc.json as received, "absent"}

Every write goes to a temporary file in the destination directory and is renamed into place
(``os.replace``), so a reader never sees half a file and an interrupted run leaves none; the
temporary name carries the writer's process id, so the next run removes what a killed run left
at once (others' after an hour). Paths are built only from validated names and checked to stay
inside DIR: a DIR/id, DIR/rfc or DIR/meta that is a symlink is refused for writes and deletes.
Files get the mode an ordinary ``open()`` would give (0666 minus the umask), like every output.
Metadata is read defensively: a file of the wrong shape is no metadata (refetched online).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from draftscope.errors import CacheError, DraftscopeError, NotRegularFileError
from draftscope.files import sweep_partials, write_atomic
from draftscope.files import temp_prefix  # noqa: F401  (tests name temp files with it)
from draftscope.fetch import jsonsafe
from draftscope.fetch.names import (FORMATS, is_rfc, check_document_name, check_group, check_revision,
                                    parse_filename)

AREAS = ("id", "rfc", "meta")
MAX_META_BYTES = 64 << 20   # a cached doc.json or group list larger than this is not ours
CLOCK_SKEW = 300.0          # seconds a fetched_at may lie in the future before it is distrusted



@dataclass
class CachedMeta:
    """A lineage's metadata as cached: the doc.json body and when it was fetched."""

    name: str
    doc: dict
    fetched_at: datetime
    source: str = "doc.json"            # or "api" when rebuilt from /api/v1
    absent: list[str] = field(default_factory=list)   # files the server answered 404 for
    files: dict[str, dict] = field(default_factory=dict)  # filename -> {"size", "sha256"} as fetched

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since the fetch; infinite (expired) for a fetched_at in the future."""
        now = now or datetime.now(timezone.utc)
        age = (now - self.fetched_at).total_seconds()
        return float("inf") if age < -CLOCK_SKEW else age


class Cache:
    """Paths and atomic reads/writes under one cache directory."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # paths ------------------------------------------------------------------
    def text_path(self, name: str, rev: str, fmt: str) -> Path:
        check_document_name(name)
        if fmt not in FORMATS:
            raise CacheError(f"unknown format {fmt!r}")
        if is_rfc(name):
            return self._inside(self.root / "rfc" / f"{name}.{fmt}")
        return self._inside(self.root / "id" / f"{name}-{check_revision(rev)}.{fmt}")

    def meta_path(self, name: str) -> Path:
        return self._inside(self.root / "meta" / f"{check_document_name(name)}.json")

    def _inside(self, path: Path) -> Path:
        """``path`` (DIR/<area>/<file>) unless its area is a symlink or resolves elsewhere."""
        area = path.parent
        if area.parent != self.root or area.name not in AREAS or not self._area_ok(area):
            raise CacheError(f"refusing to write outside the cache: {path}")
        return path

    def _area_ok(self, area: Path) -> bool:
        if area.is_symlink():
            return False
        return not area.exists() or area.resolve() == self.root.resolve() / area.name

    # texts ------------------------------------------------------------------
    def write_text(self, name: str, rev: str, fmt: str, data: bytes) -> Path:
        path = self.text_path(name, rev, fmt)
        _write_or_explain(path, data)
        return path

    def cached_revisions(self, name: str) -> list[tuple[str, str, Path]]:
        """(rev, fmt, path) of a document's files present in the cache (a mirror has no meta)."""
        check_document_name(name)
        folder = self.root / ("rfc" if is_rfc(name) else "id")
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
        """The cached metadata of ``name``; None when absent or not of the shape we write
        (hand-edited, cut, nested, another version's): it is then fetched again online."""
        found = _read_record(self.meta_path(name), "doc", dict)
        if found is None:
            return None
        raw, fetched_at = found
        absent, files = raw.get("absent", []), raw.get("files", {})
        if not isinstance(absent, list) or not isinstance(files, dict):
            return None
        source = raw.get("source", "doc.json")
        return CachedMeta(name=name, doc=raw["doc"], fetched_at=fetched_at,
                          source=source if source in ("doc.json", "api") else "doc.json",
                          absent=[a for a in absent if isinstance(a, str)],
                          files={k: v for k, v in files.items()
                                 if isinstance(v, dict) and isinstance(v.get("size"), int)})

    def group_path(self, acronym: str) -> Path:
        return self._inside(self.root / "meta" / f"group.{check_group(acronym)}.json")

    def read_group(self, acronym: str) -> tuple[list[dict], datetime] | None:
        """A working group's cached document list and when it was fetched (None if unusable)."""
        path = self.group_path(acronym)   # a bad acronym raises, outside the corrupt-file net
        found = _read_record(path, "documents", list)
        if found is None:
            return None
        raw, fetched_at = found
        if (fetched_at - datetime.now(timezone.utc)).total_seconds() > CLOCK_SKEW:
            fetched_at = datetime.fromtimestamp(0, timezone.utc)     # from the future: expired
        return [d for d in raw["documents"] if isinstance(d, dict)], fetched_at

    def write_group(self, acronym: str, documents: list[dict], fetched_at: datetime) -> Path:
        path = self.group_path(acronym)
        body = {"group": acronym, "fetched_at": fetched_at.isoformat(), "documents": documents}
        _write_or_explain(path, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        return path

    def sweep_partials(self, older_than: float = 3600.0) -> int:
        """Delete temp files a killed run (SIGKILL, power loss) left behind; returns how many.

        Ours (pid in the name, this host) go as soon as that process is gone; any other
        ``.*.part`` after ``older_than`` seconds. Symlinked areas and non-files are left alone.
        """
        removed = 0
        for area in AREAS:
            folder = self.root / area
            if folder.is_dir() and self._area_ok(folder):
                removed += sweep_partials(folder, older_than, ours_only=False)
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
                "absent": sorted(set(meta.absent)), "files": dict(sorted(meta.files.items())),
                "doc": meta.doc}
        _write_or_explain(path, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        return path


def file_record(data: bytes) -> dict:
    """What the metadata remembers of a cached file, to notice it changed or was cut."""
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def open_regular(path: str | os.PathLike):
    """``path`` opened for binary reading if it is a regular file (symlinks followed); a FIFO,
    device, socket or folder is refused (:class:`NotRegularFileError`) before anything is read: it
    is opened non-blocking (a FIFO without a writer would block ``open`` itself) and checked
    with ``fstat`` on the open descriptor, so no swap in between can slip past."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise NotRegularFileError(f"{path} is {kind}, not a regular file: refusing to read it")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_record(path: Path, key: str, kind: type) -> tuple[dict, datetime] | None:
    """A cached JSON object whose ``key`` holds a ``kind`` and whose ``fetched_at`` is a time,
    with that time; None when it is missing, unreadable or not of the shape we write."""
    try:
        raw = jsonsafe.loads(_read_small(path))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get(key), kind):
        return None
    fetched_at = _timestamp(raw.get("fetched_at"))
    return None if fetched_at is None else (raw, fetched_at)


def _read_small(path: Path) -> bytes:
    """A metadata file's bytes; ValueError if it is larger than any we write, CacheError if it
    is not a regular file (a FIFO there would hang every command reading the lineage)."""
    try:
        fh = open_regular(path)
    except NotRegularFileError as exc:
        raise CacheError(f"{exc} (remove it from the cache)") from None
    with fh:
        data = fh.read(MAX_META_BYTES + 1)
    if len(data) > MAX_META_BYTES:
        raise ValueError(f"{path} is larger than {MAX_META_BYTES} bytes")
    return data


def _timestamp(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


def _write_or_explain(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise CacheError(f"cannot write {path}: {exc.strerror or exc}") from exc
