"""The byte scanner, the exact Document path and every worker count agree on generated texts.

Hypothesis builds paginated drafts full of what makes the two paths differ if either gets a
rule wrong: two-word phrases broken by page breaks (footer, form feed, running header between
the words), phrases in running headers, footers and tables of contents, quoted phrases and the
boilerplate, no-break and other Unicode spaces, typographic quotes, CRLF line ends, a BOM, cp1252
bytes, form feeds inside lines; the draft is repeated (a later copy changed) so that files split
into parts. For each text the scanner counted in 1, 2 and 3 parts must equal the exact path --
or hand the whole file to it (``_NeedsExact``), never a part. Derandomized: CI sees the same
examples every run.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from draftscope.analyses import keyword_scan
from draftscope.analyses.keyword_scan import count_file, scan, split_points
from draftscope.analyses.keywords import count_keywords

PHRASE_WORDS = ["MUST", "MUST NOT", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT", "REQUIRED",
                "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL", "NOT", "must", "should", "may"]
PLAIN_WORDS = ["the", "endpoint", "packet", "QUIC", "TLS", "MUSTARD", "X-MUST", "(see", "Section",
               "4.2)", "[RFC9000]", "a", "value", "be", "sent.", "NOTE:", "[Page 3]", "RFC 2119",
               "BCP 14", "RFC 8174"]
SPACES = [" ", " ", " ", "  ", "\n   ", "\t", "\n\n   "]
ODD_SPACES = ["\xa0", "\u2003", "\x1c", "\x0b"]
HEADER_LINES = ["Internet-Draft          QUIC Transport          January 2021",
                "RFC 9000                 QUIC                   May 2021",
                "Title Repeated On Every Page"]
ODD_HEADER_LINES = ["Draft          Transport Protocol MUST",
                    "NOT A HEADER BUT REPEATED",
                    "Internet-Draft          MUST NOT be          January 2021"]
FOOTERS = ["Author                Expires July 2021                [Page {n}]",
           "[Page {n}]                   Author"]
ODD_FOOTERS = ["[Page {n}]     MUST        Author", "Author   MUST   [Page {n}]"]
BOILERPLATE = ('   The key words "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD",\n'
               '   "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED", "MAY", and "OPTIONAL" in this\n'
               '   document are to be interpreted as described in BCP 14 [RFC2119] [RFC8174].')


@st.composite
def sentences(draw, odd: bool) -> str:
    """Words and phrases; ``odd``: Unicode spaces and typographic quotes among them."""
    words = draw(st.lists(st.one_of(st.sampled_from(PHRASE_WORDS), st.sampled_from(PLAIN_WORDS)),
                          min_size=3, max_size=40))
    quotes = [('"', '"')] + ([("\u201c", "\u201d"), ('"', "\u201d")] if odd else [])
    spaces = SPACES + (ODD_SPACES if odd else [])
    out = []
    for word in words:
        if draw(st.integers(0, 9)) == 0:
            open_q, close_q = draw(st.sampled_from(quotes))
            word = f"{open_q}{word}{close_q}"
        out.append(word)
        out.append(draw(st.sampled_from(spaces)))
    return "".join(out)


def wrap(text: str, width: int = 68) -> list[str]:
    lines, line = [], "  "
    for word in text.split(" "):
        if len(line) + len(word) > width:
            lines.append(line.rstrip(" "))
            line = "  "
        line += " " + word
    lines.append(line.rstrip(" "))
    return lines


@st.composite
def drafts(draw) -> bytes:
    odd = draw(st.integers(0, 3)) == 0  # one text in four is full of the odd cases
    header = draw(st.sampled_from(HEADER_LINES + (ODD_HEADER_LINES if odd else [])))
    blocks: list[list[str]] = [["Title of the draft"]]
    if draw(st.booleans()):
        toc_title = draw(st.sampled_from(["Table of Contents", "TABLE OF CONTENTS", "Table of contents",
                                          "TaBlE oF cOnTeNtS", "  Table of Contents  "]))
        entries = [f"   {i}.  {draw(st.sampled_from(PHRASE_WORDS + PLAIN_WORDS))} . . . . .  {i + 3}"
                   for i in range(1, draw(st.integers(1, 12)))]
        blocks.append([toc_title, "", *entries])
    for _ in range(draw(st.integers(3, 14))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            blocks.append(BOILERPLATE.split("\n"))
        elif kind == 2 and odd:  # a form feed inside a line, a header after it
            blocks.append(["   the sender " + draw(st.sampled_from(["MUST", "SHOULD", "NOT", "MAY"]))
                           + draw(st.sampled_from(["", " ", "          "])) + "\f" + draw(st.sampled_from(["", header])),
                           "", "   " + draw(st.sampled_from(["NOT send", "RECOMMENDED here", "go"]))])
        elif kind == 1 or (kind == 3 and odd):  # words a page break (or two: an empty page) separates
            blocks.append(["   the sender " + draw(st.sampled_from(["MUST", "SHOULD", "SHALL", "NOT"]))
                           + draw(st.sampled_from(["", "", " ", "\xa0"])),
                           *["\f"] * (kind // 2 + 1), "   " + draw(st.sampled_from(["NOT send", "RECOMMENDED here", "NOT"]))])
        else:
            blocks.append(wrap(draw(sentences(odd))))
    lines: list[str] = []
    page_lines = draw(st.integers(12, 48))
    page = 1
    body: list[str] = []
    for block in blocks:
        body.extend(block + [""])
    footer = draw(st.sampled_from(FOOTERS + (ODD_FOOTERS if odd else [])))
    out: list[str] = []
    count = 0
    for line in body:
        if line == "\f" or count >= page_lines:
            out += ["", "", footer.format(n=page), "\f" + draw(st.sampled_from(["", header])), ""]
            if draw(st.booleans()):
                out += [header, ""]
            page += 1
            count = 0
            if line == "\f":
                continue
        out.append(line)
        count += 1
    text = "\n".join(out) + "\n"
    copies = draw(st.integers(1, 4))
    changed = text.replace("the", draw(st.sampled_from(["MUST", "the", "NOT"])), 1)
    text = text * copies + changed
    if odd and draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


def summary(counts):
    return counts.counts, counts.boilerplate, counts.lowercase


STATS = {"examples": 0, "scanned": 0, "split": 0, "reasons": {}}


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(drafts())
def test_scanner_and_every_split_agree_with_the_exact_path(raw):
    exact = summary(count_keywords(raw, lowercase=True))
    STATS["examples"] += 1
    for parts in (1, 2, 3):
        try:
            scanned = summary(scan(raw, lowercase=True, parts=parts))
        except keyword_scan._NeedsExact as exc:
            STATS["reasons"][str(exc)] = STATS["reasons"].get(str(exc), 0) + (parts == 1)
            continue  # the whole file takes the exact path: agrees by construction
        STATS["scanned"] += parts == 1
        STATS["split"] += parts > 1 and len(split_points(raw, 0, len(raw), parts)) > 2
        assert scanned == exact, f"{parts} parts"


def test_the_generated_texts_exercise_the_scanner():
    # run after the property (file order): many texts are scanned (not handed over), many split
    if STATS["examples"] == 0:
        test_scanner_and_every_split_agree_with_the_exact_path()
    assert STATS["scanned"] >= STATS["examples"] // 4, STATS
    assert STATS["split"] >= 10, STATS


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(drafts())
def test_worker_processes_agree_with_the_exact_path(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("diff") / "draft.txt"
    path.write_bytes(raw)
    exact = summary(count_keywords(raw, lowercase=True))
    for workers in (1, 2, 3):
        counted = count_file(path, lowercase=True, workers=workers, parallel_bytes=0, scan_bytes=0)
        assert summary(counted) == exact, f"{workers} workers"
