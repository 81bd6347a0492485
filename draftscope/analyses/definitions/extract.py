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
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from draftscope.analyses.definitions import boxart, notations
from draftscope.analyses.definitions.model import Definition, Extraction, Unread
from draftscope.analyses.definitions.notations.base import (ReadContext, Reading, as_list,
                                                            is_example_section)
from draftscope.analyses.definitions.notations.boxart import (FIXED_NAMES, PlaceholderNames,
                                                              legend_after, name_placeholders)
from draftscope.text.document import Document

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


def subdrawing_label(lines: list[str], start: int) -> str:
    """``Long Header``: the label line right above one of several drawings under one caption."""
    k = start - 1
    while k >= 0 and k >= start - 2 and not lines[k].strip():
        k -= 1
    if k < 0 or (k > 0 and lines[k - 1].strip()):
        return ""                 # the end of a paragraph ("... as shown in\n Figure 16:")
    m = _SUBDRAWING_LABEL.match(lines[k])
    return m.group(1) if m and not re.match(r"(?:Figure|Table)\b", m.group(1)) else ""


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
    """All definitions in ``lines`` in order (pure): :func:`scan_blocks` without the unread."""
    context = ReadContext(legend=legend)
    if naming is not None:
        context.memory["boxart"] = naming
    return list(scan_blocks(lines, section_at=section_at, line_number=line_number,
                            caption=caption, context=context).definitions)


# a block one reader read: (start, end, readings) or an unread figure (start, end, notation,
# reason, kind)
_Found = tuple[int, int, Reading]
_UnreadBlock = tuple[int, int, str, str, str]


def _read_blocks(lines: Sequence[str], context: ReadContext,
                 ) -> tuple[list[_Found], list[_UnreadBlock]]:
    """Ask the registered readers, in order, at every line: the readings and the unread figures."""
    readers = list(notations.READERS)
    found: list[_Found] = []
    unread: list[_UnreadBlock] = []
    # where each reader could start a block, asked once for the whole scan
    starts = [set(reader.candidates(lines)) for reader in readers]
    i = 0
    for k in sorted(set().union(*starts)):
        if k < i:
            continue                 # inside a block read already
        block = None
        for reader, where in zip(readers, starts):
            if k in where:
                block = reader.read(lines, k, context)
                if block is not None:
                    break
        if block is None:
            continue
        if block.unread:
            unread.append((k, block.end, reader.notations[0].name if reader.notations else "",
                           block.unread, block.kind))
        found.extend((k, block.end, r) for r in block.readings)
        i = max(block.end, k + 1)
    # a reader may settle its readings once the whole scan is known (legends found later)
    for reader in readers:
        own = [k for k, (_, _, r) in enumerate(found)
               if any(r.notation == info.name for info in reader.notations)]
        if own:
            after = reader.settle([found[k][2] for k in own], context)
            for k, r in zip(own, after):
                found[k] = (found[k][0], found[k][1], r)
    return found, unread


def scan_blocks(
    lines: list[str],
    *,
    section_at: Callable[[int], tuple[str, str]] | None = None,
    line_number: Callable[[int], int] | None = None,
    caption: str | None = None,
    context: ReadContext | None = None,
    seen: dict[str, int] | None = None,
) -> Extraction:
    """The definitions and unread figures in ``lines``, in order (pure).

    ``section_at(i)`` gives (section label, section title) of line ``i``; ``line_number(i)`` the
    1-based source line; ``caption`` overrides caption lookup (XML figures carry their own);
    ``context`` carries what readers learnt from earlier pieces of the same document, ``seen``
    the names given so far (a name given twice gets " (2)").
    """
    context = context if context is not None else ReadContext()
    found, unread_blocks = _read_blocks(lines, context)
    return Extraction(tuple(_name_readings(lines, found, section_at, line_number, caption,
                                           {} if seen is None else seen)),
                      tuple(_unread(lines, unread_blocks, section_at, line_number, caption)))


def _unread(lines: Sequence[str], blocks: list[_UnreadBlock],
            section_at: Callable[[int], tuple[str, str]] | None,
            line_number: Callable[[int], int] | None, caption: str | None) -> list[Unread]:
    out = []
    for start, end, notation, reason, kind in blocks:
        section, title = section_at(start) if section_at else ("", "")
        figure = tuple(ln.rstrip() for ln in lines[start:end])
        out.append(Unread(notation=notation, reason=reason,
                          line=line_number(start) if line_number else start + 1, lines=figure,
                          section=section,
                          caption=caption if caption is not None else caption_after(as_list(lines), end),
                          example=is_example_section(title), kind=kind))
    return out


