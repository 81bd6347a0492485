"""The reader of QUIC field lists (``ACK Frame { Type (i) = 0x02..0x03, ... }``): see
:mod:`draftscope.analyses.definitions.fieldlist` for the notation."""

from __future__ import annotations

from collections.abc import Sequence

from draftscope.analyses.definitions import fieldlist
from draftscope.analyses.definitions.notations.base import (Block, NotationInfo, NotationReader,
                                                            ReadContext, Reading, as_list)


class FieldListReader(NotationReader):
    notations = (NotationInfo("fieldlist", "field list", "a field list"),)

    def starts(self, lines: Sequence[str], i: int) -> bool:
        return "{" in lines[i] and fieldlist.is_header(lines[i])

    def candidates(self, lines: Sequence[str]) -> list[int]:
        return [i for i, line in enumerate(lines) if "{" in line and fieldlist.is_header(line)]

    def read(self, lines: Sequence[str], i: int, context: ReadContext) -> Block | None:
        found = fieldlist.parse_field_list(as_list(lines), i)
        if found is None:
            return None
        name, fields, end = found
        return Block(end, (Reading(name, "fieldlist", tuple(fields)),))


READER = FieldListReader()
