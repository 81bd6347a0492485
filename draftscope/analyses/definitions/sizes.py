"""Length annotations and cell notes as written in the drafts, normalised so that notations compare.

``(32)`` and ``(32 bits)`` are a fixed width in bits, ``(2 octets)``/``(2 bytes)`` too (16);
``(i)`` is a QUIC variable-length integer; ``(*)``, ``(variable)``, ``(variable length)``,
``(..)`` and a trailing ``...`` all mean "any length" (normalised to ``".."``); a choice of
widths is written one way, in bits (``8, 16, 24, or 32`` -> ``8/16/24/32``, ``4 or 8 octets``
-> ``32/64``); ranges are kept in bits (``0..160``; ``0-255 bytes`` -> ``0..2040``).

A box-diagram cell may also carry notes that are not part of the name: ``(optional)``,
``(opt)``, a condition (``(if option Length == 20)``, ``depending on flags``), a fixed value
(``Length = 12``). :func:`read_cell_text` separates all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VARIABLE = ".."
_ANY_LENGTH = {"*", "variable", "..", "...", "var", "variable length", "variable-length", "varies"}
_ANNOTATION = re.compile(r"\(([^()]*)(?:\)|$)")
_UNIT = r"(?:bits?|bytes?|octets?)"
MAX_SIZE_DIGITS = 12   # a width with more digits is "any length", never int() (4301 digits raise)
_LONG_NUMBER = re.compile(r"\d{%d}" % (MAX_SIZE_DIGITS + 1))
_UNIT_BITS = {"bit": 1, "bits": 1, "byte": 8, "bytes": 8, "octet": 8, "octets": 8}
_OPTIONAL_WORDS = {"optional", "opt", "opt.", "if present", "may be omitted", "recommended"}
_CONDITION = re.compile(r"^(?:if|iff|when|unless|only|present|depending|depends|absent|client-only"
                        r"|server-only)\b", re.I)


def _unit_factor(text: str) -> int:
    m = re.search(_UNIT + r"\s*$", text.lower())
    return _UNIT_BITS[m.group()] if m else 1


def normalise_size(spec: str) -> tuple[int | None, str]:
    """``"32"`` -> ``(32, "32")``; ``"2 octets"`` -> ``(16, "16")``; ``"i"`` -> ``(None, "i")``;
    ``"*"`` -> ``(None, "..")``; ``"4 or 8 octets"`` -> ``(None, "32/64")``."""
    s = " ".join(spec.strip().split())
    low = s.lower()
    if low in _ANY_LENGTH or _LONG_NUMBER.search(s):
        return None, VARIABLE
    if re.fullmatch(r"\d+", s):
        return int(s), s
    if re.fullmatch(r"\d+\s*" + _UNIT, low):
        n = int(re.match(r"\d+", low).group()) * _unit_factor(low)
        return n, str(n)
    if re.fullmatch(r"\d+(\s*(?:,|/|,?\s*or)\s*\d+)+(\s*" + _UNIT + r")?", low):
        # a choice of widths, "8, 16, 32, or 48 bits", "8/16/32/48", "4 or 8 octets": one spelling
        factor = _unit_factor(low)
        return None, "/".join(str(int(n) * factor) for n in re.findall(r"\d+", low))
    if re.fullmatch(r"0\s*\.\.\.?", low):
        return None, VARIABLE           # "Frame Payload (0...)": none or more
    m = re.fullmatch(r"(\d+)\s*(?:-|\.\.|to)\s*(\d+)\s*(" + _UNIT + r")?", low)
    if m and m.group(3):
        factor = _unit_factor(low)
        return None, f"{int(m.group(1)) * factor}..{int(m.group(2)) * factor}"
    return None, s.replace(" ", "")


def looks_like_size(spec: str) -> bool:
    """Whether a parenthesised text is a length annotation rather than part of a name."""
    s = spec.strip().lower()
    if s in _ANY_LENGTH or s == "i":
        return True
    return bool(re.fullmatch(r"[\d\s.,/+*-]+" + _UNIT + r"?|\d+\s*" + _UNIT + r"?"
                             r"|\d[\d ,]*(,\s*or\s*|\s+or\s+)\d+(\s*" + _UNIT + r")?"
                             r"|\d+\s*(?:-|to)\s*\d+\s*" + _UNIT, s))


_IGNORED_NOTES = {"fixed size", "fixed length", "fixed-size", "fixed-length"}
_CONT = re.compile(r"\s*\((?:cont|contd|cont'd|continued)\.?\)\s*$|\s+(?:cont|contd|cont'd|continued)\.?$", re.I)
_SPACED_DOTS = r"(?:\.\s){2,}\."
_DEBRIS = r"[/\\.:~|]+"
_LEADING_DEBRIS = re.compile(r"^(?:" + _DEBRIS + r"\s+)+(?=\w)")
_TRAILING_DEBRIS = re.compile(r"(?<=[\w)\]])(?:\s+(?:[/\\:~|]+|\.|/+))+$")
_DOTS_FIRST = re.compile("^" + _SPACED_DOTS + r"(?=\s)")
_DOTS_LAST = re.compile(r"(?<=\s)" + _SPACED_DOTS + "$")
_LEADING_SIZE = re.compile(r"^(?P<size>\d+(?:\s*(?:-|to|or|,|/)\s*\d+)*)\s+(?P<unit>bits?|bytes?|octets?)\b"
                           r"(?:\s+of)?\s+(?P<name>[A-Za-z].*)$", re.I)
_COMPARED = re.compile(r"^(?P<name>.*?[^\s<>=!-])\s*(?P<value>(?:>=|<=)\s*\d.*)$")
_LENGTH_NOTE = re.compile(r"\b(?:length|bytes|octets|per|dependent|variable)\b", re.I)


@dataclass(frozen=True)
class CellText:
    """What the text written in one cell (or one field-list line) says."""

    name: str
    bits: int | None = None
    size: str = ""
    optional: bool = False
    condition: str = ""
    value: str = ""
    reserved: bool = False
    placeholder: str = ""      # "fixed" (a literal bit pattern), "letter" (a one-letter label)
    joins: str = ""            # "previous": "(cont)", ". . . Nonce"; "next": "Nonce . . ."
    bare: int | None = None    # the size as a bare number, "(4)", (octets or bits: the grid says)


def _classify_note(part: str) -> tuple[str, str] | None:
    """(kind, normalised text) of one comma-separated part of a parenthesised note."""
    p = " ".join(part.split())
    low = p.lower()
    if not p:
        return None
    if looks_like_size(p):
        return "size", p
    if low in _IGNORED_NOTES:
        return "ignore", p
    lead = re.match(r"(fixed|variable)[ -](?:size|length),\s*(.+)$", low)
    if lead and looks_like_size(lead.group(2)):
        # "fixed size, 8 bytes" is its size; "variable size, 8 to 32 bytes" a range of sizes
        return "size", p[lead.start(2):]
    # "IPv4: 4 octets / IPv6: 16 octets": a choice of sizes, each with what it is for
    sizes = re.findall(r"(\d+)\s*(bits?|bytes?|octets?)\b", low)
    item = r"(?:[a-z][\w]*\s*[:=-]?\s*)?\d+\s*[a-z]+"
    if len(sizes) >= 2 and not _LONG_NUMBER.search(low) and re.fullmatch(item + r"(?:\s*(?:/|,|or)\s*" + item + r")+", low):
        return "size", "/".join(str(int(n) * _UNIT_BITS[u]) for n, u in sizes)
    if low in _OPTIONAL_WORDS:
        return "optional", p
    if _CONDITION.match(p):
        return "condition", p
    if _LENGTH_NOTE.search(p) and len(p.split()) <= 5:
        return "length", p
    return None


_RESERVED = re.compile(r"^\(?(?:reserved|rsv|rsvd|resvd|rsrvd|res|resv|unused|mbz|must be zero)\)?$", re.I)
_RESERVED_WORD = re.compile(r"^(?:reserved|unused)(?:\b|\d)", re.I)   # "Reserved0" (GRE)
_LETTER_RUN = re.compile(r"^([A-Za-z])(?:\s+\1)+$")
_FIXED = re.compile(r"^[01](?:\s*[01])*$")
_LITERAL = re.compile(r"^(?:0x[0-9a-fA-F]+|0b[01]+)$")
_VALUE = re.compile(r"^(?P<name>[^=]*?[^=<>!\s])\s*=\s*(?P<value>[^=].*)$")
_EDGE_RUN = r"([A-Za-z])(?:\s+\1){2,}"


def is_reserved_name(name: str) -> bool:
    """Whether a field's name says it is reserved or unused ("Reserved", "Rsv", "Reserved Bits",
    "Reserved0", "Unused"), in any notation."""
    name = " ".join(name.split())
    return bool(_RESERVED.match(name) or _RESERVED_WORD.match(name))


def read_cell_text(text: str) -> CellText:
    """Name, size, optional/condition notes, fixed value and reservedness of a cell's text.

    Only parenthesised texts that are wholly sizes and notes are taken out of the name
    (``Security Parameters Index (SPI)`` and ``ECT(0) Count`` keep theirs); a trailing note
    saying what the length depends on (``(per data length)``, ``(Length bytes)``,
    ``(type-dependent)``) means "any length".
    """
    raw = " ".join(text.split())
    joins = ""
    if _CONT.search(raw):                     # "PktID (contd)", "ICV Value (cont)"
        raw, joins = _CONT.sub("", raw).strip(), "previous"
    elif ". ." in raw and _DOTS_FIRST.match(raw):    # ". . . Nonce"
        raw, joins = _DOTS_FIRST.sub("", raw).strip(), "previous"
    elif ". ." in raw and _DOTS_LAST.search(raw):      # "Nonce . . ."
        raw, joins = _DOTS_LAST.sub("", raw).strip(), "next"
    # border debris around a name: "/ / / Optional TLVs / / /", "Reason Phrase ."
    raw = _LEADING_DEBRIS.sub("", raw)
    raw = _TRAILING_DEBRIS.sub("", raw)
    words = raw.replace("...", " ").split()
    half = len(words) // 2
    if (half and len(words) % 2 == 0 and words[:half] == words[half:]
            and any(re.search(r"[A-Za-z]{2}", w) for w in words[:half])):
        raw = " ".join(words[:half]) + (" ..." if "..." in raw else "")   # written twice in one cell
    optional = False
    if raw.startswith("[") and raw.endswith("]"):
        raw, optional = raw[1:-1].strip(), True
    if raw.startswith("{") and raw.endswith("}"):
        raw = raw[1:-1].strip()          # "{Encrypted Payload (*)}": braces mark encryption
    # "E E E  Packet Number (8/16/24/32)  E E E": placeholder letters drawn around a name
    inner = re.sub(r"^" + _EDGE_RUN + r"\s+", "", raw)
    inner = re.sub(r"\s+" + _EDGE_RUN + r"$", "", inner)
    if inner and not _LETTER_RUN.match(inner):
        raw = inner
    bits: int | None = None
    size = ""
    bare: int | None = None
    conditions: list[str] = []
    name = raw
    while True:
        found = False
        for m in reversed(list(_ANNOTATION.finditer(name))):
            glued = m.start() > 0 and name[m.start() - 1].isalnum() and name[m.end():].strip()
            if glued:
                continue
            parts = [p for p in re.split(r"[,;]\s*(?![\d\s]*(?:or\s+)?\d)", m.group(1))]
            kinds = [_classify_note(p) for p in parts]
            if not parts or any(k is None for k in kinds):
                continue
            for kind, p in kinds:          # type: ignore[misc]
                if kind == "size" and not size:
                    bits, size = normalise_size(p)
                    if bits is not None and re.fullmatch(r"\s*\d+\s*", p):
                        bare = int(p)
                elif kind == "length" and not size:
                    bits, size = None, VARIABLE
                elif kind == "optional":
                    optional = True
                elif kind == "condition":
                    if p.lower() == "variable":
                        bits, size = None, VARIABLE
                    conditions.insert(0, p)
            rest = (name[: m.start()] + " " + name[m.end():]).strip()
            if not rest and not _RESERVED.match(m.group(0)):
                break                     # a cell that is nothing but a note keeps it as its name
            name = rest
            found = True
            break
        if not found:
            break
    # "Data ACK 4 or 8 octets, depending on flags" written without parentheses
    m = re.search(r",\s*((?:if|when|depending|unless)\b.*)$", name, re.I)
    if m:
        conditions.append(m.group(1).strip())
        name = name[: m.start()].strip()
    value = ""
    cm = _COMPARED.match(name)
    vm = _VALUE.match(name)
    if cm and ("=" not in cm.group("name")):
        name, value = cm.group("name").strip(), cm.group("value").strip()   # "LENGTH >= 16, <= 40"
    elif vm and vm.group("name").strip():
        name, value = vm.group("name").strip(), vm.group("value").strip()
    lm = _LEADING_SIZE.match(name)
    if lm and not size:                       # "8 or 16 bit Sequence Number", "0-2 octets of CID"
        bits, size = normalise_size(lm.group("size") + " " + lm.group("unit"))
        name = lm.group("name")
    name = " ".join(name.split()).rstrip("*").strip()
    if name.endswith("..."):
        name = re.sub(r"\s*\.{3,}$", "", name)     # "header extension ....": any run of dots
        if not size:
            size = VARIABLE
    if (name.startswith("(") and name.endswith(")") and "(" not in name[1:-1]
            and not _RESERVED.match(name) and name[1:-1].strip()):
        name = name[1:-1].strip()             # "(PADDING)": a name in parentheses
    reserved = False
    placeholder = ""
    if not name or _RESERVED.match(name):
        # blank, "(reserved)", "(resvd)", "Rsv": one spelling; "Reserved", "Unused" as written
        if not re.fullmatch(r"(?:reserved|unused)", name, re.I):
            name = "(reserved)"
        reserved = True
    elif _RESERVED_WORD.match(name):
        reserved = True
    elif _FIXED.match(name) or _LITERAL.match(name.replace(" ", "")) or re.fullmatch(r"\d+", name):
        value = name.replace(" ", "")
        name, placeholder = "Fixed Bit", "fixed"
    elif _LETTER_RUN.match(name):
        name, placeholder = name[0], "letter"
    elif re.fullmatch(r"[A-Za-z]", name):
        placeholder = "letter"
    return CellText(name, bits, size, optional, "; ".join(conditions), value, reserved, placeholder,
                    joins, bare)