def _name_readings(lines: list[str], found: list[_Found],
                   section_at: Callable[[int], tuple[str, str]] | None,
                   line_number: Callable[[int], int] | None,
                   caption: str | None, seen: dict[str, int]) -> list[Definition]:
    """Name and place the readings: a reading without a name of its own (a drawing) is named by
    its caption, its sub-drawing label or its section; uncaptioned parts of one drawing merge."""
    out: list[Definition] = []
    previous: tuple[str, int, str] | None = None   # (section, end, caption) of the last drawing
    previous_labelled = False      # the last drawing began a run of labelled drawings
    labels = [subdrawing_label(lines, start) if not r.name else "" for start, _, r in found]
    for idx, (start, end, reading) in enumerate(found):
        name, notation, fields = reading.name, reading.notation, reading.fields
        drawing = not name
        cap = caption if caption is not None else caption_after(lines, end)
        section, title = section_at(start) if section_at else ("", "")
        label = labels[idx]
        if label and not cap:
            # one of several drawings under one caption ("Long Header:", "Short Header:", ...)
            k = idx
            while (k + 1 < len(found) and labels[k + 1] and not found[k + 1][2].name
                   and found[k + 1][0] - found[k][1] <= _MERGE_GAP):
                k += 1
            cap = caption if caption is not None else caption_after(lines, found[k][1])
        # uncaptioned drawings close together are parts of one (quic-transport -00's ACK
        # frame and its "Ack Block Section:"), unless each has its label ("Long Header:")
        if (drawing and not (label and previous_labelled) and previous and out
                and out[-1].notation == notation and not previous[2] and previous[0] == section
                and start - previous[1] <= _MERGE_GAP
                and all(not ln.strip() or _SUBDRAWING_LABEL.match(ln) for ln in lines[previous[1]:start])):
            last = out.pop()
            known = {f.name.lower() for f in last.fields}
            merged = last.fields + tuple(f for f in fields if f.name.lower() not in known)
            out.append(replace(last, fields=merged, caption=cap,
                               warnings=last.warnings + reading.warnings))
            previous = (section, end, cap)
            continue
        previous = (section, end, cap) if drawing else None
        previous_labelled = bool(label)
        if not name:
            name = cap or title or "unnamed"
            if label:
                name = f"{name}: {label}"
        out.append(Definition(
            name=_unique(name, seen),
            notation=notation,
            fields=tuple(fields),
            section=section,
            line=line_number(start) if line_number else start + 1,
            caption=cap,
            example=is_example_section(title),
            warnings=reading.warnings,
        ))
    return out


def _from_text(document: Document, context: ReadContext) -> Extraction:
    def section_at(i: int) -> tuple[str, str]:
        s = document.section_at(i)
        return f"{s.number} {s.title}".strip(), s.title

    numbers = document.line_numbers
    return scan_blocks(document.lines, section_at=section_at, context=context,
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


def _from_xml(document: Document, context: ReadContext) -> Extraction:
    """Definitions in ``<artwork>``/``<sourcecode>`` of RFC XML v2 or v3."""
    root = document.xml
    numbers = {s.title: s.number for s in document.sections}
    out: list[Definition] = []
    unread: list[Unread] = []
    seen: dict[str, int] = {}
    elements = list(root.iter())
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
        context.legend = _xml_legend(elements, position)
        found = scan_blocks(lines, section_at=lambda i: (label, title), caption=cap,
                            line_number=lambda i: base + i, context=context, seen=seen)
        unread.extend(found.unread)
        out.extend(found.definitions)
    context.legend = None
    return Extraction(tuple(out), tuple(unread))


def read_definitions(document: Document) -> Extraction:
    """Everything the notation readers find in ``document``: its definitions and the figures
    with box-drawing lines that could not be read (:class:`Unread`, with the reason), both in
    document order, notation examples included (``Definition.example``/``Unread.example``).

    ``document`` is a :class:`~draftscope.text.document.Document` (text or XML); load a file
    with :func:`draftscope.text.document.load_document` first.
    """
    if not isinstance(document, Document):
        raise TypeError(f"read_definitions: document= must be a Document (load a file or "
                        f"Revision with draftscope.load_document), not {type(document).__name__}")
    context = ReadContext()
    found = _from_xml(document, context) if document.xml is not None else _from_text(document, context)
    definitions = list(found.definitions)
    # the readers' per-document post-passes, in registry order (TLS marks notation examples)
    for reader in notations.READERS:
        definitions = reader.finish(definitions, document, context)
    # a definition in a subsection of a notation section is an example too (RFC 5246's
    # "4.5 Enumerateds" in "4 Presentation Language")
    definitions = _mark_nested_examples(definitions, document.sections)
    return Extraction(tuple(definitions), found.unread)


def extract_definitions(document: Document, *, examples: bool = False) -> list[Definition]:
    """The protocol definitions of a document, in document order (:func:`read_definitions`
    without the unread figures).

    ``document`` is a :class:`~draftscope.text.document.Document` (text or XML); load a file
    or a Revision with :func:`draftscope.text.document.load_document` first. Notation examples
    (``Definition.example``: drawings in notational-convention and example sections such as
    RFC 9000's "Example Structure") are left out unless ``examples`` is true.
    """
    if not isinstance(document, Document):
        raise TypeError(f"extract_definitions: document= must be a Document (load a file or "
                        f"Revision with draftscope.load_document), not {type(document).__name__}")
    found = read_definitions(document).definitions
    return list(found) if examples else [d for d in found if not d.example]


def _mark_nested_examples(definitions: list[Definition], sections: Sequence[Any]) -> list[Definition]:
    """Definitions under a notation or example section are examples, at any depth."""
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
