"""The text stage on real corpus drafts: furniture removal, line map, sections, TOC, decoding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from draftscope.errors import ParseError
from draftscope.text.document import Section, decode_text, load_document, name_from_path, parse_text
from draftscope.text.published import FOOTER

QT = "draft-ietf-quic-transport"


def qt(corpus_dir, rev, ext="txt"):
    return corpus_dir / QT / f"{QT}-{rev}.{ext}"


@pytest.fixture(scope="module")
def doc14(corpus_dir):
    return load_document(qt(corpus_dir, "14"))


@pytest.fixture(scope="module")
def doc34(corpus_dir):
    return load_document(qt(corpus_dir, "34"))


def test_name_and_rev_from_file_name(doc14):
    assert (doc14.name, doc14.rev, doc14.format) == (QT, "14", "txt")
    assert name_from_path(Path(f"{QT}-07.txt")) == (QT, "07")
    assert name_from_path(Path("RFC9000.txt")) == ("rfc9000", "rfc9000")
    assert name_from_path(Path("notes.txt")) == ("notes", "")


def test_page_furniture_is_gone(doc14):
    assert not any("\f" in line for line in doc14.lines)
    assert not any(FOOTER.search(line) for line in doc14.lines)
    # the running header "Internet-Draft   QUIC Transport Protocol   June 2018" of pages 2..
    assert not any(re.match(r"Internet-Draft\s+QUIC Transport Protocol", line) for line in doc14.lines)
    # -14 has 7184 source lines; 5951 remain
    assert (len(doc14.lines), doc14.line_numbers[-1]) == (5951, 7184)


def test_paragraph_broken_by_a_page_break_reads_on(doc14):
    # source lines 1340 and 1349 of -14 sit either side of "[Page 24]", a form feed and a header
    i = doc14.lines.index("   be sent with Initial encryption keys and ACKed in packets which are")
    assert doc14.lines[i + 1] == "   also Initial packets.  Similarly, Handshake packets can only be sent"
    assert doc14.line_numbers[i : i + 2] == [1340, 1349]
    assert doc14.section_at(i) == Section("4.11", "Packet Numbers", 1098)


def test_page_that_ended_early_keeps_a_paragraph_gap(doc14):
    # -14 line 3340 ends a page early ("...following layout:"), the diagram starts the next page
    i = doc14.line_numbers.index(3340)
    assert doc14.lines[i] == "   packet in the following layout:"
    assert doc14.lines[i + 1] == ""
    assert doc14.lines[i + 2].startswith("    0                   1                   2")


def test_pages_without_form_feeds_split_at_footers(corpus_dir, doc14):
    # the same published text with its form feeds stripped reads the same
    stripped = parse_text(qt(corpus_dir, "14").read_text().replace("\f", ""))
    assert stripped.lines == doc14.lines and stripped.line_numbers == doc14.line_numbers


def test_sections_as_printed_with_appendices(doc34):
    by_number = {s.number: s for s in doc34.sections if s.number}
    assert by_number["1.2"].title == "Terms and Definitions"
    assert by_number["17.2.1"].title == "Version Negotiation Packet"
    assert by_number["17.3.1"].title == "1-RTT Packet"  # a title that starts with a digit
    assert by_number["A"].title == "Pseudocode"
    assert by_number["A.1"].title == "Sample Variable-Length Integer Decoding"
    assert by_number["B.34"].title == "Since draft-hamilton-quic-transport-protocol-01"
    assert doc34.line_numbers[by_number["A.1"].start] == 10104
    assert doc34.sections[0] == Section("", "front matter", 0)
    assert doc34.sections[1].title == "Abstract"
    assert doc34.sections[-1].title == "Authors' Addresses"
    # headings appear once each: the table of contents was skipped
    numbers = [s.number for s in doc34.sections if s.number]
    assert len(numbers) == len(set(numbers)) == 247  # 245 "N.N." + 2 "Appendix X."


def test_repeated_heading_is_one_section(corpus_dir):
    # qpack-13 prints "Appendix A.  Static Table" again (source line 2021) as its table runs on
    doc = load_document(corpus_dir / "draft-ietf-quic-qpack" / "draft-ietf-quic-qpack-13.txt")
    appendix = [s for s in doc.sections if s.number == "A"]
    assert len(appendix) == 1 and doc.line_numbers[appendix[0].start] == 1597
    assert doc.section_at(doc.line_numbers.index(2021)).number == "A"


def test_table_of_contents_is_found_and_skipped(doc34):
    toc = doc34.toc
    assert toc is not None
    assert doc34.lines[toc.start] == "Table of Contents"
    assert doc34.line_numbers[toc.start] == 82 and doc34.line_numbers[toc.stop - 1] == 360
    assert doc34.lines[toc.stop - 1].startswith("   Authors' Addresses  . . .")
    assert doc34.section_at(toc.start).title == "front matter"
    assert all(not (toc.start <= s.start < toc.stop) or s.title == "front matter" for s in doc34.sections)


def test_section_at_bounds(doc34):
    assert doc34.section_at(20).title == "Abstract"
    with pytest.raises(IndexError):
        doc34.section_at(len(doc34.lines))


def test_unpaginated_rfc_and_bom(corpus_dir):
    rfc = load_document(corpus_dir / "rfc" / "rfc9221.txt")  # UTF-8 with a BOM, no pages
    assert (rfc.name, rfc.rev) == ("rfc9221", "rfc9221")
    assert rfc.lines[4].startswith("Internet Engineering Task Force (IETF)")
    assert rfc.line_numbers[:5] == [1, 2, 3, 4, 5]


def test_old_rfc_two_line_running_headers(corpus_dir):
    rfc791 = load_document(corpus_dir / "rfc" / "rfc791.txt")
    assert "September 1981" not in {line.strip() for line in rfc791.lines[100:]}
    assert [s.label for s in rfc791.sections if s.number.startswith(("A", "B"))] == [
        "A Examples & Scenarios",
        "B Data Transmission Order",
    ]


def test_odd_encodings_read_alike(corpus_dir):
    raw = (corpus_dir / "draft-eggert-tcpm-rfc8312bis" / "draft-eggert-tcpm-rfc8312bis-01.txt").read_bytes()
    reference = parse_text(raw)
    text = raw.decode("utf-8")
    assert "β__(cubic)_" in reference.text
    crlf = parse_text(text.replace("\n", "\r\n").encode("utf-8"))
    bom = parse_text(b"\xef\xbb\xbf" + raw)
    latin = parse_text(text.replace("β", "ß").replace("α", "é").encode("cp1252"))
    assert crlf.lines == reference.lines == bom.lines
    assert latin.line_numbers == reference.line_numbers
    assert "ß__(cubic)_" in latin.text
    assert decode_text(b"\x93MUST\x94 \x81") == "\u201cMUST\u201d \x81"


def test_xml_sections_match_published_text(corpus_dir):
    for rev in ("14", "34"):
        txt = load_document(qt(corpus_dir, rev))
        xml = load_document(qt(corpus_dir, rev, "xml"))
        assert xml.format == "xml" and xml.xml is not None and xml.xml.tag == "rfc"
        assert [(s.number, s.title) for s in xml.sections if s.title != "front matter"] == [
            (s.number, s.title) for s in txt.sections if s.title != "front matter"
        ]


def test_xml_lines_and_safe_parsing(corpus_dir, tmp_path):
    doc = load_document(qt(corpus_dir, "34", "xml"))
    # &nbsp; (undeclared: the DTD is never loaded) reads as a space
    assert any("described in BCP 14 [RFC2119] [RFC8174] when, and only when" in line for line in doc.lines)
    evil = tmp_path / "draft-evil-00.xml"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE rfc [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rfc><middle><section title="A"><t>&x; MUST</t></section></middle></rfc>'
    )
    parsed = load_document(evil)
    assert "root:" not in parsed.text and (parsed.name, parsed.rev) == ("draft-evil", "00")


def test_bad_input_is_a_parse_error(tmp_path):
    bad = tmp_path / "draft-x-y-01.xml"
    bad.write_text("<rfc><t>unclosed</rfc>")
    with pytest.raises(ParseError, match="not well-formed XML"):
        load_document(bad)
    with pytest.raises(ParseError, match="no such file"):
        load_document(tmp_path / "draft-missing-00.txt")
    notrfc = tmp_path / "draft-x-y-02.xml"
    notrfc.write_text("<html/>")
    with pytest.raises(ParseError, match="expected <rfc>"):
        load_document(notrfc)
