"""From draft names to figures on disk: the pipeline glue behind ``draftscope plot`` and
``draftscope figures`` (and the notebooks).

:func:`make_figures` regenerates the reference set: one keyword figure per lineage of the MPTCP
blog post (draft-ietf-mptcp-multiaddressed, draft-ietf-mptcp-rfc6824bis) and of QUIC
(draft-ietf-quic-transport), plus Figure 1 of Piraux et al., "Observing the Evolution of QUIC
Implementations" (EPIQ'18). A lineage that cannot be fetched becomes a :class:`FigureFailure`
and the others are still written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from draftscope.errors import DraftscopeError, PlotInputError, one_line
from draftscope.options import DEFAULT_JOBS
from draftscope.plots.keywords import Mark
from draftscope.plots.style import EPIQ_KEYWORDS, SavedFigure

__all__ = ["REFERENCE_FIGURES", "FigureFailure", "FigureSpec", "FiguresResult", "figure_stem",
           "files_keywords", "lineage_keywords", "make_figures", "write_keyword_figure"]

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from draftscope.fetch.config import Settings
    from draftscope.fetch.session import Session


@dataclass(frozen=True)
class FigureSpec:
    """One keyword figure of the reference set."""

    stem: str                                  # file name without extension
    lineage: str                               # draft whose lineage is fetched
    keywords: tuple[str, ...] = EPIQ_KEYWORDS
    revisions: str | None = None               # keep only these, as --revisions takes them
    marks: tuple[Mark, ...] = ()
    title: str | None = None                   # default "Keywords in <lineage>"
    xlabel: str | None = None


_QUIC = "draft-ietf-quic-transport"

REFERENCE_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("draft-ietf-mptcp-multiaddressed_keywords", "draft-ietf-mptcp-multiaddressed"),
    FigureSpec("draft-ietf-mptcp-rfc6824bis_keywords", "draft-ietf-mptcp-rfc6824bis"),
    FigureSpec(f"{_QUIC}_keywords", _QUIC),
    # EPIQ'18 Figure 1: drafts 00..14, raw counts, the study began in spring 2018 (draft 10)
    FigureSpec(
        "epiq18_quic_transport_keywords", _QUIC,
        revisions=f"{_QUIC}-00..14",
        marks=(Mark(f"{_QUIC}-10", "study start"),),
        title=f"Keywords in {_QUIC}",
        xlabel="Draft version",
    ),
)


@dataclass(frozen=True)
class FigureFailure:
    """A figure not written, and why, in one line."""

    stem: str
    lineage: str
    message: str

    def __str__(self) -> str:
        # the fetch stage's messages name the draft already; say it only when one does not
        reason = self.message if self.lineage in self.message else f"{self.lineage}: {self.message}"
        return f"{self.stem} not written: {reason}"


@dataclass
class FiguresResult:
    """What :func:`make_figures` wrote and what it could not."""

    written: list[SavedFigure] = field(default_factory=list)
    failures: list[FigureFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def lineage_keywords(
    name: str,
    *,
    settings: "Settings | None" = None,
    offline: bool = False,
    refresh: bool = False,
    progress: bool | None = None,
    sizes: bool = False,
    session: "Session | None" = None,
    jobs: int = DEFAULT_JOBS,
) -> "pd.DataFrame":
    """Fetch ``name``'s lineage (what the cache lacks) and count its keywords per revision.

    With ``sizes`` the frame also has ``pages`` and ``words`` (needed to normalise).
    ``progress`` is the fetch stage's: a bar on stderr (None: only when it is a terminal).
    ``session``: fetch through it (else one opened from settings/offline/refresh/progress).
    """
    from draftscope.fetch.session import open_session
    from draftscope.tables.keywords import keywords_frame

    with open_session(session, settings=settings, offline=offline, refresh=refresh,
                      progress=progress, jobs=jobs) as fetching:
        revisions = fetching.lineage(name).revisions
    revisions = [r for r in revisions if r.format == "txt"] or revisions
    return keywords_frame(revisions, sizes=sizes)


def files_keywords(
    paths: Sequence[str | Path],
    *,
    settings: "Settings | None" = None,
    sizes: bool = False,
    session: "Session | None" = None,
) -> "pd.DataFrame":
    """Keyword counts of local .txt/.xml files as one lineage, in the order given: an author's
    unpublished revisions. Archive-style names (``draft-x-07.txt``) keep their name and
    revision (and their date, when a cached lineage lists them); other files (``notes.txt``)
    are revisions of the first archive-style file's name (or of the first file's, when none
    is), each labelled by its own file name."""
    import dataclasses

    from draftscope.fetch.session import open_session
    from draftscope.tables.keywords import keywords_frame

    with open_session(session, settings=settings, offline=True) as local:
        revisions = [revision for path in paths for revision in local.resolve(Path(path))]
    unnamed = [r for r in revisions if not r.rev]
    if unnamed:
        lineage = next((r.name for r in revisions if r.rev), unnamed[0].name)
        revisions = [dataclasses.replace(r, name=lineage, rev=r.name) if not r.rev else r
                     for r in revisions]
    seen: dict[tuple[str, str], str] = {}
    for path, revision in zip(paths, revisions):
        key = (revision.name, revision.rev)
        if key in seen:   # e.g. draft-x-07.txt and draft-x-07.xml: two points at one revision
            raise PlotInputError(f"{revision.label} given twice ({seen[key]} and {path}): "
                                 "plot one file per revision")
        seen[key] = str(path)
    return keywords_frame(revisions, sizes=sizes)


def figure_stem(name: str, *, keywords: Sequence[str] = EPIQ_KEYWORDS, normalize: str = "none",
                align: str = "revision", revisions: str | Sequence[str] | None = None) -> str:
    """The file name (no extension) of a keyword figure, naming every option that changes what
    is drawn, so two figures of one draft never overwrite each other:
    ``draft-x_keywords``, ``draft-x_keywords_per-page``, ``draft-x_keywords_all_by-date``,
    ``draft-x_keywords_must+should_revisions-00..14``."""
    from draftscope.analyses.keywords import DISPLAY_ORDER

    parts = [f"{name}_keywords"]
    keywords = list(dict.fromkeys(keywords))
    if keywords == list(DISPLAY_ORDER):
        parts.append("all")
    elif keywords != list(EPIQ_KEYWORDS):
        parts.append("+".join(k.lower().replace(" ", "-") for k in keywords))
    if normalize != "none":
        parts.append(normalize)
    if align != "revision":
        parts.append(f"by-{align}")
    if revisions is not None:
        text = revisions if isinstance(revisions, str) else ",".join(revisions)
        text = text.replace(f"{name}-", "").replace("/", "-").replace(" ", "")
        parts.append(f"revisions-{text}")
    return "_".join(parts)


def write_keyword_figure(
    frame: "pd.DataFrame",
    out_dir: str | Path,
    stem: str,
    *,
    keywords: Sequence[str] = EPIQ_KEYWORDS,
    normalize: str = "none",
    align: str = "revision",
    marks: Sequence[Mark | str] = (),
    revisions: str | Iterable[str] | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    figsize: tuple[float, float] | None = None,
    formats: str | Sequence[str] = ("png", "svg"),
    dpi: int | None = None,
    explain: Sequence = (),
    style: str | None = "house",
) -> SavedFigure:
    """Draw one keyword figure and write it as ``stem.<format>`` for each of ``formats`` and
    ``stem.csv`` (the data drawn), in the house style unless ``style=None``; ``explain``: notes
    for its jumps (plots.explain)."""
    from draftscope.plots.keywords import keyword_series, parse_revisions, plot_keywords
    from draftscope.plots.style import save_figure

    if isinstance(revisions, str):
        revisions = parse_revisions(revisions)
    revisions = list(revisions) if revisions is not None else None
    fig = plot_keywords(frame, keywords, normalize=normalize, align=align, marks=marks,
                        revisions=revisions, title=title, xlabel=xlabel, figsize=figsize,
                        explain=explain, style=style)
    data = keyword_series(frame, keywords, normalize=normalize, revisions=revisions)
    return save_figure(fig, data, out_dir, stem, formats=formats, dpi=dpi)


def make_figures(
    out_dir: str | Path = "figures",
    *,
    settings: "Settings | None" = None,
    offline: bool = False,
    refresh: bool = False,
    figures: Sequence[FigureSpec] = REFERENCE_FIGURES,
    progress: bool | None = None,
    on_figure: Callable[[str], Any] | None = None,
    formats: str | Sequence[str] = ("png", "svg"),
    dpi: int | None = None,
    figsize: tuple[float, float] | None = None,
    jobs: int = DEFAULT_JOBS,
) -> FiguresResult:
    """Regenerate the reference figures into ``out_dir``, fetching what the cache lacks.

    Each lineage is fetched and counted once, however many figures use it. A lineage that
    fails (unknown, unreachable, missing offline) is recorded in ``result.failures`` and the
    other figures are still written. ``progress`` is passed to the fetch stage;
    ``on_figure(stem)`` is called once each figure is done, written or failed (a progress bar
    over figures then reaches its end with the last one, not when it starts). ``formats``,
    ``dpi`` and ``figsize`` are :func:`write_keyword_figure`'s, for every figure.
    """
    result = FiguresResult()
    frames: dict[str, "pd.DataFrame | DraftscopeError"] = {}
    for spec in figures:
        if spec.lineage not in frames:
            try:
                frames[spec.lineage] = lineage_keywords(
                    spec.lineage, settings=settings, offline=offline, refresh=refresh,
                    progress=progress, jobs=jobs)
            except DraftscopeError as exc:
                frames[spec.lineage] = exc
        frame = frames[spec.lineage]
        if isinstance(frame, DraftscopeError):
            result.failures.append(FigureFailure(spec.stem, spec.lineage, one_line(frame)))
        else:
            result.written.append(write_keyword_figure(
                frame, out_dir, spec.stem, keywords=spec.keywords, marks=spec.marks,
                revisions=spec.revisions, title=spec.title, xlabel=spec.xlabel,
                formats=formats, dpi=dpi, figsize=figsize,
            ))
        if on_figure is not None:
            on_figure(spec.stem)
    return result
