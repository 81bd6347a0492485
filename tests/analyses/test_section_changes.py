"""Section changes on synthetic pairs made at run time from a real draft (quic-transport -20,
paginated as published): what must be no change is none, and each real edit is found once,
in its section. The pairs are edits of the corpus text in memory; nothing is copied."""

from __future__ import annotations

import re
import textwrap
from collections import Counter

import pytest

from draftscope.analyses.changes import section_changes
from draftscope.analyses.sections import match_sections, section_texts
from draftscope.analyses.textdiff import fold_short_equal, line_words, word_opcodes
from draftscope.text.document import parse_text

DRAFT = "draft-ietf-quic-transport/draft-ietf-quic-transport-20.txt"


@pytest.fixture(scope="module")
def raw(corpus_dir) -> str:
    return (corpus_dir / DRAFT).read_text()


def changes(a: str, b: str):
    return section_changes(parse_text(a), parse_text(b), definitions=False)


def kinds(diff) -> Counter:
    return Counter(c.change for c in diff.changes)


def heading_index(lines: list[str], heading: str) -> int:
    """The body heading (column 0; the table of contents is indented)."""
    return next(i for i, line in enumerate(lines) if line.startswith(heading))


def first_paragraph(lines: list[str], heading: str, nth: int = 0) -> tuple[int, int]:
    """[start, end) of the nth body paragraph after ``heading`` (not crossing a page break)."""
    i = heading_index(lines, heading) + 1
    found = -1
    while True:
        while not lines[i].strip():
            i += 1
        assert lines[i][:1].isspace(), f"{heading}: no paragraph {nth} before the next heading"
        j = i
        while lines[j].strip() and "\f" not in lines[j] and "[Page" not in lines[j]:
            j += 1
        if lines[j].strip():     # runs into a page break: take the next one
            i = j + 1
            continue
        found += 1
        if found == nth:
            return i, j
        i = j


def test_reflowed_paragraph_is_no_change(raw):
    lines = raw.split("\n")
    start, end = first_paragraph(lines, "10.4.  Stateless Reset")
    words = " ".join(lines[start:end]).split()
    assert len(words) > 30
    reflowed = textwrap.wrap(" ".join(words), 50, break_on_hyphens=False)
    edited = lines[:start] + ["   " + line for line in reflowed] + lines[end:]
    assert edited != lines
    diff = changes(raw, "\n".join(edited))
    assert kinds(diff) == Counter({"unchanged": len(diff.changes)})
    assert all(c.words_added == c.words_removed == 0 for c in diff.changes)


def test_moved_page_break_is_no_change(raw):
    lines = raw.split("\n")
    feed = next(i for i, line in enumerate(lines) if line.startswith("\f") and i > 1000)
    footer = max(i for i in range(feed) if "[Page" in lines[i])
    last_text = max(i for i in range(footer) if lines[i].strip())
    after = next(i for i in range(feed + 1, len(lines)) if not lines[i].strip())
    block = lines[last_text + 1:after + 1]          # padding, footer, form feed + header, blank
    rest = lines[:last_text + 1] + lines[after + 1:]
    at = last_text + 1 + 6                          # six lines further down
    assert all(line.strip() for line in rest[at - 2:at + 2])   # inside a paragraph
    moved = rest[:at] + block + rest[at:]
    diff = changes(raw, "\n".join(moved))
    assert kinds(diff) == Counter({"unchanged": len(diff.changes)})


def test_changed_running_header_is_no_change(raw):
    edited = re.sub(r"(?m)^(\f?)Internet-Draft\s+QUIC Transport Protocol\s+April 2019$",
                    r"\1Internet-Draft     QUIC: A UDP-Based Transport       May 2019", raw)
    assert edited.count("May 2019") > 50
    diff = changes(raw, edited)
    assert kinds(diff) == Counter({"unchanged": len(diff.changes)})


def renumbered(raw: str, first: int) -> str:
    """Every top-level section from ``first`` on numbered one more, and a new section
    ``first`` inserted before it (the table of contents left as it was)."""
    def shift(match: re.Match) -> str:
        number = int(match.group(1))
        return f"{number + 1 if number >= first else number}{match.group(2)}"

    lines = raw.split("\n")
    body = heading_index(lines, "1.  Introduction")
    out = lines[:body] + [re.sub(r"^(\d+)((?:\.\d+)*\.\s)", shift, line) for line in lines[body:]]
    at = heading_index(out, f"{first + 1}.  ")
    new = [f"{first}.  Inserted Section", "",
           "   This section was inserted to renumber every section after it; it",
           "   says nothing else and holds no requirement at all for anyone.", ""]
    return "\n".join(out[:at] + new + out[at:])


