"""What changed in each section from one revision to the next: one change kind per section,
words added and removed, BCP 14 keyword deltas and the definitions that changed inside it.

Sections are matched by :func:`draftscope.analyses.sections.match_sections`; words are compared
by :func:`draftscope.analyses.textdiff.word_opcodes` (reflow and pagination are no change).
A section's change is one of, first that applies:

* ``added`` / ``removed``: no match in the other revision (nor a part of a split or merge);
* ``rewritten``: at least half its words changed (:data:`REWRITTEN_SHARE` of old plus new);
* ``renamed``: its title changed (its number alone is no change);
* ``moved``: out of order against the other sections, or under another enclosing section;
* ``edited``: some words changed;
* ``moved`` again: split into several sections or merged with others, no word changed;
* ``unchanged``.

A section split in two is reported once, as the old section against all its new parts
(``split`` names the parts besides the first); sections merged into one likewise (``merged``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Sequence

from draftscope.analyses.sections import (SectionedRevision, SectionText, match_sections,
                                          moved_sections, normal_title, section_texts)
from draftscope.analyses.textdiff import Words, changed_words, word_opcodes

ChangeKind = Literal["added", "removed", "rewritten", "renamed", "moved", "edited", "unchanged"]
CHANGE_KINDS: tuple[str, ...] = ("added", "removed", "rewritten", "renamed", "moved", "edited",
                                 "unchanged")
REWRITTEN_SHARE = 0.5


@dataclass(frozen=True)
class SectionChange:
    """One section from one revision to the next (``old``/``new`` None when added/removed)."""

    change: ChangeKind
    old: SectionText | None
    new: SectionText | None
    words_added: int = 0
    words_removed: int = 0
    keywords: dict[str, int] | None = None     # phrase -> delta, non-zero only
    definitions: tuple[str, ...] = ()          # "ACK Frame: changed"
    split: tuple[SectionText, ...] = ()        # further new parts of a split old section
    merged: tuple[SectionText, ...] = ()       # further old sections merged into new

    @property
    def from_label(self) -> str | None:
        return self.old.label if self.old is not None else None

    @property
    def to_label(self) -> str | None:
        return self.new.label if self.new is not None else None

    @property
    def words_before(self) -> int:
        return sum(len(s.words) for s in self._olds())

    @property
    def words_after(self) -> int:
        return sum(len(s.words) for s in self._news())

    @property
    def share_changed(self) -> float:
        """Words added plus removed over words before plus after (1 when added or removed)."""
        total = self.words_before + self.words_after
        if self.change in ("added", "removed"):
            return 1.0
        return (self.words_added + self.words_removed) / total if total else 0.0

    def _olds(self) -> tuple[SectionText, ...]:
        return ((self.old,) if self.old is not None else ()) + self.merged

    def _news(self) -> tuple[SectionText, ...]:
        return ((self.new,) if self.new is not None else ()) + self.split


@dataclass(frozen=True)
class SectionsDiff:
    """The section changes of one step, in the new revision's order (removed sections where
    they were)."""

    old_label: str
    new_label: str
    changes: tuple[SectionChange, ...]

    def changed(self) -> list[SectionChange]:
        return [c for c in self.changes if c.change != "unchanged"]


def _joined(sections: Sequence[SectionText]) -> Words:
    if len(sections) == 1:
        return sections[0].words
    words: list[str] = []
    starts: set[int] = set()
    for s in sections:
        starts.update(len(words) + k for k in s.words.paragraph_starts)
        starts.add(len(words))
        words.extend(s.words.words)
    return Words(tuple(words), frozenset(starts))


def section_words(olds: Sequence[SectionText], news: Sequence[SectionText]) -> tuple[Words, Words]:
    """The words of one change's old and new side (parts of a split or merge joined)."""
    return _joined(olds) if olds else Words(()), _joined(news) if news else Words(())


