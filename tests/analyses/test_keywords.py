"""The BCP 14 counting rules of issue 3, each pinned on real corpus text.

Expected values were computed with draftscope and checked by hand against the drafts (and, for
the revision totals, against ``rg -o -w`` counts: e.g. quic-transport-34 has 308 all-caps
"MUST" words = 217 MUST + 89 MUST NOT + 2 in the boilerplate).
"""

from __future__ import annotations

import re

import pytest

from draftscope.analyses.keywords import (
    DISPLAY_ORDER,
    PHRASES,
    boilerplate_spans,
    count_keywords,
    find_phrases,
    tally,
)
from draftscope.text.document import load_document, parse_text
from draftscope.text.xml import parse_xml

QT = "draft-ietf-quic-transport"
FOUR = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")


def qt(corpus_dir, rev, ext="txt"):
    return corpus_dir / QT / f"{QT}-{rev}.{ext}"


def paragraph(doc, needle: str) -> str:
    """The clean-text paragraph of ``doc`` holding ``needle``."""
    text = doc.text
    i = text.index(needle)
    return text[text.rfind("\n\n", 0, i) + 2 : text.find("\n\n", i)]


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


def test_phrases_are_the_eleven_longest_first():
    assert len(PHRASES) == 11 and set(PHRASES) == set(DISPLAY_ORDER)
    assert [len(p.split()) for p in PHRASES[:4]] == [2, 2, 2, 2]


@pytest.mark.parametrize(
    "rev, expected",
    [
        ("00", (60, 24, 9, 3)),
        ("14", (151, 52, 71, 10)),
        ("34", (217, 89, 108, 13)),
    ],
)
def test_quic_transport_revisions(corpus_dir, rev, expected):
    counts = count_keywords(load_document(qt(corpus_dir, rev))).counts
    assert tuple(counts[p] for p in FOUR) == expected


def test_full_counts_of_quic_transport_34(corpus_dir):
    result = count_keywords(load_document(qt(corpus_dir, "34")))
    assert result.counts == {
        "MUST": 217, "MUST NOT": 89, "REQUIRED": 0, "SHALL": 4, "SHALL NOT": 0, "SHOULD": 108,
        "SHOULD NOT": 13, "RECOMMENDED": 2, "NOT RECOMMENDED": 0, "MAY": 120, "OPTIONAL": 1,
    }
    assert result.total == 554
    # raw text (what the CLI reads) and the Document agree
    assert count_keywords(qt(corpus_dir, "34").read_bytes()) == result


def test_negation_split_by_a_line_break(corpus_dir):
    doc = load_document(qt(corpus_dir, "34"))
    # "...Servers MUST\n   NOT send a HANDSHAKE_DONE frame before completing the handshake."
    para = paragraph(doc, "Servers MUST\n   NOT send a HANDSHAKE_DONE")
    # "...MUST\n   NOT send ... A\n   server MUST treat receipt ...": one of each, NOT never lost
    assert nonzero(tally(para)) == {"MUST NOT": 1, "MUST": 1}
    # 3 of the 89 MUST NOT of -34 are wrapped like this; rg on single lines sees 86 (+1 boilerplate)
    wrapped = [p for o, p in find_phrases(doc.text) if p == "MUST NOT" and doc.text[o + 4] == "\n"]
    assert len(wrapped) == 3


def test_negation_split_by_a_page_break(corpus_dir):
    doc = load_document(qt(corpus_dir, "11"))
    # source line 4420 ends "it MUST", then blank lines, "[Page 79]", a form feed, the running
    # header, and line 4429 starts "NOT subsequently advertise a smaller maximum ID."
    i = doc.line_numbers.index(4420)
    assert doc.lines[i].endswith("it MUST") and doc.lines[i + 1].startswith("   NOT subsequently")
    para = paragraph(doc, "A receiver MUST NOT renege")
    assert nonzero(tally(para)) == {"MUST NOT": 2, "MUST": 1}
    counts = count_keywords(load_document(qt(corpus_dir, "11"))).counts
    assert (counts["MUST"], counts["MUST NOT"]) == (133, 43)
    # the same file read raw: furniture is removed before counting there too
    assert count_keywords(qt(corpus_dir, "11").read_bytes()).counts == counts


