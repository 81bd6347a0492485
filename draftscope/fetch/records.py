"""The records passed from the fetch stage to everything after it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from draftscope.fetch.names import is_rfc, revision_label

if TYPE_CHECKING:  # pragma: no cover - annotations only: a local file's command never loads datetime
    from datetime import datetime


class _Named:
    """What a revision's name and rev say: whether it is an RFC's, and its label."""

    name: str
    rev: str

    @property
    def is_rfc(self) -> bool:
        return is_rfc(self.name)

    @property
    def label(self) -> str:
        """``draft-ietf-quic-transport-27`` / ``rfc9000``."""
        return revision_label(self.name, self.rev)


@dataclass(frozen=True)
class LineageEntry(_Named):
    """One document revision the datatracker lists for a lineage (no file yet)."""

    name: str                    # draft or RFC name
    rev: str                     # "00".."NN"; for an RFC the RFC name
    date: datetime | None        # published, UTC


@dataclass(frozen=True)
class Revision(_Named):
    """One revision's file in one format, in the local cache."""

    name: str               # "draft-ietf-quic-transport" or "rfc9000"
    rev: str                # "00".."NN"; for an RFC the RFC name itself ("rfc9000")
    date: datetime | None   # when that revision was published (UTC), None if unknown
    path: Path | None       # local file in the cache (None when missing)
    format: str             # "txt" | "xml"

    @property
    def filename(self) -> str:
        return f"{self.label}.{self.format}"


@dataclass(frozen=True)
class FetchResult:
    """What one fetch did: the revisions plus counts for reports and progress."""

    target: str
    revisions: list[Revision]
    cached: int = 0                      # files already in the cache
    fetched: int = 0                     # files downloaded now
    requests: int = 0                    # HTTP requests made
    missing: list[str] = field(default_factory=list)   # files listed but unavailable (labels.fmt)

    @property
    def complete(self) -> bool:
        return not self.missing


class Lineages(dict):
    """``{lineage: [Revision]}`` for several lineages (revisions with a file, lineage order), as
    :meth:`~draftscope.fetch.session.Session.lineages` returns it; ``missing`` maps a lineage to
    the labels of the revisions it lists but whose file could not be had (left out)."""

    def __init__(self, *args: Any, missing: Mapping[str, list[str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.missing: dict[str, list[str]] = dict(missing or {})


def lineage_of(revisions: "list[Revision] | list[LineageEntry]") -> str:
    """What a lineage is called: its last draft name (the WG draft a notebook asks for), else,
    for an RFC alone, the RFC (``rfc9000`` and ``draft-ietf-quic-transport`` are one lineage,
    ``draft-ietf-quic-transport``)."""
    drafts = [r.name for r in revisions if not r.is_rfc]
    if drafts:
        return drafts[-1]
    return revisions[-1].name if revisions else ""


def lineage_order(entries: list[LineageEntry]) -> list[LineageEntry]:
    """Oldest first (ties: name, rev), undated drafts after dated ones, RFCs last."""
    def key(entry: LineageEntry):
        return (entry.is_rfc, entry.date is None, entry.date.timestamp() if entry.date else 0.0,
                entry.name, entry.rev)
    return sorted(entries, key=key)
