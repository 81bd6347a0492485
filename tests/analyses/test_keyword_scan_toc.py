"""The table of contents judged from raw lines (analyses/keyword_scan/toc.py): taken only where
it cannot change a count, and the counts equal the exact path's whether it is taken or not."""

from __future__ import annotations

import pytest

from draftscope.analyses.keyword_scan import NeedsExact, scan
from draftscope.analyses.keyword_scan.judge import _toc_heading
from draftscope.analyses.keyword_scan.passes import _FINDERS
from draftscope.analyses.keyword_scan.toc import toc_cannot_matter
from draftscope.analyses.keywords import count_keywords

QT = "draft-ietf-quic-transport"


@pytest.fixture
def qt34(corpus_dir):
    return (corpus_dir / QT / f"{QT}-34.txt").read_bytes()


def fast(raw: bytes) -> bool:
    return toc_cannot_matter(raw, 0, _toc_heading(raw, 0), _FINDERS[True])


def both(raw: bytes, handed_over: bool = False):
    """The scan equals the exact path (or, where it says only the exact path can decide, hands
    the file over, as count_file and the archive scan then do)."""
    exact = count_keywords(raw, lowercase=True)
    try:
        scanned = scan(raw, lowercase=True)
    except NeedsExact:
        assert handed_over
        return exact
    assert (scanned.counts, scanned.lowercase, scanned.boilerplate) == (exact.counts, exact.lowercase, exact.boilerplate)
    return scanned


def test_a_table_of_contents_without_phrase_words_is_judged_from_raw_lines(qt34):
    # quic-transport-34's TOC runs over 5 pages (headers and footers inside) and holds no
    # phrase word: raw lines tell that it ends at "1.  Overview" (offset 21262)
    assert _toc_heading(qt34, 0) == qt34.index(b"Table of Contents")
    assert fast(qt34)
    assert both(qt34).counts["MUST"] == 217


@pytest.mark.parametrize("edit", [
    # a phrase word in an entry: its counts must be taken out, so the window is unpaged
    (b"Stream Types and Identifiers  . . ", b"Stream Types MUST Identifiers . . "),
    (b"Stream Types and Identifiers  . . ", b"Stream Types may Identifiers  . . "),
    # a quoted phrase in an entry (a boilerplate candidate the TOC hides)
    (b"Stream Types and Identifiers  . . ", b'Stream "MUST" Identifiers   . . '),
    # the first body line glued to the heading that stops the TOC: no blank line after it
    (b"1.  Overview\n\n   QUIC is", b"1.  Overview\n   QUIC is a MUST"),
])
def test_the_raw_lines_refuse_where_the_toc_could_matter(qt34, edit):
    old, new = edit
    raw = qt34.replace(old, new, 1)
    assert raw != qt34
    assert not fast(raw)
    both(raw)


def test_a_stop_line_near_page_furniture_is_not_trusted(qt34):
    # a page break before "1.  Overview": it becomes the first text after a header line and may
    # be furniture, so the TOC is followed on to the next line that surely stops it; a phrase
    # word before that line leaves the TOC to the window
    at = qt34.index(b"\n1.  Overview") + 1
    broken = qt34[:at] + b"\fRFC 9000   QUIC Transport   May 2021\n\n" + qt34[at:]
    assert fast(broken)  # none before "1.1.  Document Structure"
    both(broken)
    raw = broken.replace(b"QUIC is a secure", b"QUIC MUST be a secure", 1)
    assert not fast(raw)
    assert both(raw).counts["MUST"] == 218


def test_another_spelling_before_the_heading_is_left_to_the_window(qt34):
    # "table of contents" cut by a form feed in a line before the heading: the exact path may
    # see a heading there, so raw lines do not decide
    raw = qt34.replace(b"Copyright Notice", b"table of contents\fCopyright Notice", 1)
    assert not fast(raw)
    both(raw, handed_over=True)
