"""Find the protocol definitions of a document: scan lines (or XML artwork) for the three notations.

Each definition is named by its struct/field-list name, else its figure caption (without
"Figure N:"), else the title of the section holding it. Captions are looked for just below the
figure; the text stage has already removed page furniture, so a caption pushed onto the next
page by a page break sits right below its figure (and a caption never runs on into the next
drawing). Several drawings under one caption, each under its own label line ("Long Header:"),
are one definition each ("<caption>: Long Header"); uncaptioned boxes with nothing but labels
between them are parts of one.

Placeholder cells of box art are named from the legend under the figure (``Spin Bit (S):``,
``Header Form:``) and, where a drawing has none, from the document's other legends
(:class:`PlaceholderNames`).

Drawings in a notational-convention or example section, or a subsection of one (RFC 9000 1.3
"Example Structure", RFC 5246 "4 Presentation Language", RFC 791 "Examples & Scenarios"), are
``Definition.example``: :func:`extract_definitions` leaves them out unless ``examples=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from draftscope.analyses.definitions import boxart, fieldlist, tls
from draftscope.analyses.definitions.model import Definition, Field

_FIGURE = re.compile(r"^\s*Figure\s+(\d+)\s*[:.]?\s*(.*?)\s*$")
_CAPTION_LOOKAHEAD = 4
_MERGE_GAP = 15  # uncaptioned boxes this close in one section are parts of one diagram


def caption_after(lines: list[str], end: int) -> str:
    """The caption of a figure ending before ``lines[end]``, without "Figure N:"; "" if none.

    Handles ``Figure 9: Long Header Packet Format`` (wrapped onto a second centered line too),
    RFC 4303's ``Figure 1.  Top-Level Format...`` and RFC 791's caption line above ``Figure 4.``.
    """
    k, n = end, len(lines)
    while k < n and k < end + _CAPTION_LOOKAHEAD and not lines[k].strip():
        k += 1
    if k >= n:
        return ""
    m = _FIGURE.match(lines[k])
    if not m:
        # a note under the drawing ("(followed by n-1 Address IDs, if required)", indented
        # past the body text) sits between it and its caption: look past it
        j = k
        while j < n and j < k + 5 and not _FIGURE.match(lines[j]) and (
                not lines[j].strip() or (len(lines[j]) - len(lines[j].lstrip()) > 3
                                         and not boxart.is_box_line(lines[j]))):
            j += 1
        if j < n and j > k and (f := _FIGURE.match(lines[j])) and f.group(2):
            k, m = j, f
    if m:
        text = m.group(2)
        if text:
            indent = len(lines[k]) - len(lines[k].lstrip())
            j = k + 1
            while (j < n and j < k + 3 and lines[j].strip()
                   and len(lines[j]) - len(lines[j].lstrip()) > max(indent, 5)
                   and not boxart.is_box_line(lines[j]) and not _FIGURE.match(lines[j])):
                text += " " + lines[j].strip()      # a caption wrapped onto a second line
                j += 1
        return " ".join(text.split())
    first = lines[k]
    if len(first) - len(first.lstrip()) >= 6:
        j = k + 1
        while j < n and j < k + 3 and not lines[j].strip():
            j += 1
        if j < n:
            m = _FIGURE.match(lines[j])
            if m and not m.group(2):
                return " ".join(first.split())
    # a title centred under the figure without "Figure N" (RFC 768 "User Datagram Header
    # Format", QPACK's "Indexed Header Field"): one short line standing alone
    text = first.strip()
    if (len(first) - len(first.lstrip()) >= 10 and len(text) <= 70 and text[:1].isupper()
            and text[-1] not in ".:,;" and not boxart.is_box_line(first)
            and (k + 1 >= n or not lines[k + 1].strip())):
        return " ".join(text.split())
    return ""


# "Long Header:", "Ack Block Section:" -- a short title, not a sentence ("... is as follows:")
_SUBDRAWING_LABEL = re.compile(r"^\s*([A-Z][\w()'-]*(?: (?:[A-Z0-9][\w()'-]*|of|and|or|for|with)){0,4})\s*:\s*$")
_LEGEND = re.compile(r"^\s{0,8}(?P<name>[A-Z0-9][\w'/-]*(?: [A-Z0-9][\w'/-]*){0,5}?)"
                     r"(?:\s*\((?P<letter>[A-Za-z])\))?\s*:(?:\s|$)")
_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.(?:\d+\.?)*)\s+\S")
_LEGEND_LOOKAHEAD = 150
FIXED_NAMES = ("Fixed Bit", "Fixed Bits")   # what boxart calls a cell holding a literal value
# sections whose drawings show the notation itself (RFC 9000 1.3 "Notational Conventions", the
# TLS "Presentation Language"), or sample packets with values filled in (RFC 791 appendix A)
_EXAMPLE_SECTION = re.compile(r"\b(?:notation(?:al)?|conventions|presentation language|examples?)\b", re.I)


def is_example_section(title: str) -> bool:
    """Whether a section's definitions are notation examples rather than protocol definitions."""
    return bool(_EXAMPLE_SECTION.search(title))


