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
from draftscope.analyses.definitions.sizes import is_reserved_name, normalise_size

_HEADER = re.compile(r"^\s*([A-Za-z0-9][\w .()/-]*?)\s*\{\s*$")
_CLOSE = re.compile(r"^\s*\}\s*$")
_FIELD = re.compile(
    r"""^(?P<name>[^()\[\]=]*?(?:\([^()]*\)[^()\[\]=]*?)*?)\s*
        \((?P<size>[^()]*)\)\s*
        (?:=\s*(?P<value>[^,]*?))?\s*
        (?P<dots>\.\.\.)?\s*$""",
    re.X,
)
_MAX_LINES = 80
_COMMENT = re.compile(r"(?:^|\s)#.*$")   # "Key Phase (1),  # Protected" (QUIC-TLS figures)


def is_header(line: str) -> bool:
    m = _HEADER.match(line)
    return bool(m) and not re.search(r"\b(struct|enum|select)\b", m.group(1))


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
    m = _FIELD.match(text)
    if not m:
        name = text.strip()
        if not name or not re.match(r"^[A-Za-z0-9]", name):
            return None
        return Field(name, None, "", "", optional, repeated, "", reserved=is_reserved_name(name))
    bits, size = normalise_size(m.group("size"))
    name = " ".join(m.group("name").split())
    return Field(
        name=name,
        bits=bits,
        size=size,
        optional=optional,
        repeated=repeated or bool(m.group("dots")),
        value=(m.group("value") or "").strip(),
        reserved=is_reserved_name(name),
    )


def parse_field_list(lines: list[str], start: int) -> tuple[str, list[Field], int] | None:
    """Parse the field list whose header is ``lines[start]``; (name, fields, end index)."""
    m = _HEADER.match(lines[start])
    if not m:
        return None
    name = " ".join(m.group(1).split())
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
