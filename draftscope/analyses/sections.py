"""Sections of one revision as words, and sections matched from one revision to the next.

A section is the text from its heading to the next heading (the table of contents left out),
read as words (:mod:`draftscope.analyses.textdiff`: reflow and pagination are no change), with
its BCP 14 counts (:func:`draftscope.analyses.keywords.count_keywords`, the one counter).

:func:`match_sections` gives a section one identity from revision to revision whatever its
number (renumbering is no change), through a new position, a new title or a split or merge:

1. the same title (case and punctuation aside), unique on both sides; titles that repeat
   ("Overview", "front matter") by their parent's title, else in order;
2. the rest by content and title (rapidfuzz: the word sequences' ``Indel`` similarity, titles'
   ``token_set_ratio``), best pairs first: content alike (>= 0.6), or a title alike (>= 0.8)
   with some content alike (>= 0.25), or two near-empty sections with titles alike;
3. a section still new whose word pairs mostly (>= 0.5) come from one old section, and not
   from that section's own match, is a part split off it; an old section still unmatched whose
   word pairs mostly went into one new section merged into it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from draftscope.analyses.textdiff import Words, line_words

# Thresholds of the matching steps (see the module docstring).
CONTENT_ALIKE = 0.6
TITLE_ALIKE = 0.8
SOME_CONTENT = 0.25
SHORT_SECTION = 20          # words: below this, content says little and titles decide
PART_SHARE = 0.5            # share of a part's word pairs found in the section it left
SHARED_PAIRS = 0.2          # share of word pairs two sections must share to be compared in full


@dataclass(frozen=True)
class SectionText:
    """One section of one revision: its heading, words and keyword counts (boilerplate out)."""

    index: int                       # into the Document's sections
    number: str                      # "4.2", "A.1", "" when unnumbered
    title: str
    words: Words
    keywords: dict[str, int] = field(default_factory=dict, compare=False)
    parent: int | None = None        # index of the enclosing numbered section

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    @functools.cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        """Its pairs of adjacent words (what splits and merges are recognised by)."""
        w = self.words.words
        return frozenset(zip(w, w[1:]))

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1 if self.number else 1


@dataclass(frozen=True)
class SectionedRevision:
    """A revision read for section changes: its sections and (when asked) its definitions."""

    name: str
    rev: str
    label: str
    sections: tuple[SectionText, ...]
    definitions: tuple | None = None     # Definition objects, None when not extracted
    date: Any = None


@dataclass(frozen=True)
class SectionMatch:
    """Old section index -> new section index, and the parts split off or merged in."""

    pairs: dict[int, int]                       # old -> new (primary match)
    split: dict[int, tuple[int, ...]]           # old -> further new parts
    merged: dict[int, tuple[int, ...]]          # new -> further old parts


def _parents(numbers: Sequence[str]) -> list[int | None]:
    """For each numbered section, the index of the nearest section whose number encloses it."""
    parents: list[int | None] = []
    last: dict[str, int] = {}
    for i, number in enumerate(numbers):
        parent = None
        if "." in number:
            parent = last.get(number.rsplit(".", 1)[0])
        parents.append(parent)
        if number:
            last[number] = i
    return parents


def section_texts(document: Any) -> tuple[SectionText, ...]:
    """The sections of a :class:`~draftscope.text.document.Document` as words, each with its
    BCP 14 counts; the heading line is not part of the words, the table of contents is left out."""
    from draftscope.analyses.keywords import count_keywords
    from draftscope.text.sections import parse_heading

    counts = count_keywords(document, by_section=True).sections or ()
    lines = document.lines
    toc = document.toc if document.toc is not None else range(0)
    sections = document.sections
    parents = _parents([s.number for s in sections])
    out = []
    for i, section in enumerate(sections):
        end = sections[i + 1].start if i + 1 < len(sections) else len(lines)
        # the heading line is not body text (the implicit front matter has none)
        first = section.start + (1 if section.start < len(lines)
                                 and parse_heading(lines[section.start]) is not None else 0)
        body = [line for k, line in enumerate(lines[first:end], first) if k not in toc]
        kw = {p: n for p, n in counts[i].counts.items() if n} if i < len(counts) else {}
        out.append(SectionText(i, section.number, section.title, line_words(body), kw, parents[i]))
    return tuple(out)


def normal_title(title: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", title.lower()).split())


def _unique(items: Sequence[SectionText], key) -> dict:
    seen: dict = {}
    for s in items:
        seen.setdefault(key(s), []).append(s.index)
    return seen


def _match_by_title(old: Sequence[SectionText], new: Sequence[SectionText],
                    pairs: dict[int, int]) -> None:
    by_old = _unique(old, lambda s: normal_title(s.title))
    by_new = _unique(new, lambda s: normal_title(s.title))
    for title, olds in by_old.items():
        news = by_new.get(title)
        if not news:
            continue
        if len(olds) == 1 and len(news) == 1:
            pairs[olds[0]] = news[0]
            continue
        # repeated titles: by the parent's title, else in order when both sides repeat alike
        def parent_title(sections, i):
            p = sections[i].parent
            return normal_title(sections[p].title) if p is not None else ""

        keyed_old = _unique([old[i] for i in olds], lambda s: parent_title(old, s.index))
        keyed_new = _unique([new[i] for i in news], lambda s: parent_title(new, s.index))
        for key, o in keyed_old.items():
            n = keyed_new.get(key)
            if n and len(o) == len(n):
                pairs.update(zip(o, n))


def _similarity(a: SectionText, b: SectionText) -> tuple[float, float]:
    """(content, title) similarity in [0, 1]."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

    title = fuzz.token_set_ratio(normal_title(a.title), normal_title(b.title)) / 100
    if not a.words.words and not b.words.words:
        return 1.0, title
    return Indel.normalized_similarity(a.words.words, b.words.words), title


