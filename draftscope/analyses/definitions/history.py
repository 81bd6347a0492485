"""Follow every definition along a lineage: when it is first drawn, how it changes (or is only
redrawn), when it disappears.

Consecutive revisions are diffed with :func:`diff_definition_lists`; matched definitions carry
one identity (a chain) from revision to revision, so a frame renamed or redrawn in another
notation stays one row of the history. A definition's first appearance is where it is first
*drawn*; a protocol element is often described in prose first, so the section headings of the
earlier revisions are searched for its names (``first_mentioned``).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from draftscope.analyses.definitions.diff import diff_definition_lists
from draftscope.analyses.definitions.extract import read_definitions
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionHistory,
    FieldChange,
    HistoryEvent,
    Unread,
    revision_label,
)
from draftscope.text.document import Document

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.fetch.records import Revision

# one revision of a lineage as the history takes it: a fetched Revision, a loaded Document, or
# the path of a file (loaded with the text stage's load_document, in the worker that reads it)
RevisionSource = Union["Revision", Document, str, os.PathLike]
# (name, rev, label, date) of a revision
RevisionMeta = tuple[str, str, str, Any]


def _check_source(item: object, parameter: str) -> None:
    from draftscope.fetch.records import Revision

    if not isinstance(item, (Revision, Document, str, os.PathLike)):
        raise TypeError(f"{parameter} must hold Revisions, Documents or paths, not "
                        f"{type(item).__name__}")


def _meta(item: RevisionSource) -> RevisionMeta:
    """(name, rev, label, date) of a Revision, Document or path."""
    if isinstance(item, (str, os.PathLike)):
        from draftscope.text.document import name_from_path

        name, rev = name_from_path(Path(item))
        date = None
    else:
        name, rev, date = item.name, item.rev, getattr(item, "date", None)
    return name, rev, revision_label(name, rev), date


def load_source(item: RevisionSource) -> Document:
    """The Document of one revision: loaded by the text stage unless it is one already."""
    if isinstance(item, Document):
        return item
    from draftscope.text.document import load_document

    return load_document(item)


def _chosen(definitions: Sequence[Definition], examples: bool) -> list[Definition]:
    return list(definitions) if examples else [d for d in definitions if not d.example]


def read_revision(item: RevisionSource, examples: bool = False,
                  ) -> tuple[RevisionMeta, list[Definition], list[str], tuple[Unread, ...]]:
    """One revision read once: its (name, rev, label, date), definitions, section titles and the
    figures it could not read, without their lines (module level: runs in worker processes)."""
    document = load_source(item)
    found = read_definitions(document)
    titles = [s.title for s in document.sections if s.title]
    # where and why, not the figure's lines: they would only travel back from the worker
    # processes to be counted (``read_definitions`` of the one revision has them)
    unread = tuple(replace(u, lines=()) for u in found.unread if examples or not u.example)
    return _meta(item), _chosen(found.definitions, examples), titles, unread


# names made only of these words say nothing about which heading mentions them
_GENERIC_NAME_WORDS = {"frame", "packet", "header", "payload", "field", "message", "type", "format",
                       "data", "value", "parameter", "option", "long", "short"}


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    """Lower-case words with plurals folded: ``"PADDING Frames"`` -> ``("padding", "frame")``
    (cached: a lineage repeats most of its section headings in every revision)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                 for w in re.findall(r"[a-z0-9_]+", text.lower()))


def _mentions(names: Sequence[str], headings: Sequence[str]) -> bool:
    """Whether a heading names the definition: all of one of its names' words, in order and
    contiguous, among the heading's words (plurals folded: "PADDING Frame" in "PADDING Frames");
    names made of generic words only ("Frame") never count."""
    wanted = []
    for name in names:
        words = tuple(w for w in _words(name) if w != "format")
        if words and not set(words) <= _GENERIC_NAME_WORDS:
            wanted.append(words)
    for heading in headings:
        have = _words(heading)
        for words in wanted:
            n = len(words)
            if any(have[k:k + n] == words for k in range(len(have) - n + 1)):
                return True
    return False


