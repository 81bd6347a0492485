"""The reader of the TLS presentation language (``struct { ... } Name;``, ``enum { ... } Name;``
and one-line types such as ``uint8 CipherSuite[2];``): see
:mod:`draftscope.analyses.definitions.tls` for the notation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from draftscope.analyses.definitions import tls
from draftscope.analyses.definitions.model import Definition
from draftscope.analyses.definitions.notations.base import (Block, NotationInfo, NotationReader,
                                                            ReadContext, Reading,
                                                            as_list, is_example_section)

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.document import Document


class TlsReader(NotationReader):
    notations = (NotationInfo("tls-struct", "TLS struct", "a TLS struct", "card"),
                 NotationInfo("tls-enum", "TLS enum", "a TLS enum", "card"))

    def starts(self, lines: Sequence[str], i: int) -> bool:
        line = lines[i]
        # a one-line type ends in ";" (or a comment after it): most prose with a ";" does not
        return ("{" in line and tls.is_start(line)) or (
            ";" in line and (line.rstrip().endswith(";") or "/" in line)
            and tls.parse_one_line(line) is not None)

    def candidates(self, lines: Sequence[str]) -> list[int]:
        return [i for i, line in enumerate(lines)
                if ("{" in line or ";" in line) and self.starts(lines, i)]

    def read(self, lines: Sequence[str], i: int, context: ReadContext) -> Block | None:
        line = lines[i]
        if "{" in line and tls.is_start(line):
            found = tls.parse_tls(as_list(lines), i)
            if found:
                name, kind, fields, end = found
                return Block(end, (Reading(name, f"tls-{kind}", tuple(fields)),))
        one_line = tls.parse_one_line(line) if ";" in line else None
        if one_line:                                 # uint8 CipherSuite[2]; opaque X<0..32>;
            name, field = one_line
            return Block(i + 1, (Reading(name, "tls-struct", (field,)),))
        return None

    def finish(self, definitions: list[Definition], document: "Document",
               context: ReadContext) -> list[Definition]:
        # per-document post-passes of the TLS notation, in order: notation examples, then the
        # members typed by the document's own types
        found = tls.mark_examples(definitions, document.sections, is_example_section)
        return tls.resolve_named_types(found)


READER = TlsReader()
