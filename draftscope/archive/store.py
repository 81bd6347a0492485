"""The scan dataset on disk: a folder of Parquet files named by a manifest, changed only by
atomic steps so that a scan killed at any moment (kill -9, power loss) leaves a dataset the
next run completes with nothing lost or duplicated.

    DATASET/_manifest.json      {"format", "schema_version", "measure", "next", "parts": [...]}
    DATASET/part-000001.parquet one batch of rows each (the rows of a file live in one part)
    DATASET/_lock               held (flock) while a scan runs: one writer at a time

Every part is written under a hidden temporary name (:mod:`draftscope.files`), fsync'ed and
renamed into place; it joins the dataset when the manifest that lists it replaces the old one
(temp file, fsync, rename).
Rows leave the dataset the same way: the parts that hold them are rewritten without them, and
the manifest swaps old parts for new in one rename. A file the manifest does not list (left by a
killed run) is deleted when the dataset is next opened for writing. Readers read the parts the
manifest lists (``pyarrow.dataset`` over the folder sees the same rows once a scan has ended:
names starting with ``_`` or ``.`` are ignored by it).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from draftscope.archive.schema import INDEX_COLUMNS, SCHEMA_VERSION, arrow_schema, conform
from draftscope.errors import DatasetError, ScanInputError
from draftscope.files import OWN_TEMP_RE, atomic_writer, write_atomic

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

MANIFEST = "_manifest.json"
LOCK = "_lock"
FORMAT = "draftscope-scan"
_PART = re.compile(r"\Apart-[0-9]{6,}\.parquet\Z")


@dataclass(frozen=True)
class Indexed:
    """What the dataset holds of a file: its stat when read, its hash, the part it is in."""

    size: int
    mtime_ns: int
    sha256: str | None
    part: str


class Store:
    """A dataset folder opened for writing (hold the lock with ``with Store.open(...)``)."""

    def __init__(self, folder: Path, manifest: dict[str, Any], lock_fd: int | None) -> None:
        self.folder = folder
        self.manifest = manifest
        self._lock_fd = lock_fd

    # opening -----------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | os.PathLike, measure: str) -> "Store":
        """The dataset at ``folder`` (created when absent), locked, leftovers of a killed run
        deleted; a dataset scanned with another ``measure`` is emptied (its rows lack columns)."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ScanInputError(f"{folder}: exists and is not a folder (--out is a dataset folder)")
        folder.mkdir(parents=True, exist_ok=True)
        manifest = read_manifest(folder, missing_ok=True)
        if manifest is None:
            strangers = [p.name for p in folder.iterdir() if p.name != LOCK and not _is_temp(p.name)]
            if strangers:
                raise ScanInputError(f"{folder}: not a draftscope scan dataset (holds {strangers[0]!r} "
                                     "and no _manifest.json); give an empty or new folder")
            manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "measure": measure,
                        "next": 1, "parts": []}
        store = cls(folder, manifest, _lock(folder))
        try:
            store._sweep()
            if manifest.get("measure") != measure:
                store.manifest["measure"] = measure
                store.commit([], drop_parts=list(store.parts))
            elif not (folder / MANIFEST).exists():
                store._write_manifest()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)   # releases the flock
            self._lock_fd = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def parts(self) -> list[str]:
        return list(self.manifest["parts"])

    def _sweep(self) -> None:
        """Delete what a killed run left: temporary files and parts the manifest does not list
        (whatever process wrote them: this one holds the lock)."""
        listed = set(self.parts)
        for path in self.folder.iterdir():
            if _is_temp(path.name) or (_PART.match(path.name) and path.name not in listed):
                path.unlink(missing_ok=True)

    # reading -----------------------------------------------------------------------------------
    def index(self) -> dict[str, Indexed]:
        """path -> :class:`Indexed` of every row (only the index columns are read)."""
        found: dict[str, Indexed] = {}
        for part in self.parts:
            table = _read_part(self.folder / part, list(INDEX_COLUMNS))
            columns = [table.column(c).to_pylist() for c in INDEX_COLUMNS]
            for path, size, mtime_ns, sha in zip(*columns):
                found[path] = Indexed(size, mtime_ns, sha, part)
        return found

    # writing -----------------------------------------------------------------------------------
    def write_part(self, rows: list[dict[str, Any]] | "pa.Table") -> str:
        """A new part holding ``rows`` (not yet in the dataset: :meth:`commit` adds it)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=arrow_schema())
        name = f"part-{self.manifest['next']:06d}.parquet"
        self.manifest["next"] += 1
        with atomic_writer(self.folder / name, durable=True) as handle:
            pq.write_table(table, handle, compression="zstd")
        return name

    def commit(self, add: Iterable[str], drop_parts: Iterable[str] = ()) -> None:
        """The manifest now lists ``add`` and no longer ``drop_parts`` (one atomic rename); the
        dropped parts are deleted after it."""
        drop = set(drop_parts)
        self.manifest["parts"] = [p for p in self.parts if p not in drop] + list(add)
        self.manifest["schema_version"] = max(SCHEMA_VERSION, self.manifest.get("schema_version", 0))
        self._write_manifest()
        for part in drop:
            (self.folder / part).unlink(missing_ok=True)

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Add rows to the dataset (one new part, one commit)."""
        if rows:
            self.commit([self.write_part(rows)])

    def rewrite(self, drop: set[str], stat: dict[str, tuple[int, int]], index: dict[str, Indexed]) -> None:
        """Remove the rows of the paths in ``drop`` and give the rows of ``stat``'s paths a new
        (size, mtime_ns): each part holding one is rewritten, all swapped in by one commit."""
        import pyarrow as pa
        import pyarrow.compute as pc

        touched = sorted({index[p].part for p in drop | set(stat) if p in index})
        new = []
        for part in touched:
            table = conform(_read_part(self.folder / part))
            paths = table.column("path")
            table = table.filter(pc.invert(pc.is_in(paths, value_set=pa.array(sorted(drop), pa.string()))))
            if stat:
                paths = table.column("path").to_pylist()
                sizes = [stat[p][0] if p in stat else s
                         for p, s in zip(paths, table.column("size").to_pylist())]
                mtimes = [stat[p][1] if p in stat else m
                          for p, m in zip(paths, table.column("mtime_ns").to_pylist())]
                table = table.set_column(table.schema.get_field_index("size"), "size",
                                         pa.array(sizes, pa.int64()))
                table = table.set_column(table.schema.get_field_index("mtime_ns"), "mtime_ns",
                                         pa.array(mtimes, pa.int64()))
            if table.num_rows:
                new.append(self.write_part(table))
        if touched:
            self.commit(new, drop_parts=touched)

    def compact(self, rows_per_part: int) -> None:
        """Fewer, fuller parts when reruns have left many small ones (one commit)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = self.parts
        total = sum(pq.ParquetFile(self.folder / p).metadata.num_rows for p in parts)
        if len(parts) <= max(4, 2 * -(-total // rows_per_part)):
            return
        table = pa.concat_tables([conform(_read_part(self.folder / p)) for p in parts])
        table = table.sort_by("path")
        new = [self.write_part(table.slice(i, rows_per_part)) for i in range(0, table.num_rows, rows_per_part)]
        self.commit(new, drop_parts=parts)

    def _write_manifest(self) -> None:
        write_atomic(self.folder / MANIFEST, json.dumps(self.manifest, indent=1) + "\n", durable=True)
        _fsync(self.folder)   # the rename itself survives a power loss


def _read_part(path: Path, columns: list[str] | None = None) -> "pa.Table":
    """One part's rows (``columns`` it has, when given); through ``ParquetFile``, which does not
    load ``pyarrow.dataset`` (and pandas with it) as ``read_table`` does."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        if columns is not None:
            columns = [c for c in columns if c in handle.schema_arrow.names]
        return handle.read(columns=columns)


