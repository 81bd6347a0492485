"""Document names: validated before any I/O, because they become URLs and file names.

Accepted: ``draft-NAME`` (lowercase letters, digits, single hyphens), ``draft-NAME-NN`` (a
revision: two digits) and ``rfcNNNN``. Everything else (``../../x``, spaces, slashes, ``%2e``)
is an :class:`InvalidNameError`. A draft name ending in two digits is read as a revision;
that is how the datatracker spells revisions too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from draftscope.errors import InvalidNameError

_DRAFT = r"draft-[a-z0-9]+(?:-[a-z0-9]+)*"
DRAFT_RE = re.compile(rf"^{_DRAFT}$")
DRAFT_REVISION_RE = re.compile(rf"^({_DRAFT})-(\d\d)$")
RFC_RE = re.compile(r"^rfc([1-9]\d{0,4})$")
FILE_RE = re.compile(rf"^(?:({_DRAFT})-(\d\d)|(rfc[1-9]\d{{0,4}}))\.(txt|xml)$")
GROUP_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
FORMATS = ("txt", "xml")


@dataclass(frozen=True)
class DocName:
    """A parsed name: ``name`` is the document (draft or RFC), ``rev`` a draft revision or None."""

    name: str
    rev: str | None = None

    @property
    def is_rfc(self) -> bool:
        return self.name.startswith("rfc")


def parse_name(text: str) -> DocName:
    """``draft-x`` / ``draft-x-NN`` / ``rfcNNNN`` (any case) -> DocName; anything else raises."""
    if not isinstance(text, str):
        raise InvalidNameError(f"invalid document name {text!r}: expected a string")
    candidate = text.strip().lower()
    if m := RFC_RE.match(candidate):
        return DocName(candidate)
    if m := DRAFT_REVISION_RE.match(candidate):
        return DocName(m.group(1), m.group(2))
    if DRAFT_RE.match(candidate):
        return DocName(candidate)
    raise InvalidNameError(
        f"invalid document name {text!r}: expected draft-NAME, draft-NAME-NN or rfcNNNN")


def check_document_name(name: str) -> str:
    """A bare document name (no revision) as found in server responses; raises if unsafe."""
    if isinstance(name, str) and (RFC_RE.match(name) or DRAFT_RE.match(name)):
        return name
    raise InvalidNameError(f"invalid document name {name!r}")


def check_revision(rev: str) -> str:
    if isinstance(rev, str) and re.fullmatch(r"\d\d", rev):
        return rev
    raise InvalidNameError(f"invalid revision {rev!r}: expected two digits")


def check_group(acronym: str) -> str:
    candidate = acronym.strip().lower() if isinstance(acronym, str) else ""
    if GROUP_RE.match(candidate):
        return candidate
    raise InvalidNameError(f"invalid working group acronym {acronym!r}")


def check_formats(formats) -> tuple[str, ...]:
    """``"txt,xml"`` or an iterable -> ordered unique tuple of known formats."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    result = []
    for item in (str(i).strip().lower() for i in items):
        if item not in FORMATS:
            raise InvalidNameError(f"unknown format {item!r}: choose from {', '.join(FORMATS)}")
        if item not in result:
            result.append(item)
    if not result:
        raise InvalidNameError("no format given: choose from " + ", ".join(FORMATS))
    return tuple(result)


def parse_filename(filename: str) -> tuple[str, str, str] | None:
    """``draft-x-27.txt`` -> (name, rev, fmt); ``rfc9000.txt`` -> (rfc9000, rfc9000, txt)."""
    m = FILE_RE.match(filename)
    if not m:
        return None
    if m.group(3):
        return m.group(3), m.group(3), m.group(4)
    return m.group(1), m.group(2), m.group(4)
