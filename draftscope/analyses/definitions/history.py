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
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from draftscope.analyses.definitions.diff import diff_definition_lists
from draftscope.analyses.definitions.extract import extract_definitions
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionHistory,
    FieldChange,
    HistoryEvent,
    revision_label,
)


def _meta(item: Any) -> tuple[str, str, str, Any]:
    """(name, rev, label, date) of a Revision, Document or path."""
    name = getattr(item, "name", None)
    rev = getattr(item, "rev", None)
    if name is None or rev is None or isinstance(item, (str, Path)):
        from draftscope.text.document import name_from_path

        name, rev = name_from_path(Path(item))
    label = revision_label(name, rev)
    return name, rev, label, getattr(item, "date", None)


def _extract(document: Any, examples: bool) -> list[Definition]:
    return extract_definitions(document, examples=True) if examples else extract_definitions(document)


def extract_revision(item: Any, examples: bool = False) -> tuple[tuple[str, str, str, Any], list[Definition]]:
    """Load one revision and extract its definitions (module level: runs in worker processes)."""
    return _meta(item), _extract(item, examples)


def read_revision(item: Any, examples: bool = False,
                  ) -> tuple[tuple[str, str, str, Any], list[Definition], list[str]]:
    """:func:`extract_revision` plus the titles of the revision's sections (read once)."""
    document = item
    if isinstance(item, (str, Path)) or not hasattr(item, "lines"):
        from draftscope.text.document import load_document

        document = load_document(item)
    titles = [s.title for s in getattr(document, "sections", []) if s.title]
    return _meta(item), _extract(document, examples), titles


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
    revisions: Sequence[tuple[tuple[str, str, str, Any], list[Definition]]],
    *,
    headings: Sequence[Sequence[str]] | None = None,
) -> DefinitionHistory:
    """The history of already extracted revisions ``[((name, rev, label, date), defs), ...]`` (pure).

    ``headings`` (one list of section titles per revision) sets ``first_mentioned``.
    """
    history = DefinitionHistory(labels=[meta[2] for meta, _ in revisions])
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
            definition=current.name, notation=current.notation,
            fields=len(new.fields) if new is not None else 0,
            field_changes=fields, date=date,
            first_mentioned=mentioned[chain] if change == "added" else None,
        ))
    return history


def _one_per_revision(revisions: Sequence[Any]) -> list[Any]:
    """Drop revisions without a file (missing offline) and keep one format per revision (txt first)."""
    chosen: dict[str, Any] = {}
    for item in revisions:
        if hasattr(item, "path") and not hasattr(item, "lines") and item.path is None:
            continue
        label = _meta(item)[2] if not isinstance(item, (str, Path)) else str(item)
        fmt = getattr(item, "format", "txt")
        if label not in chosen or (fmt == "txt" and getattr(chosen[label], "format", "txt") != "txt"):
            chosen[label] = item
    return list(chosen.values())


def definition_history(
    revisions: Sequence[Any],
    *,
    workers: int | None = 1,
    progress: Callable[[int], object] | None = None,
    examples: bool = False,
) -> DefinitionHistory:
    """History of the definitions over ``revisions`` (Revisions, Documents or paths, in lineage order).

    The first revision's definitions are all "added" (first drawn). ``workers`` > 1 extracts in
    a process pool (paths and Revisions only); ``progress`` is called with 1 per extracted
    revision; ``examples`` keeps the notation examples of a spec.
    """
    from functools import partial

    items = _one_per_revision(revisions)
    picklable = all(isinstance(r, (str, Path)) or not hasattr(r, "lines") for r in items)
    read = partial(read_revision, examples=examples)
    if workers != 1 and picklable:
        from draftscope.analyses.parallel import parallel_map

        extracted = parallel_map(read, items, workers=workers, progress=progress)
    else:
        extracted = []
        for item in items:
            extracted.append(read(item))
            if progress is not None:
                progress(1)
    return history_from_definitions([(meta, defs) for meta, defs, _ in extracted],
                                    headings=[titles for _, _, titles in extracted])
