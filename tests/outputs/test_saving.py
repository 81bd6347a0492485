"""The output stage's one saver and one atomic write: formats from the registry, temp files
created exclusively under unpredictable names inside the destination folder, a planted symlink
never written through, stale temp files swept, stems and folders that would leave --out refused
(issue 20 item 3), images too large to render refused before rendering (item 1)."""

from __future__ import annotations

import ast
import os
import time
from pathlib import Path

import pytest

from draftscope.errors import PlotInputError
from draftscope.files import OWN_TEMP_RE, atomic_writer, check_stem, sweep_partials, temp_prefix
from draftscope.outputs.figures import MAX_PIXELS, save_images
from draftscope.outputs.formats import (DRAWING_FORMATS, FIGURE_FORMATS, FORMATS, get_format,
                                        parse_image_formats)

PACKAGE = Path(__file__).resolve().parents[2] / "draftscope"


def small_figure(width=2.0, height=1.0):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    fig.add_axes((0, 0, 1, 1)).plot([0, 1], [0, 1])
    return fig


def test_one_registry():
    assert FIGURE_FORMATS == ("png", "svg", "pdf")
    assert DRAWING_FORMATS == ("png", "svg", "pdf", "mermaid")
    assert get_format("mmd").extension == ".mmd" and get_format("md").name == "markdown"
    assert parse_image_formats("PNG, .svg,png") == ("png", "svg")
    assert parse_image_formats("mermaid,png", holds="drawing") == ("mermaid", "png")
    with pytest.raises(PlotInputError, match="choose from png, svg, pdf"):
        parse_image_formats("mermaid")       # a chart has no Mermaid form
    # the formats are spelled out nowhere else, and only files.py renames temp files into place
    tuples, replaces = [], []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple) and [getattr(e, "value", None) for e in node.elts] \
                    == ["png", "svg", "pdf"]:
                tuples.append(str(path.relative_to(PACKAGE)))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "replace" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "os":
                replaces.append(str(path.relative_to(PACKAGE)))
    assert tuples == [] and replaces == ["files.py"]
    assert set(FORMATS) >= {"png", "svg", "pdf", "mermaid", "csv", "json", "markdown"}


def test_a_planted_symlink_is_replaced_not_followed(tmp_path):
    out, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("keep me")
    (out / "fig.png").symlink_to(victim)
    # the old fixed temp names, planted too: never opened now
    (out / ".fig.svg.partial").symlink_to(victim)
    written = save_images(small_figure(), out, "fig", ("png", "svg"))
    assert victim.read_text() == "keep me"
    assert [p.name for p in written] == ["fig.png", "fig.svg"]
    assert not (out / "fig.png").is_symlink() and (out / "fig.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in out.iterdir()) == [".fig.svg.partial", "fig.png", "fig.svg"]


def test_temp_files_are_exclusive_and_unpredictable(tmp_path):
    names = []
    for _ in range(2):
        with atomic_writer(tmp_path / "x.csv") as handle:
            names.append([p.name for p in tmp_path.iterdir()])
            handle.write(b"a,b\n")
    first, second = (n[0] for n in names)
    assert first != second and OWN_TEMP_RE.match(first)
    assert first.startswith(temp_prefix(tmp_path / "x.csv"))
    assert (tmp_path / "x.csv").read_bytes() == b"a,b\n"
    # an error inside leaves the old file and no temp file
    with pytest.raises(RuntimeError):
        with atomic_writer(tmp_path / "x.csv") as handle:
            handle.write(b"half")
            raise RuntimeError("killed")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_stale_temp_files_are_swept(tmp_path):
    dead = tmp_path / f".fig.png.{2**22 + 12345}-{temp_prefix(tmp_path / 'a').split('-')[1][:6]}.abc.part"
    old = tmp_path / ".fig.svg.partial"        # a kill -9 of an older draftscope left it
    fresh = tmp_path / ".fig.pdf.partial"      # maybe another run's, still being written
    link = tmp_path / ".link.png.partial"
    users = tmp_path / ".notes.part"           # not a name draftscope writes: never touched
    for path in (dead, old, fresh, users):
        path.write_bytes(b"half")
    link.symlink_to(fresh)
    hour_ago = time.time() - 7200
    for path in (old, users):
        os.utime(path, (hour_ago, hour_ago))
    removed = sweep_partials(tmp_path)
    assert removed == 2 and not dead.exists() and not old.exists()
    assert fresh.exists() and link.is_symlink() and users.exists()
    save_images(small_figure(), tmp_path, "fig", "png")      # a save sweeps too
    assert [p.name for p in tmp_path.glob(".*.part")] == [".notes.part"]


@pytest.mark.parametrize("stem", ["../x", "a/b", "", ".hidden", "..", "x\x00y"])
def test_stems_that_leave_the_folder_are_refused(tmp_path, stem):
    with pytest.raises(ValueError, match="stem="):
        save_images(small_figure(), tmp_path / "out", stem, "png")
    assert not (tmp_path / "x.png").exists()
    with pytest.raises(ValueError):
        check_stem(stem)


def test_an_empty_out_dir_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlotInputError, match="empty"):
        save_images(small_figure(), "", "fig", "png")
    with pytest.raises(TypeError, match="out_dir="):
        save_images(small_figure(), None, "fig", "png")
    assert list(tmp_path.iterdir()) == []


def test_an_image_too_large_is_refused_before_rendering(tmp_path):
    fig = small_figure(8.0, 2000.0)            # 1200 x 300000 px at 150 dpi
    with pytest.raises(PlotInputError, match="1200 x 300000 pixels"):
        save_images(fig, tmp_path, "tall", "png")
    assert not list(tmp_path.iterdir())
    assert 1200 * 300000 > MAX_PIXELS
