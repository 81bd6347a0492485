"""How a lineage reads on a figure: its names and revisions as labels, where the name changes
(individual draft -> WG draft -> RFC), which revisions ``--revisions`` picks, and the notes a
reader needs (the names line under the title, a normalised value stepping with the text's size).
Pure functions over the keyword figures' series (``name, rev, position, label`` ...): no
matplotlib here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from draftscope.errors import PlotInputError
from draftscope.fetch.names import document_kind, is_rfc  # noqa: F401 - document_kind public here

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# A normalised value's step at a name change is explained on the figure when the size it is
# divided by changes by this fraction or more (RFC 9000 is 12% shorter than draft 34).
SIZE_STEP_NOTE = 0.10


@dataclass(frozen=True)
class LineageStep:
    """Where the lineage changes name: the first revision of ``name`` sits at ``position``."""

    position: int
    name: str
    kind: str  # "individual" | "wg" | "rfc"


def display_name(name: str) -> str:
    """``rfc9000`` -> ``RFC 9000``; draft names unchanged."""
    match = re.fullmatch(r"rfc(\d+)", name)
    return f"RFC {match.group(1)}" if match else name


def tick_label(name: str, rev: str) -> str:
    """Tick text for one revision: ``07`` for a draft, ``RFC 9000`` for an RFC, the file's name
    for a local file that has no revision number."""
    return display_name(name) if is_rfc(name) or not rev else rev


def revision_label(name: str, rev: str) -> str:
    """``draft-x-07`` / ``RFC 9000`` / a local file's name: one revision in a sentence."""
    if is_rfc(name):
        return display_name(name)
    return f"{name}-{rev}" if rev else name


def parse_revisions(text: str | Iterable[str]) -> list[str]:
    """``"00..14"`` -> ``["00", ..., "14"]``; ``"10,12,rfc9000"`` -> those three. Items are
    revision labels as :func:`keyword_series` takes them (``07``, ``draft-x-07``, ``rfc9000``);
    a range ``A..B`` (two revision numbers, optionally after a draft name: ``draft-x-00..14``)
    stands for every revision from A to B."""
    items = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    labels: list[str] = []
    for item in items:
        if not item:
            continue
        if ".." not in item:
            labels.append(item)
            continue
        match = re.fullmatch(r"(?:(draft-[a-z0-9-]+)-)?(\d{1,3})\.\.(?:(draft-[a-z0-9-]+)-)?(\d{1,3})",
                             item, re.IGNORECASE)
        if match is None or (match.group(3) and match.group(3) != match.group(1)):
            raise PlotInputError(f"revisions=: {item!r} is not a range of revisions "
                                 f"(write e.g. 00..14 or draft-x-00..14)")
        first, last = int(match.group(2)), int(match.group(4))
        if first > last:
            raise PlotInputError(f"revisions=: {item!r} runs backwards")
        prefix = f"{match.group(1)}-" if match.group(1) else ""
        labels.extend(f"{prefix}{i:02d}" for i in range(first, last + 1))
    if not labels:
        raise PlotInputError("revisions=: no revision given")
    return list(dict.fromkeys(labels))


def _matches_any(key: tuple[str, str], wanted: list[str]) -> bool:
    name, rev = key
    return any(w in (rev, f"{name}-{rev}", name if is_rfc(name) else None) for w in wanted)


def missing_revisions(frame: "pd.DataFrame", revisions: Iterable[str]) -> list[str]:
    """The revisions asked for (as ``--revisions`` writes them) that ``frame`` does not have."""
    keys = list(dict.fromkeys(zip(frame["name"], frame["rev"])))
    return [w for w in revisions if not any(_matches_any(key, [w]) for key in keys)]