def _is_temp(name: str) -> bool:
    """A temporary file of :mod:`draftscope.files`' naming (a part or manifest being written)."""
    return OWN_TEMP_RE.match(name) is not None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(folder: Path) -> int:
    import fcntl

    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise ScanInputError(f"{folder}: another scan is writing this dataset") from None
    return fd


def read_manifest(folder: Path, *, missing_ok: bool = False) -> dict[str, Any] | None:
    """The dataset's manifest, checked; None when absent and ``missing_ok``."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return None
        raise DatasetError(f"{folder}: not a draftscope scan dataset (no {MANIFEST})") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: unreadable manifest ({exc})") from None
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("parts"), list)
            or not all(isinstance(p, str) and _PART.match(p) for p in manifest["parts"])
            or not isinstance(manifest.get("next"), int)):
        raise DatasetError(f"{path}: not a draftscope scan manifest")
    return manifest


def read_table(folder: str | os.PathLike, columns: list[str] | None = None) -> "pa.Table":
    """The dataset's rows (every column of this version, an older dataset's missing ones null),
    sorted by path."""
    import pyarrow as pa

    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    manifest = read_manifest(folder)
    tables = []
    for part in manifest["parts"]:
        try:
            tables.append(conform(_read_part(folder / part, columns)))
        except (OSError, pa.ArrowException) as exc:
            raise DatasetError(f"{folder / part}: unreadable part ({exc})") from None
    table = pa.concat_tables(tables) if tables else arrow_schema().empty_table()
    table = table.sort_by("path") if "path" in table.column_names else table
    return table.select(columns) if columns else table


def read_scan(folder: str | os.PathLike, columns: list[str] | None = None):
    """The dataset as a pandas DataFrame, one row per revision text, sorted by path."""
    return read_table(folder, columns).to_pandas()

