"""The report's HTML and inline SVG, without a browser: what comes from documents is escaped,
figures inlined side by side keep their own ids, text inside figures is never rewritten."""

from __future__ import annotations

from datetime import datetime, timezone

import matplotlib

matplotlib.use("Agg")

from draftscope.report.html import lineage_page
from draftscope.report.model import (LineageDocument, LineagePage, Provenance, RevisionLink,
                                     StorySection, StoryStepText, Table)
from draftscope.report.svg import compact_svg, figure_svg, inline_svg

WHEN = datetime(2021, 5, 1, tzinfo=timezone.utc)


def small_figure(text: str):
    from draftscope.plots.style import figure_style, new_figure

    with figure_style():
        fig, ax = new_figure((3, 2))
        ax.plot([0.123456, 1.987654], [0, 1])
        ax.set_title(text)
    return fig


def test_figures_inlined_together_keep_their_own_ids_and_their_text():
    """Two figures on one page: every id and every url(#...) reference carries the figure's
    prefix (matplotlib would give both the same clip-path id); a title '1.23456 <b>' stays as
    written while coordinates lose their extra decimals; a title and an aria-label say the alt."""
    import re

    raw = figure_svg(small_figure("1.23456 <b>"))
    first = inline_svg(raw, prefix="a", alt='keywords "MUST" & co')
    second = inline_svg(raw, prefix="b", alt="other")
    ids_a = set(re.findall(r' id="([^"]+)"', first))
    ids_b = set(re.findall(r' id="([^"]+)"', second))
    assert ids_a and all(i.startswith("a-") for i in ids_a) and not ids_a & ids_b
    references = re.findall(r"url\(#([^)]+)\)", first)
    assert references and set(references) <= ids_a
    assert "1.23456 &lt;b&gt;" in first
    assert not re.search(r'd="[^"]*\d\.\d\d', first)
    assert "<title>keywords &quot;MUST&quot; &amp; co</title>" in first
    assert 'aria-label="keywords &quot;MUST&quot; &amp; co"' in first
    assert not re.search(r'<svg[^>]*\s(?:width|height)="', first)
    assert len(compact_svg(raw)) < 0.8 * len(raw)
    # styles written on several elements are one class each, named after the figure
    classes = set(re.findall(r' class="([^"]+)"', first)) - {"figure"}
    assert classes and all(c.startswith("a-s") for c in classes)
    assert not set(re.findall(r' class="([^"]+)"', second)) & classes


def test_document_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    page = LineagePage(
        lineage="draft-x", title=f"Title {evil}",
        documents=(LineageDocument("draft-x", "wg", (RevisionLink(
            "draft-x", "00", "draft-x-00", WHEN, 'http://dt/doc/html/draft-x-00"><b>'),)),),
        keyword_svg=None,
        keyword_table=Table(caption=evil, columns=("revision", "MUST"), rows=((evil, "3"),)),
        definitions_svg=None, definitions_note="", changes_svg=None, changes_table=None,
        stories=(StorySection(key=f"Frame {evil}", svg=None, steps=(
            StoryStepText(1, "draft-x-00", "2021-05-01", "first drawn", (f"field {evil}",)),)),),
        stories_note="", provenance=Provenance("0.1.0", WHEN, "/cache", "http://dt"))
    text = lineage_page(page)
    assert "<script" not in text
    # the subtitle, the table's caption and cell, the story's heading, contents entry and words
    assert text.count("&lt;script&gt;") == 6
    assert 'href="http://dt/doc/html/draft-x-00&quot;&gt;&lt;b&gt;"' in text
    assert '<a class="revision"' in text and ">00</a>" in text


def absolute_points(d: str) -> list[tuple[float, float]]:
    """The end points of relative path data (what relative_path writes), back in absolute."""
    import re

    tokens = re.findall(r"[MLQCZmlqcz]|-?\d*\.?\d+", d)
    sizes = {"m": 2, "l": 2, "q": 4, "c": 6, "z": 0, "M": 2}
    points, x, y, start, i = [], 0.0, 0.0, (0.0, 0.0), 0
    while i < len(tokens):
        command, count = tokens[i], sizes[tokens[i]]
        values = [float(v) for v in tokens[i + 1:i + 1 + count]]
        i += 1 + count
        if command == "z":
            x, y = start
        elif command == "M":
            x, y = values
        else:
            x, y = x + values[-2], y + values[-1]
        if command in "Mm":
            start = (x, y)
        if command != "z":
            points.append((x, y))
    return points


def test_relative_path_data_is_the_same_outline(corpus_dir):
    """A real drawing's path data (the ruler's digits, field boxes): every point of the
    relative, 0.1-grid form lies within 0.05 pt of matplotlib's, and the text is half as long."""
    import re

    from draftscope.analyses.definitions import extract_definitions
    from draftscope.fetch.records import Revision
    from draftscope.plots.bitdiagram import draw_definition
    from draftscope.report.svg import relative_path

    revision = Revision("draft-ietf-quic-transport", "27", None,
                        corpus_dir / "draft-ietf-quic-transport" / "draft-ietf-quic-transport-27.txt",
                        "txt")
    from draftscope.text.document import load_document

    ack = next(d for d in extract_definitions(load_document(revision))
               if d.name.startswith("ACK Frame"))
    raw = figure_svg(draw_definition(ack), drawing=True)
    paths = re.findall(r' d="([^"]*)"', raw)
    assert len(paths) > 10
    before = after = 0
    for d in paths:
        compact = relative_path(d)
        original = [float(v) for v in re.findall(r"-?\d*\.?\d+", d)]
        expected = list(zip(original[0::2], original[1::2]))
        got = absolute_points(compact)
        # the path's end points (the last pair of each command) are on the original's list
        for x, y in got:
            assert min(abs(x - ex) + abs(y - ey) for ex, ey in expected) <= 0.1 + 1e-9
        before, after = before + len(d), after + len(compact)
    assert after < 0.6 * before