def revision_span(frame: "pd.DataFrame") -> str:
    """The revisions of a lineage in a few words: ``00..13, rfc8999``."""
    parts: list[str] = []
    runs = _runs(list(dict.fromkeys(zip(frame["name"], frame["rev"]))))
    named = len([n for n, _ in runs if not is_rfc(n)]) > 1   # say whose 00..03
    for name, revs in runs:
        if is_rfc(name):
            parts.append(name)
        elif revs:
            span = revs[0] if len(revs) == 1 else f"{revs[0]}..{revs[-1]}"
            parts.append(f"{name}-{span}" if named else span)
    return ", ".join(parts)


def lineage_steps(series: "pd.DataFrame") -> list[LineageStep]:
    """The first revision of each name in the lineage (the first one included)."""
    steps: list[LineageStep] = []
    revisions = series.drop_duplicates("position").sort_values("position")
    previous = None
    for name, position in zip(revisions["name"], revisions["position"]):
        if name != previous:
            steps.append(LineageStep(int(position), name, document_kind(name)))
        previous = name
    return steps


def names_line(series: "pd.DataFrame", title: str = "") -> str:
    """The names of a lineage with their revisions, read under the title: ``draft-ford-x 00-03
    -> draft-ietf-x 00-12 -> RFC 6824``; empty for a lineage of one name (the title names it)."""
    revisions = series.drop_duplicates("position").sort_values("position")
    parts: list[str] = []
    for index, (name, rows) in enumerate(_runs(list(zip(revisions["name"], revisions["rev"])))):
        if is_rfc(name):
            parts.append(display_name(name))
            continue
        revs = [r for r in rows if r]
        span = "" if not revs else (f" {revs[0]}" if len(revs) == 1 else f" {revs[0]}\u2013{revs[-1]}")
        if index == 0 and name in title and revs:   # the title names it already
            parts.append(f"draft{'s' if len(revs) > 1 else ''}{span}")
        else:
            parts.append(f"{name}{span}")
    return "  \u2192  ".join(parts) if len(parts) > 1 else ""


def _runs(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    runs: list[tuple[str, list[str]]] = []
    for name, rev in pairs:
        if runs and runs[-1][0] == name:
            runs[-1][1].append(rev)
        else:
            runs.append((name, [rev]))
    return runs


def size_step_note(series: "pd.DataFrame", normalize: str) -> str:
    """One line saying where a normalised value steps because the text's size changed at a
    name change (the RFC drops the drafts' change log: 12% fewer words than draft 34), so the
    step is not read as a change in requirements; empty when no size changed that much."""
    column = "pages" if normalize == "per-page" else "words"
    if column not in series.columns:
        return ""
    revisions = series.drop_duplicates("position").sort_values("position")
    sizes = list(zip(revisions["name"], revisions["label"], revisions[column]))
    notes = []
    for (name_a, label_a, size_a), (name_b, label_b, size_b) in zip(sizes, sizes[1:]):
        if name_a == name_b or not size_a or not size_b:
            continue
        change = (size_b - size_a) / size_a
        if abs(change) >= SIZE_STEP_NOTE:
            unit = "pages" if column == "pages" else "words"
            notes.append(f"{_short(name_b, label_b)} has {abs(change):.0%} "
                         f"{'fewer' if change < 0 else 'more'} {unit} than "
                         f"{_short(name_a, label_a)} ({size_b:,} vs {size_a:,})")
    if not notes:
        return ""
    what = "per page" if column == "pages" else "per 1000 words"
    return ("; ".join(notes) + f": values {what} step there with the text's size, "
            "not with its keywords")


def _short(name: str, label: str) -> str:
    """``draft 34`` / ``RFC 9000`` in a note (the names line says which draft)."""
    return label if is_rfc(name) or not label.isdigit() else f"draft {label}"


def lineage_title(series: "pd.DataFrame") -> str:
    """The name a lineage goes by: its last draft name (the WG draft), else the RFC."""
    names = list(dict.fromkeys(series.sort_values("position")["name"]))
    drafts = [n for n in names if not is_rfc(n)]
    return drafts[-1] if drafts else display_name(names[-1])