def test_not_recommended_counts_as_itself(corpus_dir):
    doc = load_document(corpus_dir / "rfc" / "rfc6335.txt")
    # "...revoking service names is\n   NOT RECOMMENDED." and "...application is NOT RECOMMENDED."
    result = count_keywords(doc)
    assert (result.counts["NOT RECOMMENDED"], result.counts["RECOMMENDED"]) == (2, 3)
    # 7 all-caps RECOMMENDED words: 2 NOT RECOMMENDED + 3 RECOMMENDED + 2 in the boilerplate
    assert result.boilerplate["RECOMMENDED"] == result.boilerplate["NOT RECOMMENDED"] == 1


def test_quoted_phrases_outside_the_boilerplate_count(corpus_dir):
    rfc2616 = load_document(corpus_dir / "rfc" / "rfc2616.txt")
    assert nonzero(tally(paragraph(rfc2616, 'which "MUST NOT" include'))) == {"MUST NOT": 1}
    # "MUST"-level: a quote, not the hyphen, touches the phrase; "must-revalidate" is lowercase
    assert nonzero(tally(paragraph(rfc2616, '"MUST"-level'))) == {"MUST": 1, "MAY": 1}
    # the "MUST/MAY/SHOULD" audit of the acknowledgments: three phrases
    assert nonzero(tally(paragraph(rfc2616, '"MUST/MAY/SHOULD" audit'))) == {"MUST": 1, "MAY": 1, "SHOULD": 1}


def test_whole_words_only(corpus_dir):
    doc = load_document(qt(corpus_dir, "00"))
    assert tally(paragraph(doc, "QUIC_MAYBE_CORRUPTED_MEMORY")) == dict.fromkeys(DISPLAY_ORDER, 0)
    rfc6335 = load_document(corpus_dir / "rfc" / "rfc6335.txt")
    assert nonzero(tally(paragraph(rfc6335, "Service Name (REQUIRED)"))) == {"REQUIRED": 7, "OPTIONAL": 3}
    # the issue's own examples, for the characters the corpus lacks
    text = 'MUSTARD MAY-BE MUST_X X-MUST 2MAY "MUST" (MUST) MUST/SHOULD MUST. MUST NOT-X must'
    assert nonzero(tally(text)) == {"MUST": 5, "SHOULD": 1}


def test_boilerplate_8174_variant_reported_apart(corpus_dir):
    doc = load_document(qt(corpus_dir, "34"))
    result = count_keywords(doc)
    assert result.boilerplate == dict.fromkeys(DISPLAY_ORDER, 1)
    [(start, end)] = result.boilerplate_spans
    text = " ".join(doc.text[start:end].split())
    assert text.startswith('The key words "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT"')
    assert text.endswith("BCP 14 [RFC2119] [RFC8174] when, and only when, they appear in all capitals, as shown here.")


def test_boilerplate_classic_2119_variant(corpus_dir):
    path = corpus_dir / "draft-ietf-tcpm-hystartplusplus" / "draft-ietf-tcpm-hystartplusplus-04.txt"
    result = count_keywords(load_document(path))
    # ten phrases: the 2119 sentence has no "NOT RECOMMENDED"
    assert result.boilerplate == {**dict.fromkeys(DISPLAY_ORDER, 1), "NOT RECOMMENDED": 0}
    text = load_document(path).text
    [(start, end)] = boilerplate_spans(text)
    assert " ".join(text[start:end].split()).endswith("are to be interpreted as described in [RFC2119].")


def test_boilerplate_not_shouting_variant_of_early_quic(corpus_dir):
    doc = load_document(qt(corpus_dir, "00"))
    para = paragraph(doc, "It's not shouting")
    assert para.startswith('   The words "MUST", "MUST NOT", "SHOULD", and "MAY" are used in this')
    result = count_keywords(doc)
    assert nonzero(result.boilerplate) == {"MUST": 1, "MUST NOT": 1, "SHOULD": 1, "MAY": 1}
    assert result.with_boilerplate()["MUST"] == 61


def test_unquoted_keyword_lists_are_not_boilerplate(corpus_dir):
    # RFC 3168 lists the phrases without quotes: by the rule (three quoted phrases) it is text
    result = count_keywords(load_document(corpus_dir / "rfc" / "rfc3168.txt"))
    assert nonzero(result.boilerplate) == {}
    assert result.counts["SHALL NOT"] == 1


