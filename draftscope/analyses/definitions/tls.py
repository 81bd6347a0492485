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
``T x[n]`` is n octets whatever T is (RFC 5246 4.3). A member typed by a type the document
declares gets that type's width in :func:`resolve_named_types`, a post-pass over a whole
document's definitions (a type may be declared after its use or in another section).
Every reader here is linear in its text: comments are stripped in one pass and selects nested
deeper than :data:`MAX_SELECT_DEPTH` are not read into (issue 20).
"""

from __future__ import annotations

import re

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from draftscope.analyses.definitions.model import Definition, Field, Variant
from draftscope.analyses.definitions.sizes import VARIABLE

_START = re.compile(r"^\s*(?:[\w-]+\s+)?(struct|enum)\s*\{\s*(.*)$")
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
    """Text without ``/* ... */`` and ``// ...`` comments (an unclosed ``/*`` ends with its line),
    in one pass: the lazy regex it replaces rescanned the rest of the text for every unclosed
    ``/*`` (40k of them: 20 s, issue 20)."""
    out: list[str] = []
    pos = 0
    while True:
        block, line = text.find("/*", pos), text.find("//", pos)
        if block < 0 and line < 0:
            out.append(text[pos:])
            break
        if line < 0 or 0 <= block < line:
            out.append(text[pos:block])
            out.append(" ")
            close = text.find("*/", block + 2)
            if close < 0:                   # unclosed: a typo, taken to end at its line's end
                eol = text.find("\n", block)
                if eol < 0:
                    break
                pos = eol
                continue
            pos = close + 2
        else:
            out.append(text[pos:line])
            out.append(" ")
            eol = text.find("\n", line)
            if eol < 0:
                break
            pos = eol
    return "".join(out)


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


_BRACE_DEFAULT = re.compile(r"^(?P<decl>[^{}=]+?)\s*=\s*(?P<value>\{[^{}]*\})$")
_SELECT = re.compile(r"^select\s*\((?P<selector>[^)]*)\)\s*\{(?P<body>.*)\}\s*(?P<name>[A-Za-z_]\w*)?$", re.S)
_CASE = re.compile(r"case\s+(?P<label>[^:;{}]+?)\s*:\s*")
_EMPTY_STRUCT = re.compile(r"^struct\s*\{\s*\}$")
_TYPE_ONLY = re.compile(r"^[A-Za-z_][\w.]*$")


def _cases(body: str, depth: int = 0) -> tuple[Variant, ...]:
    """The cases of a select body: ``case a: T x; U y; case b: case c: V;`` ->
    ``(Variant("a", (x, y)), Variant("b, c", (V,)))``."""
    variants: list[tuple[str, list[Field]]] = []
    for stmt in _split_top(body, ";"):
        labels = []
        pos = 0
        m = _CASE.match(stmt)
        while m:
            labels.append(" ".join(m.group("label").split()))
            pos = m.end()
            m = _CASE.match(stmt, pos)
        if labels:
            variants.append((", ".join(labels), []))
        stmt = stmt[pos:].strip()
        if not stmt or _EMPTY_STRUCT.match(stmt):
            continue
        field = (Field(stmt, None, "", stmt) if _TYPE_ONLY.match(stmt)
                 else _struct_field(stmt, depth + 1))
        if field is None:
            continue
        if not variants:
            variants.append(("", []))
        variants[-1][1].append(field)
    return tuple(Variant(label, tuple(fields)) for label, fields in variants)


MAX_SELECT_DEPTH = 32   # selects nested deeper are one field whose cases are not read
NOT_READ = VARIABLE     # the size of such a select (a select that was read has size "")
MAX_DIGITS = 12         # a length or code point with more digits is not read as a number


def _number(text: str) -> int | None:
    """``255``, ``0xFFFF``, ``2^16-1``, ``2^8``: a TLS length or code point; None otherwise
    (or when it has more than :data:`MAX_DIGITS` digits: ``int()`` of 4301 digits raises)."""
    text = "".join(text.split())
    m = re.fullmatch(r"2\^(\d{1,3})(?:-(\d{1,3}))?", text)
    if m:
        return 2 ** int(m.group(1)) - int(m.group(2) or 0)
    if len(text) > MAX_DIGITS + 2 or not re.fullmatch(r"\d+|0[xX][0-9a-fA-F]+", text):
        return None
    return int(text, 0) if not text.isdigit() else int(text)