def _keyword_delta(olds: Sequence[SectionText], news: Sequence[SectionText]) -> dict[str, int]:
    from draftscope.analyses.keywords import DISPLAY_ORDER

    delta = {p: sum(s.keywords.get(p, 0) for s in news) - sum(s.keywords.get(p, 0) for s in olds)
             for p in DISPLAY_ORDER}
    return {p: d for p, d in delta.items() if d}


def _kind(olds, news, added: int, removed: int, renamed: bool, moved: bool,
          parts: bool = False) -> ChangeKind:
    if not olds:
        return "added"
    if not news:
        return "removed"
    total = sum(len(s.words) for s in olds) + sum(len(s.words) for s in news)
    if total and (added + removed) / total >= REWRITTEN_SHARE:
        return "rewritten"
    if renamed:
        return "renamed"
    if moved:
        return "moved"
    if added or removed:
        return "edited"
    return "moved" if parts else "unchanged"


def _change(olds: list[SectionText], news: list[SectionText], *, moved: bool) -> SectionChange:
    a, b = section_words(olds, news)
    added, removed = changed_words(word_opcodes(a.words, b.words)) if a.words != b.words else (0, 0)
    renamed = bool(olds and news) and normal_title(olds[0].title) != normal_title(news[0].title)
    parts = len(olds) > 1 or len(news) > 1
    return SectionChange(
        _kind(olds, news, added, removed, renamed, moved, parts),
        olds[0] if olds else None, news[0] if news else None, added, removed,
        _keyword_delta(olds, news), (), tuple(news[1:]), tuple(olds[1:]))


def diff_sections(old: SectionedRevision, new: SectionedRevision) -> SectionsDiff:
    """The section changes from ``old`` to ``new`` (both read by :func:`read_sections`)."""
    match = match_sections(old.sections, new.sections)
    moved = moved_sections(old.sections, new.sections, match.pairs)
    merged_old = {o for parts in match.merged.values() for o in parts}
    split_new = {n for parts in match.split.values() for n in parts}
    new_to_old = {n: o for o, n in match.pairs.items()}
    changes: list[tuple[float, SectionChange]] = []
    for s in new.sections:
        if s.index in split_new:
            continue
        o = new_to_old.get(s.index)
        olds = ([old.sections[o]] if o is not None else []) + \
            [old.sections[k] for k in match.merged.get(s.index, ())]
        news = [s] + ([new.sections[k] for k in match.split.get(o, ())] if o is not None else [])
        changes.append((s.index, _change(olds, news, moved=o in moved)))
    placed = sorted((o, n) for o, n in match.pairs.items())
    for s in old.sections:
        if s.index in match.pairs or s.index in merged_old:
            continue
        # after the new place of the nearest earlier matched old section
        k = bisect.bisect_left(placed, (s.index, -1)) - 1
        where = placed[k][1] + 0.5 if k >= 0 else -0.5
        changes.append((where, _change([s], [], moved=False)))
    ordered = tuple(c for _, c in sorted(changes, key=lambda item: item[0]))
    if old.definitions is not None and new.definitions is not None:
        ordered = _with_definitions(ordered, old, new)
    return SectionsDiff(old.label, new.label, ordered)


def _with_definitions(changes: tuple[SectionChange, ...], old: SectionedRevision,
                      new: SectionedRevision) -> tuple[SectionChange, ...]:
    """Attach the definitions that changed (``diff_definitions``) to the section holding them."""
    from dataclasses import replace

    from draftscope.analyses.definitions import diff_definitions

    diff = diff_definitions(list(old.definitions or ()), list(new.definitions or ()),
                            old_label=old.label, new_label=new.label)
    where: dict[tuple[str, str], list[str]] = {}
    for c in diff.changes:
        if c.change == "unchanged":
            continue
        definition = c.new if c.new is not None else c.old
        side = "new" if c.new is not None else "old"
        where.setdefault((side, definition.section), []).append(f"{definition.name}: {c.change}")
    out = []
    for change in changes:
        found: list[str] = []
        for side, sections in (("new", change._news()), ("old", change._olds())):
            for s in sections:
                found.extend(where.pop((side, s.label), []))
        out.append(replace(change, definitions=tuple(dict.fromkeys(found))) if found else change)
    return tuple(out)


