"""TLS presentation language (RFC 5246 Section 4, RFC 8446 Section 3): ``struct`` and ``enum``.

``struct { uint16 length = Length; opaque label<7..255>; } HkdfLabel;`` gives fields with a
type, a name, vector bounds (``<lo..hi>`` variable, ``[n]`` fixed) and defaults; ``select``
blocks and nested structs become one field each. ``enum { a(1), b(2), (255) } E;`` gives one
field per value, sized by the largest value's width.
"""

from __future__ import annotations

import re

from draftscope.analyses.definitions.model import Field

_START = re.compile(r"^\s*(?:[\w-]+\s+)?(struct|enum)\s*\{\s*(.*)$")
_END_NAME = re.compile(r"^\s*\}\s*([A-Za-z_][\w.]*)\s*;")
_INT_BITS = {"uint8": 8, "uint16": 16, "uint24": 24, "uint32": 32, "uint64": 64, "opaque": 8}
_DECL = re.compile(
    r"^(?P<type>[A-Za-z_][\w.]*(?:\s+[A-Za-z_][\w.]*)?)\s+(?P<name>[A-Za-z_][\w]*)\s*"
    r"(?P<vector><[^>]*>|\[[^\]]*\])?\s*(?:=\s*(?P<default>.+))?$"
)
_ENUM_ITEM = re.compile(r"^([A-Za-z_][\w]*)\s*\(\s*([^)]*)\)$")
_MAX_LINES = 120


def is_start(line: str) -> bool:
    return bool(_START.match(line))


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _split_top(body: str, sep: str) -> list[str]:
    """Split on ``sep`` at brace depth 0 (nested select/struct bodies stay whole)."""
    parts, depth, cur = [], 0, []
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [" ".join(p.split()) for p in parts if p.strip()]


def _vector_size(vector: str) -> tuple[int | None, str]:
    if vector.startswith("["):
        return None, vector.replace(" ", "")
    return None, vector.replace(" ", "")


def _struct_field(stmt: str) -> Field | None:
    if stmt in ("...", "....") or not stmt:
        return None
    if "{" in stmt:
        head, _, rest = stmt.partition("{")
        label = rest.rsplit("}", 1)[-1].strip()
        kind = head.strip().split("(")[0].strip() or "struct"
        return Field(label or head.strip(), None, "", kind.split()[-1], False, False, "")
    m = _DECL.match(stmt)
    if not m:
        return None
    ftype = m.group("type")
    vector = m.group("vector") or ""
    bits = _INT_BITS.get(ftype) if ftype != "opaque" else None
    size = str(bits) if bits else ""
    if vector:
        bits, size = None, vector.replace(" ", "")
        fixed = re.fullmatch(r"\[(\d+)\]", size)
        if fixed and ftype in _INT_BITS:
            bits = int(fixed.group(1)) * _INT_BITS[ftype]
    elif ftype == "opaque":
        bits, size = 8, "8"
    return Field(m.group("name"), bits, size, ftype, False, False, (m.group("default") or "").strip())


def _enum_fields(body: str) -> list[Field]:
    items = _split_top(body, ",")
    maximum = None
    named: list[tuple[str, str]] = []
    for item in items:
        item = item.strip()
        m = _ENUM_ITEM.match(item)
        if m:
            named.append((m.group(1), m.group(2).strip()))
        elif re.fullmatch(r"\w+", item):
            named.append((item, ""))
        elif re.fullmatch(r"\(\s*[\w^+-]+\s*\)", item):
            maximum = item.strip("() ")
    bits = None
    if maximum:
        try:
            value = int(maximum, 0)
            bits = 8 * max(1, (value.bit_length() + 7) // 8)
        except ValueError:
            bits = None
    return [Field(n, bits, str(bits) if bits else "", "enum", False, False, v) for n, v in named]


def parse_tls(lines: list[str], start: int) -> tuple[str, str, list[Field], int] | None:
    """Parse the struct/enum starting at ``lines[start]``: (name, kind, fields, end index)."""
    m = _START.match(lines[start])
    if not m:
        return None
    kind = m.group(1)
    stop = min(len(lines), start + _MAX_LINES)
    text = _strip_comments("\n".join([m.group(2)] + lines[start + 1: stop]))
    depth = 1
    for pos, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
    else:
        return None
    body, rest = text[:pos], text[pos + 1:]
    end = re.match(r"\s*([A-Za-z_][\w.]*)\s*;", rest)
    if not end:
        return None
    consumed = text[: pos + 1 + end.end()].count("\n")
    name = end.group(1)
    if kind == "enum":
        fields = _enum_fields(body)
    else:
        fields = [f for f in (_struct_field(s) for s in _split_top(body, ";")) if f]
    return (name, kind, fields, start + consumed + 1) if fields else None
