"""What parse_xml renders from RFC XML, pinned line by line: white space, typographic quotes,
entities, empty references, <bcp14> markup and section numbering. The renderer was rewritten for
speed (issue 18); these values were read from the renderer before that rewrite and checked against
the rules in draftscope/text/xml.py, so any change to them is a change of behaviour."""

from __future__ import annotations

from draftscope.analyses.keywords import count_keywords
from draftscope.text.xml import parse_xml

QT = "draft-ietf-quic-transport"


def _transport(corpus_dir, rev):
    return parse_xml((corpus_dir / QT / f"{QT}-{rev}.xml").read_bytes())


def test_blank_line_inside_a_paragraph_keeps_one_space_per_newline(corpus_dir):
    # "... in flight.  <vspace blankLines='1'/>\nDISCUSS: ..." : a white space run holding two
    # newlines reads as two spaces; "limit?  Specifically" on one source line as one.
    doc = _transport(corpus_dir, "00")
    assert (doc.name, doc.rev, len(doc.lines), len(doc.sections)) == (QT, "00", 1054, 70)
    assert doc.lines[189] == (
        "   If a sender sets PACKET_NUMBER_SIZE bits to 00, it MUST NOT have more than (2^6) packets"
        " in flight.  DISCUSS: Should the receiver be required to enforce this rule that the sender"
        " MUST NOT exceed the inflight limit? Specifically, should the receiver drop packets that are"
        " received outside this window?  Any truncated packet number received from a peer MUST be"
        " reconstructed as the value closest to the next expected packet number from that peer."
    )
    assert doc.line_numbers[189] == 392
    counts = count_keywords(doc, lowercase=True)
    assert [counts.counts[p] for p in ("MUST", "MUST NOT", "SHOULD", "MAY")] == [60, 24, 9, 21]
    assert counts.lowercase == {"must": 23, "should": 21, "may": 37, "shall": 0, "required": 5,
                                "recommended": 2, "optional": 15}


def test_typographic_quotes_dashes_and_empty_xrefs(corpus_dir):
    doc = _transport(corpus_dir, "13")
    assert (len(doc.lines), len(doc.sections)) == (3124, 159)
    # source line 1317: curly quotes become ASCII, en dashes stay, <xref/> reads as [target]
    assert doc.lines[782] == (
        "   Note that multiple QUIC packets \u2013 even of different encryption levels \u2013 may be"
        " coalesced into a single UDP datagram (see [packet-coalesce], and so this handshake may"
        " consist of as few as 4 UDP datagrams, or any number more. For instance, the server's first"
        ' flight contains packets from the Initial encryption level (obfuscation), the Handshake'
        ' level, and "0.5-RTT data" from the server at the 1-RTT encryption level.'
    )
    assert doc.line_numbers[782] == 1317
    assert [(s.number, s.title, s.start) for s in doc.sections[:6]] == [
        ("", "front matter", 0), ("", "Abstract", 2), ("1", "Introduction", 12),
        ("2", "Conventions and Definitions", 34), ("2.1", "Notational Conventions", 56),
        ("3", "Versions", 70)]
    counts = count_keywords(doc, lowercase=True)
    assert (counts.counts["MUST"], counts.counts["SHALL"], counts.counts["SHOULD NOT"]) == (139, 3, 9)
    assert sum(counts.boilerplate.values()) == 11


def test_v3_names_number_sections_and_appendices(corpus_dir):
    path = corpus_dir / "draft-ietf-quic-invariants" / "draft-ietf-quic-invariants-13.xml"
    doc = parse_xml(path.read_bytes())
    assert (doc.name, doc.rev, len(doc.lines), doc.bcp14) == ("draft-ietf-quic-invariants", "13", 246, None)
    assert [(s.number, s.title) for s in doc.sections][-5:] == [
        ("9", "References"), ("9.1", "Normative References"), ("9.2", "Informative References"),
        ("A", "Incorrect Assumptions"), ("", "Author's Address")]
    assert doc.sections[-1].start == 243


SOURCE = """<?xml version="1.0"?>
<!DOCTYPE rfc SYSTEM "rfc2629.dtd">
<rfc docName="draft-example-render-03">
<front><title>An   Example\u2019s
   Title</title>
<author fullname="A. Author"/><author fullname="B. Author"/>
<abstract><t>Short <!-- note --> abstract&nbsp;text<?pi x?>.</t></abstract>
</front>
<middle>
<section title="Rules"><name>Rules  of\tthe Road</name>
<t>One\u00a0two\tthree
    four<vspace blankLines="1"/>
    five <iref item="x"/>six <xref target="RFC2119"/> <eref target="https://example.com"/>
    <xref target="S">linked</xref> <bcp14>MUST
      NOT</bcp14> and <bcp14>should</bcp14>.</t>
<t>Outer <list><t>inner item</t></list> after</t>
<section numbered="false"><name>Aside</name><t>x</t></section>
<section><name>Sub</name><ul><li>\u201cquoted\u201d&mdash;dash</li></ul></section>
<section><t>untitled</t></section>
<figure><artwork>
  +--+
  |ab|   
</artwork></figure>
</section>
</middle>
<back><references title="Normative"><reference anchor="RFC2119">
<front><title>Key   words</title></front></reference></references>
<section title="Extra"><t>e</t></section></back>
</rfc>"""


def test_every_rendering_rule_on_one_small_document():
    doc = parse_xml(SOURCE)
    assert (doc.name, doc.rev) == ("draft-example-render", "03")
    assert [line for line in doc.lines if line] == [
        "   An Example's Title",
        "Abstract",
        "   Short abstract text.",                 # comment and PI read as nothing, &nbsp; as a space
        "1.  Rules of the Road",                   # <name> before the title attribute, squeezed
        # no-break space and tab squeezed; the newline, <vspace/>, newline run leaves two spaces;
        # <iref> skipped; empty xref/eref as [target] and <target>; <bcp14> as its words
        "   One two three four  five six [RFC2119] <https://example.com> linked MUST NOT and should.",
        "   Outer", "   inner item", "   after",  # a v2 list nested in a <t> splits it
        "Aside", "   x",                           # numbered="false": no number, not counted
        "1.1.  Sub",
        '   "quoted"--dash',
        "   untitled",                             # a section without a title: blocks, no heading
        "     +--+", "     |ab|",                  # artwork verbatim, right-stripped
        "2.  Normative",
        "   [RFC2119] Key words",
        "A.  Extra", "   e",                       # appendices lettered
        "Authors' Addresses", "   A. Author", "   B. Author",
    ]
    assert doc.bcp14 == [(8, "MUST NOT"), (8, "should")]
    assert doc.line_numbers[8] == 11 and doc.line_numbers[26] == 20 and doc.line_numbers[-1] == 6
    assert [(s.number, s.title, s.start) for s in doc.sections] == [
        ("", "front matter", 0), ("", "Abstract", 2), ("1", "Rules of the Road", 6), ("", "Aside", 16),
        ("1.1", "Sub", 20), ("2", "Normative", 29), ("A", "Extra", 33), ("", "Authors' Addresses", 37)]
