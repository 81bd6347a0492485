"""BCP 14 keyword counting: exact, per revision and per section, from published text or XML.

The rules (issue 3; each is pinned by a test on real drafts), defined once in
:mod:`draftscope.analyses.bcp14` (the byte scanner is generated from the same definitions):

* the 11 phrases of :data:`PHRASES`, all capitals only (RFC 8174);
* a two-word phrase counts once, as itself and never also as its first word, whatever
  whitespace, line break or page break (furniture removed first) separates its words;
* a phrase counts only as a whole word: no letter, digit, ``_`` or ``-`` on either side;
* the BCP 14 boilerplate -- any paragraph holding at least three double-quoted phrases that
  names RFC 2119, RFC 8174 or BCP 14 -- is reported apart, not counted;
* lowercase must/should/... are a separate, optional metric;
* in XML with ``<bcp14>`` markup the markup is authoritative; otherwise the text rules apply to
  the text rendered from the XML;
* the table of contents is skipped.

Scanning is one C-level regex pass per initial letter group over the whole text (a literal
prefix lets ``re`` skip ahead at memchr speed); Python only touches the few spans to subtract
(table of contents, boilerplate) unless per-section positions are asked for.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Union

from draftscope.analyses.bcp14 import (  # noqa: F401 - re-exported: the public names of the rules
    BOILERPLATE_MIN_QUOTED,
    DISPLAY_ORDER,
    LOWERCASE,
    PHRASES,
    lowercase_sources,
    text_patterns,
)

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.document import Document


_PATTERNS = text_patterns()
_M = _PATTERNS.must_may
_SH = _PATTERNS.shall_should
_RE = _PATTERNS.required_recommended
_OPT = _PATTERNS.optional
_NOTREC = _PATTERNS.not_recommended
_LOWER_PASSES = [re.compile(source) for source in lowercase_sources()]
# Any one phrase, for positions (per-section counts) and for quoted phrases.
_ANY = _PATTERNS.any_phrase
_QUOTED = _PATTERNS.quoted
_QUOTED_ASCII = _PATTERNS.quoted_ascii
_MENTION = _PATTERNS.mention
_PARAGRAPH_BREAK = _PATTERNS.paragraph_break
# The last paragraph break of a stretch of text: the greedy ``.*`` backs off from the end, so
# one match reads the stretch once.
_LAST_PARAGRAPH_BREAK = re.compile(r".*" + _PARAGRAPH_BREAK.pattern, re.S)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SectionCounts:
    """Counts of one section of a revision, as its heading numbers and titles it."""

    number: str
    title: str
    counts: dict[str, int]  # boilerplate excluded
    boilerplate: dict[str, int]


@dataclass(frozen=True)
class KeywordCounts:
    """Counts of one revision. ``counts`` excludes the boilerplate; all 11 phrases are keys."""

    counts: dict[str, int]
    boilerplate: dict[str, int]
    lowercase: dict[str, int] | None = None
    sections: tuple[SectionCounts, ...] | None = None
    boilerplate_spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def with_boilerplate(self) -> dict[str, int]:
        return {p: self.counts[p] + self.boilerplate[p] for p in DISPLAY_ORDER}


def zero_counts() -> dict[str, int]:
    return {p: 0 for p in DISPLAY_ORDER}


def normalize_phrase(text: str) -> str:
    """"MUST\\n   NOT" -> "MUST NOT"."""
    return _SPACE.sub(" ", text.strip())


def tally(text: str, pos: int = 0, endpos: int | None = None) -> dict[str, int]:
    """Counts of the 11 phrases in ``text[pos:endpos]`` (no boilerplate or TOC handling)."""
    if endpos is None:
        endpos = len(text)
    counts = zero_counts()
    for (must, neg), n in Counter(_M.findall(text, pos, endpos)).items():
        counts[("MUST NOT" if neg else "MUST") if must else "MAY"] += n
    for (shall, neg), n in Counter(_SH.findall(text, pos, endpos)).items():
        base = "SHALL" if shall else "SHOULD"
        counts[f"{base} NOT" if neg else base] += n
    for required, n in Counter(_RE.findall(text, pos, endpos)).items():
        counts["REQUIRED" if required else "RECOMMENDED"] += n
    counts["OPTIONAL"] = len(_OPT.findall(text, pos, endpos))
    not_recommended = len(_NOTREC.findall(text, pos, endpos))
    counts["NOT RECOMMENDED"] = not_recommended
    counts["RECOMMENDED"] -= not_recommended  # each was also seen as RECOMMENDED
    return counts


def tally_lowercase(text: str, pos: int = 0, endpos: int | None = None) -> dict[str, int]:
    """The lowercase words, whole, in ``text[pos:endpos]``: the rule ``patterns().lowercase``
    (one alternation), run as literal-led passes, one per first letter (5x faster)."""
    counts = dict.fromkeys(LOWERCASE, 0)
    end = len(text) if endpos is None else endpos
    for rx in _LOWER_PASSES:
        found = rx.findall(text, pos, end)
        if len(found) > 16:
            counts.update(Counter(found))
        else:
            for word in found:
                counts[word] += 1
    return counts


def find_phrases(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, str]]:
    """(offset, phrase) of every occurrence, in order."""
    end = len(text) if endpos is None else endpos
    return [(m.start(), normalize_phrase(m.group())) for m in _ANY.finditer(text, pos, end)]


def paragraph_bounds(text: str, pos: int, floor: int = 0) -> tuple[int, int]:
    """[start, end) of the paragraph (text between blank lines) holding offset ``pos``: it starts
    after the last blank line before ``pos`` and ends with the line before the next one.
    ``floor``: no blank line lies in ``text[floor:pos]`` but for those :func:`boilerplate_spans`
    has not seen yet (the search reads only from there)."""
    m = _LAST_PARAGRAPH_BREAK.match(text, max(0, floor - 1), pos)
    start = m.end() if m else floor
    m = _PARAGRAPH_BREAK.search(text, pos)
    end = m.start() + 1 if m else len(text)
    return start, end


def is_boilerplate(paragraph: str) -> bool:
    """The BCP 14 boilerplate rule for one paragraph: at least three double-quoted phrases and
    a mention of RFC 2119, RFC 8174 or BCP 14."""
    return len(_QUOTED.findall(paragraph)) >= BOILERPLATE_MIN_QUOTED and bool(_MENTION.search(paragraph))


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each BCP 14 boilerplate paragraph (see :func:`is_boilerplate`).

    Each paragraph that holds a quoted phrase is found and judged once, reading the text once:
    linear however many quoted phrases a paragraph holds.
    """
    spans: list[tuple[int, int]] = []
    paragraph_end = -1  # end of the last paragraph judged
    floor = 0  # where the search for the next paragraph's start may begin
    # without typographic quotes only '"' can open or close one: the pattern led by it is the same
    quoted = _QUOTED if "\u201c" in text or "\u201d" in text else _QUOTED_ASCII
    for m in quoted.finditer(text):
        if m.start() < paragraph_end:
            continue
        start, end = paragraph_bounds(text, m.start(), floor)
        paragraph_end = end
        floor = end
        if is_boilerplate(text[start:end]):
            spans.append((start, end))
    return spans


