"""The fast scanner's own machinery, on real drafts: the three letter passes and the quoted
phrases they report, NOT before RECOMMENDED, running headers found by memchr, footers refused by
the patterns, typographic quotes, and the table of contents found once per file and skipped by
whichever part of a split file holds it. Each case also equals the exact Document path.
(tests/test_keywords_scan.py checks the whole corpus.)"""

from __future__ import annotations

import mmap

import pytest

from draftscope.analyses import keyword_scan
from draftscope.analyses.keyword_scan import count_file, split_points
from draftscope.analyses.keywords import count_keywords
from draftscope.text.document import load_document

QT = "draft-ietf-quic-transport"
QT34_COUNTS = {
    "MUST": 217, "MUST NOT": 89, "REQUIRED": 0, "SHALL": 4, "SHALL NOT": 0, "SHOULD": 108,
    "SHOULD NOT": 13, "RECOMMENDED": 2, "NOT RECOMMENDED": 0, "MAY": 120, "OPTIONAL": 1,
}


def mapped(path):
    handle = path.open("rb")
    return handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def exact(path, lowercase=False):
    return count_keywords(load_document(path), lowercase=lowercase)


@pytest.fixture
def qt34(corpus_dir):
    return corpus_dir / QT / f"{QT}-34.txt"


def test_letter_passes_report_the_quoted_boilerplate_phrases(qt34):
    handle, buf = mapped(qt34)
    with handle, buf:
        counts, quoted = keyword_scan._scan(buf, 0, len(buf))
        starts = [bytes(buf[q : q + 12]) for q in quoted]
    # the 11 quoted phrases of the RFC 8174 boilerplate (lines 182-184), in order, and no other
    assert len(quoted) == 11
    assert starts[0].startswith(b'"MUST", ') and starts[1].startswith(b'"MUST NOT"')
    assert starts[8].startswith(b'"NOT RECOMME') and starts[10].startswith(b'"OPTIONAL"')
    # raw counts include the boilerplate (and the table of contents, which holds none here)
    assert counts == {k: v + 1 for k, v in QT34_COUNTS.items()}
    result = count_file(qt34)
    assert result.counts == QT34_COUNTS == exact(qt34).counts
    assert result.boilerplate == dict.fromkeys(QT34_COUNTS, 1)


def test_not_recommended_outside_the_boilerplate(corpus_dir):
    # RFC 6335 lines 1172-1173 "... application is NOT RECOMMENDED." and 1214-1215 (the NOT
    # opening its line); RECOMMENDED alone on lines 388, 1139, 1167
    rfc6335 = corpus_dir / "rfc" / "rfc6335.txt"
    fast = count_file(rfc6335)
    assert (fast.counts["NOT RECOMMENDED"], fast.counts["RECOMMENDED"]) == (2, 3)
    assert fast.counts == exact(rfc6335).counts
    # RFC 8155 line 606: "Fallback to clear text is NOT RECOMMENDED"
    rfc8155 = corpus_dir / "rfc" / "rfc8155.txt"
    assert count_file(rfc8155).counts["NOT RECOMMENDED"] == 1 == exact(rfc8155).counts["NOT RECOMMENDED"]


def test_running_headers_cover_every_page_top(corpus_dir, qt34):
    handle, buf = mapped(qt34)
    with handle, buf:
        headers = keyword_scan._running_headers(buf, 0, len(buf))
    assert headers == {b"Internet-Draft           QUIC Transport Protocol            January 2021\n"}
    # on every text: at least the page tops the one-regex-pass scan saw (a page top that runs
    # into the next form feed counts twice, which can only send a file to the exact path)
    for path in sorted(corpus_dir.rglob("*.txt")):
        handle, buf = mapped(path)
        with handle, buf:
            fast = keyword_scan._running_headers(buf, 0, len(buf))
            assert fast >= set(keyword_scan._HEADER_AFTER_FF.findall(buf)), path.name


def test_phrase_in_a_running_header_takes_the_exact_path(qt34, tmp_path):
    raw = qt34.read_bytes()
    edited = tmp_path / qt34.name
    edited.write_bytes(raw.replace(b"QUIC Transport Protocol  ", b"QUIC MUST Protocol       "))
    assert raw.count(b"QUIC MUST Protocol") == 0
    assert edited.read_bytes().count(b"QUIC MUST Protocol") == 206  # after each of the 206 form feeds
    fast = count_file(edited)
    assert fast.counts == exact(edited).counts == QT34_COUNTS  # headers are furniture


def test_phrase_on_a_footer_line_is_refused(qt34, tmp_path):
    raw = qt34.read_bytes()
    footer = b"Iyengar & Thomson         Expires 19 July 2021                  [Page 7]"  # line 392
    assert raw.count(footer) == 1
    edited = tmp_path / qt34.name
    edited.write_bytes(raw.replace(footer, footer.replace(b"&", b"MUST")))
    assert count_file(edited).counts == exact(edited).counts == QT34_COUNTS


def test_cp1252_typographic_quotes_take_the_exact_path(qt34, tmp_path):
    raw = qt34.read_bytes()
    # cp1252 curly quotes (0x93 0x94) make the file non-UTF-8: the exact path reads it as cp1252
    curly = raw.replace(b'"MUST", "MUST NOT"', b"\x93MUST\x94, \x93MUST NOT\x94")
    assert curly != raw
    edited = tmp_path / qt34.name
    edited.write_bytes(curly)
    handle, buf = mapped(edited)
    with handle, buf, pytest.raises(keyword_scan._TypographicQuote):
        keyword_scan._scan(buf, 0, len(buf))
    fast, slow = count_file(edited), exact(edited)
    assert (fast.counts, fast.boilerplate) == (slow.counts, slow.boilerplate)
    assert fast.counts == QT34_COUNTS and fast.boilerplate["MUST NOT"] == 1


def test_toc_window_grows_until_the_contents_end_inside(qt34, monkeypatch):
    handle, buf = mapped(qt34)
    with handle, buf:
        heading = keyword_scan._toc_heading(buf)
        whole = keyword_scan._toc(buf, heading)
        monkeypatch.setattr(keyword_scan, "_TOC_WINDOW", 1024)  # 18 KB of contents: grown 3 times
        grown = keyword_scan._toc(buf, heading)
    assert grown == whole
    # lines 82-371: from "Table of Contents" to "Authors' Addresses ... 207"
    assert (whole[0], whole[1]) == (3188, 21261)
    assert count_file(qt34).counts == QT34_COUNTS


def test_toc_in_a_later_part_of_a_split_file(corpus_dir, qt34, tmp_path):
    # five copies of RFC 2544 (no table of contents, 333 KB) then quic-transport-34: the TOC
    # heading lies past the first 256 KB and, cut in three, in the second part (a child process)
    rfc2544 = corpus_dir / "rfc" / "rfc2544.txt"
    big = tmp_path / "late-toc.txt"
    big.write_bytes(rfc2544.read_bytes() * 5 + qt34.read_bytes())
    handle, buf = mapped(big)
    with handle, buf:
        heading = keyword_scan._toc_heading(buf)
        cuts = split_points(buf, 0, len(buf), 3)
    assert heading == 336628 and cuts[1] <= heading < cuts[2]
    split = count_file(big, workers=3, parallel_bytes=1 << 16)
    assert split == count_file(big, workers=1)
    assert split.counts == exact(big).counts
    assert split.counts["MUST"] == 5 * 24 + 217 and split.counts["SHOULD"] == 5 * 81 + 108
