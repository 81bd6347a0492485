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

# \A..\Z (``$`` also matches before a final newline) and ASCII classes only (``\d`` matches
# Arabic-Indic digits): these names become file names and table rows.
MAX_NAME = 150          # the longest real draft names are ~70; file names must stay < 255 bytes
_DRAFT = r"draft-[a-z0-9]+(?:-[a-z0-9]+)*"
DRAFT_RE = re.compile(rf"\A{_DRAFT}\Z", re.ASCII)
DRAFT_REVISION_RE = re.compile(rf"\A({_DRAFT})-([0-9][0-9])\Z", re.ASCII)
RFC_RE = re.compile(r"\Arfc([1-9][0-9]{0,4})\Z", re.ASCII)
REVISION_RE = re.compile(r"\A[0-9][0-9]\Z", re.ASCII)
FILE_RE = re.compile(rf"\A(?:({_DRAFT})-([0-9][0-9])|(rfc[1-9][0-9]{{0,4}}))\.(txt|xml)\Z", re.ASCII)
GROUP_RE = re.compile(r"\A[a-z0-9][a-z0-9-]{0,31}\Z", re.ASCII)
FORMATS = ("txt", "xml")
LOCAL_SUFFIXES = (".txt", ".xml")    # a path ending so is a local file (names never do)


def is_rfc(name: str) -> bool:
    """The one rule: a document name is an RFC's when it starts with ``rfc`` (names are
    lowercase once checked)."""
    return name.startswith("rfc")


def revision_label(name: str, rev: str | None) -> str:
    """The one label of a revision: ``draft-x-07``, or the RFC's name (``rfc9000``), or the
    name alone when there is no revision (a local file's)."""
    return name if is_rfc(name) or not rev else f"{name}-{rev}"


def document_kind(name: str) -> str:
    """``rfc`` for an RFC, ``wg`` for a working/research group draft, else ``individual``."""
    if is_rfc(name):
        return "rfc"
    if name.startswith(("draft-ietf-", "draft-irtf-")):
        return "wg"
    return "individual"


@dataclass(frozen=True)
class DocName:
    """A parsed name: ``name`` is the document (draft or RFC), ``rev`` a draft revision or None."""

    name: str
    rev: str | None = None

    @property
    def is_rfc(self) -> bool:
        return is_rfc(self.name)


def parse_name(text: str) -> DocName:
    """``draft-x`` / ``draft-x-NN`` / ``rfcNNNN`` (any case) -> DocName; anything else raises."""
    if not isinstance(text, str):
        raise InvalidNameError(f"invalid document name {text!r}: expected a string")
    if len(text) > 2 * MAX_NAME:
        raise InvalidNameError(f"invalid document name {text[:40]!r}...: longer than {MAX_NAME} "
                               "characters")
    candidate = text.strip().lower()
    if RFC_RE.match(candidate):
        return DocName(candidate)
    if (m := DRAFT_REVISION_RE.match(candidate)) and len(m.group(1)) <= MAX_NAME:
        return DocName(m.group(1), m.group(2))
    if DRAFT_RE.match(candidate) and len(candidate) <= MAX_NAME:
        return DocName(candidate)
    if candidate.isascii() and len(candidate) > MAX_NAME and candidate.startswith("draft-"):
        raise InvalidNameError(f"invalid document name {text[:40]!r}...: longer than {MAX_NAME} "
                               "characters")
    raise InvalidNameError(
        f"invalid document name {text!r}: expected draft-NAME, draft-NAME-NN or rfcNNNN")


def check_document_name(name: str) -> str:
    """A bare document name (no revision) as found in server responses; raises if unsafe."""
    if isinstance(name, str) and len(name) <= MAX_NAME and (RFC_RE.match(name) or DRAFT_RE.match(name)):
        return name
    shown = repr(name[:60]) + ("..." if len(name) > 60 else "") if isinstance(name, str) \
        else f"of type {type(name).__name__}"
    raise InvalidNameError(f"invalid document name {shown}")


def check_revision(rev: str) -> str:
    if isinstance(rev, str) and REVISION_RE.match(rev):
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
            raise InvalidNameError(f"unknown file type {item!r}: choose from {', '.join(FORMATS)}")
        if item not in result:
            result.append(item)
    if not result:
        raise InvalidNameError("no file type given: choose from " + ", ".join(FORMATS))
    return tuple(result)


def parse_filename(filename: str) -> tuple[str, str, str] | None:
    """``draft-x-27.txt`` -> (name, rev, fmt); ``rfc9000.txt`` -> (rfc9000, rfc9000, txt)."""
    m = FILE_RE.match(filename) if len(filename) <= MAX_NAME + 7 else None
    if not m or (m.group(1) and len(m.group(1)) > MAX_NAME):
        return None
    if m.group(3):
        return m.group(3), m.group(3), m.group(4)
    return m.group(1), m.group(2), m.group(4)
