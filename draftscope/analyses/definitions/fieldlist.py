"""The field-list notation QUIC adopted in transport -28 (RFC 9000, Section 1.3).

::

    ACK Frame {
      Type (i) = 0x02..0x03,
      ...
      ACK Range (..) ...,
      [ECN Counts (..)],
    }

Widths are in bits (``(i)`` a variable-length integer, ``(..)`` any length, ``(8..32)`` a
range), ``= v`` a fixed value, ``[...]`` optional, a trailing ``...`` repeated; ``# text`` to the
end of a line is a comment (QUIC-TLS marks protected fields so).
"""

from __future__ import annotations

import re

from draftscope.analyses.definitions.model import Field
from draftscope.analyses.definitions.sizes import (MAX_SIZE_DIGITS, VARIABLE, is_reserved_name,
                                                   normalise_size)

_CLOSE = re.compile(r"^\s*\}\s*$")
_MAX_LINES = 80
_COMMENT = re.compile(r"(?:^|\s)#.*$")   # "Key Phase (1),  # Protected" (QUIC-TLS figures)
_HEADER_CHARS = frozenset("_ .()/-")
_KEYWORD = re.compile(r"\b(struct|enum|select)\b")

# Every reader here scans a line once: the field and header regular expressions they replace
# backtracked (``Type (8) =`` + 800 blanks + ``,y,`` took 162 s, issue 20).


def _header_name(line: str) -> str | None:
    """``"ACK Frame"`` of ``"ACK Frame {"``: a name of letters, digits, blanks and ``_.()/-``
    starting with a letter or digit, then ``{`` ending the line; None otherwise."""
    text = line.strip()
    if not text.endswith("{"):
        return None
    name = text[:-1].rstrip()
    if not name or not (name[0].isascii() and name[0].isalnum()):
        return None
    if not all(ch.isalnum() or ch in _HEADER_CHARS for ch in name):
        return None
    return name


def is_header(line: str) -> bool:
    name = _header_name(line) if "{" in line else None
    return name is not None and not _KEYWORD.search(name)


def _split_field(text: str) -> tuple[str, str, str | None, bool] | None:
    """``"Type (i) = 0x02..0x03"`` -> ``("Type", "i", "0x02..0x03", False)``: name, size, value
    (None without ``=``) and a trailing ``...``; None unless the text is a name (flat
    parenthesised words allowed: ``ECT(0) Count``) followed by ``(size)``."""
    depth, eq = 0, -1
    for k, ch in enumerate(text):          # the first "=" outside parentheses starts the value
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "=" and depth == 0:
            eq = k
            break
    head, value, dots = (text, None, False) if eq < 0 else (text[:eq], text[eq + 1:].strip(), False)
    if value is None:
        head = head.rstrip()
        if head.endswith("..."):
            head, dots = head[:-3].rstrip(), True
    else:
        if "," in value:
            return None
        if value.endswith("..."):
            value, dots = value[:-3].rstrip(), True
    head = head.rstrip()
    if not head.endswith(")"):
        return None
    open_at = head.rfind("(")
    if open_at < 0 or ")" in head[open_at + 1:-1]:
        return None
    name, size = head[:open_at], head[open_at + 1:-1]
    depth = 0
    for ch in name:              # no "[", "]", "=" but inside flat "(...)" groups, no nesting
        if ch in "[]=" and not depth:
            return None
        if ch == "(":
            depth += 1
            if depth > 1:
                return None
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
    if depth:
        return None
    return name, size, value, dots


def _size(spec: str) -> tuple[int | None, str]:
    """:func:`normalise_size`, except that a width with more than :data:`MAX_SIZE_DIGITS`
    digits is "any length" (a 4301-digit width broke ``int()``, issue 20)."""
    digits = re.sub(r"\D", "", spec)
    if len(digits) > MAX_SIZE_DIGITS:
        return None, VARIABLE
    return normalise_size(spec)


def _parse_field(text: str) -> Field | None:
    text = text.strip().rstrip(",").strip()
    optional = False
    repeated = False
    if text.endswith("..."):
        # "[Gap (i)] ..." : repeated optional element
        stripped = text[:-3].rstrip()
        if stripped.endswith("]") or stripped.endswith(")"):
            text, repeated = stripped, True
    if text.startswith("[") and text.endswith("]"):
        text, optional = text[1:-1].strip(), True
    parts = _split_field(text)
    if parts is None:
        name = text.strip()
        if not name or not re.match(r"^[A-Za-z0-9]", name):
            return None
        return Field(name, None, "", "", optional, repeated, "", reserved=is_reserved_name(name))
    raw_name, raw_size, value, dots = parts
    bits, size = _size(raw_size)
    name = " ".join(raw_name.split())
    return Field(
        name=name,
        bits=bits,
        size=size,
        optional=optional,
        repeated=repeated or dots,
        value=(value or "").strip(),
        reserved=is_reserved_name(name),
    )


def parse_field_list(lines: list[str], start: int) -> tuple[str, list[Field], int] | None:
    """Parse the field list whose header is ``lines[start]``; (name, fields, end index)."""
    header = _header_name(lines[start])
    if header is None:
        return None
    name = " ".join(header.split())
    fields: list[Field] = []
    pending = ""
    for j in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[j]
        if _CLOSE.match(line):
            if pending:
                f = _parse_field(pending)
                if f:
                    fields.append(f)
            return (name, fields, j + 1) if fields else None
        s = _COMMENT.sub("", line).strip()
        if not s:
            continue
        if "{" in s or "}" in s or ";" in s:
            return None
        pending = f"{pending} {s}".strip()
        if pending.endswith(","):
            f = _parse_field(pending)
            if f is None:
                return None
            fields.append(f)
            pending = ""
    return None
