"""The fast scanner's own machinery, on real drafts: the three letter passes and the quoted
phrases they report, NOT before RECOMMENDED, running headers counted as the exact path counts
them, phrase words in page furniture and typographic quotes sending the file to the exact path,
and the table of contents found once per file and skipped wherever a split puts it. Each case
also equals the exact Document path. (tests/analyses/test_keywords_scan.py checks the whole corpus,
tests/analyses/test_keywords_differential.py generated texts.)"""

from __future__ import annotations

import mmap

import re

import pytest

from draftscope.analyses import keyword_scan
from draftscope.analyses.keyword_scan import count_file, split_points
from draftscope.analyses.keywords import LOWERCASE, count_keywords
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
        counts, quoted, gaps = keyword_scan._scan(buf, 0, len(buf))
        starts = [bytes(buf[q : q + 12]) for q in quoted]
    # the 11 quoted phrases of the RFC 8174 boilerplate (lines 182-184), in order, and no other
    assert len(quoted) == 11 and gaps == []
    assert starts[0].startswith(b'"MUST", ') and starts[1].startswith(b'"MUST NOT"')
    assert starts[8].startswith(b'"NOT RECOMME') and starts[10].startswith(b'"OPTIONAL"')
    # raw counts include the boilerplate (and the table of contents, which holds none here)
    assert counts == {k: v + 1 for k, v in QT34_COUNTS.items()}
    result = count_file(qt34, scan_bytes=0)
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


def test_page_tops_counted_as_the_exact_path_counts_them(corpus_dir, qt34):
    from collections import Counter

    from draftscope.text.document import decode_text
    from draftscope.text.published import find_breaks, normal_line, page_cuts

    def scanned(path):
        handle, buf = mapped(path)
        with handle, buf:
            part = keyword_scan._Part(*keyword_scan._scan(buf, 0, len(buf))[:1], None, [], [])
            keyword_scan._page_furniture(buf, 0, len(buf), False, part)
        return part

    part = scanned(qt34)
    assert part.tops == {b"Internet-Draft QUIC Transport Protocol January 2021": 206} and part.form_feeds == 206
    # on every text: the top-of-page lines of every form feed, as many times as unpage sees them
    for path in sorted(corpus_dir.rglob("*.txt")):
        text = decode_text(path.read_bytes())
        cuts = [cut for cut in page_cuts(text) if text[cut[0] : cut[1]] == "\f"]
        breaks = find_breaks(text, page_cuts(text))[: len(cuts)]
        expected = Counter(normal_line(text[a:b]) for brk in breaks for a, b in brk.tops)
        part = scanned(path)
        tops = Counter({key.decode("utf-8"): n for key, n in part.tops.items()})
        assert (tops, part.form_feeds) == (expected, len(cuts)), path.name


def test_phrase_in_a_running_header_takes_the_exact_path(qt34, tmp_path):
    raw = qt34.read_bytes()
    edited = tmp_path / qt34.name
    edited.write_bytes(raw.replace(b"QUIC Transport Protocol  ", b"QUIC MUST Protocol       "))
    assert raw.count(b"QUIC MUST Protocol") == 0
    assert edited.read_bytes().count(b"QUIC MUST Protocol") == 206  # after each of the 206 form feeds
    handle, buf = mapped(edited)
    with handle, buf, pytest.raises(keyword_scan._NeedsExact, match="running header"):
        keyword_scan.scan(buf)
    fast = count_file(edited, scan_bytes=0)
    assert fast.counts == exact(edited).counts == QT34_COUNTS  # headers are furniture


def test_phrase_on_a_footer_line_is_refused(qt34, tmp_path):
    raw = qt34.read_bytes()
    footer = b"Iyengar & Thomson         Expires 19 July 2021                  [Page 7]"  # line 392
    assert raw.count(footer) == 1
    edited = tmp_path / qt34.name
    edited.write_bytes(raw.replace(footer, footer.replace(b"&", b"MUST")))
    handle, buf = mapped(edited)
    with handle, buf, pytest.raises(keyword_scan._NeedsExact, match="footer"):
        keyword_scan.scan(buf)
    assert count_file(edited, scan_bytes=0).counts == exact(edited).counts == QT34_COUNTS