def _struct_field(stmt: str, depth: int = 0) -> Field | None:
    if stmt in ("...", "....") or not stmt:
        return None
    brace = _BRACE_DEFAULT.match(stmt)
    if brace:                                       # ProtocolVersion version = { 3, 3 }
        field = _struct_field(brace.group("decl").strip(), depth)
        if field is None:
            return None
        value = "{ " + ", ".join(v.strip() for v in brace.group("value")[1:-1].split(",")) + " }"
        return Field(field.name, field.bits, field.size, field.type, value=value)
    select = _SELECT.match(stmt) if stmt.startswith("select") else None
    if select:
        selector = " ".join(select.group("selector").split())
        name = select.group("name") or f"select ({selector})"
        if depth >= MAX_SELECT_DEPTH:               # issue 20: 200 levels broke the recursion
            return Field(name, None, NOT_READ, "select")
        return Field(name, None, "", "select", variants=_cases(select.group("body"), depth))
    if "{" in stmt:
        head, _, rest = stmt.partition("{")
        label = rest.rsplit("}", 1)[-1].strip()
        kind = (head.strip().split("(")[0].strip() or "struct").split()[-1]
        bits, size = _inline_width(kind, rest.rsplit("}", 1)[0], depth)
        return Field(label or head.strip(), bits, size, kind, False, False, "")
    m = _DECL.match(stmt)
    if not m:
        return None
    ftype = m.group("type")
    vector = m.group("vector") or ""
    bits = _INT_BITS.get(ftype) if ftype != "opaque" else None
    size = str(bits) if bits else ""
    if vector:
        bits, size = None, vector.replace(" ", "")
        fixed = re.fullmatch(r"\[(\w+)\]", size)
        count = _number(fixed.group(1)) if fixed else None
        if count is not None:
            bits = 8 * count        # "T x[n]": n bytes, whatever T is (RFC 5246 4.3)
    elif ftype == "opaque":
        bits, size = 8, "8"
    return Field(m.group("name"), bits, size, ftype, False, False, (m.group("default") or "").strip())


def _inline_width(kind: str, body: str, depth: int) -> tuple[int | None, str]:
    """Bits and size of a struct or enum declared inside a struct (``enum { change_cipher_spec(1),
    (255) } type;`` 8 bits): a struct of fixed built-in members their sum, ".." when one is
    variable, unknown ("") otherwise (a member of a named type)."""
    if kind == "enum":
        fields = _enum_fields(body)
        bits = fields[0].bits if fields else None
        return bits, str(bits) if bits is not None else ""
    if kind != "struct" or depth >= MAX_SELECT_DEPTH:
        return None, ""
    members = [f for f in (_struct_field(s, depth + 1) for s in _split_top(body, ";")) if f]
    if any(f.bits is None and (f.size.startswith(("<", "[")) or f.type == "select") for f in members):
        return None, VARIABLE
    if all(f.bits is not None for f in members):
        total = sum(f.bits for f in members)   # type: ignore[misc]
        return total, str(total)
    return None, ""


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
    # as many octets as the largest value needs: the ceiling "(255)" when written, else the
    # largest code point (RFC 5246 4.5: "as much space ... as its maximal defined ordinal value")
    values = [_number(maximum)] if maximum else [_number(v) for _, v in named if v]
    value = max((v for v in values if v is not None), default=None)
    bits = 8 * max(1, (value.bit_length() + 7) // 8) if value is not None else None
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
    r"(?:(?P<vector><[^<>;]+>|\[[^\[\];]+\])\s*)?;\s*(?:/\*.*\*/|//.*)?$")


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


# --- named types (issue 21): a member typed by a type the document declares gets its width ---

_BUILTIN = frozenset(_INT_BITS) | {"select", "struct", "enum"}
_UNKNOWN = object()           # a type not declared in the document (or built on one)
_SUFFIX = re.compile(r" \(\d+\)$")   # extract's " (2)" for a second definition of one name


def _declarations(definitions: Sequence[Definition]) -> dict[str, Definition]:
    """The document's TLS declarations by type name, protocol definitions before examples and
    the first of two with one name (RFC 5246 declares some types twice)."""
    out: dict[str, Definition] = {}
    for d in sorted(definitions, key=lambda d: d.example):
        if d.notation in ("tls-struct", "tls-enum"):
            out.setdefault(_SUFFIX.sub("", d.name), d)
    return out


