"""The README's "Use" block runs as written against the test server: every line exits 0, and
what each writes is where the README says (results on stdout, figures under figures/)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from draftscope.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def use_block() -> list[str]:
    """The indented ``draftscope ...`` lines of the README's "## Use" section, comments cut."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Use\n", 1)[1].split("\n## ", 1)[0]
    lines = []
    for line in section.splitlines():
        if line.startswith("    draftscope "):
            command = line.strip()
            lines.append(re.split(r"\s+#\s", command, maxsplit=1)[0].strip())
    return lines


def test_the_block_is_found_and_covers_every_command():
    lines = use_block()
    used = {shlex.split(line)[1] for line in lines}
    assert used >= {"fetch", "keywords", "definitions", "diff", "history", "plot",
                    "plot-definitions", "draw", "story", "group", "compare"}


def test_every_use_line_exits_0(datatracker_env, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for line in use_block():
        argv = shlex.split(line)
        code = main(argv[1:] + ["--quiet"] if "--quiet" not in argv else argv[1:])
        out, err = capsys.readouterr()
        assert code == 0, f"{line}\n{err}"
        assert "error" not in err, f"{line}\n{err}"
        assert out.strip(), f"{line}: nothing on stdout"
    figures = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert "draft-ietf-quic-transport_keywords_revisions-00..14.png" in figures
    assert "draft-ietf-quic-transport-27_ack-frame-format.png" in figures
    assert "draft-ietf-quic-transport_ack-frame_story.png" in figures
    assert any(name.startswith("compare") and name.endswith(".png") for name in figures)


def test_intro_lists_every_change_kind_of_the_model():
    """The intro's change kinds follow the model (they went stale once: 'resized, moved' only)."""
    from typing import get_args

    from draftscope.analyses.definitions.model import DefinitionChangeKind, FieldChangeKind

    intro = " ".join(README.read_text(encoding="utf-8").split("\n## ", 1)[0].split())
    fields = ", ".join(k for k in get_args(FieldChangeKind) if k != "unchanged")
    definitions = ", ".join(k for k in get_args(DefinitionChangeKind) if k != "unchanged")
    assert f"per field {fields}; per definition {definitions};" in intro
    assert "(`draw`)" in intro and "(`story`)" in intro