def test_footer_lines_compared_without_their_digits_still_see_every_word(qt34, tmp_path):
    # footers are compared with the last one without their digits (the page number): a word
    # that only the digits hide ("9MUST" is no phrase) is not refused, a real one still is
    raw = qt34.read_bytes()
    footer = b"Iyengar & Thomson         Expires 19 July 2021                  [Page 7]"
    joined = tmp_path / "joined" / qt34.name
    joined.parent.mkdir()
    joined.write_bytes(raw.replace(footer, footer.replace(b"& ", b"9MUST")))
    handle, buf = mapped(joined)
    with handle, buf:
        assert keyword_scan.scan(buf).counts == QT34_COUNTS
    late = tmp_path / "late" / qt34.name
    late.parent.mkdir()
    last = b"Iyengar & Thomson         Expires 19 July 2021                [Page 206]"
    assert raw.count(last) == 1  # a late footer, after 204 that differ from it in digits only
    late.write_bytes(raw.replace(last, last.replace(b"19 July", b"MAY 19")))
    handle, buf = mapped(late)
    with handle, buf, pytest.raises(keyword_scan._NeedsExact, match="footer"):
        keyword_scan.scan(buf)
    assert count_file(late, scan_bytes=0).counts == exact(late).counts == QT34_COUNTS


def test_cp1252_typographic_quotes_take_the_exact_path(qt34, tmp_path):
    raw = qt34.read_bytes()
    # cp1252 curly quotes (0x93 0x94) make the file non-UTF-8: the exact path reads it as cp1252
    curly = raw.replace(b'"MUST", "MUST NOT"', b"\x93MUST\x94, \x93MUST NOT\x94")
    assert curly != raw
    edited = tmp_path / qt34.name
    edited.write_bytes(curly)
    handle, buf = mapped(edited)
    with handle, buf, pytest.raises(keyword_scan._NeedsExact, match="typographic"):
        keyword_scan._scan(buf, 0, len(buf))
    fast, slow = count_file(edited, scan_bytes=0), exact(edited)
    assert (fast.counts, fast.boilerplate) == (slow.counts, slow.boilerplate)
    assert fast.counts == QT34_COUNTS and fast.boilerplate["MUST NOT"] == 1


def test_toc_window_grows_until_the_contents_end_inside(qt34, monkeypatch):
    raw = qt34.read_bytes()
    # lines 82-371: from "Table of Contents" to "Authors' Addresses ... 207"
    assert keyword_scan._toc_heading(raw, 0) == 3188
    whole = keyword_scan.scan(raw)
    monkeypatch.setattr(keyword_scan.judge, "_TOC_WINDOW", 1024)  # 18 KB of contents: grown 3 times
    assert keyword_scan.scan(raw) == whole
    assert whole.counts == QT34_COUNTS


def test_toc_in_a_later_part_of_a_split_file(corpus_dir, qt34, tmp_path):
    # five copies of RFC 2544 (no table of contents, 333 KB) then quic-transport-34: the TOC
    # heading lies past the first 256 KB and, cut in three, in the second part (a child process)
    rfc2544 = corpus_dir / "rfc" / "rfc2544.txt"
    big = tmp_path / "late-toc.txt"
    big.write_bytes(rfc2544.read_bytes() * 5 + qt34.read_bytes())
    handle, buf = mapped(big)
    with handle, buf:
        heading = keyword_scan._toc_heading(buf, 0)
        cuts = split_points(buf, 0, len(buf), 3)
    assert heading == 336628 and cuts[1] <= heading < cuts[2]
    split = count_file(big, workers=3, parallel_bytes=1 << 16, scan_bytes=0)
    assert split == count_file(big, workers=1, scan_bytes=0)
    assert split.counts == exact(big).counts
    assert split.counts["MUST"] == 5 * 24 + 217 and split.counts["SHOULD"] == 5 * 81 + 108


def test_a_toc_heading_in_another_spelling_is_found_first(qt34):
    # the exact path takes the first heading whatever its case; the scanner finds the common
    # spellings fast, then looks for any other before them
    raw = qt34.read_bytes().replace(b"Table of Contents", b"TABLE of contents", 1)
    assert keyword_scan._toc_heading(raw, 0) == 3188
    assert keyword_scan.scan(raw).counts == count_keywords(raw).counts == QT34_COUNTS


