"""Find the protocol definitions of a document: scan lines (or XML artwork) for the three notations.

Each definition is named by its struct/field-list name, else its figure caption (without
"Figure N:"), else the title of the section holding it. Captions are looked for just below the
figure; the text stage has already removed page furniture, so a caption pushed onto the next
page by a page break sits right below its figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from draftscope.analyses.definitions import boxart, fieldlist, tls
from draftscope.analyses.definitions.model import Definition, Field

_FIGURE = re.compile(r"^\s*Figure\s+(\d+)\s*[:.]?\s*(.*?)\s*$")
_CAPTION_LOOKAHEAD = 4
# "TransportParameter TransportParameters<0..2^16-1>;": a TLS vector type defined on one line
_TLS_VECTOR = re.compile(r"^\s*([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*(<[^<>;]+>)\s*;\s*$")
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
    if m:
        text = m.group(2)
        if text:
            indent = len(lines[k]) - len(lines[k].lstrip())
            j = k + 1
            while j < n and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) > max(indent, 5):
                text += " " + lines[j].strip()
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
    return ""


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
) -> list[Definition]:
    """All definitions in ``lines`` in order (pure).

    ``section_at(i)`` gives (section label, section title) of line ``i``; ``line_number(i)`` the
    1-based source line; ``caption`` overrides caption lookup (XML figures carry their own).
    """
    found: list[tuple[str, str, list[Field], int, int]] = []  # name, notation, fields, start, end
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
        vector = _TLS_VECTOR.match(line) if "<" in line else None
        if vector:
            element, name, bounds = vector.groups()
            found.append((name, "tls-struct", [Field(element, None, bounds.replace(" ", ""), element,
                                                     False, True, "")], i, i + 1))
            i += 1
            continue
        if boxart.is_box_line(line):
            j = i
            while j < n and boxart.is_box_line(lines[j]):
                j += 1
            fields = boxart.parse_box(lines[i:j])
            if fields:
                found.append(("", "boxart", fields, i, j))
            i = j
            continue
        i += 1

    out: list[Definition] = []
    seen: dict[str, int] = {}
    previous: tuple[str, int, str] | None = None   # (section, end, caption) of the last box
    for name, notation, fields, start, end in found:
        cap = caption if caption is not None else caption_after(lines, end)
        section, title = section_at(start) if section_at else ("", "")
        if (notation == "boxart" and previous and out and out[-1].notation == "boxart"
                and not previous[2] and previous[0] == section and start - previous[1] <= _MERGE_GAP):
            last = out.pop()
            known = {f.name.lower() for f in last.fields}
            merged = last.fields + tuple(f for f in fields if f.name.lower() not in known)
            out.append(Definition(last.name, "boxart", merged, last.section, last.line, cap))
            previous = (section, end, cap)
            continue
        previous = (section, end, cap) if notation == "boxart" else None
        if not name:
            name = cap or title or "unnamed"
        out.append(Definition(
            name=_unique(name, seen),
            notation=notation,  # type: ignore[arg-type]
            fields=tuple(fields),
            section=section,
            line=line_number(start) if line_number else start + 1,
            caption=cap,
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


def _from_xml(document: Any) -> list[Definition]:
    """Definitions in ``<artwork>``/``<sourcecode>`` of RFC XML v2 or v3."""
    root = document.xml
    numbers = {s.title: s.number for s in getattr(document, "sections", [])}
    out: list[Definition] = []
    seen: dict[str, int] = {}
    for element in root.iter():
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
                            line_number=lambda i: base + i):
            name = d.name if d.notation != "boxart" else (cap or title or "unnamed")
            out.append(Definition(_unique(name, seen), d.notation, d.fields, d.section, d.line, d.caption))
    return out


def extract_definitions(document: Any) -> list[Definition]:
    """The protocol definitions of a document, in document order.

    ``document`` is a :class:`draftscope.text.document.Document` (text or XML); a path or a
    :class:`~draftscope.fetch.records.Revision` is loaded with ``load_document`` first.
    """
    if isinstance(document, (str, Path)) or not hasattr(document, "lines"):
        from draftscope.text.document import load_document

        document = load_document(document)
    if getattr(document, "xml", None) is not None:
        return _from_xml(document)
    return _from_text(document)
