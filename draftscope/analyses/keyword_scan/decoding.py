"""Pieces of a mapped file decoded as the exact path decodes the whole file (the file's
encoding found once, in chunks, only when a piece is not ASCII)."""

from __future__ import annotations

import codecs


_ENCODINGS: dict[int, str] = {}


def _decode_piece(buf, raw: bytes) -> str:
    """A piece of the file (cut at a line start or a form feed) as the exact path decodes it."""
    if raw.isascii():
        return raw.decode("latin-1")
    from draftscope.text.document import decode_as

    return decode_as(raw, _file_encoding(buf))


def _encode_as(text: str, encoding: str) -> bytes:
    """The bytes ``text`` was decoded from (see :func:`draftscope.text.document.decode_as`)."""
    if encoding in ("latin-1", "cp1252"):
        return text.translate(_LATIN1_FROM_CP1252).encode("latin-1")
    return text.encode("utf-8")


def _cp1252_table() -> dict[int, int]:
    from draftscope.text.document import _CP1252_FROM_LATIN1

    return {ord(char): byte for byte, char in _CP1252_FROM_LATIN1.items()}


_LATIN1_FROM_CP1252 = _cp1252_table()


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _file_encoding(buf) -> str:
    """The file's encoding as :func:`draftscope.text.document.text_encoding` finds it; read in
    chunks (never a copy of the whole file), once per mapping, only when a piece is not ASCII."""
    from draftscope.text.document import CP1252, UTF8, UTF8_BOM, UTF16

    key = id(buf)
    if key in _ENCODINGS:
        return _ENCODINGS[key]
    if buf[:3] == codecs.BOM_UTF8:
        encoding = UTF8_BOM
    elif buf[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = UTF16
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
        encoding = UTF8
        try:
            step = 1 << 22
            for i in range(0, len(buf), step):
                decoder.decode(buf[i : i + step])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = CP1252
    _ENCODINGS.clear()
    _ENCODINGS[key] = encoding
    return encoding