def read_sections(item: Any, *, definitions: bool = True) -> SectionedRevision:
    """Read one revision (a Document, a path or a Revision) for section changes (module level:
    runs in worker processes)."""
    from draftscope.text.document import Document, load_document

    document = item if isinstance(item, Document) else load_document(item)
    name = getattr(item, "name", None) if not isinstance(item, (str, Path)) else None
    rev = getattr(item, "rev", None) if not isinstance(item, (str, Path)) else None
    name = name or document.name
    rev = rev if rev is not None else document.rev
    found = None
    if definitions:
        from draftscope.analyses.definitions import extract_definitions

        found = tuple(extract_definitions(document))
    # definitions.model.revision_label's rule, without importing the definitions package
    label = name if rev in ("", name) else f"{name}-{rev}"
    return SectionedRevision(name, rev, label, section_texts(document), found,
                             getattr(item, "date", None))


def _read_with_definitions(item: Any) -> SectionedRevision:
    return read_sections(item, definitions=True)


def _read_without_definitions(item: Any) -> SectionedRevision:
    return read_sections(item, definitions=False)


def section_changes(a: Any, b: Any, *, definitions: bool = True) -> SectionsDiff:
    """What changed in each section from ``a`` to ``b`` (Documents, paths or Revisions).

    ``definitions``: also extract and diff the protocol definitions, naming those that changed
    in each section (slower: about 0.2 s per revision of quic-transport).
    """
    return diff_sections(read_sections(a, definitions=definitions),
                         read_sections(b, definitions=definitions))


@dataclass(frozen=True)
class SectionTextDiff:
    """One section's words on both sides and the word opcodes between them."""

    change: SectionChange
    old: Words
    new: Words
    opcodes: tuple


def text_diff(a: Any, b: Any, *, section: str | None = None,
              flags: int = 0) -> tuple[str, str, list[SectionTextDiff]]:
    """The word-level diff of two revisions, section by section: (old label, new label, the
    sections in the new revision's order). ``section``: only sections whose old or new label
    matches this regular expression (``flags`` for ``re``)."""
    import re

    diff = diff_sections(read_sections(a, definitions=False), read_sections(b, definitions=False))
    pattern = re.compile(section, flags) if section is not None else None
    out = []
    for change in diff.changes:
        labels = [label for label in (change.from_label, change.to_label) if label]
        labels += [s.label for s in change.split + change.merged]
        if pattern is not None and not any(pattern.search(label) for label in labels):
            continue
        old, new = section_words(list(change._olds()), list(change._news()))
        opcodes = tuple(word_opcodes(old.words, new.words))
        out.append(SectionTextDiff(change, old, new, opcodes))
    return diff.old_label, diff.new_label, out


def read_all(revisions: Iterable[Any], *, definitions: bool = True, workers: int | None = None,
             progress: Callable[[int], object] | None = None) -> list[SectionedRevision]:
    """:func:`read_sections` of each revision (``workers`` processes, see
    :func:`draftscope.analyses.parallel.parallel_map`); ``progress(1)`` per revision read."""
    from draftscope.analyses.parallel import parallel_map

    reader = _read_with_definitions if definitions else _read_without_definitions
    return parallel_map(reader, list(revisions), workers=workers, progress=progress)


def lineage_changes(revisions: Iterable[Any], *, definitions: bool = True,
                    workers: int | None = None,
                    progress: Callable[[int], object] | None = None) -> list[SectionsDiff]:
    """The section changes of each step of a lineage (consecutive revisions, in order): the
    revisions as Revisions, Documents or paths (read by :func:`read_all`), or as
    :class:`SectionedRevision` read already."""
    items = list(revisions)
    if not all(isinstance(item, SectionedRevision) for item in items):
        items = read_all(items, definitions=definitions, workers=workers, progress=progress)
    return [diff_sections(a, b) for a, b in zip(items, items[1:])]
