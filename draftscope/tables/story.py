"""A definition's story as rows: plain dicts for CSV (no pandas, for the CLI), a tidy DataFrame
for notebooks, and the Markdown page ``draftscope story`` writes beside its figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from draftscope.analyses.definitions.story import StoryStep
from draftscope.fetch.names import is_rfc

STORY_COLUMNS = ["key", "step", "name", "rev", "label", "date", "change", "definition", "notation",
                 "fields", "fields_added", "fields_removed", "fields_changed", "what"]
# story_frame's: the revision's identity first, as every frame has it
FRAME_COLUMNS = ["lineage", "name", "rev", "label", "date",
                 *(c for c in STORY_COLUMNS if c not in ("name", "rev", "label", "date"))]

CHANGE_WORDS = {"added": "first drawn", "changed": "changed", "redrawn": "redrawn",
                "removed": "removed"}


def story_records(steps: Sequence[StoryStep]) -> list[dict[str, Any]]:
    """One row per step; see :func:`story_frame` for the columns."""
    rows = []
    for s in steps:
        changes = [fc for fc in s.field_changes if fc.change != "unchanged"]
        rows.append({
            "key": s.key, "step": s.index + 1, "name": s.name, "rev": s.rev, "label": s.label,
            "date": s.date.isoformat() if hasattr(s.date, "isoformat") else s.date,
            "change": s.change,
            "definition": s.definition_name,
            "notation": s.definition.notation if s.definition is not None else "",
            "fields": len(s.definition.fields) if s.definition is not None and s.change != "removed" else 0,
            "fields_added": sum(fc.change == "added" for fc in changes),
            "fields_removed": sum(fc.change == "removed" for fc in changes),
            "fields_changed": sum(fc.change not in ("added", "removed") for fc in changes),
            "what": s.summary,
        })
    return rows


def story_frame(steps_or_stories: Sequence[StoryStep] | Mapping[str, Sequence[StoryStep]]
                | Mapping[str, Mapping[str, Sequence[StoryStep]]], *, lineage: str | None = None):
    """Tidy DataFrame of one or more stories: one row per step.

    ``steps_or_stories``: one story's steps, ``definition_stories``' ``{key: steps}``, or many
    lineages' ``{lineage: {key: steps}}``. Columns: ``lineage`` (the key of the outer mapping,
    else ``lineage``, else the last draft name among the steps, as ``fetch_lineages`` names a
    lineage), ``name, rev, label, date`` (the revision; ``date`` a UTC datetime), ``key`` (the
    definition's identity across renames), ``step`` (1-based in its story), ``change``
    (``added`` = first drawn, ``changed``, ``redrawn``, ``removed``), ``definition`` (its name
    at that revision), ``notation``, ``fields`` (how many it has then), ``fields_added,
    fields_removed, fields_changed`` (against the previous step), ``what`` (the changes in
    words).
    """
    import pandas as pd

    rows = []
    for own, steps in _by_lineage(steps_or_stories, lineage):
        rows += [{"lineage": own, **row} for row in story_records(steps)]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    for column in ("step", "fields", "fields_added", "fields_removed", "fields_changed"):
        frame[column] = frame[column].astype(int)
    return frame


def _by_lineage(steps_or_stories: Any, lineage: str | None) -> list[tuple[str, list[StoryStep]]]:
    if isinstance(steps_or_stories, Mapping) and all(
            isinstance(v, Mapping) for v in steps_or_stories.values()):
        return [(str(own), _flatten(stories)) for own, stories in steps_or_stories.items()]
    steps = _flatten(steps_or_stories)
    drafts = [s.name for s in steps if not is_rfc(s.name)]
    return [(lineage or (drafts[-1] if drafts else steps[-1].name if steps else ""), steps)]


def _flatten(steps_or_stories: Any) -> list[StoryStep]:
    if isinstance(steps_or_stories, Mapping):
        return [s for steps in steps_or_stories.values() for s in steps]
    return list(steps_or_stories)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def story_markdown(steps: Sequence[StoryStep], *, lineage: str = "",
                   images: Mapping[int, str] | None = None, strip: str | None = None,
                   mermaid: Mapping[int, str] | None = None) -> str:
    """The story of one definition as Markdown: a table of steps, then each step with its
    figure (``images``: step index -> relative path; ``mermaid``: step index -> packet-beta
    text, embedded as a fenced block that GitHub and blogs render) and its changes as a list."""
    if not steps:
        return ""
    key = steps[0].key
    where = f" in {lineage}" if lineage else ""
    out = [f"# {key}: its story{where}", ""]
    span = f"{steps[0].label} ({steps[0].date_text or 'date unknown'})"
    out.append(f"{len(steps)} step{'s' if len(steps) != 1 else ''}, from {span} to "
               f"{steps[-1].label} ({steps[-1].date_text or 'date unknown'}).")
    out.append("")
    if strip:
        out += [f"![{_cell(key)}, every step]({strip})", ""]
    out += ["| step | revision | date | change | what changed |", "| --- | --- | --- | --- | --- |"]
    for s in steps:
        out.append(f"| {s.index + 1} | {s.label} | {s.date_text} | {CHANGE_WORDS.get(s.change, s.change)} "
                   f"| {_cell(s.summary)} |")
    for s in steps:
        title = s.definition_name
        out += ["", f"## {s.index + 1}. {s.label}" + (f" ({s.date_text})" if s.date_text else "")
                + f": {CHANGE_WORDS.get(s.change, s.change)}", ""]
        if title != key:
            out += [f"Drawn as *{title}*.", ""]
        if images and s.index in images:
            out += [f"![{_cell(title)} in {s.label}]({images[s.index]})", ""]
        if mermaid and s.index in mermaid:
            out += ["```mermaid", mermaid[s.index].rstrip("\n"), "```", ""]
        out += [f"- {w}" for w in s.words]
    return "\n".join(out) + "\n"
