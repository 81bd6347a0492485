"""The story of one definition along a lineage: the revisions where it was first drawn or changed.

A story is the definition history (:mod:`.history`) seen from one definition: one
:class:`StoryStep` per history event that is not ``unchanged`` (``redrawn`` only when asked for),
each carrying the definition as that revision draws it, so a step can be drawn, and its field
changes against the previous step, put into words a reader understands ("Port (16 bits) added,
optional"). Built on :func:`history_from_definitions`, so the steps are exactly the changes
``draftscope history`` reports, with the same revisions and dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Union

from draftscope.analyses.definitions.history import (RevisionMeta, RevisionSource,
                                                     history_from_definitions, read_lineage)
from draftscope.analyses.definitions.model import (Definition, DefinitionHistory, Field,
                                                   FieldChange, HistoryEvent, Unread)
from draftscope.analyses.definitions.notations import notation_noun
from draftscope.analyses.definitions.pattern import (DefinitionPattern, definition_pattern,
                                                     revisions_text)

# history changes that make a step of a story (``redrawn`` only with ``with_redraws``)
STORY_CHANGES = ("added", "changed", "redrawn", "removed")

# what read_revision gives for one revision: ((name, rev, label, date), definitions, headings,
# unread figures); ((name, rev, label, date), definitions) and the first three are taken too
Extracted = tuple[RevisionMeta, list[Definition], list[str], tuple[Unread, ...]]
# what a story is told from: the lineage's revisions, what lineage_definitions read of them, or
# a bare history (then its steps carry no drawing)
StorySource = Union[DefinitionHistory, Sequence[RevisionSource], Sequence[tuple]]


@dataclass(frozen=True)
class StoryStep:
    """One revision of a definition's story: what it looked like and what changed to get there."""

    key: str                       # the definition's identity across renames (history's key)
    index: int                     # 0-based position in its story
    name: str                      # document name of the revision
    rev: str
    label: str                     # "draft-ietf-quic-transport-27" / "rfc9000"
    date: Any                      # datetime of the revision, when known
    change: str                    # added | changed | redrawn | removed
    definition: Definition | None  # as drawn at this revision (the last drawing when removed);
                                   # None when the story was told from a bare DefinitionHistory
    previous: Definition | None    # as drawn at the previous step (None for the first)
    field_changes: tuple[FieldChange, ...] = ()
    words: tuple[str, ...] = ()    # the changes in words, one sentence each
    first_mentioned: str | None = None   # first step only: an earlier revision whose section
                                         # headings name it (described before it was drawn)

    @property
    def definition_name(self) -> str:
        return self.definition.name if self.definition is not None else self.key

    @property
    def summary(self) -> str:
        """The step on one line: ``"Port (16 bits) added, optional; B (1 bit) removed"``."""
        return "; ".join(self.words)

    @property
    def date_text(self) -> str:
        return self.date.strftime("%Y-%m-%d") if hasattr(self.date, "strftime") else ""


# --------------------------------------------------------------------------- matching

def matching_definitions(definitions: Sequence[Definition], pattern: str | DefinitionPattern, *,
                         ignore_case: bool = False) -> list[Definition]:
    """The definitions whose name or caption the pattern finds, in document order."""
    regex = definition_pattern(pattern, ignore_case=ignore_case)
    return [d for d in definitions if regex.matches_definition(d)]


# --------------------------------------------------------------------------- words

def size_words(f: Field) -> str:
    """A field's length as a reader says it: ``16 bits``, ``1 bit``, ``variable-length integer``."""
    if f.bits is not None and f.bits > 0 and (not f.size or f.size.isdigit()):
        return f"{f.bits} bit" if f.bits == 1 else f"{f.bits} bits"
    size = f.size
    if size == "i":
        return "variable-length integer"
    if size in ("..", ""):
        return "variable length" if size else "length not given"
    if re.fullmatch(r"\d+(/\d+)+", size):        # "8/16/32/48": one of these widths
        *head, tail = size.split("/")
        return f"{', '.join(head)} or {tail} bits"
    if re.fullmatch(r"\d+\.\.\d+", size):
        return f"{size} bits"
    if re.fullmatch(r"\d+\.\.", size):
        return f"{size[:-2]} bits or more"
    if f.bits is not None:
        return f"{size}, {f.bits} bits"
    return size


def field_words(f: Field) -> str:
    """``Port (16 bits)``, with the TLS type in front where there is one."""
    own = f.name.strip() or ("reserved" if f.reserved else "(unnamed)")
    name = f"{f.type} {own}" if f.type and f.type not in ("enum",) else own
    return f"{name} ({size_words(f)})"