def history_from_definitions(
    revisions: Sequence[tuple[RevisionMeta, list[Definition]]],
    *,
    headings: Sequence[Sequence[str]] | None = None,
    unread: Sequence[Sequence[Unread]] | None = None,
) -> DefinitionHistory:
    """The history of already extracted revisions ``[((name, rev, label, date), defs), ...]`` (pure).

    ``headings`` (one list of section titles per revision) sets ``first_mentioned``; ``unread``
    (one list per revision) the figures each revision could not read.
    """
    history = DefinitionHistory(labels=[meta[2] for meta, _ in revisions])
    if unread is not None:
        history.unread = {meta[2]: tuple(u) for (meta, _), u in zip(revisions, unread)}
    chains: list[list[str]] = []          # names each chain went by
    born: list[int] = []                  # revision index where each chain is first drawn
    raw: list[tuple[int, tuple, str, Definition | None, Definition | None, tuple[FieldChange, ...]]] = []
    prev_defs: list[Definition] = []
    prev_chain: list[int] = []
    for position, (meta, defs) in enumerate(revisions):
        diff = diff_definition_lists(prev_defs, defs)
        index_old = {id(d): k for k, d in enumerate(prev_defs)}
        index_new = {id(d): k for k, d in enumerate(defs)}
        chain_of_new = [-1] * len(defs)
        for change in diff.changes:
            if change.change == "added":
                chains.append([change.new.name])
                born.append(position)
                chain = len(chains) - 1
                chain_of_new[index_new[id(change.new)]] = chain
            elif change.change == "removed":
                chain = prev_chain[index_old[id(change.old)]]
            else:
                chain = prev_chain[index_old[id(change.old)]]
                chain_of_new[index_new[id(change.new)]] = chain
                if change.new.name != chains[chain][-1]:
                    chains[chain].append(change.new.name)
            fields = change.fields if change.change in ("changed", "redrawn", "unchanged") else ()
            raw.append((chain, meta, change.change, change.old, change.new, fields))
        prev_defs, prev_chain = defs, chain_of_new

    mentioned: list[str | None] = [None] * len(chains)
    if headings is not None:
        labels = history.labels
        for chain, names in enumerate(chains):
            for k in range(born[chain]):
                if _mentions(names, headings[k]):
                    mentioned[chain] = labels[k]
                    break

    keys: list[str] = []
    taken: dict[str, int] = {}
    for names in chains:
        key = names[-1]
        taken[key] = taken.get(key, 0) + 1
        keys.append(key if taken[key] == 1 else f"{key} ({taken[key]})")
    for chain, (name, rev, label, date), change, old, new, fields in raw:
        current = new if new is not None else old
        history.events.append(HistoryEvent(
            key=keys[chain], name=name, rev=rev, label=label, change=change,  # type: ignore[arg-type]
            definition=current.name, notation=current.notation, caption=current.caption,
            fields=len(new.fields) if new is not None else 0,
            field_changes=fields, date=date,
            first_mentioned=mentioned[chain] if change == "added" else None,
        ))
    return history


def _one_per_revision(revisions: Sequence[RevisionSource]) -> list[RevisionSource]:
    """Drop revisions without a file (missing offline) and keep one format per revision (txt first)."""
    from draftscope.fetch.records import Revision

    chosen: dict[str, RevisionSource] = {}
    for item in revisions:
        _check_source(item, "revisions")
        if isinstance(item, Revision) and item.path is None:
            continue
        label = _meta(item)[2] if not isinstance(item, (str, os.PathLike)) else str(item)
        fmt = getattr(item, "format", "txt")
        if label not in chosen or (fmt == "txt" and getattr(chosen[label], "format", "txt") != "txt"):
            chosen[label] = item
    return list(chosen.values())


def read_lineage(revisions: Sequence[RevisionSource], *, workers: int | None = 1,
                 progress: Callable[[int], object] | None = None, examples: bool = False,
                 ) -> list[tuple[RevisionMeta, list[Definition], list[str], tuple[Unread, ...]]]:
    """:func:`read_revision` of every revision (one file per revision), in a process pool when
    ``workers`` > 1 and the revisions are files (Documents are read here)."""
    from functools import partial

    if isinstance(revisions, (str, os.PathLike, Document)):
        raise TypeError("revisions must be a sequence of Revisions, Documents or paths, not one "
                        f"{type(revisions).__name__}")
    items = _one_per_revision(revisions)
    picklable = not any(isinstance(r, Document) for r in items)
    read = partial(read_revision, examples=examples)
    if workers != 1 and picklable:
        from draftscope.analyses.parallel import parallel_map

        return parallel_map(read, items, workers=workers, progress=progress)
    extracted = []
    for item in items:
        extracted.append(read(item))
        if progress is not None:
            progress(1)
    return extracted


def definition_history(
    revisions: Sequence[RevisionSource],
    *,
    workers: int | None = 1,
    progress: Callable[[int], object] | None = None,
    examples: bool = False,
) -> DefinitionHistory:
    """History of the definitions over ``revisions`` (Revisions, Documents or paths, in lineage order).

    The first revision's definitions are all "added" (first drawn). ``workers`` > 1 extracts in
    a process pool (paths and Revisions only); ``progress`` is called with 1 per extracted
    revision; ``examples`` keeps the notation examples of a spec. ``history.unread`` holds the
    figures each revision could not read.
    """
    extracted = read_lineage(revisions, workers=workers, progress=progress, examples=examples)
    return history_from_definitions([(meta, defs) for meta, defs, _, _ in extracted],
                                    headings=[titles for _, _, titles, _ in extracted],
                                    unread=[unread for _, _, _, unread in extracted])