def test_lowercase_is_separate(corpus_dir):
    result = count_keywords(load_document(qt(corpus_dir, "00")), lowercase=True)
    assert result.lowercase == {
        "must": 24, "should": 21, "may": 39, "shall": 0, "required": 5, "recommended": 2, "optional": 15,
    }
    assert result.counts["MUST"] == 60  # unchanged by the lowercase metric
    assert count_keywords(load_document(qt(corpus_dir, "00"))).lowercase is None


def test_table_of_contents_is_skipped(corpus_dir):
    raw = qt(corpus_dir, "34").read_text()
    toc_line = "     1.2.  Terms and Definitions . . . . . . . . . . . . . . . . . .  10"
    assert raw.count(toc_line) == 1
    base = count_keywords(parse_text(raw)).counts
    in_toc = count_keywords(parse_text(raw.replace(toc_line, toc_line.replace("Terms", "MUST Terms")))).counts
    assert in_toc == base
    body = "1.2.  Terms and Definitions\n"
    in_body = count_keywords(parse_text(raw.replace(body, body.replace("Terms", "MUST Terms")))).counts
    assert in_body["MUST"] == base["MUST"] + 1


def test_sections(corpus_dir):
    doc = load_document(qt(corpus_dir, "34"))
    result = count_keywords(doc, by_section=True)
    sections = {(s.number, s.title): s for s in result.sections}
    assert nonzero(sections[("19.20", "HANDSHAKE_DONE Frames")].counts) == {"MUST": 1, "MUST NOT": 1}
    assert sections[("1.2", "Terms and Definitions")].boilerplate == dict.fromkeys(DISPLAY_ORDER, 1)
    assert sum(s.counts["MUST"] for s in result.sections) == 217
    assert {p: sum(s.counts[p] for s in result.sections) for p in DISPLAY_ORDER} == result.counts
    busiest = max(result.sections, key=lambda s: sum(s.counts.values()))
    assert (busiest.number, busiest.title) == ("8.1.3", "Address Validation for Future Connections")
    # checked with grep on the section's lines: 4 MUST, 3 MUST NOT, 4 SHOULD, 1 SHOULD NOT, 5 MAY
    assert nonzero(busiest.counts) == {"MUST": 4, "MUST NOT": 3, "SHOULD": 4, "SHOULD NOT": 1, "MAY": 5}
    assert sum(1 for s in result.sections if any(s.counts.values())) == 146


@pytest.mark.parametrize("rev", ["00", "11", "20", "34"])
def test_xml_and_text_agree(corpus_dir, rev):
    txt = count_keywords(load_document(qt(corpus_dir, rev)), by_section=True)
    xml = count_keywords(load_document(qt(corpus_dir, rev, "xml")), by_section=True)
    assert xml.counts == txt.counts and xml.boilerplate == txt.boilerplate
    per_section = lambda r: {(s.number, s.title): s.counts for s in r.sections if any(s.counts.values())}
    assert per_section(xml) == per_section(txt)


_PHRASE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_\-<>])((?:MUST|SHALL|SHOULD)(?:\s+NOT)?|NOT\s+RECOMMENDED|REQUIRED|RECOMMENDED|MAY|OPTIONAL)"
    r"(?![A-Za-z0-9_\-])"
)


def test_bcp14_markup_is_authoritative(corpus_dir):
    source = qt(corpus_dir, "34", "xml").read_text()
    middle_start = source.index("<middle>")
    # mark every phrase of the body with <bcp14> as RFC XML v3 authors do
    marked = source[:middle_start] + _PHRASE_IN_TEXT.sub(r"<bcp14>\1</bcp14>", source[middle_start:])
    doc = parse_xml(marked, source="marked")
    assert doc.bcp14 is not None and len(doc.bcp14) == 554 + 11
    expected = count_keywords(load_document(qt(corpus_dir, "34")))
    result = count_keywords(doc)
    assert result.counts == expected.counts and result.boilerplate == expected.boilerplate
    # capitals outside the markup are not counted when markup exists
    unmarked = marked.replace("<t>QUIC is a secure general-purpose", "<t>MAY QUIC is a secure general-purpose", 1)
    assert unmarked != marked
    assert count_keywords(parse_xml(unmarked)).counts == expected.counts
    # ...while without any markup the text rules see it
    plain = source.replace("<t>QUIC is a secure general-purpose", "<t>MAY QUIC is a secure general-purpose", 1)
    assert count_keywords(parse_xml(plain)).counts["MAY"] == expected.counts["MAY"] + 1