def _flags(f: Field) -> list[str]:
    """What a field is besides its name and size, each word said once: a field named
    ``(reserved)`` is not also called ``reserved``."""
    out = []
    if f.optional:
        out.append("optional")
    if f.repeated:
        out.append("repeated")
    if f.condition:
        out.append(f.condition)
    if f.reserved and f.name.strip() and "reserved" not in f.name.lower():
        out.append("reserved")
    if f.value:
        out.append(f"= {f.value}")
    return out


def change_words(fc: FieldChange) -> str:
    """One field change as a sentence: ``"Port (16 bits) added, optional"``."""
    if fc.change == "added":
        return ", ".join([f"{field_words(fc.new)} added", *_flags(fc.new)])
    if fc.change == "removed":
        return f"{field_words(fc.old)} removed"
    old, new = fc.old, fc.new
    parts: list[str] = []
    if old.name != new.name:
        parts.append(f"renamed {old.name} -> {new.name}")
    else:
        parts.append(new.name)
    if old.shape != new.shape:
        if (old.bits, old.size) != (new.bits, new.size):
            parts.append(f"resized from {size_words(old)} to {size_words(new)}")
        if old.type != new.type:
            parts.append(f"retyped from {old.type or 'untyped'} to {new.type or 'untyped'}")
    if old.value != new.value:
        if not new.value:
            parts.append(f"value {old.value} dropped")
        elif not old.value:
            parts.append(f"now = {new.value}")
        else:
            parts.append(f"value {old.value} -> {new.value}")
    for attribute in ("optional", "repeated", "reserved"):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            parts.append(f"now {attribute}" if after else f"no longer {attribute}")
    if old.condition != new.condition:
        if old.condition and new.condition:
            parts.append(f"condition `{old.condition}` -> `{new.condition}`")
        elif new.condition:
            parts.append(f"now present only {new.condition}" if new.condition.startswith(("if ", "when "))
                         else f"now conditional: {new.condition}")
        else:
            parts.append(f"no longer conditional (was `{old.condition}`)")
    if fc.change == "moved" or "position" in fc.aspects or "moved" in fc.details:
        parts.append("moved")
    if len(parts) == 1 and old.name == new.name:   # a change the field model does not show
        parts.append(fc.change)
    first, rest = parts[0], parts[1:]
    if not rest:
        return first
    if old.name != new.name:
        return ", ".join([first, *rest])
    return f"{first} {rest[0]}" + ("".join(f", {p}" for p in rest[1:]))


def step_words(change: str, definition: Definition | None, field_changes: Sequence[FieldChange],
               previous: Definition | None = None) -> tuple[str, ...]:
    """The sentences of one step: the first drawing, a removal, or each field change."""
    if change == "added":
        if definition is None:
            return ("first drawn",)
        noun = "field" if len(definition.fields) == 1 else "fields"
        return (f"first drawn: {len(definition.fields)} {noun}",)
    if change == "removed":
        return ("no longer drawn",)
    words = [change_words(fc) for fc in field_changes if fc.change != "unchanged"]
    if previous is not None and definition is not None:
        if previous.name != definition.name:
            words.insert(0, f"renamed {previous.name} -> {definition.name}")
        if previous.notation != definition.notation:
            words.insert(0, f"redrawn as {notation_noun(definition.notation)}"
                            f" (was {notation_noun(previous.notation)})")
    if change == "redrawn" and not words:
        words.append("redrawn, same fields")
    return tuple(words) or (change,)


# --------------------------------------------------------------------------- the story

def lineage_definitions(revisions: Sequence[RevisionSource], *, workers: int | None = 1,
                        progress: Callable[[int], object] | None = None) -> list[Extracted]:
    """Every revision's definitions, section headings and unread figures, ``[((name, rev,
    label, date), [Definition], [heading], (Unread, ...)), ...]``: what
    :func:`definition_history` reads, kept so each step of a story can be drawn."""
    return read_lineage(revisions, workers=workers, progress=progress)


def _is_extracted(items: object) -> bool:
    return (isinstance(items, (list, tuple)) and bool(items)
            and all(isinstance(i, tuple) and len(i) in (2, 3, 4) and isinstance(i[1], list)
                    for i in items))


def _resolve(events: list[HistoryEvent], by_label: dict[str, list[Definition]],
             previous_labels: dict[str, str]) -> dict[int, Definition]:
    """The Definition object behind each event (index into ``events``): the one holding the
    event's fields, else the next unclaimed definition of that name and notation."""
    out: dict[int, Definition] = {}
    claimed: set[int] = set()
    for k, ev in enumerate(events):
        label = ev.label if ev.change != "removed" else previous_labels.get(ev.label, "")
        candidates = by_label.get(label, [])
        fields = [fc.new if ev.change != "removed" else fc.old for fc in ev.field_changes]
        fields = [f for f in fields if f is not None]
        found = None
        if fields:
            for d in candidates:
                if id(d) not in claimed and any(f is g for f in fields for g in d.fields):
                    found = d
                    break
        if found is None:
            for d in candidates:
                if id(d) not in claimed and d.name == ev.definition and d.notation == ev.notation:
                    found = d
                    break
        if found is not None:
            claimed.add(id(found))
            out[k] = found
    return out


