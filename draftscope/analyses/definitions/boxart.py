"""ASCII box diagrams (RFC 791 style, with or without a bit ruler) -> fields.

Where each cell lies and how wide it is comes from :mod:`.geometry` (bit ruler or ``+-+-+``
grid, multi-row cells, cells left open below, rows a column short of the ruler). What a cell is
comes from its text (:func:`.sizes.read_cell_text`): sizes written in it win over the drawing
(``(64 bits)``) or stand where the drawing is variable (``(4 or 8 octets)``, ``...``, ``~``
rows); notes become attributes (``(optional)``, ``(if E=0)``); ``Length = 12`` is a value;
blank and ``(reserved)``/``Rsv`` cells are reserved fields; ``0``/``1`` cells are fixed bits and
``T T`` one field named ``T`` (the legend under the figure may name both, see
:mod:`.extract`). Boxes without a regular grid (early QUIC drafts: ``| Type (8) | Stream ID (32)
|``) are accepted only when some field carries a size annotation, and grids of Yes/No answers
are refused: both keep state diagrams and tables out.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import replace

from draftscope.analyses.definitions import boxcells
from draftscope.analyses.definitions.boxscan import read_drawing
from draftscope.analyses.definitions.model import Field
from draftscope.analyses.definitions.sizes import VARIABLE, read_cell_text

_RULER = re.compile(r"^\s*\d+(?:\s+\d+)+\s*$")
_BOX_LINE_START = ("+", "|", "~", ":")
# a label left of a box row: a few short words, then the row ("sender info |", "0: |", "R   +")
_MARGIN_LABEL = re.compile(r"^\s*[\w.'()-]{1,12}(?: [\w.'()-]{1,12}){0,2}:?\s+(?=[|+:~/\\])")
_SLANTED_NOTED = re.compile(r"^[/\\].{8,}?[/\\|] {1,3}\w")    # "/  CID  / 1-2 octets if ..."
_DASHED_TOP = re.compile(r"^-{2,}(?: -{2,}){3,}$")        # "--- --- ---": optional octets' top
_LABELLED_RULER = re.compile(r"^(?:bits?|bytes?|octets?)(?:\s+\d+){4,}", re.I)


def is_ruler(line: str) -> bool:
    return bool(_RULER.match(line))


def _border_box_part(line: str) -> tuple[str, str]:
    """Split a border line into the border itself and any note written to its right."""
    text = line.rstrip()
    i = 0
    while i < len(text) and text[i] in "+-= ":
        i += 1
    box = text[:i].rstrip()
    return box, text[len(box):].strip()


def _is_border(line: str) -> bool:
    s = line.lstrip()
    if not s.startswith("+"):
        return False
    box, _ = _border_box_part(line)
    return "-" in box or "=" in box


def is_box_line(line: str) -> bool:
    """A line that can belong to a box diagram (border, row, ruler, a lone ``...``, or a row with
    dotted edges, ``.   Options   .``, that RFC 8200 draws for variable-length fields), also
    behind a short margin label (``header |V=2|P|...``, ``0: |  OPTION-CODE  |``, ``R   +-+-+``)
    or under a labelled ruler (``bit  7 6 5 ...``)."""
    s = line.strip()
    if not s:
        return False
    first = s[0]                  # a ruler starts with a digit: most lines skip the regex
    if (first in _BOX_LINE_START or (first.isdigit() and is_ruler(line)) or s == "..."
            or (len(s) > 10 and first in "\\/" and (s[-1] in "\\/|" or _SLANTED_NOTED.match(s)))
            or (len(s) > 3 and first == "." and s[-1] in ".|" and s[1] == " ")):
        return True
    # the rarer forms, behind cheap tests first (this runs on every line of every document)
    last = s[-1]
    if last.isdigit():
        return first in "bBoO" and bool(_LABELLED_RULER.match(s))
    if last not in "|+:/\\~-." or (last == "." and not s.endswith("...")):
        return False
    if first == "-":
        return bool(_DASHED_TOP.match(s))
    if "|" not in s and "+" not in s and ":" not in s:
        return False
    m = _MARGIN_LABEL.match(line)
    if m is None:
        return False
    rest = line[m.end():].rstrip()
    return len(rest) > 8 and (rest[-1] in "|+:/\\~-" or rest.endswith("...")) and rest[0] in "|+:/\\~"


def find_boxes(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of runs of box lines that contain at least one border."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if is_box_line(lines[i]):
            j = i
            while j < n and is_box_line(lines[j]):
                j += 1
            if any(_is_border(lines[k]) for k in range(i, j)):
                spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


_INDEX = re.compile(r"(?:^|\s)(\d+|[NnMmKk])(?=\s|$)|\[(\d+|[NnMmKk])\]")


def _numbered(name: str) -> tuple[str, str] | None:
    """``"Ack Block 2 Length"`` -> ``("Ack Block Length", "2")``; None without an index."""
    found = list(_INDEX.finditer(name))
    if not found:
        return None
    m = found[-1]
    base = " ".join((name[: m.start()] + " " + name[m.end():]).split())
    return (base, m.group(1) or m.group(2)) if base else None


def collapse_numbered(fields: list[Field]) -> list[Field]:
    """A list drawn out in full -> its element once, repeated.

    ``Frame 1, Frame 2, ..., Frame N`` is one repeated ``Frame``; so is a group drawn out the
    same way (``Gap 1, Ack Block 1 Length, Gap 2, Ack Block 2 Length, ..., Gap N, Ack Block N
    Length`` -> ``Gap``, ``Ack Block Length``, both repeated).
    """
    out: list[Field] = []
    i = 0
    while i < len(fields):
        first = _numbered(fields[i].name)
        if first and first[1] in ("0", "1"):
            # the period: the distance to the same base numbered next
            period = next((p for p in range(1, 4) if i + p < len(fields)
                           and (_numbered(fields[i + p].name) or ("", ""))[0] == first[0]), 0)
            if period:
                bases = [_numbered(f.name) for f in fields[i:i + period]]
                if all(b and b[1] == first[1] for b in bases):
                    j = i + period
                    while j + period <= len(fields):
                        block = [_numbered(f.name) for f in fields[j:j + period]]
                        if not all(b and b[0] == base[0] and b[1] == block[0][1]
                                   for b, base in zip(block, bases)):
                            break
                        j += period
                    if j - i >= 2 * period:
                        out.extend(replace(f, name=b[0], repeated=True)
                                   for f, b in zip(fields[i:i + period], bases))
                        i = j
                        continue
        out.append(fields[i])
        i += 1
    return out


_TABLE_WORDS = {"yes", "no", "y", "n", "x", "-", "n/a", "must", "should", "may", "true", "false"}
_FOOTNOTE = re.compile(r"^(?:\[\d+\]|\(\d+\)|\*+|\d+\*|[a-z]\)|yes\s*\S|no\s*\S)$", re.I)


def _looks_like_table(lines: list[str], cells: list[str], gridded: bool) -> bool:
    # ``gridded``: drawn under a bit ruler
    """A grid of short answers (Yes/No, footnote marks) or of identically split rows: a table."""
    texts = [t.strip().lower() for t in cells if t.strip()]
    if texts:
        answers = sum(1 for t in texts if t in _TABLE_WORDS or _FOOTNOTE.match(t)
                      or re.fullmatch(r"(?:yes|no)\W*\S{0,3}", t))
        if answers >= 2 and answers * 3 >= len(texts):
            return True
    if gridded:
        return False                 # under a bit ruler: a diagram
    # a column of row labels ("|32| prefix | v4(32) |", "|40| ..."): a table of cases
    heads = []
    for ln in lines:
        s = ln.strip()
        if s.startswith("|") and s.count("|") >= 3:
            heads.append((ln.index("|", ln.index("|") + 1), s.split("|")[1].strip()))
    labels = heads[1:] if heads and not re.fullmatch(r"\d+", heads[0][1]) else heads
    if (len(labels) >= 3 and len({c for c, _ in heads}) == 1
            and all(re.fullmatch(r"\d+", t) for _, t in labels)
            and len({t for _, t in labels}) == len(labels)):
        return True
    signatures = []
    for ln in lines:
        s = ln.strip()
        if s.startswith("|"):
            signatures.append(tuple(i for i, ch in enumerate(ln) if ch == "|"))
    return len(signatures) >= 3 and len(set(signatures)) == 1 and len(signatures[0]) >= 3


def parse_box(lines: list[str]) -> list[Field] | None:
    """Fields of one box diagram, or None when the lines are not a protocol diagram."""
    reading = read_box(lines)
    return collapse_numbered(reading[0]) if reading else None


def _octets_below(lines: list[str], cells) -> dict[int, int]:
    """Octet counts written under a box drawn without a ruler, one under each cell of its
    single row (RFC 793's options, RFC 7323's ``1  1  4  4`` under Kind, Length, TSval, TSecr):
    {id(cell): octets}, or {} unless every cell of that row has one."""
    borders = [k for k, ln in enumerate(lines) if _is_border(ln)]
    rows = [k for k, ln in enumerate(lines) if ln.strip().startswith("|")]
    if not borders or len(rows) != 1:
        return {}
    counts = next((ln for ln in lines[borders[-1] + 1:] if ln.strip()), "")
    if not re.fullmatch(r"\s*\d+(?:\s+\d+)+\s*", counts):
        return {}
    row = lines[rows[0]]
    walls = [i for i, ch in enumerate(row) if ch == "|"]
    spans = list(zip(walls, walls[1:]))
    numbers = [(m.start(), m.end(), int(m.group())) for m in re.finditer(r"\d+", counts)]
    own = [c for c in cells if c.line == rows[0]]
    if len(numbers) != len(spans) or len(own) != len(spans):
        return {}
    if not all(a < s and e <= b + 1 and n > 0 for (a, b), (s, e, n) in zip(spans, numbers)):
        return {}
    return {id(c): n for c, (_, _, n) in zip(own, numbers)}


def read_box_cached(lines: list[str]) -> tuple[list[Field], list[int | None], tuple[str, ...]] | None:
    """:func:`read_box`, remembered: a lineage redraws most of its boxes unchanged from revision
    to revision (quic-transport: ~1200 boxes in 36 revisions, most of them repeats). Each call
    gets fields of its own (copies), so no two definitions share a Field object."""
    reading = _read_box_memo(tuple(lines))
    if reading is None:
        return None
    fields, offsets, warnings = reading
    return [copy.copy(f) for f in fields], list(offsets), warnings


@functools.lru_cache(maxsize=4096)
def _read_box_memo(lines: tuple[str, ...]) -> tuple[tuple[Field, ...], tuple[int | None, ...], tuple[str, ...]] | None:
    reading = read_box(list(lines))
    return None if reading is None else (tuple(reading[0]), tuple(reading[1]), reading[2])


def read_box(lines: list[str]) -> tuple[list[Field], list[int | None], tuple[str, ...]] | None:
    """Fields of one box diagram, the bit offset of those in its first row (else None), and
    the warnings of its reading (where the drawing and its text disagreed, what won).

    The geometry (:mod:`.geometry`) gives every cell its bit offset and width; the text in the
    cell (:func:`.sizes.read_cell_text`, once per cell) gives its name, notes and any size
    written in it, which wins over the geometry (``(64 bits)``) or stands where the geometry is
    variable; :mod:`.boxcells` settles where they disagree.
    """
    drawing = read_drawing(lines)
    if drawing is None:
        return None
    if drawing.grid not in ("ruler", "bits") and any(
            "=" in _border_box_part(b)[0] for b in lines if "=" in b and _is_border(b)):
        return None                  # "+=====+" under a header row: a table (xml2rfc v3)
    gridded = drawing.step is not None
    if _looks_like_table(lines, [c.text for c in drawing.cells], drawing.ruler is not None):
        return None
    warnings: list[str] = list(drawing.warnings)
    first_line = min(c.line for c in drawing.cells) if drawing.cells else 0
    octets = _octets_below(lines, drawing.cells) if not gridded else {}
    annotated = bool(octets)
    entries: list[boxcells.Entry] = []
    for cell in drawing.cells:
        if cell.text.strip(" .") == "" and (cell.text or cell.elided or (cell.variable and gridded)):
            continue             # "...", a "+--...--+" cell, a blank ":  :" row: elided, not a field
        if not cell.text and not gridded:
            continue                 # a blank cell means nothing without a grid to measure it
        text = read_cell_text(cell.text)
        if id(cell) in octets and not text.size:
            bits, size = octets[id(cell)] * 8, str(octets[id(cell)] * 8)
        elif text.size:
            annotated |= "(" in cell.text
            bits, size = text.bits, text.size
        elif cell.variable or cell.open_right:
            bits, size = None, VARIABLE
        elif cell.bits is not None:
            bits, size = cell.bits, str(cell.bits)
        else:
            bits, size = None, ""
        entries.append(boxcells.Entry(cell, text, bits, size, text.name, text.value, text.condition,
                                      drawn=cell.bits if not cell.variable else None))
    boxcells.resolve_bare_numbers(entries, gridded, warnings)
    entries = boxcells.join_continuations(entries, warnings)
    entries = boxcells.fold_repeated_groups(entries)
    for e in entries:
        boxcells.name_from_margin(e, drawing.width)
    boxcells.lengths_given_elsewhere(entries, warnings)
    fields, offsets = _fields_of(entries, first_line)
    if not fields or not any(not f.reserved for f in fields):
        return None
    if len(fields) > 1 and all(f.name in ("Fixed Bit", "Fixed Bits") for f in fields):
        return None                  # bytes numbered 1, 2, 3, ...: an illustration of order
    if not gridded and not annotated:
        return None
    return fields, offsets, tuple(warnings)


def _fields_of(entries: list, first_line: int) -> tuple[list[Field], list[int | None]]:
    """The entries as fields: a name drawn again is one repeated field, ``|R|R|`` one field."""
    fields: list[Field] = []
    offsets: list[int | None] = []
    seen: dict[str, int] = {}
    for e in entries:
        cell, text, bits, size, name = e.cell, e.text, e.bits, e.size, e.name
        key = name.lower()
        if (key in seen and not e.value and not text.reserved and not text.placeholder
                and len(key) > 2 and (fields[seen[key]].bits == bits or None in (fields[seen[key]].bits, bits))):
            i = seen[key]            # the same field drawn again: a repeated row
            fields[i] = replace(fields[i], repeated=True)
            continue
        if text.placeholder == "fixed" and bits is not None and bits > 1 and name == text.name:
            name = "Fixed Bits"
        prev = fields[-1] if fields else None
        if (text.placeholder == "letter" and prev is not None and prev.name == name
                and prev.bits is not None and bits is not None):
            # "|R|R|": one placeholder letter over two cells is one field of both widths
            fields[-1] = Field(name, prev.bits + bits, str(prev.bits + bits), "", prev.optional,
                               False, "", prev.condition, prev.reserved)
            continue
        seen[key] = len(fields)
        note = cell.note.lower()
        fields.append(Field(name, bits, size, "", text.optional or cell.optional or "optional" in note,
                            e.repeated or cell.repeated or "repeat" in note, e.value, e.condition,
                            text.reserved))
        offsets.append(cell.start if cell.line == first_line else None)
    return fields, offsets



def merge_fixed_runs(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """``|0|1|`` that no legend named: one "Fixed Bits" field (2) of value ``1``.

    A pattern of literal bits drawn cell by cell is one fixed value (RFC 9000's Stateless Reset
    writes the same ``|0|1|`` as ``Fixed Bits (2) = 1``); its value is given as a number, as
    field lists write it. Cells that a legend named stay as they are.
    """
    out: list[Field] = []
    run: list[Field] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(run[0])
        elif run:
            bits = sum(f.bits or 0 for f in run)
            out.append(Field("Fixed Bits", bits, str(bits), "", run[0].optional, False,
                             str(int("".join(f.value for f in run), 2))))
        run.clear()

    for f in fields:
        if f.name == "Fixed Bit" and f.bits == 1 and f.value in ("0", "1") and not f.repeated:
            run.append(f)
            continue
        flush()
        out.append(f)
    flush()
    return tuple(out)
