"""The text stage's result: a :class:`Document` (clean lines, sections, the XML tree) and its
:class:`Section` s. Its own module so that the readers (:mod:`.document` for text,
:mod:`.xml` for RFC XML) and the size (:mod:`.size`) depend on it, never on each other."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from draftscope.text.sections import FRONT_MATTER
from draftscope.text.size import DocumentSize, document_size

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree


@dataclass(frozen=True)
class Section:
    """A section of a :class:`Document`: its heading's number and title, where it starts."""

    number: str  # "4.2", "A.1", "" for front matter / Abstract / unnumbered
    title: str  # "Stream States", "Abstract", "front matter"
    start: int  # index into Document.lines of the heading line

    @property
    def label(self) -> str:
        """"4.2 Stream States", "Abstract" — for people."""
        return f"{self.number} {self.title}".strip()


@dataclass
class Document:
    """One revision as analyses read it: clean lines (page furniture removed), the source
    line of each, its sections in order, and for XML the parsed tree."""

    name: str
    rev: str
    format: str  # "txt" | "xml"
    lines: list[str]  # page furniture removed
    line_numbers: list[int]  # 1-based source line of each kept line
    sections: list[Section]  # in order, table of contents skipped; sections[0].start == 0
    toc: range | None = None  # indices of the table of contents lines
    xml: "etree._Element | None" = None  # parsed root for XML input
    # XML with <bcp14> markup only: (line index, phrase) of each marked phrase, in order
    bcp14: list[tuple[int, str]] | None = None
    # the last page number printed in the removed "[Page N]" footers; None when the source has
    # none (unpaginated text, XML)
    printed_pages: int | None = None
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.sections or self.sections[0].start != 0:
            self.sections = [Section("", FRONT_MATTER, 0), *self.sections]
        self._starts = [s.start for s in self.sections]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def label(self) -> str:
        if self.rev and self.rev != self.name:
            return f"{self.name}-{self.rev}"
        return self.name

    @property
    def size(self) -> DocumentSize:
        """Pages (printed, else estimated) and words: see :mod:`draftscope.text.size`."""
        return document_size(self)

    def section_at(self, index: int) -> Section:
        """The section that holds line ``index`` (the front matter before the first heading)."""
        if index < 0 or index >= max(len(self.lines), 1):
            raise IndexError(f"line index {index} out of range")
        return self.sections[bisect.bisect_right(self._starts, index) - 1]
