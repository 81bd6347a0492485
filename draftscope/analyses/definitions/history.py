"""Follow every definition along a lineage: when it appears, how it changes, when it disappears.

Consecutive revisions are diffed with :func:`diff_definition_lists`; matched definitions carry
one identity (a chain) from revision to revision, so a frame renamed or redrawn in another
notation stays one row of the history.
"""

from __future__ import annotations

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


def extract_revision(item: Any) -> tuple[tuple[str, str, str, Any], list[Definition]]:
    """Load one revision and extract its definitions (module level: runs in worker processes)."""
    return _meta(item), extract_definitions(item)


def history_from_definitions(
    revisions: Sequence[tuple[tuple[str, str, str, Any], list[Definition]]],
) -> DefinitionHistory:
    """The history of already extracted revisions ``[((name, rev, label, date), defs), ...]`` (pure)."""
    history = DefinitionHistory(labels=[meta[2] for meta, _ in revisions])
    chains: list[list[str]] = []          # names each chain went by
    raw: list[tuple[int, tuple, str, Definition | None, Definition | None, tuple[FieldChange, ...]]] = []
    prev_defs: list[Definition] = []
    prev_chain: list[int] = []
    for meta, defs in revisions:
        diff = diff_definition_lists(prev_defs, defs)
        index_old = {id(d): k for k, d in enumerate(prev_defs)}
        index_new = {id(d): k for k, d in enumerate(defs)}
        chain_of_new = [-1] * len(defs)
        for change in diff.changes:
            if change.change == "added":
                chains.append([change.new.name])
                chain = len(chains) - 1
                chain_of_new[index_new[id(change.new)]] = chain
            elif change.change == "removed":
                chain = prev_chain[index_old[id(change.old)]]
            else:
                chain = prev_chain[index_old[id(change.old)]]
                chain_of_new[index_new[id(change.new)]] = chain
                if change.new.name != chains[chain][-1]:
                    chains[chain].append(change.new.name)
            fields = change.fields if change.change in ("changed", "unchanged") else ()
            raw.append((chain, meta, change.change, change.old, change.new, fields))
        prev_defs, prev_chain = defs, chain_of_new

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
) -> DefinitionHistory:
    """History of the definitions over ``revisions`` (Revisions, Documents or paths, in lineage order).

    The first revision's definitions are all "added". ``workers`` > 1 extracts in a process pool
    (paths and Revisions only); ``progress`` is called with 1 per extracted revision.
    """
    items = _one_per_revision(revisions)
    picklable = all(isinstance(r, (str, Path)) or not hasattr(r, "lines") for r in items)
    if workers != 1 and picklable:
        from draftscope.analyses.parallel import parallel_map

        extracted = parallel_map(extract_revision, items, workers=workers, progress=progress)
    else:
        extracted = []
        for item in items:
            extracted.append(extract_revision(item))
            if progress is not None:
                progress(1)
    return history_from_definitions(extracted)
