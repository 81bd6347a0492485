"""The reader protocol every notation implements (the notation seam).

A notation reader answers three questions about a document's lines and may do one more thing:

- ``starts(lines, i)``: could a block of this notation start at line ``i``? (cheap: it is asked
  of every line; ``candidates(lines)`` asks it of all lines at once and may be overridden with
  a faster test giving the same answer);
- ``read(lines, i, context)``: read the block starting there into :class:`Reading`\\ s (one per
  definition) and the index of the line after it, as a :class:`Block`; a block the reader
  recognises but cannot read is a ``Block`` with ``unread`` set to the reason (it becomes an
  :class:`~draftscope.analyses.definitions.model.Unread`); None when the line does not start
  one after all (the next reader is asked);
- ``settle(readings, context)`` (optional): adjust one scan's readings once all are read (box art
  names placeholder letters from legends found later in the document);
- ``finish(definitions, document, context)`` (optional): a per-document post-pass over the named
  definitions of this reader's notations (TLS: notation examples, named types).

Each reader declares the notations it produces with their display words
(:class:`NotationInfo`): ``Definition.notation`` is one of those names, and tables, plots and the
CLI say ``info.label`` / ``info.noun``. The ordered list of readers is
:data:`draftscope.analyses.definitions.notations.READERS`.

Adding a notation (YANG tree diagrams, ABNF rules):

1. write ``notations/yang.py``: a :class:`NotationReader` subclass with ``notations =
   (NotationInfo("yang-tree", "YANG tree", "a YANG tree diagram"),)``, ``starts`` and ``read``
   (``Block(end, (Reading(name, "yang-tree", fields),))``; ``name`` "" to be named by the
   figure's caption or section; ``Block(end, unread="why")`` for a figure it recognises but
   cannot read), optionally ``finish``; end the module with ``READER = YangReader()``;
2. add ``yang.READER`` to ``READERS`` in ``notations/__init__.py``, before any reader whose
   lines look alike;
3. add golden cases (``tests/cases/definitions/NAME.txt`` + ``.json``) from real figures.

Nothing else changes: tables, plots, stories and the CLI show ``notation_label(name)`` and
``notation_noun(name)``; diff and history compare the new definitions like any other.
``tests/analyses/test_notation_seam.py`` registers a toy reader this way, in the test only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from draftscope.analyses.definitions.model import Definition, Field

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.document import Document

# sections whose drawings show the notation itself (RFC 9000 1.3 "Notational Conventions", the
# TLS "Presentation Language"), or sample packets with values filled in (RFC 791 appendix A)
_EXAMPLE_SECTION = re.compile(r"\b(?:notation(?:al)?|conventions|presentation language|examples?)\b", re.I)


def is_example_section(title: str) -> bool:
    """Whether a section's definitions are notation examples rather than protocol definitions."""
    return bool(_EXAMPLE_SECTION.search(title))


@dataclass(frozen=True)
class NotationInfo:
    """A notation's name (``Definition.notation``) and the words that show it."""

    name: str                  # "boxart"
    label: str                 # "box art": tables, CLI, plot subtitles
    noun: str                  # "a box diagram": sentences ("redrawn as a box diagram")
    drawn_as: Literal["bits", "card"] = "bits"   # a bit diagram or a card (TLS) when drawn


@dataclass(frozen=True)
class Reading:
    """One definition as a reader found it, before it is named and placed."""

    name: str                  # its own name ("ACK Frame {" -> "ACK Frame"); "" for a drawing
                               # named by its caption, sub-drawing label or section title
    notation: str
    fields: tuple[Field, ...]
    warnings: tuple[str, ...] = ()   # what the reader had to decide (becomes the definition's)


@dataclass(frozen=True)
class Block:
    """What a reader made of the lines ``[start, end)``: readings, or the reason it could not."""

    end: int
    readings: tuple[Reading, ...] = ()
    unread: str = ""
    kind: str = "unreadable"      # of an unread block: model.UNREADABLE or NOT_A_DEFINITION


@dataclass
class ReadContext:
    """What readers may know about the document being scanned.

    ``legend`` is the legend of the one drawing being scanned when the caller has it (XML puts
    it after the artwork); ``memory`` holds each reader's state for one document (kept from one
    scan to the next when a document is read in pieces, as XML artwork is).
    """

    legend: list[tuple[str, str]] | None = None
    memory: dict[str, object] = field(default_factory=dict)


def as_list(lines: Sequence[str]) -> list[str]:
    """``lines`` as a list, not copied when it is one (readers only read it: a copy of a whole
    document per block cost more than reading the block)."""
    return lines if isinstance(lines, list) else list(lines)


class NotationReader:
    """Base of the notation readers: override ``starts`` and ``read``; the rest is optional."""

    notations: tuple[NotationInfo, ...] = ()

    def starts(self, lines: Sequence[str], i: int) -> bool:
        raise NotImplementedError

    def read(self, lines: Sequence[str], i: int, context: ReadContext) -> Block | None:
        raise NotImplementedError

    def candidates(self, lines: Sequence[str]) -> list[int]:
        """Every ``i`` where ``starts(lines, i)``; override with a cheaper test that gives the
        same answer (a document has thousands of lines of prose)."""
        return [i for i in range(len(lines)) if self.starts(lines, i)]

    def settle(self, readings: list[Reading], context: ReadContext) -> list[Reading]:
        return readings

    def finish(self, definitions: list[Definition], document: "Document",
               context: ReadContext) -> list[Definition]:
        """Every definition of the document, named and placed; change only your notations'."""
        return definitions