def subdrawing_label(lines: list[str], start: int) -> str:
    """``Long Header``: the label line right above one of several drawings under one caption."""
    k = start - 1
    while k >= 0 and k >= start - 2 and not lines[k].strip():
        k -= 1
    if k < 0 or (k > 0 and lines[k - 1].strip()):
        return ""                 # the end of a paragraph ("... as shown in\n Figure 16:")
    m = _SUBDRAWING_LABEL.match(lines[k])
    return m.group(1) if m and not re.match(r"(?:Figure|Table)\b", m.group(1)) else ""


def legend_after(lines: list[str], end: int) -> list[tuple[str, str]]:
    """The ``Name (L):`` / ``Name:`` entries that describe a figure's fields, in order.

    They are read from below the figure up to the next drawing or section heading: QUIC writes
    ``Header Form:``, ``Fixed Bit:``, ``Spin Bit (S):`` under its header drawings.
    """
    out: list[tuple[str, str]] = []
    for k in range(end, min(len(lines), end + _LEGEND_LOOKAHEAD)):
        line = lines[k]
        if _HEADING.match(line) or (boxart.is_box_line(line) and line.strip().startswith(("+", "|"))):
            break
        m = _LEGEND.match(line) if not _FIGURE.match(line) else None   # a caption is no legend
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


def _unique(name: str, seen: dict[str, int]) -> str:
    count = seen.get(name, 0) + 1
    seen[name] = count
    return name if count == 1 else f"{name} ({count})"


