"""How the comparison figure draws real lineages (draft-ietf-quic-invariants and -qpack, served by
the fake datatracker): the artists, not pixels, like seaborn's own tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from draftscope.plots.compare import plot_compare, wrap_name

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"


# two long names with one and two revisions in the corpus (individual drafts, no RFC)
BBR, RATE = "draft-cardwell-iccrg-bbr-congestion-control", "draft-cheng-iccrg-delivery-rate-estimation"
# one revision without any BCP 14 keyword
BANKS = "draft-banks-quic-performance"


@pytest.fixture(scope="module")
def frames(corpus_dir, tmp_path_factory):
    """Keyword stage frames with a ``lineage`` column (what ``plot --compare`` builds)."""
    from fakedatatracker import start_server

    from draftscope.fetch.config import Settings
    from draftscope.plots.figures import lineage_keywords

    server = start_server(corpus_dir)
    try:
        settings = Settings.from_env(server.env(), cache_dir=tmp_path_factory.mktemp("cache"))
        return {n: lineage_keywords(n, settings=settings, progress=False).assign(lineage=n)
                for n in (INVARIANTS, QPACK, BBR, RATE, BANKS)}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def combined(frames):
    return pd.concat([frames[INVARIANTS], frames[QPACK]], ignore_index=True)


def shown_tick_labels(ax):
    """The tick labels matplotlib draws: non-empty and inside the view limits."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return ([t for t, v in zip(ax.get_xticklabels(), ax.get_xticks()) if t.get_text() and x0 <= v <= x1]
            + [t for t, v in zip(ax.get_yticklabels(), ax.get_yticks()) if t.get_text() and y0 <= v <= y1])


def data_lines(ax):
    return [line for line in ax.lines if len(line.get_xdata()) > 0]


