"""Cells of a box drawing -> what each one is, before they become fields.

The geometry (:mod:`.geometry`) says where a cell lies and how wide it is drawn; its text
(:func:`.sizes.read_cell_text`, parsed once per cell) says its name, any size, condition or value.
Where the two disagree, the reading that agrees with the rest of the drawing wins, and the
drawing's ``warnings`` say so:

- bare numbers in cells (``op (1)``, ``sname (64)``) are octets when the other numbered cells
  of the drawing are octets of their drawn width (RFC 2131), bits when they are their width;
  a bare number neither in a cell of fixed drawn width is its value (RFC 8415's
  ``DUID-Type (4)``);
- a cell continued on the next row (``PktID`` / ``PktID (contd)``, ``Nonce . . .`` /
  ``. . . Nonce``) is one field of both widths, and blank cells under ``MD5 digest...`` carry
  it on (RFC 2385);
- a group of fields drawn twice in a row (RFC 3626's link message) is one repeated group;
- a cell that prints only a value takes its name from the margin beside it (RFC 3095's
  ``IR-DYN type octet``), and a margin condition (``if for small CIDs``) is its condition;
- a field whose length another field of the drawing gives (``Key Length`` before ``Key``) has
  no fixed width, however wide it is drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from draftscope.analyses.definitions.geometry import Cell
from draftscope.analyses.definitions.sizes import VARIABLE, CellText, looks_like_size


@dataclass
class Entry:
    """One cell on its way to a field: its text read once, its width as resolved so far."""

    cell: Cell
    text: CellText
    bits: int | None
    size: str
    name: str
    value: str = ""
    condition: str = ""
    repeated: bool = False
    drawn: int | None = None          # the width as drawn (the geometry's), for continuations
    extra: list[str] = field(default_factory=list)


def resolve_bare_numbers(entries: list[Entry], gridded: bool, warnings: list[str]) -> None:
    """Bare numbers in cells: octets, bits or values, by what the drawing's other cells say."""
    if not gridded:
        return
    numbered = [e for e in entries if e.text.bare is not None and e.cell.bits and not e.cell.variable
                and e.cell.rows <= 1]
    as_octets = sum(1 for e in numbered if e.text.bare * 8 == e.cell.bits)
    as_bits = sum(1 for e in numbered if e.text.bare == e.cell.bits)
    if as_octets >= 2 and as_octets > as_bits:
        for e in entries:
            if e.text.bare is not None:
                e.bits, e.size = e.text.bare * 8, str(e.text.bare * 8)
        warnings.append(f"sizes in cells read as octets ({as_octets} cells are octets of their drawn width)")
        return
    for e in numbered:
        n, drawn = e.text.bare, e.cell.bits
        if n != drawn and n * 8 != drawn and 2 * n < drawn and n % 8 and not e.value:
            e.bits, e.size, e.value = drawn, str(drawn), str(n)
            warnings.append(f"{e.name}: ({n}) in a cell drawn {drawn} bits wide read as its value")


def join_continuations(entries: list[Entry], warnings: list[str]) -> list[Entry]:
    """``X`` + ``X (cont)``, ``X . . .`` + ``. . . X``, ``X...`` + blank cells: one field."""
    out: list[Entry] = []
    for e in entries:
        prev = out[-1] if out else None
        blank_run = (prev is not None and not e.cell.text.strip() and e.cell.bits is not None
                     and prev.cell.text.rstrip().endswith("...") and prev.drawn is not None)
        if prev is not None and (e.text.joins == "previous" or prev.text.joins == "next" or blank_run):
            both = [prev.drawn, e.cell.bits]
            total = None if None in both or e.cell.variable else sum(both)  # type: ignore[arg-type]
            prev.drawn = total
            if prev.text.joins == "next" or e.text.joins == "previous" or blank_run:
                prev.bits, prev.size = (total, str(total)) if total else (None, VARIABLE)
            if e.text.joins == "previous" and e.name.lower() != prev.name.lower():
                warnings.append(f"{prev.name}: continued as {e.name!r}, read as one field")
            prev.text = CellText(prev.name, prev.bits, prev.size, prev.text.optional,
                                 prev.text.condition, prev.text.value, prev.text.reserved,
                                 prev.text.placeholder, "", prev.text.bare)
            continue
        out.append(e)
    return out


def fold_repeated_groups(entries: list[Entry]) -> list[Entry]:
    """A group of two fields or more drawn twice in a row is one repeated group."""
    key = [(e.name.lower(), e.bits, e.size, e.value) for e in entries]
    plain = [not e.text.placeholder for e in entries]
    n = len(entries)
    i = 0
    out: list[Entry] = []
    while i < n:
        found = 0
        for size in range(min(8, (n - i) // 2), 1, -1):
            if (key[i:i + size] == key[i + size:i + 2 * size] and all(plain[i:i + size])
                    and any(len(k[0]) > 2 for k in key[i:i + size])):
                found = size
                break
        if found:
            for e in entries[i:i + found]:
                e.repeated = True
            out.extend(entries[i:i + found])
            i += 2 * found
            continue
        out.append(entries[i])
        i += 1
    return out


_NOTE_CONDITION = re.compile(r"^(?:if|when|only|present)\b", re.I)


def name_from_margin(e: Entry, width: int | None) -> None:
    """A value-only cell alone on its row named by the margin beside it; a margin condition
    is the condition of a cell alone on its row."""
    note = " ".join(e.cell.note.split())
    if not (e.cell.start == 0 and width and e.cell.bits in (width, None)):
        return
    if not note or note.startswith(("<", "^", "v ")) or not re.search(r"[A-Za-z]{2}", note):
        return
    if _NOTE_CONDITION.match(note):
        e.condition = e.condition or note
    elif (e.text.placeholder == "fixed" and not looks_like_size(note)
          and not re.search(r"\boctets?\b.*\bif\b|^\d", note)):
        e.name = note


def lengths_given_elsewhere(entries: list[Entry], warnings: list[str]) -> None:
    """A field whose length a ``<name> Length`` field before it gives has no fixed width."""
    lengths = set()
    for e in entries:
        low = e.name.lower()
        m = re.fullmatch(r"(.+?)\s+(?:length|len)", low)
        if m:
            lengths.add(m.group(1))
            continue
        if low in lengths and e.bits is not None and not e.text.size:
            warnings.append(f"{e.name}: drawn {e.bits} bits wide, its length given by {e.name} Length")
            e.bits, e.size = None, VARIABLE