def definition_stories(history_or_revisions: StorySource, pattern: str | DefinitionPattern, *,
                       ignore_case: bool = False, with_redraws: bool = False,
                       workers: int | None = 1, progress: Callable[[int], object] | None = None,
                       ) -> dict[str, list[StoryStep]]:
    """One story per definition matching ``pattern`` (its name, caption or history key, in any
    revision), keyed by its history key, in order of first appearance. See
    :func:`definition_story`."""
    regex = definition_pattern(pattern, ignore_case=ignore_case)
    extracted: list[tuple] | None
    if isinstance(history_or_revisions, DefinitionHistory):
        history, extracted = history_or_revisions, None
    elif isinstance(history_or_revisions, (list, tuple)):
        extracted = (list(history_or_revisions) if _is_extracted(history_or_revisions)
                     else lineage_definitions(history_or_revisions, workers=workers,
                                              progress=progress))
        headings = ([item[2] for item in extracted] if all(len(item) >= 3 for item in extracted)
                    else None)
        history = history_from_definitions([(item[0], item[1]) for item in extracted],
                                           headings=headings)
    else:
        raise TypeError("history_or_revisions= must be a DefinitionHistory or a list of "
                        f"revisions, not {type(history_or_revisions).__name__}")
    rows = [(e.key, e.definition, e.caption) for e in history.events]
    keys = regex.matching_keys(rows)
    events = [e for e in history.events if e.key in keys]
    if not events:
        raise regex.no_match("", within=f" in {revisions_text(history.labels)}",
                             would_match_ignoring_case=bool(regex.folded().matching_keys(rows)))
    resolved: dict[int, Definition] = {}
    if extracted is not None:
        by_label = {item[0][2]: item[1] for item in extracted}
        previous_labels = {b: a for a, b in zip(history.labels, history.labels[1:])}
        all_resolved = _resolve(history.events, by_label, previous_labels)
        index_of = {id(e): k for k, e in enumerate(history.events)}
        resolved = {id(e): all_resolved[index_of[id(e)]] for e in events
                    if index_of[id(e)] in all_resolved}

    stories: dict[str, list[StoryStep]] = {}
    last: dict[str, Definition | None] = {}
    for ev in events:
        current = resolved.get(id(ev))
        if ev.change == "unchanged" or (ev.change == "redrawn" and not with_redraws):
            if current is not None:
                last[ev.key] = current      # the next step's "before" is the latest drawing
            continue
        if ev.change not in STORY_CHANGES:
            continue
        steps = stories.setdefault(ev.key, [])
        previous = last.get(ev.key)
        drawn = current if current is not None else (previous if ev.change == "removed" else None)
        words = step_words(ev.change, drawn, ev.field_changes,
                           previous if ev.change != "removed" else None)
        mentioned = getattr(ev, "first_mentioned", None)
        if ev.change == "added" and mentioned:
            words = (*words, f"named in section headings since {mentioned}")
        steps.append(StoryStep(
            key=ev.key, index=len(steps), name=ev.name, rev=ev.rev, label=ev.label, date=ev.date,
            change=ev.change, definition=drawn, previous=previous,
            field_changes=ev.field_changes, words=words,
            first_mentioned=mentioned if ev.change == "added" else None,
        ))
        last[ev.key] = current
    return stories


def definition_story(history_or_revisions: StorySource, pattern: str | DefinitionPattern, *,
                     ignore_case: bool = False,
                     with_redraws: bool = False, workers: int | None = 1,
                     progress: Callable[[int], object] | None = None) -> list[StoryStep]:
    """The steps of the story of every definition matching ``pattern``, story after story.

    ``history_or_revisions``: the lineage's revisions (Revisions, Documents or paths, in lineage
    order), what :func:`lineage_definitions` returned for them, or a bare
    :class:`DefinitionHistory` (then steps carry no drawing: ``definition`` is None). ``pattern``
    is a case-sensitive regular expression (``ignore_case=True`` for the other) searched in every
    name and caption the definition went by and its history key
    (:mod:`~draftscope.analyses.definitions.pattern`). One step per revision where the definition was first drawn,
    changed or removed (``redrawn`` in another notation only with ``with_redraws``). Raises
    :class:`DefinitionsInputError` for a bad pattern, :class:`NoDataError` if no
    definition matches (both from draftscope.errors).
    """
    stories = definition_stories(history_or_revisions, pattern, ignore_case=ignore_case,
                                 with_redraws=with_redraws, workers=workers, progress=progress)
    return [step for steps in stories.values() for step in steps]