def test_lowercase_passes_count_as_the_exact_pattern(corpus_dir):
    """The scanner's literal-led lowercase passes (bytes and text) find what the exact path's
    one alternation finds, on corpus texts and on words at every kind of edge."""
    from draftscope.analyses.bcp14 import text_patterns
    from draftscope.analyses.keyword_scan.passes import _sort_hits, word_hits

    def _lowercase_counts(raw, end, hits):  # what the scan's one walk over the hits counts
        lower = [0] * len(LOWERCASE)
        _sort_hits(raw, end, hits, lower)
        return dict(zip(LOWERCASE, lower))
    from draftscope.analyses.keywords import tally_lowercase as fast

    rule = text_patterns().lowercase  # the rule as one alternation

    def exact(text, pos=0, endpos=None):
        found = dict.fromkeys(LOWERCASE, 0)
        for word in rule.findall(text, pos, len(text) if endpos is None else endpos):
            found[word] += 1
        return found

    edges = "must\nmust-have may_be shall. \u00e9should optional2 (required) recommended\u00a0mayor must"
    # every fifth corpus text (the byte passes meet all of them in the scan tests)
    texts = [edges] + [p.read_text(encoding="latin-1") for p in sorted(corpus_dir.rglob("*.txt"))[::5]]
    for text in texts:
        assert fast(text) == exact(text)
        assert fast(text, 7, len(text) // 2) == exact(text, 7, len(text) // 2)
        raw = text.encode("latin-1", "replace")
        assert _lowercase_counts(raw, len(raw), word_hits(raw, 0, len(raw))) == exact(raw.decode("latin-1"))
        # a part of the text: words starting in it, whole as a pattern searched in it sees them
        lo, hi = 7, len(raw) // 2
        part = _lowercase_counts(raw, hi, word_hits(raw, lo, hi))
        assert part == {w: len(re.compile(rf"(?<![A-Za-z0-9_\-]){w}(?![A-Za-z0-9_\-])".encode()).findall(raw, lo, hi))
                        for w in part}
    assert exact(edges) == {"must": 2, "should": 1, "may": 0, "shall": 1, "required": 1,
                            "recommended": 1, "optional": 0}


def test_no_word_overlaps_another():
    """The one automaton pass reports leftmost, non-overlapping matches: that is every
    occurrence of every word only if no word can overlap another (a suffix of one being a
    prefix of another, or one inside another). Adding a word that breaks this must fail here."""
    from draftscope.analyses.keyword_scan.passes import _HIT_WORDS

    for a in _HIT_WORDS:
        for b in _HIT_WORDS:
            assert a == b or a not in b, (a, b)
            assert not any(a.endswith(b[:n]) for n in range(1, min(len(a), len(b)))), (a, b)



def _searched(buf, start, end):
    """The scan as it was before the automaton: each letter pass found by its own search
    (finditer), the reference the automaton-driven scan must equal."""
    from draftscope.analyses.keywords import zero_counts
    from draftscope.analyses.keyword_scan.passes import _PASSES, _look_at

    counts, quoted, gaps = zero_counts(), [], []
    for rx, table, looked_at in _PASSES:
        special = []
        for m in rx.finditer(buf, start, end):
            if looked_at[m.lastindex]:
                special.append(m)
            else:
                counts[table[m.lastindex][0]] += 1
        _look_at(buf, table, special, counts, quoted, gaps)
    return counts, sorted(quoted), gaps


EDGES = (b'MUST be "MUST NOT" MUST\nNOT (MAY) xMUST MUSTx MUST-NOT SHALL NOT, SHOULD  NOT\n'
         b'NOT RECOMMENDED RECOMMENDED "OPTIONAL" REQUIRED. MAY NOT SHOULD\n\n   NOT\f\nMUST '
         b'(MUST be) SHOULD NOTE SHALL NOT_ MUST NOT- MUST N MAY\tbe MUST be" [MAY be]\nMUST nOT')


@pytest.mark.parametrize("parts", [1, 4])
def test_automaton_scan_equals_the_letter_passes_searched(corpus_dir, parts):
    """The automaton finds the words and tries each where its letter pass would, or counts it
    plainly; either way the result equals each pass searched with finditer: on corpus texts cut
    anywhere (not only at paragraphs) and on crafted edges (quotes, NOT across lines and
    furniture, words glued to others, a word alone at a part's end)."""
    from draftscope.analyses.keyword_scan.passes import _part_hits, _scan

    texts = [EDGES, EDGES[:-4]] + [p.read_bytes() for p in sorted(corpus_dir.rglob("*.txt"))[::6]]
    checked = 0
    for buf in texts:
        cuts = [0] + [len(buf) * i // parts + i for i in range(1, parts)] + [len(buf)]
        for start, end in zip(cuts, cuts[1:]):
            try:
                expected = _searched(buf, start, end)
            except keyword_scan._NeedsExact as exc:
                with pytest.raises(keyword_scan._NeedsExact, match=str(exc)):
                    _scan(buf, start, end)
                continue
            assert _scan(buf, start, end) == expected, (len(buf), start, end)
            # as _count_part scans: the part's hits counted from where its search starts
            hits, base = _part_hits(buf, start, end, False)
            assert _scan(buf, start, end, hits, None, base) == expected, (len(buf), start, end)
            checked += 1
    assert checked >= 30
    counts = _scan(EDGES, 0, len(EDGES))[0]
    assert (counts["MUST"], counts["MUST NOT"], counts["SHOULD NOT"], counts["NOT RECOMMENDED"]) == (7, 2, 2, 1)


def test_an_empty_page_inside_a_run_of_repeated_pages(qt34, tmp_path):
    """Pages that repeat the last page break (footer but for its page number, top byte for
    byte) are taken as a run, each page's body checked at the next form feed: an empty page
    (top, blank lines, footer) in the middle of such a run, after a page ending in a first word,
    still sends the file to the exact path, and after any other page is counted as furniture."""
    raw = qt34.read_bytes()
    footer = b"Iyengar & Thomson         Expires 19 July 2021                 [Page 50]\n\f"
    at = raw.index(footer) + len(footer)
    top = raw[at : raw.index(b"\n\n", at) + 2]
    assert top == b"\nInternet-Draft           QUIC Transport Protocol            January 2021\n\n"
    empty = top + b"\n" * 50 + footer  # a page of furniture only, its footer a repeat
    plain = tmp_path / "plain" / qt34.name
    plain.parent.mkdir()
    plain.write_bytes(raw[:at] + empty + raw[at:])
    handle, buf = mapped(plain)
    with handle, buf:
        part = keyword_scan._Part({}, None, [], [])
        keyword_scan._page_furniture(buf, 0, len(buf), False, part)
        assert part.form_feeds == 207 and sum(part.tops.values()) == 207
        assert keyword_scan.scan(buf).counts == QT34_COUNTS
    # "the client\n" ends page 50 and "MUST send" opens page 51: make it "MUST" / "NOT send",
    # a phrase across the empty page
    spanning = tmp_path / "spanning" / qt34.name
    spanning.parent.mkdir()
    edited = raw[:at] + empty + raw[at:].replace(b"\n   MUST send an Initial", b"\n   NOT send an Initial", 1)
    edited = edited.replace(b"Specifically, the client\n\n\n\nIyengar", b"Specifically, the MUST\n\n\n\nIyengar", 1)
    spanning.write_bytes(edited)
    handle, buf = mapped(spanning)
    with handle, buf, pytest.raises(keyword_scan._NeedsExact, match="page without body text"):
        keyword_scan.scan(buf)
    fast = count_file(spanning, scan_bytes=0)
    assert fast.counts == exact(spanning).counts
    assert (fast.counts["MUST"], fast.counts["MUST NOT"]) == (QT34_COUNTS["MUST"] - 1, QT34_COUNTS["MUST NOT"] + 1)


def test_the_collector_paused_while_counting_is_as_it_was_after(qt34, tmp_path):
    """The scanner pauses the cyclic garbage collector while it counts (its hits are many
    acyclic tuples); after a count, and after a refusal that sends the file to the exact path,
    the collector is as the caller had it."""
    import gc

    refused = tmp_path / qt34.name
    refused.write_bytes(qt34.read_bytes().replace(b"\n", b"\r\n"))  # carriage returns: refused
    assert gc.isenabled()
    for path in (qt34, refused):
        assert count_file(path, scan_bytes=0).counts == QT34_COUNTS
        assert gc.isenabled()
    handle, buf = mapped(qt34)
    with handle, buf:
        part = keyword_scan._count_part(buf, 0, len(buf), False)
        assert part.counts["MUST"] == QT34_COUNTS["MUST"] + 1 and gc.isenabled()  # + the boilerplate's
        gc.disable()
        try:
            keyword_scan.scan(buf)
            assert not gc.isenabled()
        finally:
            gc.enable()
