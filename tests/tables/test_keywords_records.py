"""keyword_records on published text: a file below the scanner's threshold is counted by the
exact path without importing the scanner (start-up), one at or above it by the scanner; the
counts are the exact path's either side of the threshold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from draftscope.analyses import keyword_scan
from draftscope.analyses.keywords import DISPLAY_ORDER, count_keywords
from draftscope.errors import ParseError
from draftscope.fetch.records import Revision
from draftscope.tables.keywords import EXACT_BELOW_BYTES, keyword_records

QT = "draft-ietf-quic-transport"


def _counts(path: Path) -> dict[str, int]:
    rows = keyword_records([Revision(path.stem, "", None, path, "txt")], workers=1)
    return {row["keyword"]: row["count"] for row in rows}


def test_the_threshold_is_the_scanners():
    assert EXACT_BELOW_BYTES == keyword_scan.SCAN_BYTES


def test_counts_are_the_exact_paths_either_side_of_the_threshold(corpus_dir, tmp_path):
    revisions = sorted((corpus_dir / QT).glob(f"{QT}-*.txt"))
    text = b"".join(path.read_bytes() for path in revisions)
    assert len(text) > EXACT_BELOW_BYTES
    for size in (EXACT_BELOW_BYTES - 1, EXACT_BELOW_BYTES):
        path = tmp_path / f"cut-{size}.txt"
        path.write_bytes(text[:size])
        exact = count_keywords(text[:size])
        counts = _counts(path)
        assert counts == {p: exact.counts[p] for p in DISPLAY_ORDER}
        assert counts["MUST"] > 500      # the first revisions of QUIC's transport draft


def test_a_small_file_does_not_load_the_scanner(corpus_dir):
    rfc = corpus_dir / "rfc" / "rfc768.txt"
    code = ("import sys; from draftscope.cli import main; "
            f"main(['keywords', {str(rfc)!r}, '-q', '--format', 'csv']); "
            "print('draftscope.analyses.keyword_scan' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stderr.strip() == "False"
    assert "rfc768,rfc768,,MUST,0" in result.stdout.splitlines()


def test_an_unreadable_file_is_still_the_scanners_error(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        _counts(tmp_path / "missing.txt")