def test_panels_have_their_own_y_axis_a_note_when_empty_and_a_title(frames):
    """QPACK says MUST up to 28 times, invariants at most 5, BBR 2: each panel is scaled to its
    own draft from 0 (whole-number ticks), not flattened under QPACK's; the draft without any
    keyword says so in its panel; the figure has a title saying what is compared."""
    data = pd.concat([frames[n] for n in (QPACK, INVARIANTS, BBR, BANKS)], ignore_index=True)
    fig = plot_compare(data, layout="facets")
    fig.canvas.draw()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    tops = {ax.get_title().replace("\n", ""): ax.get_ylim() for ax in panels}
    highest = {n: int(frames[n].loc[frames[n]["keyword"].isin(
        ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"]), "count"].max()) for n in tops}
    assert highest == {QPACK: 28, INVARIANTS: 5, BBR: 2, BANKS: 0}
    for name, (low, high) in tops.items():
        assert low == 0 and max(highest[name], 4) <= high <= max(highest[name] * 1.1, 4.5), name
    for ax in panels:
        ticks = [t for t in ax.get_yticks() if 0 <= t <= ax.get_ylim()[1]]
        assert all(float(t).is_integer() for t in ticks) and len(ticks) >= 3
    banks = panels[3]
    assert not data_lines(banks)
    assert [t.get_text().replace("\n", " ") for t in banks.texts] == [
        "No MUST, MUST NOT, SHOULD or SHOULD NOT in its revision"]
    # counted as compare's summary counts (drafts' revisions, RFC apart): invariants 00..13 +
    # RFC 8999 without SHOULD is "14 revisions or its RFC", not 15 revisions
    invariants = plot_compare(data[data["name"].str.contains("invariants|rfc8999")], ["SHOULD"],
                              layout="facets")
    assert [t.get_text().replace("\n", " ") for ax in invariants.axes for t in ax.texts] == [
        "No SHOULD in its 14 revisions or its RFC"]
    legend = fig.legends[0]
    assert legend.get_title().get_text() == "MUST, MUST NOT, SHOULD and SHOULD NOT in 4 drafts"
    assert [t.get_text() for t in legend.get_texts()] == ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"]
    assert plot_compare(data, layout="facets", title="QUIC").legends[0].get_title().get_text() == "QUIC"


@pytest.mark.parametrize("align", ["revision", "progress", "date"])
def test_no_two_labels_of_the_figure_touch(frames, align):
    """Tick labels of neighbouring panels, panel titles, the legend and the axis labels: no two
    text boxes of the figure overlap, on every alignment."""
    import itertools

    data = pd.concat([frames[n] for n in (QPACK, INVARIANTS, BBR, RATE, BANKS)], ignore_index=True)
    fig = plot_compare(data, layout="facets", align=align)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [fig.legends[0]]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += shown_tick_labels(ax)
        texts += [ax.title, ax.yaxis.label] + list(ax.texts)
    boxes = [(getattr(t, "get_text", lambda: "legend")(), t.get_window_extent(renderer))
             for t in texts if t.get_visible() and (not hasattr(t, "get_text") or t.get_text())]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} touches {b!r}"


def test_draft_colours_are_never_keyword_colours(combined, frames):
    """One axis, a colour per draft: none of them is a phrase's colour (tab10 blue is MUST,
    red SHOULD NOT in every other figure), with or without dashes per keyword."""
    from matplotlib.colors import to_hex

    from draftscope.analyses.keywords import DISPLAY_ORDER
    from draftscope.plots.style import keyword_palette

    phrase_colours = {to_hex(c) for c in keyword_palette(list(DISPLAY_ORDER)).values()}
    data = pd.concat([frames[n] for n in (QPACK, INVARIANTS, BBR)], ignore_index=True)
    for fig in (plot_compare(data, ["MUST"], style="house"),
                plot_compare(data, ["MUST", "SHOULD"], layout="hue", style="house")):
        colours = {to_hex(line.get_color()) for line in data_lines(fig.axes[0])}
        assert len(colours) == 3 and not colours & phrase_colours


def test_one_keyword_gives_each_draft_a_colour_and_a_marker(combined):
    """One keyword: a line per draft with its own marker, so a short lineage still shows."""
    ax = plot_compare(combined, ["MUST"]).axes[0]
    lines = data_lines(ax)
    assert [len(line.get_xdata()) for line in lines] == [15, 23]   # 14 + RFC 8999, 22 + RFC 9204
    markers = [line.get_marker() for line in lines]
    assert all(m not in (None, "None", "") for m in markers) and markers[0] != markers[1]
    assert lines[0].get_color() != lines[1].get_color()
    # hand-checked: RFC 8999 says MUST 5 times outside the BCP 14 boilerplate
    assert lines[0].get_ydata()[-1] == 5
    # named at the lines' ends (the names without what they share, said in the title), at
    # 8 inches and at 5
    assert ax.get_legend() is None
    assert [t.get_text() for t in ax.texts] == ["invariants", "qpack"]
    assert ax.get_title() == "MUST in 2 drafts (draft-ietf-quic-\u2026)"
    small = plot_compare(combined, ["MUST"], figsize=(5.0, 3.5)).axes[0]
    assert [t.get_text() for t in small.texts] == ["invariants", "qpack"]


@pytest.mark.parametrize("size", [(5.0, 3.5), (8.0, 4.5), (12.0, 5.0)])
@pytest.mark.parametrize("align", ["revision", "progress"])
def test_drafts_on_one_axis_are_told_apart_and_named_inside(frames, size, align):
    """Issue 17: five drafts on one axis (three dark viridis shades were hard to tell apart, the
    legend took 40% of the width). Each draft has its own colour, marker and dash pattern and
    its name at its line's end in its colour, inside the axes; no two texts of the figure
    overlap, at three sizes (at 5 inches these long names go to a legend under the axes).
    The QUIC drafts' short names fit at 5 inches: test_one_keyword_... below checks that."""
    import itertools

    from matplotlib.colors import to_hex

    names = (QPACK, INVARIANTS, BBR, RATE, BANKS)
    data = pd.concat([frames[n] for n in names], ignore_index=True)
    fig = plot_compare(data, ["MUST"], align=align, figsize=size)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    lines = {line.get_gid()[len("draft-line:"):]: line for line in data_lines(ax)}
    assert len({to_hex(line.get_color()) for line in lines.values()}) == 5
    assert len({line.get_marker() for line in lines.values()}) == 5
    # a dash pattern each too (matplotlib names every custom one '--': compare the patterns)
    assert len({str(line._unscaled_dash_pattern) for line in lines.values()}) == 5
    if size[0] < 6:
        # 37-character names cannot sit beside the lines in 5 inches: a legend under the axes
        assert not ax.texts and fig.legends[0].get_gid() == "draft-legend"
        legend = fig.legends[0].get_window_extent(renderer)
        assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width and legend.y0 >= 0
        assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == \
            "draft-banks-quic-performance (no MUST)"
        return
    assert ax.get_legend() is None and not fig.legends
    labels = {t.get_gid()[len("end-label:"):]: t for t in ax.texts}
    assert sorted(labels) == sorted(lines) and len(labels) == 5
    assert "draft-banks-quic-performance (no MUST)" in {t.get_text() for t in labels.values()}
    for name, text in labels.items():
        assert to_hex(text.get_color()) == to_hex(lines[name].get_color())
    box = ax.get_window_extent(renderer)
    for text in labels.values():
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1, text.get_text()
    texts = shown_tick_labels(ax) + [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_text()]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} touches {b!r}"


def test_facet_markers_are_solid(combined):
    """Small multiples: markers in the phrase's colour without seaborn's white edge, which left
    the 5-point X and + of MUST NOT and SHOULD NOT mostly white."""
    fig = plot_compare(combined, layout="facets")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == [INVARIANTS, QPACK]
    for ax in panels:
        lines = data_lines(ax)
        assert len(lines) == 4
        for line in lines:
            assert line.get_markeredgewidth() == 0 and line.get_markersize() == 5


def test_wrap_name_breaks_after_hyphens():
    assert wrap_name(BBR, 33) == "draft-cardwell-iccrg-bbr-\ncongestion-control"
    assert wrap_name(INVARIANTS, 33) == INVARIANTS
    assert wrap_name("draft-x", 3) == "draft-\nx"


def test_long_names_and_single_revisions_stay_readable(frames):
    """Three panels: titles of 43 and 42 characters do not run into each other, a lineage of one
    revision gets whole-revision ticks (not -0.045, -0.030, ...), and 11 phrases make a legend
    of three rows that fits the figure."""
    from draftscope.analyses.keywords import DISPLAY_ORDER

    data = pd.concat([frames[BBR], frames[RATE], frames[INVARIANTS]], ignore_index=True)
    fig = plot_compare(data, list(DISPLAY_ORDER), layout="facets")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().replace("\n", "") for ax in panels] == [BBR, RATE, INVARIANTS]
    boxes = [ax.title.get_window_extent(renderer) for ax in panels]
    assert not boxes[0].overlaps(boxes[1]) and not boxes[1].overlaps(boxes[2])
    rate = panels[1]
    assert len(data_lines(rate)) == 11 and all(len(l.get_xdata()) == 1 for l in data_lines(rate))
    ticks = [t for t in rate.get_xticks() if rate.get_xlim()[0] <= t <= rate.get_xlim()[1]]
    assert ticks == [0.0]   # its one revision, centred (no tick "1" for a revision it lacks)
    legend = fig.legends[0].get_window_extent(renderer)
    assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width
