"""A drawing as Mermaid ``packet-beta`` text: what GitHub, GitLab and most blog engines render
from a fenced ``mermaid`` block, written from the same :class:`~draftscope.outputs.layout.Layout`
as the PNG/SVG (every field at the same bits).

Mermaid numbers bits from 0 and wants the fields contiguous (``start-end: "label"``, both
inclusive; a field across a row boundary is split by Mermaid itself). A variable-length field
takes what the drawing gives it (the rest of its row, or one row) and says its size in the
label, as the drawing does. A row width other than 32 goes into the front matter
(``config.packet.bitsPerRow``). Labels are plain text: a double quote becomes ``'``, control
characters spaces. Mermaid refuses packets over 10,000 bits: :data:`MAX_BITS`.
"""

from __future__ import annotations

import unicodedata

from draftscope.errors import PlotInputError
from draftscope.outputs.layout import ROW_BITS, Layout, display_name, size_label

MAX_BITS = 10_000          # mermaid's maxPacketSize


def mermaid_label(text: str) -> str:
    """``text`` safe inside a Mermaid string: no quotes, no control characters, no newlines,
    no ``#`` entity starts, no ``%%`` comment starts."""
    clean = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    clean = clean.replace('"', "'").replace("#", "＃").replace("%%", "% %")
    return " ".join(clean.split())


def field_label(layout: Layout, index: int) -> str:
    """A field's label in Mermaid: its name, a variable field's size, a change in brackets."""
    box = layout.boxes[index]
    f = box.field
    words = [display_name(f)]
    if box.variable:
        words.append(size_label(f))
    if f.value and f.value != f.name:
        words.append(f"= {f.value}")
    fc = layout.changes.by_field.get(index)
    if fc is not None:
        if fc.change == "renamed" and fc.old is not None:
            words.append(f"[renamed from {display_name(fc.old)}]")
        else:
            words.append(f"[{fc.change}]")
    return mermaid_label(" ".join(words))


def mermaid_packet(layout: Layout, *, title: str | None = None) -> str:
    """The ``packet-beta`` text of a bit diagram's layout (a card has none: PlotInputError)."""
    if layout.is_card:
        raise PlotInputError(f"{layout.definition.name}: a {layout.definition.notation} is drawn "
                             "as a card; Mermaid packet diagrams hold bit layouts only")
    bits = layout.row_bits
    end = max((box.offset(bits)[1] for box in layout.boxes), default=-1) + 1
    if end > MAX_BITS:
        raise PlotInputError(f"{layout.definition.name}: {end} bits is more than a Mermaid "
                             f"packet holds ({MAX_BITS})")
    lines = []
    if bits != ROW_BITS:
        lines += ["---", "config:", "  packet:", f"    bitsPerRow: {bits}", "---"]
    lines.append("packet-beta")
    lines.append(f"title {mermaid_label(title if title is not None else layout.definition.name)}")
    for k, box in enumerate(layout.boxes):
        first, last = box.offset(bits)
        span = f"{first}" if first == last else f"{first}-{last}"
        lines.append(f'{span}: "{field_label(layout, k)}"')
    removed = [display_name(f) for f in layout.changes.removed]
    if removed:
        lines.append(f"%% removed: {mermaid_label(', '.join(removed))}")
    return "\n".join(lines) + "\n"