def _subtract(counts: dict[str, int], other: dict[str, int]) -> None:
    for key, value in other.items():
        counts[key] -= value


def _add(counts: dict[str, int], other: dict[str, int]) -> None:
    for key, value in other.items():
        counts[key] += value


def count_text(
    text: str,
    *,
    skip: Iterable[tuple[int, int]] = (),
    lowercase: bool = False,
) -> KeywordCounts:
    """Counts over clean text (furniture already removed); ``skip`` spans (the TOC) are ignored."""
    counts = tally(text)
    boiler = zero_counts()
    lower = tally_lowercase(text) if lowercase else None
    skipped = sorted(skip)
    spans = boilerplate_spans(text)
    for start, end in skipped:
        _subtract(counts, tally(text, start, end))
        if lower is not None:
            _subtract(lower, tally_lowercase(text, start, end))
    for start, end in spans:
        if any(a <= start < b for a, b in skipped):
            continue
        inside = tally(text, start, end)
        _subtract(counts, inside)
        _add(boiler, inside)
        if lower is not None:
            _subtract(lower, tally_lowercase(text, start, end))
    return KeywordCounts(counts, boiler, lower, None, tuple(spans))


Countable = Union["Document", str, bytes]


def count_keywords(
    source: Countable,
    *,
    by_section: bool = False,
    lowercase: bool = False,
) -> KeywordCounts:
    """Count BCP 14 phrases in a Document, or in raw published text (str or bytes; read as a
    Document is).

    ``by_section`` adds per-section counts (every section, zeros included, TOC skipped).
    """
    from draftscope.text.document import Document, clean_lines, parse_text
    from draftscope.text.sections import find_toc

    if isinstance(source, (str, bytes)):
        if by_section:
            source = parse_text(source)
        else:  # the Document's lines and table of contents; its sections are not needed
            lines, numbers, _ = clean_lines(source)
            source = Document("", "", "txt", lines, numbers, [], find_toc(lines))
    if not isinstance(source, Document):
        raise TypeError(f"count_keywords() needs a Document, str or bytes, not {type(source).__name__}")
    return _count_document(source, by_section=by_section, lowercase=lowercase)


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = [0] * len(lines)
    pos = 0
    for i, line in enumerate(lines):
        offsets[i] = pos
        pos += len(line) + 1
    return offsets


