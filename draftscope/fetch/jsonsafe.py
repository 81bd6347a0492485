"""JSON from a server or a cache file, read so that no value in it can crash us later.

``json.loads`` accepts what our code cannot carry on with: lone surrogates (``"\\ud800"``, which
make every later UTF-8 write fail), nesting deep enough to raise RecursionError, and (from a
file) non-UTF-8 bytes. :func:`loads` turns all of that into a ValueError with a short reason,
and replaces lone surrogates so the rest of a document stays usable.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64          # doc.json and tastypie pages are 4-5 levels deep
_SURROGATES = re.compile("[\ud800-\udfff]")


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH):
    """Parse ``data``; ValueError (with a reason that fits in one line) if it is not usable."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise ValueError("JSON that is not UTF-8") from None
    except ValueError as exc:
        raise ValueError(f"not JSON ({str(exc).split(':')[0]})") from None
    return clean(value, max_depth)


def clean(value, max_depth: int = MAX_DEPTH, _depth: int = 0):
    """A copy of a parsed JSON value with lone surrogates replaced; ValueError past ``max_depth``."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (list, dict)):
        if _depth >= max_depth:
            raise ValueError(f"JSON nested more than {max_depth} levels deep")
        if isinstance(value, list):
            return [clean(item, max_depth, _depth + 1) for item in value]
        return {_text(key): clean(item, max_depth, _depth + 1) for key, item in value.items()}
    return value


def _text(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:      # a lone surrogate: keep the rest of the string readable
        return _SURROGATES.sub("\ufffd", text)
