"""One revision of a draft as analyses see it: clean lines, their sections, and the XML tree.

:func:`load_document` is the I/O edge (read a file, or the cached file of a
:class:`~draftscope.fetch.records.Revision`); :func:`parse_text` and
:func:`draftscope.text.xml.parse_xml` are pure.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from draftscope.errors import ParseError

if TYPE_CHECKING:  # pragma: no cover
    from draftscope.text.model import Document, Section

# The readers of clean text (text.published, text.sections) and the Document they make
# (text.model) are imported by the functions that use them: the keyword scanner reads only this
# module's decoding rules, and a large file's count needs neither sections nor a Document.
# Document and Section live in text.model; they are handed on from here too.


def __getattr__(name: str) -> Any:
    if name in ("Document", "Section"):
        from draftscope.text import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# "draft-ietf-quic-transport-27.txt" -> ("draft-ietf-quic-transport", "27"); "rfc9000.txt"
# a document read whole into memory: far above any real revision (a few MB), far below what
# would exhaust memory (the keyword scanner reads larger files in pieces)
MAX_DOCUMENT_BYTES = 256 << 20
FILE_NAME = re.compile(r"^(?P<name>draft-[a-z0-9-]+?)-(?P<rev>\d{2})$|^(?P<rfc>rfc\d+)$", re.I)


def decode_text(raw: bytes | str) -> str:
    """Bytes to text with ``\\n`` line ends, whatever the encoding the file came in.

    UTF-8 (with or without BOM) first, UTF-16 when it has a BOM, else cp1252 with latin-1 for the
    bytes cp1252 leaves undefined, so an odd file never fails to decode (see :func:`text_encoding`).
    """
    if isinstance(raw, bytes):
        encoding = text_encoding(raw)
        text = decode_as(raw[3:] if encoding == UTF8_BOM else raw, encoding)
    else:
        text = raw.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


UTF8_BOM, UTF16, UTF8, CP1252 = "utf-8-sig", "utf-16", "utf-8", "cp1252"


def text_encoding(raw: bytes, valid_utf8: bool | None = None) -> str:
    """How :func:`decode_text` reads ``raw``: ``utf-8-sig`` (BOM; bad bytes replaced), ``utf-16``
    (BOM), ``utf-8`` (the whole of it valid), else ``cp1252``. ``valid_utf8``: known already."""
    if raw.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if valid_utf8 is None:
        try:
            raw.decode("utf-8")
            valid_utf8 = True
        except UnicodeDecodeError:
            valid_utf8 = False
    return UTF8 if valid_utf8 else CP1252


def decode_as(raw: bytes, encoding: str) -> str:
    """Decode ``raw`` (without its BOM) the way :func:`decode_text` reads a file of
    ``encoding``; a piece cut at line starts decodes as it does inside the whole file."""
    if encoding == UTF8_BOM:
        return raw.decode("utf-8", errors="replace")
    if encoding == UTF16:
        return raw.decode("utf-16", errors="replace")
    if encoding == UTF8:
        return raw.decode("utf-8")
    return raw.decode("latin-1").translate(_CP1252_FROM_LATIN1)


# cp1252 differs from latin-1 only in 0x80-0x9F; its five undefined bytes stay latin-1.
_CP1252_FROM_LATIN1 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def parse_text(raw: str | bytes, name: str = "", rev: str = "") -> Document:
    """Published text (paginated or not) -> Document with furniture removed and sections found."""
    lines, numbers, printed_pages = clean_lines(raw)
    return document_from_lines(lines, numbers, name=name, rev=rev, printed_pages=printed_pages)


def clean_lines(raw: str | bytes) -> tuple[list[str], list[int], int | None]:
    """Published text -> its lines with page furniture removed, the source line number of each,
    and the last page number its footers print (what :func:`parse_text` reads sections from)."""
    from draftscope.text.published import unpage

    text = decode_text(raw)
    unpaged = unpage(text)
    lines, numbers = unpaged.lines()
    if lines and lines[-1] == "" and not text.endswith("\n\n"):
        lines.pop()
        numbers.pop()
    return lines, numbers, unpaged.last_page


def document_from_lines(
    lines: list[str], line_numbers: list[int], *, name: str, rev: str, fmt: str = "txt", xml: Any = None,
    printed_pages: int | None = None,
) -> Document:
    """Find the table of contents and the headings of clean lines."""
    from draftscope.text.model import Document, Section
    from draftscope.text.sections import FRONT_MATTER, find_headings, find_toc, is_front_heading

    toc = find_toc(lines)
    sections: list[Section] = []
    for heading in find_headings(lines, toc):
        if not heading.number and is_front_heading(heading.title):
            # Status of This Memo, Copyright Notice: still front matter
            if sections and sections[-1].title == FRONT_MATTER:
                continue
            sections.append(Section("", FRONT_MATTER, heading.index))
            continue
        sections.append(Section(heading.number, heading.title, heading.index))
    if toc is not None:
        before = [s for s in sections if s.start <= toc.start]
        if before and before[-1].title != FRONT_MATTER:  # e.g. the TOC follows the Abstract
            sections.append(Section("", FRONT_MATTER, toc.start))
            sections.sort(key=lambda s: s.start)
    return Document(name, rev, fmt, lines, line_numbers, sections, toc, xml,
                    printed_pages=printed_pages)


def name_from_path(path: Path) -> tuple[str, str]:
    """("draft-x-y", "07") from ``draft-x-y-07.txt``; ("rfc9000", "rfc9000") from rfc9000.txt."""
    match = FILE_NAME.match(path.stem)
    if not match:
        return path.stem, ""
    if match.group("rfc"):
        rfc = match.group("rfc").lower()
        return rfc, rfc
    return match.group("name").lower(), match.group("rev")


def load_document(path_or_revision: Any, name: str | None = None, rev: str | None = None) -> Document:
    """Read a .txt or .xml file (or a Revision's cached file) into a Document."""
    from draftscope.fetch.cache import NotRegularFileError, open_regular
    from draftscope.fetch.records import Revision

    fmt = None
    if isinstance(path_or_revision, (str, os.PathLike)):
        path = Path(path_or_revision)
    elif not isinstance(path_or_revision, Revision):
        raise TypeError(f"path_or_revision= must be a path or a Revision, got "
                        f"{type(path_or_revision).__name__} {path_or_revision!r:.40}")
    else:
        revision = path_or_revision
        if revision.path is None:
            raise ParseError(f"{revision.label}: no local file (fetch it first or drop offline=True)")
        path = Path(revision.path)
        name = name or revision.name
        rev = rev or revision.rev
        fmt = revision.format
    guessed_name, guessed_rev = name_from_path(path)
    name = name or guessed_name
    rev = rev if rev is not None else guessed_rev
    try:
        with open_regular(path) as fh:
            raw = fh.read(MAX_DOCUMENT_BYTES + 1)
    except NotRegularFileError as exc:
        raise ParseError(str(exc)) from None
    except FileNotFoundError:
        raise ParseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ParseError(f"{path}: is a directory, not a .txt or .xml file") from None
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"{path}: larger than {MAX_DOCUMENT_BYTES >> 20} MB, not a revision text "
                         "(the largest real ones are a few MB)")
    fmt = fmt or ("xml" if path.suffix.lower() == ".xml" else "txt")
    if fmt == "xml":
        from draftscope.text.xml import parse_xml

        return parse_xml(raw, name=name, rev=rev, source=str(path))
    return parse_text(raw, name=name, rev=rev)
