"""TLS presentation language (RFC 5246 Section 4, RFC 8446 Section 3): ``struct`` and ``enum``.

``struct { uint16 length = Length; opaque label<7..255>; } HkdfLabel;`` gives fields with a
type, a name, vector bounds (``<lo..hi>`` variable, ``[n]`` fixed) and defaults (``= Length``,
``= { 3, 3 }``: the field's value). A ``select (x) { case a: ...; case b: ...; }`` is one field
of type ``select`` whose ``variants`` hold each case's fields (``case a: case b:`` share one
variant labelled ``a, b``); a nested struct is one field. ``struct { } HelloRequest;`` (on one
line or more) is a definition without fields. ``enum { a(1), b(2), (255) } E;`` gives one field
per member with its code point as value, sized by the largest value's width (a missing comma
before ``(255)`` is forgiven). One-line definitions (``uint8 CipherSuite[2];``,
``uint32 QuicVersion;``, ``opaque SessionID<0..32>;``) are read by :func:`parse_one_line`.
"""

from __future__ import annotations

import re

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from draftscope.analyses.definitions.model import Definition, Field, Variant

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


_BRACE_DEFAULT = re.compile(r"^(?P<decl>[^{}=]+?)\s*=\s*(?P<value>\{[^{}]*\})$")
_SELECT = re.compile(r"^select\s*\((?P<selector>[^)]*)\)\s*\{(?P<body>.*)\}\s*(?P<name>[A-Za-z_]\w*)?$", re.S)
_CASE = re.compile(r"^case\s+(?P<label>[^:;{}]+?)\s*:\s*")
_EMPTY_STRUCT = re.compile(r"^struct\s*\{\s*\}$")
_TYPE_ONLY = re.compile(r"^[A-Za-z_][\w.]*$")


def _cases(body: str) -> tuple[Variant, ...]:
    """The cases of a select body: ``case a: T x; U y; case b: case c: V;`` ->
    ``(Variant("a", (x, y)), Variant("b, c", (V,)))``."""
    variants: list[tuple[str, list[Field]]] = []
    for stmt in _split_top(body, ";"):
        labels = []
        m = _CASE.match(stmt)
        while m:
            labels.append(" ".join(m.group("label").split()))
            stmt = stmt[m.end():]
            m = _CASE.match(stmt)
        if labels:
            variants.append((", ".join(labels), []))
        stmt = stmt.strip()
        if not stmt or _EMPTY_STRUCT.match(stmt):
            continue
        field = Field(stmt, None, "", stmt) if _TYPE_ONLY.match(stmt) else _struct_field(stmt)
        if field is None:
            continue
        if not variants:
            variants.append(("", []))
        variants[-1][1].append(field)
    return tuple(Variant(label, tuple(fields)) for label, fields in variants)


def _struct_field(stmt: str) -> Field | None:
    if stmt in ("...", "....") or not stmt:
        return None
    brace = _BRACE_DEFAULT.match(stmt)
    if brace:                                       # ProtocolVersion version = { 3, 3 }
        field = _struct_field(brace.group("decl").strip())
        if field is None:
            return None
        value = "{ " + ", ".join(v.strip() for v in brace.group("value")[1:-1].split(",")) + " }"
        return Field(field.name, field.bits, field.size, field.type, value=value)
    select = _SELECT.match(stmt)
    if select:
        selector = " ".join(select.group("selector").split())
        return Field(select.group("name") or f"select ({selector})", None, "", "select",
                     variants=_cases(select.group("body")))
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


_ENUM_ITEM_AND_MAX = re.compile(r"^([A-Za-z_][\w]*)\s*\(\s*([^)]*)\)\s*\(\s*([\w^+-]+)\s*\)$")


def _enum_fields(body: str) -> list[Field]:
    items = _split_top(body, ",")
    maximum = None
    named: list[tuple[str, str]] = []
    for item in items:
        item = item.strip()
        both = _ENUM_ITEM_AND_MAX.match(item)      # "finished(20) (255)": a comma left out
        if both:
            named.append((both.group(1), both.group(2).strip()))
            maximum = both.group(3)
            continue
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
        if not fields and not body.strip():
            return name, kind, [], start + consumed + 1      # struct { } HelloRequest;
    return (name, kind, fields, start + consumed + 1) if fields else None


# "uint8 CipherSuite[2];", "uint32 QuicVersion;", "opaque SessionID<0..32>;": a type defined on
# one line (its name capitalised, as TLS names types; "ProtocolVersion version = ..." is a value)
_ONE_LINE = re.compile(
    r"^\s+(?P<type>uint(?:8|16|24|32|64)|opaque|[A-Z][\w]*)\s+(?P<name>[A-Z][\w.]*)\s*"
    r"(?P<vector><[^<>;]+>|\[[^\[\];]+\])?\s*;\s*(?:/\*.*\*/|//.*)?$")


def parse_one_line(line: str) -> tuple[str, Field] | None:
    """A TLS type defined on one line: ``(name, field)``, the field named after the element
    type (``uint8``), sized like a struct member, ``repeated`` for a ``<..>`` vector."""
    if ";" not in line:
        return None
    m = _ONE_LINE.match(line)
    if not m:
        return None
    field = _struct_field(f"{m.group('type')} {m.group('type')}{(m.group('vector') or '')}")
    if field is None:
        return None
    vector = m.group("vector") or ""
    return m.group("name"), Field(m.group("type"), field.bits, field.size, m.group("type"),
                                  repeated=vector.startswith("<"))


def mark_examples(definitions: Sequence[Definition], sections: Iterable[object],
                  is_example: Callable[[str], bool]) -> list[Definition]:
    """TLS definitions inside a notation section are examples of the notation: RFC 5246's
    "4.3 Vectors" sits in "4 Presentation Language", so its ``mandatory``/``longer`` are
    flagged ``example`` like the section's own. ``sections`` have ``number`` and ``title``;
    ``is_example`` says whether a section title is a notation/example section."""
    titles = {str(getattr(s, "number", "")).rstrip("."): str(getattr(s, "title", ""))
              for s in sections if getattr(s, "number", "")}
    out = []
    for d in definitions:
        if d.notation.startswith("tls-") and not d.example and d.section:
            parts = d.section.split(" ", 1)[0].rstrip(".").split(".")
            ancestors = (titles.get(".".join(parts[:k]), "") for k in range(1, len(parts) + 1))
            if any(title and is_example(title) for title in ancestors):
                d = replace(d, example=True)
        out.append(d)
    return out