def _member_width(f: Field, widths: dict[str, object]) -> object:
    """Bits of one member (int), None when variable, :data:`_UNKNOWN` when its type is not known;
    ``widths`` holds the types resolved so far."""
    if f.bits is not None:
        return f.bits
    if f.size.startswith(("<", "[")) or f.type == "select" or f.size == VARIABLE or f.repeated:
        return None                     # "[TLSPlaintext.length]": as long as another field says
    if f.type in _BUILTIN or not f.type:
        return None
    return widths.get(f.type, _UNKNOWN)


def _declaration_width(d: Definition, widths: dict[str, object]) -> object:
    if d.notation == "tls-enum":
        return d.fields[0].bits if d.fields and d.fields[0].bits is not None else _UNKNOWN
    total: int | None = 0
    for f in d.fields:
        w = _member_width(f, widths)
        if w is _UNKNOWN:
            return _UNKNOWN
        total = None if w is None or total is None else total + w   # type: ignore[operator]
    return total


def _type_widths(declared: dict[str, Definition]) -> dict[str, object]:
    """Width of every declared type (bits, None variable, :data:`_UNKNOWN`), each resolved
    after the types its members use: an explicit stack, so a chain of 10k typedefs cannot
    exhaust the recursion limit, and a cycle resolves to unknown."""
    widths: dict[str, object] = {}
    for root in declared:
        stack, entered = [root], set()
        while stack:
            name = stack[-1]
            if name in widths:
                stack.pop()
                continue
            d = declared[name]
            needed = [f.type for f in d.fields if d.notation == "tls-struct"
                      and f.type in declared and f.type not in widths
                      and _member_width(f, {}) is _UNKNOWN]
            if needed and name not in entered:
                entered.add(name)
                stack.extend(t for t in needed if t not in entered)
                continue
            for t in needed:                      # still open after its turn: a cycle
                widths.setdefault(t, _UNKNOWN)
            widths[name] = _declaration_width(d, widths)
            stack.pop()
    return widths


def _resolve_field(f: Field, widths: dict[str, object], declared: dict[str, Definition],
                   unresolved: list[str]) -> Field:
    if f.variants:
        f = replace(f, variants=tuple(Variant(v.label, tuple(
            g if g.name == g.type else _resolve_field(g, widths, declared, unresolved)
            for g in v.fields)) for v in f.variants))
    if f.type == "select" and f.size == NOT_READ and not f.variants:
        unresolved.append(f"{f.name}: a select nested deeper than {MAX_SELECT_DEPTH} levels; "
                          "its cases are not read")
        return f
    w = _member_width(f, widths)
    if w is _UNKNOWN:
        why = "is not defined in this document"
        if f.type in declared:
            why = ("has no code points or ceiling" if declared[f.type].notation == "tls-enum"
                   else "is built on a type not defined in this document")
        unresolved.append(f"{f.name}: type {f.type} {why}; width unresolved")
        return f
    if f.bits is not None or f.type in _BUILTIN or not f.type or f.size:
        return f
    if w is None:                       # a variable type (a vector, a struct holding one)
        return replace(f, size=VARIABLE)
    return replace(f, bits=w, size=str(w))


def resolve_named_types(definitions: Sequence[Definition]) -> list[Definition]:
    """TLS struct members typed by a type declared in the same document get its width: a
    typedef (``uint16 ProtocolVersion;``, ``opaque Random[32];``), an enum (the octets its
    ceiling or largest value needs: ``(255)`` 8 bits, ``(65535)`` 16), a struct of fixed
    members (their sum). A member of a variable type (a vector, a struct holding one) is
    variable (size ``".."``; a member's own vector ``<..>`` keeps its bounds as written).
    A member whose type is not declared here keeps no width and its definition a warning
    saying "width unresolved". Other definitions pass through unchanged."""
    declared = _declarations(definitions)
    if not any(d.notation == "tls-struct" for d in definitions):
        return list(definitions)
    widths = _type_widths(declared)
    out = []
    for d in definitions:
        if d.notation != "tls-struct":
            out.append(d)
            continue
        unresolved: list[str] = []
        fields = tuple(_resolve_field(f, widths, declared, unresolved) for f in d.fields)
        out.append(replace(d, fields=fields, warnings=tuple(d.warnings) + tuple(unresolved)))
    return out