def scan_lines(
    lines: list[str],
    *,
    section_at: Callable[[int], tuple[str, str]] | None = None,
    line_number: Callable[[int], int] | None = None,
    caption: str | None = None,
    legend: list[tuple[str, str]] | None = None,
    naming: PlaceholderNames | None = None,
) -> list[Definition]:
    """All definitions in ``lines`` in order (pure).

    ``section_at(i)`` gives (section label, section title) of line ``i``; ``line_number(i)`` the
    1-based source line; ``caption`` overrides caption lookup (XML figures carry their own), and
    ``legend`` the legend read below each drawing; ``naming`` carries the names learnt from
    earlier drawings' legends (from one call to the next when a document is read in pieces).
    """
    naming = naming if naming is not None else PlaceholderNames()
    found: list[tuple[str, str, list[Field], int, int]] = []  # name, notation, fields, start, end
    warned: dict[int, tuple[str, ...]] = {}                   # start -> the box reader's warnings
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if "{" in line:
            if tls.is_start(line):
                r = tls.parse_tls(lines, i)
                if r:
                    name, kind, fields, end = r
                    found.append((name, f"tls-{kind}", fields, i, end))
                    i = end
                    continue
            elif fieldlist.is_header(line):
                r2 = fieldlist.parse_field_list(lines, i)
                if r2:
                    name, fields, end = r2
                    found.append((name, "fieldlist", fields, i, end))
                    i = end
                    continue
        one_line = tls.parse_one_line(line) if ";" in line else None
        if one_line:                                 # uint8 CipherSuite[2]; opaque X<0..32>;
            name, field = one_line
            found.append((name, "tls-struct", [field], i, i + 1))
            i += 1
            continue
        if boxart.is_box_line(line):
            j = i
            while j < n and boxart.is_box_line(lines[j]):
                j += 1
            reading = boxart.read_box_cached(lines[i:j])
            if reading:
                fields = naming.name(reading[0], reading[1],
                                     legend if legend is not None else legend_after(lines, j))
                found.append(("", "boxart", boxart.collapse_numbered(fields), i, j))
                warned[i] = reading[2]
            i = j
            continue
        i += 1

    found = [(name, notation, list(boxart.merge_fixed_runs(naming.letters_of(tuple(fields))))
              if notation == "boxart" else fields, start, end)
             for name, notation, fields, start, end in found]
    out: list[Definition] = []
    seen: dict[str, int] = {}
    previous: tuple[str, int, str] | None = None   # (section, end, caption) of the last box
    previous_labelled = False      # the last box began a run of labelled drawings
    labels = [subdrawing_label(lines, start) if notation == "boxart" else ""
              for _, notation, _, start, _ in found]
    for idx, (name, notation, fields, start, end) in enumerate(found):
        cap = caption if caption is not None else caption_after(lines, end)
        section, title = section_at(start) if section_at else ("", "")
        label = labels[idx]
        if label and not cap:
            # one of several drawings under one caption ("Long Header:", "Short Header:", ...)
            k = idx
            while (k + 1 < len(found) and labels[k + 1] and found[k + 1][1] == "boxart"
                   and found[k + 1][3] - found[k][4] <= _MERGE_GAP):
                k += 1
            cap = caption if caption is not None else caption_after(lines, found[k][4])
        # uncaptioned boxes close together are parts of one drawing (quic-transport -00's ACK
        # frame and its "Ack Block Section:"), unless each has its label ("Long Header:")
        if (notation == "boxart" and not (label and previous_labelled) and previous and out
                and out[-1].notation == "boxart" and not previous[2] and previous[0] == section
                and start - previous[1] <= _MERGE_GAP
                and all(not ln.strip() or _SUBDRAWING_LABEL.match(ln) for ln in lines[previous[1]:start])):
            last = out.pop()
            known = {f.name.lower() for f in last.fields}
            merged = last.fields + tuple(f for f in fields if f.name.lower() not in known)
            out.append(Definition(last.name, "boxart", merged, last.section, last.line, cap,
                                  last.example, last.warnings + warned.get(start, ())))
            previous = (section, end, cap)
            continue
        previous = (section, end, cap) if notation == "boxart" else None
        previous_labelled = bool(label)
        if not name:
            name = cap or title or "unnamed"
            if label:
                name = f"{name}: {label}"
        out.append(Definition(
            name=_unique(name, seen),
            notation=notation,  # type: ignore[arg-type]
            fields=tuple(fields),
            section=section,
            line=line_number(start) if line_number else start + 1,
            caption=cap,
            example=is_example_section(title),
            warnings=warned.get(start, ()),
        ))
    return out


def _from_text(document: Any) -> list[Definition]:
    def section_at(i: int) -> tuple[str, str]:
        s = document.section_at(i)
        return f"{s.number} {s.title}".strip(), s.title

    numbers = document.line_numbers
    return scan_lines(document.lines, section_at=section_at,
                      line_number=lambda i: numbers[i] if i < len(numbers) else i + 1)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_title(element: Any) -> str:
    for child in element:
        if _local(child.tag) == "name":
            return " ".join("".join(child.itertext()).split())
    return " ".join((element.get("title") or "").split())