def _acceptable(a: SectionText, b: SectionText, content: float, title: float) -> bool:
    if min(len(a.words), len(b.words)) < SHORT_SECTION:
        return title >= TITLE_ALIKE and (content >= SOME_CONTENT or max(len(a.words), len(b.words)) < SHORT_SECTION)
    return content >= CONTENT_ALIKE or (title >= TITLE_ALIKE and content >= SOME_CONTENT)


def _shared_pairs(free_old: Sequence[SectionText], free_new: Sequence[SectionText]) -> dict:
    """(old index, new index) -> word pairs the two sections share, for the pairs sharing any
    (an inverted index: far fewer than all pairs when two revisions differ a lot)."""
    index: dict[tuple[str, str], list[int]] = {}
    for a in free_old:
        for gram in a.bigrams:
            index.setdefault(gram, []).append(a.index)
    shared: dict[tuple[int, int], int] = {}
    for b in free_new:
        for gram in b.bigrams:
            for o in index.get(gram, ()):
                shared[(o, b.index)] = shared.get((o, b.index), 0) + 1
    return shared


def _may_be_alike(a: SectionText, b: SectionText, shared: int) -> bool:
    """Whether content alike enough to match (CONTENT_ALIKE) is possible: lengths within the
    bound the similarity sets, and a fifth of the smaller one's word pairs shared."""
    la, lb = len(a.words), len(b.words)
    if 2 * min(la, lb) / max(la + lb, 1) < CONTENT_ALIKE:
        return False
    return shared >= SHARED_PAIRS * min(len(a.bigrams), len(b.bigrams))


def _match_by_content(old: Sequence[SectionText], new: Sequence[SectionText],
                      pairs: dict[int, int]) -> None:
    from rapidfuzz import fuzz

    taken_new = set(pairs.values())
    free_old = [s for s in old if s.index not in pairs]
    free_new = [s for s in new if s.index not in taken_new]
    shared = _shared_pairs(free_old, free_new)
    titles = {id(s): normal_title(s.title) for s in (*free_old, *free_new)}
    candidates = []
    for a in free_old:
        for b in free_new:
            title_alike = fuzz.token_set_ratio(titles[id(a)], titles[id(b)]) >= 100 * TITLE_ALIKE
            if not title_alike and not _may_be_alike(a, b, shared.get((a.index, b.index), 0)):
                continue
            content, title = _similarity(a, b)
            if _acceptable(a, b, content, title):
                candidates.append((max(content, (content + title) / 2), a.index, b.index))
    for _, o, n in sorted(candidates, reverse=True):
        if o not in pairs and n not in taken_new:
            pairs[o] = n
            taken_new.add(n)


def _share_in(part: set, whole: set) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _changed(sections: Sequence[SectionText], partners: dict[int, int],
             others: Sequence[SectionText]) -> list[SectionText]:
    """The sections whose words differ from their match's (or that have none): only these can
    have given text to a split part or taken it from a merged section."""
    return [s for s in sections
            if s.index not in partners or s.words.words != others[partners[s.index]].words.words]


def _changed_grams(section: SectionText, partner: SectionText | None, *, gave: bool) -> frozenset:
    """The word pairs ``section`` lost to its match (``gave``; or gained from it): those in the
    runs the word diff removes (or adds); all its pairs when it has no match."""
    from draftscope.analyses.textdiff import word_opcodes

    if partner is None:
        return section.bigrams
    old, new = (section, partner) if gave else (partner, section)
    words = section.words.words
    grams: set[tuple[str, str]] = set()
    for tag, i1, i2, j1, j2 in word_opcodes(old.words.words, new.words.words):
        if tag != "equal":
            start, end = (i1, i2) if gave else (j1, j2)
            grams.update(zip(words[start:end], words[start + 1:end]))
    return frozenset(grams)