def _count_document(doc: "Document", *, by_section: bool, lowercase: bool) -> KeywordCounts:
    text = doc.text
    offsets = _line_offsets(doc.lines) if (by_section or doc.toc is not None or doc.bcp14 is not None) else []
    skip: list[tuple[int, int]] = []
    if doc.toc is not None and len(doc.toc):
        start = offsets[doc.toc.start]
        last = doc.toc.stop - 1
        skip.append((start, offsets[last] + len(doc.lines[last]) + 1))
    if doc.bcp14 is not None:
        return _count_bcp14(doc, text, offsets, by_section=by_section, lowercase=lowercase)
    result = count_text(text, skip=skip, lowercase=lowercase)
    if not by_section:
        return result
    occurrences = [
        (bisect.bisect_right(offsets, offset) - 1, phrase, _inside(offset, result.boilerplate_spans))
        for offset, phrase in find_phrases(text)
        if not _inside(offset, skip)
    ]
    return _with_sections(doc, result, occurrences)


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _with_sections(
    doc: "Document", result: KeywordCounts, at_lines: list[tuple[int, str, bool]]
) -> KeywordCounts:
    """Attribute (line index, phrase, is boilerplate) occurrences to the document's sections."""
    per_section = [zero_counts() for _ in doc.sections]
    per_section_boiler = [zero_counts() for _ in doc.sections]
    starts = [s.start for s in doc.sections]
    for line, phrase, boilerplate in at_lines:
        index = max(0, bisect.bisect_right(starts, line) - 1)
        (per_section_boiler if boilerplate else per_section)[index][phrase] += 1
    sections = tuple(
        SectionCounts(section.number, section.title, counts, boiler)
        for section, counts, boiler in zip(doc.sections, per_section, per_section_boiler)
    )
    return KeywordCounts(result.counts, result.boilerplate, result.lowercase, sections, result.boilerplate_spans)


def _count_bcp14(
    doc: "Document", text: str, offsets: list[int], *, by_section: bool, lowercase: bool
) -> KeywordCounts:
    """XML with <bcp14> markup: the marked phrases are the occurrences."""
    spans = boilerplate_spans(text)
    boiler_lines = [
        (bisect.bisect_right(offsets, a) - 1, bisect.bisect_right(offsets, max(a, b - 1)) - 1) for a, b in spans
    ]
    counts, boiler = zero_counts(), zero_counts()
    kept: list[tuple[int, str, bool]] = []
    for line, raw in doc.bcp14 or ():
        phrase = normalize_phrase(raw)
        if phrase not in counts:
            continue  # <bcp14>must</bcp14> or markup around other words: not a BCP 14 phrase
        in_boilerplate = any(a <= line <= b for a, b in boiler_lines)
        (boiler if in_boilerplate else counts)[phrase] += 1
        kept.append((line, phrase, in_boilerplate))
    lower = None
    if lowercase:
        lower = tally_lowercase(text)
        for a, b in spans:
            _subtract(lower, tally_lowercase(text, a, b))
    result = KeywordCounts(counts, boiler, lower, None, tuple(spans))
    return _with_sections(doc, result, kept) if by_section else result
