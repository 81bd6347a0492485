"""Length annotations as written in the drafts, normalised so that notations compare.

``(32)`` is a fixed width in bits, ``(i)`` a QUIC variable-length integer, ``(*)``,
``(variable)``, ``(..)`` and a trailing ``...`` all mean "any length" (normalised to ``".."``);
a choice of widths is written one way (``8, 16, 24, or 32`` -> ``8/16/24/32``); ranges
(``0..160``, ``0-255 bytes``) are kept as written, minus spaces.
"""

from __future__ import annotations

import re

VARIABLE = ".."
_ANY_LENGTH = {"*", "variable", "..", "...", "var", "variable length", "variable-length"}
_ANNOTATION = re.compile(r"\(([^()]*)(?:\)|$)")


def normalise_size(spec: str) -> tuple[int | None, str]:
    """``"32"`` -> ``(32, "32")``; ``"i"`` -> ``(None, "i")``; ``"*"`` -> ``(None, "..")``."""
    s = " ".join(spec.strip().split())
    low = s.lower()
    if low in _ANY_LENGTH:
        return None, VARIABLE
    if re.fullmatch(r"\d+", s):
        return int(s), s
    if re.fullmatch(r"\d+\s*bits?", low):
        n = int(re.match(r"\d+", low).group())
        return n, str(n)
    if re.fullmatch(r"\d+(\s*[,/]\s*\d+)+(\s*bits?)?", low):
        # a choice of widths, written "8, 16, 32, or 48 bits" or "8/16/32/48": one spelling
        return None, "/".join(re.findall(r"\d+", low))
    return None, s.replace(" ", "")


def looks_like_size(spec: str) -> bool:
    """Whether a parenthesised text is a length annotation rather than part of a name."""
    s = spec.strip().lower()
    if s in _ANY_LENGTH or s == "i":
        return True
    return bool(re.fullmatch(r"[\d\s.,/+*-]+(bits?|bytes?|octets?)?|\d+\s*(bits?|bytes?|octets?)?"
                             r"|\d[\d ,]*(,\s*or\s*|\s+or\s+)\d+(\s*bits?)?", s))


def split_annotations(text: str) -> tuple[str, int | None, str]:
    """Split ``"Stream ID (8, 16, 24, or 32)"`` into name and size.

    Only the first parenthesised text that looks like a size counts; a trailing note saying
    what the length depends on (``Stream Data (per data length)``, ``Name String (Length
    bytes)``, ``Headers (type-dependent)``) means "any length"; other parentheses
    (``ECT(0) Count``, ``Security Parameters Index (SPI)``, ``(optional)``) stay in or are
    dropped from the name.
    """
    bits: int | None = None
    size = ""
    name = text
    for m in reversed(list(_ANNOTATION.finditer(text))):
        inner = m.group(1)
        glued = m.start() > 0 and text[m.start() - 1].isalnum() and text[m.end():].strip()
        if looks_like_size(inner) and not glued:
            bits, size = normalise_size(inner.replace(" or ", ",").replace(",,", ","))
            name = (text[: m.start()] + text[m.end():])
            break
    if not size:
        name, note_size = _strip_length_note(name)
        if note_size:
            bits, size = None, note_size
    for m in _ANNOTATION.finditer(name):
        words = {w.strip().lower() for w in m.group(1).split(",")}
        if words and words <= {"optional", "opt", "variable", "client-only"}:
            if "variable" in words and not size:
                bits, size = None, VARIABLE
            name = name.replace(m.group(0), " ")
            break
    return " ".join(name.split()).rstrip("*").strip(), bits, size


_LENGTH_NOTE = re.compile(r"\s\(([^()]*\b(?:length|bytes|octets|per|dependent|variable)\b[^()]*)\)\s*$",
                          re.I)


def _strip_length_note(name: str) -> tuple[str, str]:
    """``"Stream Data (per data length)"`` -> ``("Stream Data", "..")``; other names unchanged."""
    m = _LENGTH_NOTE.search(name)
    if not m or not name[: m.start()].strip():
        return name, ""
    return name[: m.start()], VARIABLE
