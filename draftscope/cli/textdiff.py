"""How ``draftscope textdiff`` shows a word-level diff: unified text (``[-old-]{+new+}`` as
``git diff --word-diff`` writes it), the same coloured for a terminal, or one self-contained
side-by-side HTML page. Pure functions over :class:`~draftscope.analyses.changes.SectionTextDiff`
(nothing heavy at import).
"""

from __future__ import annotations

import html
from typing import Iterable, Sequence

RED, GREEN, CYAN, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"
WIDTH = 72


def _pieces(diff) -> list[list[tuple[str, str]]]:
    """The diff as paragraphs of (kind, text) runs: kind ``=``, ``-`` or ``+``. Paragraphs
    follow the new text (the old one's where words were only removed)."""
    old, new = diff.old.words, diff.new.words
    paragraphs: list[list[tuple[str, str]]] = [[]]

    def add(kind: str, words: Sequence[str], starts: Iterable[int], offset: int,
            joined: bool = False) -> None:
        run: list[str] = []
        for k, word in enumerate(words):
            if k + offset in starts and (run or paragraphs[-1]) and not (joined and k == 0):
                if run:
                    paragraphs[-1].append((kind, " ".join(run)))
                    run = []
                paragraphs.append([])
            run.append(word)
        if run:
            paragraphs[-1].append((kind, " ".join(run)))

    for tag, i1, i2, j1, j2 in diff.opcodes:
        if tag == "equal":
            add("=", new[j1:j2], diff.new.paragraph_starts, j1)
            continue
        if i2 > i1:
            add("-", old[i1:i2], diff.old.paragraph_starts, i1)
        if j2 > j1:   # replaced words that open a paragraph on both sides share one paragraph
            add("+", new[j1:j2], diff.new.paragraph_starts, j1,
                joined=i2 > i1 and i1 in diff.old.paragraph_starts)
    return [p for p in paragraphs if p]


def _heading(diff) -> str:
    if diff.change.from_label and diff.change.to_label and diff.change.from_label != diff.change.to_label:
        where = f"{diff.change.to_label} (was {diff.change.from_label})"
    else:
        where = diff.change.to_label or diff.change.from_label
    return (f"@@ {where}: {diff.change.change}, +{diff.change.words_added} "
            f"-{diff.change.words_removed} words @@")


def _wrap(text: str, width: int = WIDTH) -> list[str]:
    """Greedy word wrap (what textwrap does for text of single-spaced words, 10x faster)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in text.split(" "):
        if line and used + 1 + len(word) > width:
            lines.append(" ".join(line))
            line, used = [], 0
        used += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines or [""]


def render_text(label_old: str, label_new: str, diffs: Sequence, *, color: bool = False,
                context: bool = False) -> str:
    """Unified word-diff text: a heading per changed section and its changed paragraphs
    (``context``: the unchanged ones too), removed words as ``[-...-]`` and added ones as
    ``{+...+}``, or red and green with ``color``."""
    marks = ({"-": (RED, RESET), "+": (GREEN, RESET), "=": ("", "")} if color
             else {"-": ("[-", "-]"), "+": ("{+", "+}"), "=": ("", "")})
    out = [f"--- {label_old}", f"+++ {label_new}"]
    if color:
        out = [f"{BOLD}{line}{RESET}" for line in out]
    for diff in diffs:
        if diff.change.change == "unchanged" and not context:
            continue
        heading = _heading(diff)
        out.append(f"{CYAN}{heading}{RESET}" if color else heading)
        skipped = 0
        for paragraph in _pieces(diff):
            if not context and all(kind == "=" for kind, _ in paragraph):
                skipped += 1
                continue
            if skipped:
                out.append(f"   ({skipped} unchanged paragraph{'s' if skipped > 1 else ''})")
                skipped = 0
            text = " ".join(f"{marks[kind][0]}{words}{marks[kind][1]}" for kind, words in paragraph)
            out.extend("   " + line for line in _wrap(text))
            out.append("")
        if skipped:
            out.append(f"   ({skipped} unchanged paragraph{'s' if skipped > 1 else ''})")
    return "\n".join(out).rstrip() + "\n"


STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.2em}h2{font-size:1em;margin:1.6em 0 .4em;background:#eef;padding:.3em .5em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td{vertical-align:top;padding:.3em .6em;border-bottom:1px solid #eee;width:50%;
font-family:ui-monospace,monospace;font-size:12.5px;white-space:pre-wrap;overflow-wrap:anywhere}
del{background:#fdd;color:#900;text-decoration:line-through}ins{background:#dfd;color:#060;
text-decoration:none}.kind{color:#666;font-weight:normal}.legend{color:#555}
"""


def _side(runs: list[tuple[str, str]], keep: str) -> str:
    parts = []
    for kind, words in runs:
        if kind == "=":
            parts.append(html.escape(words))
        elif kind == keep:
            tag = "del" if kind == "-" else "ins"
            parts.append(f"<{tag}>{html.escape(words)}</{tag}>")
    return " ".join(parts)


def render_html(label_old: str, label_new: str, diffs: Sequence, *, context: bool = False) -> str:
    """One self-contained HTML page: per changed section, its paragraphs side by side (old on
    the left with removed words struck, new on the right with added words marked)."""
    title = f"{label_old} → {label_new}"
    body = [f"<h1>{html.escape(title)}</h1>",
            '<p class="legend">Word-level diff of the unpaged text (reflow, page breaks and '
            'running headers are no change): <del>removed</del>, <ins>added</ins>.</p>']
    for diff in diffs:
        if diff.change.change == "unchanged" and not context:
            continue
        body.append(f"<h2>{html.escape(_heading(diff).strip('@ '))}</h2>")
        body.append(f"<table><tr><th>{html.escape(label_old)}</th>"
                    f"<th>{html.escape(label_new)}</th></tr>")
        for paragraph in _pieces(diff):
            if not context and all(kind == "=" for kind, _ in paragraph):
                continue
            body.append(f"<tr><td>{_side(paragraph, '-')}</td><td>{_side(paragraph, '+')}</td></tr>")
        body.append("</table>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
