"""A notebook user's script, as written against the public API: three lineages counted in one
call, drawn with ``plot_keywords(ax=...)`` and ``plot_compare(ax=...)`` into one figure of the
user's own, under the user's rcParams (a serif font, a cream background) and seaborn palette.
The library draws in the user's look; the house style is what the CLI asks for (``style=``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

from conftest import served_corpus

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"
BBR = "draft-cardwell-iccrg-bbr-congestion-control"
CREAM = "#fdf6e3"
USER_RC = {"font.family": "serif", "axes.facecolor": CREAM, "figure.facecolor": CREAM}


@pytest.fixture(scope="module")
def frame(corpus_dir, tmp_path_factory):
    """``keywords_frame(fetch_lineages(names))``: rfc8999 stands for the invariants lineage."""
    import draftscope

    with served_corpus(corpus_dir, tmp_path_factory.mktemp("cache")):
        lineages = draftscope.fetch_lineages(["rfc8999", QPACK, BBR], progress=False)
        return draftscope.keywords_frame(lineages)


def test_one_call_counts_three_lineages_and_every_row_says_its_lineage(frame):
    assert list(frame.columns) == ["lineage", "name", "rev", "label", "date", "keyword", "count"]
    assert list(dict.fromkeys(frame["lineage"])) == [INVARIANTS, QPACK, BBR]
    must = frame[frame["keyword"] == "MUST"].set_index("label")["count"]
    # RFC 8999: 6 "MUST" (not "MUST NOT") in the text, one of them in the BCP 14 boilerplate
    assert must["rfc8999"] == 5 and must[f"{INVARIANTS}-00"] == 2
    assert must["rfc9204"] == 28 and must[f"{BBR}-02"] == 2
    rfc_rows = frame[frame["name"].isin(["rfc8999", "rfc9204"])]
    assert dict(zip(rfc_rows["name"], rfc_rows["lineage"])) == {"rfc8999": INVARIANTS,
                                                                "rfc9204": QPACK}
    assert frame["date"].notna().all()


def _data_lines(ax):
    """The lines drawn for data (not legend proxies, not the name-change marks)."""
    return [line for line in ax.lines if len(line.get_xdata())
            and line.get_gid() != "lineage-step"]


def _names(ax):
    """What names the lines: the legend's texts, and texts written in the axes."""
    legend = ax.get_legend()
    return [*(legend.get_texts() if legend is not None else []), *ax.texts]


def _draw(frame, **look):
    import draftscope
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4), layout="constrained")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    draftscope.plot_keywords(frame[frame["lineage"] == QPACK], ax=left, **look)
    draftscope.plot_compare(frame, ["MUST"], ax=right, **look)
    fig.canvas.draw()
    return fig, left, right


def test_plots_wear_the_users_font_background_and_palette(frame):
    import matplotlib as mpl
    import seaborn as sns
    from matplotlib.colors import to_hex

    from draftscope.plots.keywords import keyword_line_gid

    with mpl.rc_context(USER_RC):
        sns.set_palette("colorblind")     # rc_context restores the colour cycle on exit
        colorblind = [to_hex(c) for c in sns.color_palette("colorblind")]
        fig, left, right = _draw(frame)
    assert to_hex(fig.get_facecolor()) == CREAM
    for ax in (left, right):
        assert to_hex(ax.get_facecolor()) == CREAM
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *_names(ax)]
        assert all(t.get_fontfamily() == ["serif"] for t in texts), \
            {t.get_text(): t.get_fontfamily() for t in texts}
    # one line per phrase in the user's palette, in the phrases' order (MUST first)
    lines = {line.get_gid(): to_hex(line.get_color()) for line in _data_lines(left)}
    assert [lines[keyword_line_gid(k)] for k in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT")] \
        == colorblind[:4]
    # one line per lineage, in the user's palette, in the frame's order
    assert [to_hex(line.get_color()) for line in _data_lines(right)] == colorblind[:3]



def test_the_house_style_is_asked_for_not_imposed(frame):
    """style="house" (what the CLI passes) draws the house colours on a white grid, whatever
    the user's rcParams (in the user's own Axes: the house lines and text, the user's
    background); a palette= alone colours the lines and leaves the rest alone."""
    import draftscope
    import matplotlib as mpl
    import seaborn as sns
    from matplotlib.colors import to_hex

    from draftscope.plots.compare import draft_palette
    from draftscope.plots.style import keyword_palette

    with mpl.rc_context(USER_RC):
        own = draftscope.plot_keywords(frame[frame["lineage"] == QPACK], style="house")
        _fig, left, right = _draw(frame, style="house")
    assert to_hex(own.get_facecolor()) == "#ffffff"
    assert to_hex(own.axes[0].get_facecolor()) == "#ffffff"
    assert own.axes[0].title.get_fontfamily() == ["sans-serif"]
    house = keyword_palette(["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"])
    assert [to_hex(line.get_color()) for line in _data_lines(left)] \
        == [to_hex(c) for c in house.values()]
    assert [to_hex(line.get_color()) for line in _data_lines(right)] \
        == [to_hex(c) for c in draft_palette([INVARIANTS, QPACK, BBR]).values()]

    with mpl.rc_context(USER_RC):
        _fig, left, _right = _draw(frame, palette="Set2")
    assert to_hex(left.get_facecolor()) == CREAM
    assert [to_hex(line.get_color()) for line in _data_lines(left)] \
        == [to_hex(c) for c in sns.color_palette("Set2")[:4]]


def test_misuse_names_the_parameter(frame):
    import draftscope
    from draftscope.errors import PlotInputError

    with pytest.raises(PlotInputError, match=r"frame= holds 3 lineages .* plot_compare"):
        draftscope.plot_keywords(frame)
    with pytest.raises(TypeError, match=r"ax= must be a matplotlib Axes"):
        draftscope.plot_compare(frame, ["MUST"], ax="left")
    with pytest.raises(PlotInputError, match=r"style= must be 'house' or None"):
        draftscope.plot_compare(frame, ["MUST"], style="fancy")
    with pytest.raises(TypeError, match=r"revisions= takes Revisions .* not str"):
        draftscope.keywords_frame("draft-ietf-quic-qpack")
    with pytest.raises(TypeError, match=r"revisions= takes .* not PosixPath .*resolve\(path\)"):
        draftscope.keywords_frame([__import__("pathlib").Path("draft-x-00.txt")])
    with pytest.raises(TypeError, match=r"lineages= takes \{lineage: \[Revision\]\}"):
        draftscope.analyse_lineages(None)
