"""Section headings and the table of contents of plain (unpaginated) draft text.

Headings are printed at column 0 ("4.2.  Stream States", "Appendix A.  Pseudocode",
"A.1.  Sample ...", "Abstract", "Acknowledgments"); body text is indented. The table of contents
repeats every heading, indented, so it is found first and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FRONT_MATTER = "front matter"

NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+([A-Za-z\"'(\[].*?|\d+-?[A-Za-z].*?)\s*$")
APPENDIX = re.compile(r"^(?:Appendix|APPENDIX)\s+([A-Z](?:\.\d+)*)[.:]?(?:\s+(.*?))?\s*$")
LETTERED = re.compile(r"^([A-Z](?:\.\d+)+)\.?\s+([A-Za-z\"'(\[].*?)\s*$")
# ASCII: the byte scanner (analyses/keyword_scan/) finds the same headings in raw bytes
TOC_HEADING = re.compile(r"^\s*Table of Contents\s*$", re.IGNORECASE | re.ASCII)
# "   3.1.  Low-Latency Version Negotiation . . . . .   5" / "....5"
# (a leader is matched from its first dot only, in one go: linear however long the line)
TOC_LEADER = re.compile(r"(?<!\.)(?<!\.\s)(?:\.\s?){3,}+\s*\d+\s*$|\s\d+\s*$")
# Unnumbered headings of the front matter; their lines belong to the front matter.
FRONT_HEADINGS = {
    "status of this memo",
    "status of this document",
    "copyright notice",
    "copyright notice and license",
    "table of contents",
    "note to readers",
    "notes to readers",
}
# Unnumbered headings that start their own section.
NAMED_HEADINGS = {
    "abstract",
    "acknowledgments",
    "acknowledgements",
    "acknowledgment",
    "contributors",
    "authors' addresses",
    "author's address",
    "authors addresses",
    "index",
    "references",
    "normative references",
    "informative references",
    "full copyright statement",
    "intellectual property",
    "editorial note",
}


@dataclass(frozen=True)
class Heading:
    """A section heading found in clean lines."""

    index: int  # into the lines
    number: str  # "4.2", "A.1", "" when unnumbered
    title: str


def find_toc(lines: list[str]) -> range | None:
    """The lines of the table of contents, from its heading to its last entry."""
    start = next((i for i, line in enumerate(lines) if TOC_HEADING.match(line)), None)
    if start is None:
        return None
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        if line[:1].isspace() or TOC_LEADER.search(line):
            end = i + 1
            continue
        break
    return range(start, end)


def parse_heading(line: str) -> tuple[str, str] | None:
    """(number, title) when ``line`` is a section heading as printed, else None."""
    if not line or line[0].isspace() or len(line) > 100:
        return None
    text = line.rstrip()
    match = APPENDIX.match(text)
    if match:
        return match.group(1), (match.group(2) or "").strip()
    match = NUMBERED.match(text) or LETTERED.match(text)
    if match:
        title = match.group(2)
        # a sentence or a figure row is not a heading
        if title.endswith((".", ",", ";")) and not title.endswith("etc."):
            return None
        return match.group(1), title
    key = text.strip().lower().rstrip(":")
    if key in NAMED_HEADINGS or key in FRONT_HEADINGS:
        return "", text.strip().rstrip(":")
    return None


def _plausible(number: str, previous: str | None) -> bool:
    """Numbered headings go forward: 3 -> 3.1 -> 3.2 -> 4; reject a figure's stray '1 ...'."""
    if not number or previous is None or not number[0].isdigit() or not previous[0].isdigit():
        return True
    head, prev_head = int(number.split(".")[0]), int(previous.split(".")[0])
    return prev_head <= head <= prev_head + 1


def find_headings(lines: list[str], toc: range | None = None) -> list[Heading]:
    """Every heading outside the table of contents, in order."""
    headings: list[Heading] = []
    seen: set[tuple[str, str]] = set()
    last_number: str | None = None
    for i, line in enumerate(lines):
        if toc is not None and i in toc:
            continue
        if not line or line[0].isspace():
            continue
        parsed = parse_heading(line)
        if parsed is None:
            continue
        number, title = parsed
        if number and number[0].isdigit() and not _plausible(number, last_number):
            continue
        if number and (number, title) in seen:
            continue  # xml2rfc repeats a heading over a table that runs on (qpack-13 "A")
        seen.add((number, title))
        if number and number[0].isdigit():
            last_number = number
        headings.append(Heading(i, number, title))
    return headings


def is_front_heading(title: str) -> bool:
    return title.strip().lower() in FRONT_HEADINGS


