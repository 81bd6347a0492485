"""The reader of ASCII box diagrams (RFC 791 style): finds the figure, reads it with
:mod:`draftscope.analyses.definitions.boxart`, names its placeholder cells from the legend, and
says why when it cannot read it.

The figure is found generously (the detector): a run of box lines (:func:`boxart.is_box_line`)
together with the rows around it that carry text in the left margin (``0:`` octet offsets,
``hdr``/``sender info`` labels) and a ruler of octet numbers above it (``byte 0 1 2 3``). Margin
text is blanked out before the geometry is read; a figure that still cannot be read becomes an
``Unread`` with the most specific reason :func:`unread_reason` finds, so no drawing with
box-drawing lines is skipped silently.

Placeholder cells of box art are named from the legend under the figure (``Spin Bit (S):``,
``Header Form:``) and, where a drawing has none, from the document's other legends
(:class:`PlaceholderNames`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from draftscope.analyses.definitions import boxart
from draftscope.analyses.definitions.boxscan import read_drawing
from draftscope.analyses.definitions.geometry import is_border
from draftscope.analyses.definitions.model import NOT_A_DEFINITION, UNREADABLE, Definition, Field
from draftscope.analyses.definitions.notations.base import (Block, NotationInfo, NotationReader,
                                                            ReadContext, Reading, as_list)

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.document import Document

_FIGURE = re.compile(r"^\s*Figure\s+(\d+)\s*[:.]?\s*(.*?)\s*$")   # a caption line
_LEGEND = re.compile(r"^\s{0,8}(?P<name>[A-Z0-9][\w'/-]*(?: [A-Z0-9][\w'/-]*){0,5}?)"
                     r"(?:\s*\((?P<letter>[A-Za-z])\))?\s*:(?:\s|$)")
_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.(?:\d+\.?)*)\s+\S")
_LEGEND_LOOKAHEAD = 150
FIXED_NAMES = ("Fixed Bit", "Fixed Bits")   # what boxart calls a cell holding a literal value
def legend_after(lines: list[str], end: int) -> list[tuple[str, str]]:
    """The ``Name (L):`` / ``Name:`` entries that describe a figure's fields, in order.

    They are read from below the figure up to the next drawing or section heading: QUIC writes
    ``Header Form:``, ``Fixed Bit:``, ``Spin Bit (S):`` under its header drawings.
    """
    out: list[tuple[str, str]] = []
    is_box_line, heading, legend, caption = boxart.is_box_line, _HEADING.match, _LEGEND.match, _FIGURE.match
    for k in range(end, min(len(lines), end + _LEGEND_LOOKAHEAD)):
        line = lines[k]
        # cheap tests first (this runs on up to 150 lines under every figure): a heading starts
        # with a digit or a capital, a box line to stop at with + or |, an entry holds a ":"
        first = line[:1]
        if (first.isdigit() or first.isupper()) and heading(line):
            break
        if line.lstrip()[:1] in ("+", "|") and is_box_line(line):
            break
        m = legend(line) if ":" in line and not caption(line) else None   # a caption is no legend
        if m:
            out.append((m.group("name"), m.group("letter") or ""))
    return out


def name_placeholders(fields: list[Field], legend: list[tuple[str, str]]) -> list[Field]:
    """Give fixed bits and one-letter cells the names the legend under the figure gives them.

    ``S`` becomes "Spin Bit" where the legend says ``Spin Bit (S):``; a fixed ``0``/``1`` cell
    takes the legend entry that sits, in the legend's order, where the cell sits among the named
    fields (QUIC: "Header Form", "Fixed Bit"). Without a legend that describes the drawing
    (at least two of its fields named in it), nothing changes.
    """
    if not legend:
        return fields
    names = [n for n, _ in legend]
    letters = {letter: n for n, letter in legend if letter}
    out = list(fields)
    for i, f in enumerate(out):
        if len(f.name) == 1 and f.name in letters:
            out[i] = replace(f, name=letters[f.name])
    index = {}
    for j, n in enumerate(names):
        index.setdefault(n.lower(), j)
    anchors = [index.get(f.name.lower()) if not (f.name in FIXED_NAMES and f.value) else None
               for f in out]
    if sum(a is not None for a in anchors) < 2:
        return fields
    used = {a for a in anchors if a is not None}
    i = 0
    while i < len(out):
        if anchors[i] is not None:
            i += 1
            continue
        j = i
        while j < len(out) and anchors[j] is None:
            j += 1
        # the unnamed fields between two named ones and the legend entries between theirs:
        # when as many placeholders as entries, they are the same fields in the same order
        before = max((a for a in anchors[:i] if a is not None), default=-1)
        after = min((a for a in anchors[j:] if a is not None), default=len(names))
        free = [k for k in range(before + 1, after) if k not in used]
        gap = [k for k in range(i, j) if (out[k].name in FIXED_NAMES and out[k].value)
               or len(out[k].name) == 1]
        if gap and len(gap) == len(free) and len(gap) == j - i:
            for k, entry in zip(gap, free):
                out[k] = replace(out[k], name=names[entry])
        else:
            # placeholders leading the gap line up with the first free entries ("|1| Type |"
            # under "Header Form:", "Long Packet Type:")
            lead = 0
            while i + lead < j and i + lead in gap and lead < len(free):
                out[i + lead] = replace(out[i + lead], name=names[free[lead]])
                lead += 1
        i = j
    return out


class PlaceholderNames:
    """What a document's legends call its placeholder cells, learnt drawing by drawing.

    A drawing without a legend of its own (quic-transport's Initial packet) is named from the
    legends of earlier drawings: a letter keeps its meaning (``R`` "Reserved Bits"), and a fixed
    value in the first row takes the name of whatever an earlier legend named at the same bit
    offset and width (bit 0: "Header Form", bits 2-3: "Long Packet Type").
    """

    def __init__(self) -> None:
        self.letters: dict[str, str] = {}
        self.positions: dict[tuple[int, int | None], str] = {}

    def letters_of(self, fields: tuple[Field, ...]) -> tuple[Field, ...]:
        """One-letter cells named by a legend found anywhere in the document (a later one too)."""
        return tuple(replace(f, name=self.letters[f.name]) if len(f.name) == 1 and f.name in self.letters
                     else f for f in fields)

    def name(self, fields: list[Field], offsets: list[int | None],
             legend: list[tuple[str, str]]) -> list[Field]:
        named = name_placeholders(fields, legend)
        for letter_name, letter in legend:
            if letter:
                self.letters.setdefault(letter, letter_name)
        out = []
        described = any(a.name != b.name for a, b in zip(fields, named))
        for before, after, offset in zip(fields, named, offsets):
            if (described and offset is not None and after.name not in FIXED_NAMES
                    and len(after.name) > 1):
                # a drawing its legend describes names the bits of its first row
                self.positions.setdefault((offset, after.bits), after.name)
            if after.name == before.name and len(before.name) == 1 and before.name in self.letters:
                after = replace(after, name=self.letters[before.name])
            elif (after.name in FIXED_NAMES and after.value and offset is not None
                  and (offset, after.bits) in self.positions):
                after = replace(after, name=self.positions[(offset, after.bits)])
            out.append(after)
        return out


# ----------------------------------------------------------------------------- the detector


# a row or border with text in the left margin: "   0: |   OPTION-CODE   |", "hdr |V=2|P|..."
_MARGIN_ROW = re.compile(r"^(?P<margin>\s*\S(?:[^|+]{0,18}\S)?\s+)(?P<box>[|+][-=+|].*|\|.*[|/\\.:~+])\s*$")
# a ruler of octet numbers after a word ("byte    0     1     2     3   ... N+1")
_OCTET_RULER = re.compile(r"^\s*(?:byte|octet)s?\s+\d+(?:\s+(?:\d+|\.\.\.|[A-Z]\+\d+))+\s*$", re.I)
# the DNS style's octet header above the box ("+0 (MSB)   +1 (LSB)")
_MSB_HEADER = re.compile(r"^\s*\+0\s*\(MSB\)", re.I)
_BORDER_RUN = re.compile(r"\+(?:-+\+|(?:-\s?)+\+|=+\+)")


def _margin_row(line: str) -> re.Match[str] | None:
    if "|" not in line and "+-" not in line:
        return None                  # most lines of prose: no regex
    m = _MARGIN_ROW.match(line)
    if m is None or "|" not in m.group("box") and not _BORDER_RUN.search(m.group("box")):
        return None
    return m


def _octet_ruler(line: str) -> bool:
    return ("yte" in line or "ctet" in line) and bool(_OCTET_RULER.match(line))


def _figure_line(line: str) -> bool:
    return boxart.is_box_line(line) or _margin_row(line) is not None or _octet_ruler(line)


def figure_end(lines: Sequence[str], start: int) -> int:
    """The index after the figure whose first line is ``lines[start]``."""
    return _figure_extent(lines, start)[0]


def _figure_extent(lines: Sequence[str], start: int) -> tuple[int, bool]:
    """(the index after the figure starting at ``lines[start]``, whether all its lines are box
    lines: no margin text or octet ruler to blank)."""
    j, n = start, len(lines)
    is_box_line = boxart.is_box_line
    while j < n and is_box_line(lines[j]):
        j += 1
    plain = True
    while j < n and _figure_line(lines[j]):
        plain = False
        j += 1
        while j < n and is_box_line(lines[j]):
            j += 1
    return j, plain


def strip_margin(lines: Sequence[str]) -> tuple[list[str], bool]:
    """The figure with text left of its box blanked (``0:`` offsets, ``hdr`` labels, the word of
    an octet ruler); whether there was any. The box's left edge is the leftmost column where a
    border or a box line starts."""
    box = [boxart.is_box_line(ln) for ln in lines]
    if all(box):
        return list(lines), False    # nothing in a margin (most figures)
    starts = [len(ln) - len(ln.lstrip()) for ln, b in zip(lines, box)
              if b and not boxart.is_ruler(ln)]
    rows = [m.start("box") for m in map(_margin_row, lines) if m is not None]
    if not rows:
        return list(lines), False
    edge = min(starts + rows)
    out = []
    for ln in lines:
        m = _margin_row(ln)
        if m is not None and m.start("box") >= edge and not boxart.is_box_line(ln):
            ln = " " * m.start("box") + m.group("box")
        elif _octet_ruler(ln):
            ln = re.sub(r"^\s*\w+", lambda w: " " * len(w.group()), ln)
        out.append(ln)
    return out, True


_CAPTION = re.compile(r"^\s*(?:Figure|Table)\s+\d+")
_GAP = 3          # lines of a figure's own text between two runs of its box lines (a state diagram)


def _unread_end(lines: Sequence[str], end: int) -> int:
    """The end of an unread figure whose box lines stop at ``end``: runs of box lines that
    follow within :data:`_GAP` lines of the figure's own (indented) text and cannot be read
    either are more of the same figure (RFC 9000's stream state diagrams), not figures of their
    own."""
    n = len(lines)
    while True:
        k = end
        while k < n and k < end + _GAP and lines[k].strip() and not _figure_line(lines[k]) and (
                len(lines[k]) - len(lines[k].lstrip()) >= 5 and not _CAPTION.match(lines[k])):
            k += 1
        if k == end or k >= n or not _figure_line(lines[k]):
            return end
        after = figure_end(lines, k)
        body = strip_margin(list(lines[k:after]))[0]
        if not ruled_table(body) and boxart.read_box_cached(body):
            return end              # a drawing of its own that reads
        end = after


def ruled_table(lines: Sequence[str]) -> bool:
    """A table drawn in box lines with no bit ruler, no bit grid and no sizes in its cells (a
    ``+===+`` rule under its header, rows of the same columns, cells of yes/no answers): told
    from the text before the full geometry,
    which would find no fields in it either, at several times the cost (RFC 9000's error-code
    and transport-parameter tables change in most revisions, so their readings are seldom
    remembered). Remembered per figure text."""
    return _ruled_table(tuple(lines))


@functools.lru_cache(maxsize=4096)
def _ruled_table(lines: tuple[str, ...]) -> bool:
    if not any("|" in ln for ln in lines) or any(boxart.is_ruler(ln) for ln in lines):
        return False
    text = [ln for ln in lines if ln.strip()]
    borders = [ln for ln in text if is_border(ln)]
    rows = [ln for ln in text if ln.strip().startswith("|")]
    # a bit grid or sizes written in the cells can still measure it (RFC 7540's frame header
    # has a +=+===+ rule)
    if _regular_grid(borders) or _SIZES_IN_CELLS.search("\n".join(rows)):
        return False
    return _not_a_bit_diagram(text, borders, rows).startswith("a table")


def is_figure(lines: Sequence[str]) -> bool:
    """Box-drawing lines worth reporting when unread: a ``+--+`` border and a second box line."""
    borders = sum(1 for ln in lines if is_border(ln) or _BORDER_RUN.search(ln))
    return borders >= 1 and sum(1 for ln in lines if ln.strip()) >= 2 and (
        borders >= 2 or any("|" in ln for ln in lines))


# ----------------------------------------------------------------------------- reasons

_ARROWS = re.compile(r"-->|<--|->|<-|\bv\s*$|^\s*\^|\|\s*v\s*\|")
_SIZES_ROW = re.compile(r"^\s*\|(?:\s*(?:\d+|[a-z](?:[-+][\w-]+)*|\d+-[\w-]+)\s+bits?\s*\|.*){1,}$")
_TABLE_ANSWERS = re.compile(r"\|\s*(?:yes|no|x|-|n/a|must|should|may)\s*(?=\|)", re.I)


def unread_reason(lines: Sequence[str]) -> str:
    """Why the figure in ``lines`` (as printed) is not read as a bit diagram: the most specific
    reason found (remembered: a lineage prints most of its figures again in every revision)."""
    return _unread_reason(tuple(lines))


@functools.lru_cache(maxsize=2048)
def _unread_reason(lines: tuple[str, ...]) -> str:
    body, margin = strip_margin(lines)
    text = [ln for ln in body if ln.strip()]
    borders = [ln for ln in text if is_border(ln)]
    rows = [ln for ln in text if ln.strip().startswith("|")]
    reason = _not_a_bit_diagram(text, borders, rows)
    if reason:
        return reason
    if any(_MSB_HEADER.match(ln) for ln in lines):
        return "a DNS-style octet header (+0 (MSB) / +1 (LSB)) instead of a bit ruler"
    if any(_octet_ruler(ln) for ln in lines):
        return "a ruler of octet numbers (byte 0 1 2 ...), not of bits"
    ruler = any(boxart.is_ruler(ln) for ln in text)
    if not ruler and not _regular_grid(borders) and not _SIZES_IN_CELLS.search("\n".join(rows)):
        return _unmeasured(text, borders, rows)    # decided from the text: no geometry needed
    drawing = read_drawing(body)
    if drawing is None:
        return "box lines that enclose no row of cells"
    if ruler and drawing.ruler is None:
        return "a ruler that is not a bit ruler from 0 (it starts at another bit or restarts per octet)"
    if drawing.ruler is None and drawing.step is None:
        return _unmeasured(text, borders, rows)
    named = [c for c in drawing.cells if re.search(r"[A-Za-z]{2}", c.text)]
    if not named:
        values = [c for c in drawing.cells if c.text.strip()]
        return ("cells hold only bit values (an illustration of bit order), no field names"
                if values else "no cell holds a field name (blank cells only)")
    if drawing.width is not None:
        rights = {r.right for r in drawing.rows if r.right is not None}
        if len(rights) > 1 or (rights and rights.pop() != drawing.width):
            return "rows do not add up to the ruler's width"
    if margin:
        return "text in the left margin (offsets or labels) that the box could not be read without"
    return "cells the box-art reader could not measure into fields"


# the reasons that say the box lines draw something other than a definition (a table, a flow,
# an illustration of bit order, boxes around no cells); every other reason is a drawing that
# looks like a bit diagram but could not be read
_NOT_A_DEFINITION = ("not a bit diagram", "enclose no row of cells", "illustration of bit order",
                     "blank cells only")


def unread_kind(reason: str) -> str:
    """What an unread figure with this :func:`unread_reason` is: ``model.NOT_A_DEFINITION``
    (tables, state and message flows, illustrations) or ``model.UNREADABLE``."""
    return NOT_A_DEFINITION if any(mark in reason for mark in _NOT_A_DEFINITION) else UNREADABLE


_SIZES_IN_CELLS = re.compile(r"\(\s*\d+\s*(?:bits?)?\s*\)|\d+\s*bits?\b")


def _plus_gaps(line: str) -> list[int]:
    plus = [k for k, ch in enumerate(line) if ch == "+"]
    return [b - a for a, b in zip(plus, plus[1:])]


def _regular_grid(borders: Sequence[str]) -> bool:
    """A ``+-+-+`` border of evenly spaced corners, at most 6 columns apart (a bit grid)."""
    if not borders:
        return False
    gaps = _plus_gaps(max(borders, key=lambda t: t.count("+")))
    return len(gaps) >= 2 and len(set(gaps)) == 1 and gaps[0] <= 6


def _not_a_bit_diagram(text: list[str], borders: list[str], rows: list[str]) -> str:
    """Tables, flow diagrams and boxes without rows, told from the text alone ("" otherwise)."""
    if any("=" in ln and re.search(r"\+=+\+", ln) for ln in borders):
        return "a table (a +===+ rule under its header row), not a bit diagram"
    if sum(1 for ln in text if ("->" in ln or "<-" in ln or "v" in ln or "^" in ln)
           and _ARROWS.search(ln)) >= 2:
        return "a diagram with arrows (a state or message flow), not a bit diagram"
    if sum(len(_TABLE_ANSWERS.findall(ln)) for ln in rows) >= 2:
        return "a table (cells of yes/no/x answers), not a bit diagram"
    signatures = [tuple(k for k, ch in enumerate(ln) if ch == "|") for ln in rows]
    common = max(set(signatures), key=signatures.count) if signatures else ()
    if len(common) >= 3 and signatures.count(common) >= 3 and signatures.count(common) * 5 >= len(signatures) * 3:
        return "a table (rows of the same columns), not a bit diagram"
    if not rows and len(borders) < 2:
        return "box lines that enclose no row of cells"
    return ""


def _unmeasured(text: list[str], borders: list[str], rows: list[str]) -> str:
    """Why a drawing without a bit ruler or a bit grid could not be measured."""
    first_border = next((k for k, ln in enumerate(text) if is_border(ln)), 0)
    head = [c.strip() for ln in text[:first_border] for c in ln.strip().strip("|").split("|")]
    if any(_SIZES_ROW.match(ln) for ln in rows) or (head and all(
            re.fullmatch(r"(?:\d+|[a-z](?:[-+][\w-]+)*)?(?: ?bits?)?", c) for c in head)
            and any(c for c in head)):
        return ("sizes written in a row of their own (| 7 bits |1| 40 bits |), not in the "
                "cells, and no bit ruler")
    gaps = [g for ln in borders for g in _plus_gaps(ln)]
    octet = [g for g in gaps if 7 <= g <= 12]
    if octet and max(set(gaps), key=gaps.count) == max(set(octet), key=octet.count) and (
            len(octet) * 2 >= len(gaps)):
        return "octet cells (+--------+) and no bit ruler: the widths are only in the prose"
    corners = {k for ln in borders for k, ch in enumerate(ln) if ch == "+"}
    walls = {k for ln in rows for k, ch in enumerate(ln) if ch == "|"}
    if walls and corners and (walls - corners or len(corners - walls) > 1):
        return ("the rows' walls and the borders' corners disagree (cells drawn differently "
                "in each) and there is no bit ruler")
    widths = {ln.count("+") for ln in borders}
    return ("no bit ruler and no regular +-+-+ grid to measure its cells, and no sizes "
            "written in them" + (" (cells of different widths)" if len(widths) > 1 else ""))


# ----------------------------------------------------------------------------- the reader

class BoxArtReader(NotationReader):
    notations = (NotationInfo("boxart", "box art", "a box diagram"),)

    def starts(self, lines: Sequence[str], i: int) -> bool:
        line = lines[i]
        if boxart.is_box_line(line):
            return True
        if not ("|" in line or "+-" in line or "yte" in line or "ctet" in line):
            return False             # prose: nothing more to look at
        if _margin_row(line) is None and not _octet_ruler(line):
            return False
        # margin text or an octet ruler starts a figure only next to a real box line
        return i + 1 < len(lines) and (boxart.is_box_line(lines[i + 1])
                                       or _margin_row(lines[i + 1]) is not None)

    def candidates(self, lines: Sequence[str]) -> list[int]:
        # box lines, and the line before one when it is a margin row or an octet ruler: the
        # regexes run on those few lines only, not on every line of prose
        is_box_line = boxart.is_box_line
        box = [i for i, line in enumerate(lines) if line and is_box_line(line)]
        taken = set(box)
        before = [i - 1 for i in box if i and i - 1 not in taken and lines[i - 1]
                  and self.starts(lines, i - 1)]
        return sorted(box + before) if before else box

    def read(self, lines: Sequence[str], i: int, context: ReadContext) -> Block | None:
        j, plain = _figure_extent(lines, i)
        figure = list(lines[i:j])
        # margin text or an octet ruler is blanked first (most figures have neither)
        body = figure if plain and boxart.is_box_line(figure[0]) else strip_margin(figure)[0]
        reading = None if ruled_table(body) else boxart.read_box_cached(body)
        if not reading:
            if not is_figure(figure):
                return Block(j)
            j = _unread_end(lines, j)
            reason = unread_reason(list(lines[i:j]))
            return Block(j, unread=reason, kind=unread_kind(reason))
        naming = _naming(context)
        legend = context.legend if context.legend is not None else legend_after(as_list(lines), j)
        fields = naming.name(reading[0], reading[1], legend)
        return Block(j, (Reading("", "boxart", tuple(boxart.collapse_numbered(fields)),
                                 tuple(reading[2])),))

    def settle(self, readings: list[Reading], context: ReadContext) -> list[Reading]:
        naming = _naming(context)
        context.memory.setdefault("boxart-letters", len(naming.letters))   # at the first scan
        return [replace(r, fields=boxart.merge_fixed_runs(naming.letters_of(r.fields)))
                if r.notation == "boxart" else r for r in readings]

    def finish(self, definitions: list[Definition], document: "Document",
               context: ReadContext) -> list[Definition]:
        # letters a later legend names (XML artwork is scanned piece by piece): nothing to do
        # when no legend named a letter after the first scan was settled
        naming = _naming(context)
        if context.memory.get("boxart-letters", len(naming.letters)) == len(naming.letters):
            return definitions
        return [replace(d, fields=boxart.merge_fixed_runs(naming.letters_of(d.fields)))
                if d.notation == "boxart" else d for d in definitions]


def _naming(context: ReadContext) -> PlaceholderNames:
    naming = context.memory.get("boxart")
    if not isinstance(naming, PlaceholderNames):
        naming = context.memory["boxart"] = PlaceholderNames()
    return naming


READER = BoxArtReader()