def _xml_legend(elements: list[Any], position: int) -> list[tuple[str, str]]:
    """The legend of the artwork at ``elements[position]``: the ``<dt>`` terms (v3) or hanging
    ``<t hangText>`` labels (v2) that follow it, up to the next artwork or section."""
    lines: list[str] = []
    for element in elements[position + 1: position + 400]:
        tag = _local(element.tag)
        if tag in ("artwork", "sourcecode", "section"):
            break
        term = ""
        if tag == "dt":
            term = " ".join("".join(element.itertext()).split())
        elif tag == "t" and element.get("hangText"):
            term = " ".join(element.get("hangText").split())
        if term:
            lines.append("   " + (term if term.endswith(":") else term + ":") + " x")
    return legend_after(lines, 0)


def _from_xml(document: Any) -> list[Definition]:
    """Definitions in ``<artwork>``/``<sourcecode>`` of RFC XML v2 or v3."""
    root = document.xml
    numbers = {s.title: s.number for s in getattr(document, "sections", [])}
    out: list[Definition] = []
    seen: dict[str, int] = {}
    elements = list(root.iter())
    naming = PlaceholderNames()
    for position, element in enumerate(elements):
        if _local(element.tag) not in ("artwork", "sourcecode"):
            continue
        text = element.text or ""
        if not text.strip():
            continue
        figure = element.getparent()
        cap = _xml_title(figure) if figure is not None and _local(figure.tag) == "figure" else ""
        section = element
        while section is not None and _local(section.tag) != "section":
            section = section.getparent()
        title = _xml_title(section) if section is not None else ""
        label = f"{numbers.get(title, '')} {title}".strip()
        base = (element.sourceline or 1) - (1 if text.startswith("\n") else 0)
        lines = text.split("\n")
        for d in scan_lines(lines, section_at=lambda i: (label, title), caption=cap,
                            line_number=lambda i: base + i, naming=naming,
                            legend=_xml_legend(elements, position)):
            name = d.name if d.notation != "boxart" else (cap or title or "unnamed")
            sub = d.name.rsplit(": ", 1)[1] if d.notation == "boxart" and ": " in d.name else ""
            if sub and not name.endswith(sub):
                name = f"{name}: {sub}"
            out.append(Definition(_unique(name, seen), d.notation, d.fields, d.section, d.line,
                                  d.caption, d.example, d.warnings))
    return [replace(d, fields=boxart.merge_fixed_runs(naming.letters_of(d.fields)))
            if d.notation == "boxart" else d for d in out]


def extract_definitions(document: Any, *, examples: bool = False) -> list[Definition]:
    """The protocol definitions of a document, in document order.

    ``document`` is a :class:`draftscope.text.document.Document` (text or XML); a path or a
    :class:`~draftscope.fetch.records.Revision` is loaded with ``load_document`` first.
    Notation examples (``Definition.example``: drawings in notational-convention and example
    sections such as RFC 9000's "Example Structure") are left out unless ``examples`` is true.
    """
    if isinstance(document, (str, Path)) or not hasattr(document, "lines"):
        from draftscope.text.document import load_document

        document = load_document(document)
    if getattr(document, "xml", None) is not None:
        found = _from_xml(document)
    else:
        found = _from_text(document)
    # a definition in a subsection of a notation section is an example too (RFC 5246's
    # "4.5 Enumerateds" in "4 Presentation Language")
    found = tls.mark_examples(found, getattr(document, "sections", ()), is_example_section)
    found = _mark_nested_examples(found, getattr(document, "sections", ()))
    found = tls.resolve_named_types(found)       # TLS members typed by the document's own types
    return found if examples else [d for d in found if not d.example]


def _mark_nested_examples(definitions: list[Definition], sections: Any) -> list[Definition]:
    """Box art and field lists under a notation or example section are examples, at any depth."""
    titles = {str(getattr(s, "number", "")).rstrip("."): str(getattr(s, "title", ""))
              for s in sections if getattr(s, "number", "")}
    out = []
    for d in definitions:
        if not d.example and d.section and not d.notation.startswith("tls-"):
            parts = d.section.split(" ", 1)[0].rstrip(".").split(".")
            if any(is_example_section(titles.get(".".join(parts[:k]), "")) for k in range(1, len(parts))):
                d = replace(d, example=True)
        out.append(d)
    return out
