"""How big a revision is, in pages and words: what keyword counts are normalised by.

Pages are the document's own when it has them: the last ``[Page N]`` footer the text stage
removed. Text without footers (RFCs published since RFC 8650, XML sources) gets an estimate on
the same scale: its lines as printed at :data:`PRINT_WIDTH` columns (a longer line, such as an
XML paragraph rendered on one line, wraps at word boundaries) over :data:`LINES_PER_PAGE`.
Words are the whitespace-separated words of the clean lines (page furniture removed).

An XML source lacks what xml2rfc adds when it prints (boilerplate, table of contents, the
references' full text), so its words and estimated pages run lower than its printed text:
draft-ietf-quic-transport-34.xml has 58266 words and an estimate of 212 pages, the printed
draft 65609 words on 207 pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, Sequence


class _Printed(Protocol):
    """What a size is computed from (a :class:`draftscope.text.model.Document`)."""

    lines: list[str]
    printed_pages: int | None

# Lines of text per page of a paginated draft (measured 46.2-46.7 on draft-ietf-quic-transport,
# counting lines with page furniture removed).
LINES_PER_PAGE = 46.4
# Columns of a printed Internet-Draft or RFC.
PRINT_WIDTH = 72


@dataclass(frozen=True)
class DocumentSize:
    """Pages and words of one revision."""

    pages: int
    words: int
    paginated: bool  # pages come from the document's footers (else estimated from its lines)


def document_size(document: _Printed) -> DocumentSize:
    """The size of a document the text stage has read (no file is read again)."""
    words = sum(len(line.split()) for line in document.lines)
    if document.printed_pages is not None:
        return DocumentSize(document.printed_pages, words, True)
    return DocumentSize(estimate_pages(document.lines), words, False)


def estimate_pages(lines: Sequence[str]) -> int:
    """Pages that ``lines`` would fill if printed: at least one."""
    return max(1, math.ceil(printed_lines(lines) / LINES_PER_PAGE))


def printed_lines(lines: Sequence[str], width: int = PRINT_WIDTH) -> int:
    """How many lines ``lines`` take at ``width`` columns, each wrapped at word boundaries
    (continuations keep the line's indent; a word longer than a line is cut)."""
    total = 0
    for line in lines:
        if len(line) <= width:
            total += 1
        else:
            total += _wrapped(line, width)
    return total


def _wrapped(line: str, width: int) -> int:
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    room = max(1, width - indent)
    count, used = 1, 0
    for word in stripped.split():
        size = len(word)
        if used and used + 1 + size <= room:
            used += 1 + size
            continue
        if used:
            count += 1
        count += (size - 1) // room   # a word longer than a line fills whole lines
        used = size - ((size - 1) // room) * room
    return count