def _sources(parts: Sequence[SectionText], candidates: Sequence[SectionText],
             partners: dict[int, int], others: Sequence[SectionText], *,
             gave: bool) -> dict[int, SectionText]:
    """For each part, the candidate that lost (``gave``; or gained) most of its word pairs to
    (from) its own match, when that is at least PART_SHARE of them: the parts' pairs indexed,
    each candidate's changed pairs looked up (a candidate that changed fewer pairs than that
    share of the smallest part cannot be one)."""
    index: dict[tuple[str, str], list[int]] = {}
    for part in parts:
        for gram in part.bigrams:
            index.setdefault(gram, []).append(part.index)
    if not index:
        return {}
    least = PART_SHARE * min(len(part.bigrams) for part in parts if part.bigrams)
    hits: dict[tuple[int, int], int] = {}
    for c in candidates:
        partner = partners.get(c.index)
        left = _changed_grams(c, others[partner] if partner is not None else None, gave=gave)
        if len(left) < least:
            continue
        for gram in left:
            for p in index.get(gram, ()):
                hits[(p, c.index)] = hits.get((p, c.index), 0) + 1
    best: dict[int, tuple[int, int]] = {}
    for (p, c), count in hits.items():
        if p not in best or (count, -c) > (best[p][0], -best[p][1]):
            best[p] = (count, c)
    by_index = {c.index: c for c in candidates}
    sizes = {part.index: len(part.bigrams) for part in parts}
    return {p: by_index[c] for p, (count, c) in best.items() if count >= PART_SHARE * sizes[p]}


def _find_parts(old: Sequence[SectionText], new: Sequence[SectionText],
                pairs: dict[int, int]) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]]]:
    """Splits (new parts of an old section) and merges (old parts of a new section)."""
    matched_new = {n: o for o, n in pairs.items()}
    lonely_new = [s for s in new if s.index not in matched_new and len(s.words) >= SHORT_SECTION]
    lonely_old = [s for s in old if s.index not in pairs and len(s.words) >= SHORT_SECTION]
    if not lonely_new and not lonely_old:
        return {}, {}
    split: dict[int, list[int]] = {}
    givers = _sources(lonely_new, _changed(old, pairs, new), pairs, new, gave=True)
    for s in lonely_new:
        best = givers.get(s.index)
        if best is None:
            continue
        split.setdefault(best.index, []).append(s.index)
    for o, parts in split.items():
        if o not in pairs:   # the old section lives on in its parts: the most alike is its match
            first = max(parts, key=lambda n: _share_in(old[o].bigrams, new[n].bigrams))
            pairs[o] = first
            parts.remove(first)
    matched_new = {n: o for o, n in pairs.items()}
    in_parts = {n for parts in split.values() for n in parts}
    lonely_old = [s for s in lonely_old if s.index not in pairs]
    takers = _sources(lonely_old,
                      [s for s in _changed(new, matched_new, old) if s.index not in in_parts],
                      matched_new, old, gave=False)
    merged: dict[int, list[int]] = {}
    for s in lonely_old:
        best = takers.get(s.index)
        if best is None:
            continue
        partner = matched_new.get(best.index)
        if partner is None:
            pairs[s.index] = best.index
            matched_new[best.index] = s.index
        else:
            merged.setdefault(best.index, []).append(s.index)
    return ({o: tuple(p) for o, p in split.items() if p},
            {n: tuple(p) for n, p in merged.items()})


def match_sections(old: Sequence[SectionText], new: Sequence[SectionText]) -> SectionMatch:
    """Match the sections of two revisions (see the module docstring)."""
    pairs: dict[int, int] = {}
    _match_by_title(old, new, pairs)
    _match_by_content(old, new, pairs)
    split, merged = _find_parts(old, new, pairs)
    return SectionMatch(pairs, split, merged)


def moved_sections(old: Sequence[SectionText], new: Sequence[SectionText],
                   pairs: dict[int, int]) -> set[int]:
    """Old indices of matched sections that moved: out of order against the other matched
    sections (not on their longest increasing run), or under another enclosing section."""
    from draftscope.analyses.sequence import longest_increasing

    order = sorted(pairs.items())
    kept = longest_increasing([n for _, n in order])      # positions in ``order`` that kept their place
    keep = {order[k][0] for k in kept}
    moved = {o for o, _ in order if o not in keep}
    for o, n in order:
        op, np_ = old[o].parent, new[n].parent
        if (op is None) != (np_ is None) or (op is not None and pairs.get(op) != np_):
            moved.add(o)
    return moved