def test_renumbered_sections_keep_their_identity(raw):
    diff = changes(raw, renumbered(raw, 9))
    counted = kinds(diff)
    assert counted["added"] == 1 and counted["removed"] == 0
    added = next(c for c in diff.changes if c.change == "added")
    assert added.to_label == "9 Inserted Section" and added.words_added == 22
    renumbered_ones = [c for c in diff.changes if c.old is not None and c.new is not None
                       and c.old.number != c.new.number]
    from_9_on = [s for s in parse_text(raw).sections if s.number[:1].isdigit()
                 and int(s.number.split(".")[0]) >= 9]
    assert len(renumbered_ones) == len(from_9_on) == 99     # 9 Connection Migration .. 22
    assert {c.change for c in renumbered_ones} <= {"unchanged", "moved"}
    assert ("9 Connection Migration", "10 Connection Migration") in \
        {(c.from_label, c.to_label) for c in renumbered_ones}


def test_paragraph_moved_between_sections_is_seen_in_both(raw):
    lines = raw.split("\n")
    start, end = first_paragraph(lines, "10.4.1.  Detecting a Stateless Reset")
    paragraph = lines[start:end + 1]
    n_words = len(" ".join(paragraph).split())
    without = lines[:start] + lines[end + 1:]
    target = first_paragraph(without, "4.5.  Controlling Concurrency")[1] + 1
    moved = without[:target] + paragraph + without[target:]
    diff = changes(raw, "\n".join(moved))
    changed = {c.to_label: c for c in diff.changed()}
    assert set(changed) == {"10.4.1 Detecting a Stateless Reset", "4.5 Controlling Concurrency"}
    assert changed["10.4.1 Detecting a Stateless Reset"].words_removed == n_words
    assert changed["10.4.1 Detecting a Stateless Reset"].words_added == 0
    assert changed["4.5 Controlling Concurrency"].words_added == n_words
    assert changed["4.5 Controlling Concurrency"].words_removed == 0
    # its BCP 14 phrases move with it: gone from one section, counted in the other
    moved_counts = Counter(re.findall(r"\b(MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\b",
                                      " ".join(" ".join(paragraph).split())))
    assert changed["4.5 Controlling Concurrency"].keywords == dict(moved_counts)
    assert changed["10.4.1 Detecting a Stateless Reset"].keywords == \
        {k: -n for k, n in moved_counts.items()}


def test_one_inserted_must_is_plus_one_in_exactly_its_section(raw):
    lines = raw.split("\n")
    start, end = first_paragraph(lines, "13.1.2.  ACK Frames and Packet Protection")
    edited = lines[:end] + ["   An endpoint MUST ignore this sentence."] + lines[end:]
    diff = changes(raw, "\n".join(edited))
    with_keywords = [c for c in diff.changes if c.keywords]
    assert [(c.to_label, c.keywords) for c in with_keywords] == \
        [("13.1.2 ACK Frames and Packet Protection", {"MUST": 1})]
    assert [(c.to_label, c.change, c.words_added, c.words_removed) for c in diff.changed()] == \
        [("13.1.2 ACK Frames and Packet Protection", "edited", 6, 0)]


def test_split_section_is_reported_once(raw):
    lines = raw.split("\n")
    start, end = first_paragraph(lines, "10.4.1.  Detecting a Stateless Reset", nth=1)
    edited = lines[:start] + ["10.4.1.1.  Split Part", ""] + lines[start:]
    diff = changes(raw, "\n".join(edited))
    assert [(c.from_label, c.to_label, [s.label for s in c.split]) for c in diff.changed()] == \
        [("10.4.1 Detecting a Stateless Reset", "10.4.1 Detecting a Stateless Reset",
          ["10.4.1.1 Split Part"])]
    change = diff.changed()[0]
    # the words are all still there, in two sections now: only the new heading's words differ
    assert change.words_removed == 0 and change.words_added == 0
    assert change.change == "moved" and len(change.split[0].words) > 20
    assert not [c for c in diff.changes if c.change in ("added", "removed")]


def test_match_by_content_through_a_new_title(raw):
    renamed = raw.replace("\n10.4.1.  Detecting a Stateless Reset\n",
                          "\n10.4.1.  Recognising Stateless Resets\n")
    old = section_texts(parse_text(raw))
    new = section_texts(parse_text(renamed))
    match = match_sections(old, new)
    i = next(s.index for s in old if s.label == "10.4.1 Detecting a Stateless Reset")
    assert new[match.pairs[i]].label == "10.4.1 Recognising Stateless Resets"
    diff = changes(raw, renamed)
    assert [(c.change, c.to_label) for c in diff.changed()] == \
        [("renamed", "10.4.1 Recognising Stateless Resets")]


def test_hyphen_broken_word_is_one_word():
    a = line_words(["   the connection-", "   level limit", "", "   next"])
    b = line_words(["   the connection-level limit", "", "   next"])
    assert a.words == b.words == ("the", "connection-level", "limit", "next")
    assert a.paragraph_starts == b.paragraph_starts == frozenset({0, 3})


def test_short_equal_runs_fold_into_a_replacement():
    old = "the client sends the packet to the server now".split()
    new = "the server drops a packet to a client now".split()
    ops = word_opcodes(old, new)
    assert [op[0] for op in ops] == ["equal", "replace", "equal"]
    assert fold_short_equal([("equal", 0, 5, 0, 5)]) == [("equal", 0, 5, 0, 5)]
