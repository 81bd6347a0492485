"""Is this a revision text? Checked before a download is cached, and on cached files.

A server can answer 200 with anything: an HTML error page, nothing, a body cut short without a
length to show it, a decompressed bomb of NULs. Cached, such a file would count 0 keywords for
ever, so it is refused with a reason instead. The checks are cheap and conservative: they look
for what a revision never is, not for everything a revision is.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path


HEAD = 4096
_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|\?xml|rfc[\s>])", re.IGNORECASE)
_FOOTER = re.compile(rb"\[Page [0-9]+\]")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")



def text_problem(data: bytes, fmt: str, *, length_known: bool = True) -> str | None:
    """Why ``data`` cannot be a ``fmt`` ("txt"/"xml") revision, or None if it may be one.

    ``length_known=False`` (a body delimited only by the connection closing) also asks a
    paginated text to end with its last page footer, the one sign left that it is complete.
    """
    if not data.strip():
        return "empty"
    head = data[:HEAD]
    unicode16 = head.startswith(_BOMS[1:])
    if not unicode16 and b"\x00" in data:
        return "binary data (NUL bytes), not text"
    if fmt == "xml":
        return _xml_problem(data)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if start.startswith(b"<") and _MARKUP.search(head):
        return "an HTML or XML page, not a plain-text draft"
    if not length_known and _FOOTER.search(data):
        tail = data[-HEAD:].rstrip().rsplit(b"\n", 1)[-1]
        if not _FOOTER.search(tail):
            return "cut short: no length was sent and it does not end with a page footer"
    return None


def _xml_problem(data: bytes) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"XML that does not parse ({' '.join(str(exc).split())[:100]})"
    except ValueError as exc:
        return f"XML that cannot be read ({exc})"
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag.lower() in ("html", "{http://www.w3.org/1999/xhtml}html"):
        return "an HTML page, not RFC XML"
    return None


def cached_problem(path: Path, fmt: str, record: dict | None = None) -> str | None:
    """Why a cached file cannot be counted (emptied, cut, replaced by a page), or None.

    Reads the first few KB; when the metadata recorded the file's size and sha256 at fetch
    time, the whole file is hashed too (an edit in place keeps the size). A FIFO, device or
    folder in its place is refused before it is read.
    """
    from draftscope.fetch.cache import NotRegularFileError, open_regular

    digest = record.get("sha256") if record else None
    try:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(HEAD)
            if isinstance(digest, str) and record.get("size") == size:
                hasher = hashlib.sha256(head)
                for block in iter(lambda: fh.read(1 << 20), b""):
                    hasher.update(block)
                if hasher.hexdigest() != digest:
                    return "changed since it was fetched (same size, another sha256)"
    except NotRegularFileError as exc:
        return str(exc).split(": ")[0].replace(f"{path} is ", "")
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if record and isinstance(record.get("size"), int) and record["size"] != size:
        return f"{size} bytes, {record['size']} when it was fetched"
    if not head.strip() and size <= HEAD:
        return "empty"
    if fmt == "txt":
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
        if start.startswith(b"<") and _MARKUP.search(head):
            return "an HTML or XML page, not a plain-text draft"
        if not head.startswith(_BOMS[1:]) and b"\x00" in head:
            return "binary data (NUL bytes), not text"
    return None
