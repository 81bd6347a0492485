"""The fast file scanner (per-revision counts of big .txt files) gives exactly what the
Document path gives, on every published text of the corpus without falling back to it, and
splits big files safely; ordinary files take the Document path directly."""

from __future__ import annotations

import mmap

import pytest

from draftscope.analyses import keyword_scan
from draftscope.analyses.keyword_scan import count_file, split_points
from draftscope.analyses.keywords import DISPLAY_ORDER, count_keywords
from draftscope.text.document import load_document

QT = "draft-ietf-quic-transport"


def all_texts(corpus_dir):
    return sorted(corpus_dir.rglob("*.txt"))


def test_same_counts_as_the_document_path_on_the_whole_corpus(corpus_dir):
    paths = all_texts(corpus_dir)
    assert len(paths) == 207
    for path in paths:
        exact = count_keywords(load_document(path), lowercase=True)
        fast = keyword_scan.scan(path.read_bytes(), lowercase=True)  # _NeedsExact would fail here
        assert (fast.counts, fast.boilerplate, fast.lowercase) == (
            exact.counts, exact.boilerplate, exact.lowercase
        ), path.name


def test_page_split_negation_seen_by_the_raw_patterns(corpus_dir):
    # -11: "it MUST" / [Page 79] / form feed / running header / "NOT subsequently ..."
    counts = count_file(corpus_dir / QT / f"{QT}-11.txt").counts
    assert (counts["MUST"], counts["MUST NOT"]) == (133, 43)


def test_big_file_split_over_processes(corpus_dir, tmp_path):
    names = [f"{QT}-{rev}.txt" for rev in ("00", "11", "14", "20", "27", "34")]
    paths = [corpus_dir / QT / name for name in names]
    big = tmp_path / "six.txt"
    big.write_bytes(b"".join(p.read_bytes() for p in paths))
    expected = dict.fromkeys(DISPLAY_ORDER, 0)
    boiler = dict.fromkeys(DISPLAY_ORDER, 0)
    for path in paths:
        one = count_file(path)
        for key in expected:
            expected[key] += one.counts[key]
            boiler[key] += one.boilerplate[key]
    with big.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        cuts = split_points(buf, 0, len(buf), 4)
    assert len(cuts) == 5 and cuts == sorted(cuts)
    split = count_file(big, workers=2, parallel_bytes=1 << 20, scan_bytes=0)
    whole = count_file(big, workers=1, scan_bytes=0)
    assert split.counts == whole.counts == expected
    assert split.boilerplate == whole.boilerplate == boiler
    assert expected["MUST"] == 60 + 133 + 151 + 170 + 206 + 217


def test_crlf_and_bom_files_read_alike(corpus_dir, tmp_path):
    original = corpus_dir / QT / f"{QT}-34.txt"
    crlf = tmp_path / f"{QT}-34.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n"))
    assert count_file(crlf, scan_bytes=0) == count_file(original, scan_bytes=0)
    assert count_file(original).counts["MUST"] == 217


def test_no_break_space_and_typographic_quotes(corpus_dir, tmp_path):
    raw = (corpus_dir / QT / f"{QT}-34.txt").read_bytes()
    base = count_keywords(load_document(corpus_dir / QT / f"{QT}-34.txt"))
    edited = tmp_path / f"{QT}-34.txt"
    # "A receiver MUST NOT" with a no-break space is still one MUST NOT
    nbsp = raw.replace(b"A receiver MUST NOT", b"A receiver MUST\xc2\xa0NOT")
    assert nbsp != raw
    edited.write_bytes(nbsp)
    assert count_file(edited, scan_bytes=0).counts == count_keywords(load_document(edited)).counts == base.counts
    # the boilerplate with typographic quotes is still the boilerplate
    curly = raw.replace(b'"MUST", "MUST NOT", "REQUIRED"', "\u201cMUST\u201d, \u201cMUST NOT\u201d, \u201cREQUIRED\u201d".encode())
    assert curly != raw
    edited.write_bytes(curly)
    fast, exact = count_file(edited, scan_bytes=0), count_keywords(load_document(edited))
    assert (fast.counts, fast.boilerplate) == (exact.counts, exact.boilerplate) == (base.counts, base.boilerplate)


def test_unreadable_file_is_a_parse_error(tmp_path):
    from draftscope.errors import ParseError

    with pytest.raises(ParseError, match="cannot read"):
        count_file(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert count_file(empty).total == 0


def test_counts_never_depend_on_the_number_of_workers(corpus_dir, tmp_path):
    # issue 13: quic-transport-34 and a copy with MUST in a table-of-contents line and in its
    # running headers, repeated: 1 and 3 processes counted MUST 22185, 2 processes 22184, as a
    # part that fell back ran the whole-document rules (its own table of contents) on a fragment.
    # A part that needs the exact rules now sends the whole file there.
    raw = (corpus_dir / QT / f"{QT}-34.txt").read_bytes()
    line = b"   1.  Overview  . . . . . . . . . . . . . . . . . . . . . . . . . .   7"
    copy = raw.replace(line, b"   1.  MUST Overview  . . . . . . . . . . . . . . . . . . . . . .   7")
    copy = copy.replace(b"QUIC Transport Protocol  ", b"QUIC MUST Protocol       ")
    assert copy.count(b"QUIC MUST Protocol") == 206 and copy.count(b"MUST Overview") == 1
    big = tmp_path / "pairs.txt"
    big.write_bytes((raw + copy) * 3)
    exact = count_keywords(load_document(big)).counts
    # the first TOC is skipped, the copies' TOC lines count (3 x 217 x 2 + 3 in the copies' TOCs)
    assert exact["MUST"] == 3 * (2 * 217 + 1)
    for workers in (1, 2, 3):
        assert count_file(big, workers=workers, parallel_bytes=1 << 20, scan_bytes=0).counts == exact, workers
    with big.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        assert len(split_points(buf, 0, len(buf), 3)) == 4
        with pytest.raises(keyword_scan._NeedsExact, match="running header"):
            keyword_scan.scan(buf, parts=2)
