"""draftscope: how IETF Internet-Drafts change from revision to revision.

The pipeline, one sub-package per stage, data flowing forward only:

    fetch (datatracker client, cache) -> text (normalise published text and XML)
    -> analyses (keywords, definitions and their diffs) -> tables -> archive (a whole mirror
    scanned into a dataset) -> plots

with a thin CLI (:mod:`draftscope.cli`) and notebooks on top of this module's API. Names below
are imported lazily so that ``import draftscope`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # fetch: a Session owns settings, cache and the one HTTP client; the free functions open
    # one per call
    "Session": "draftscope.fetch.session",
    "fetch_lineage": "draftscope.fetch.session",
    "fetch_lineages": "draftscope.fetch.session",
    "resolve_target": "draftscope.fetch.session",
    "FetchResult": "draftscope.fetch.records",
    "Lineages": "draftscope.fetch.records",
    "Revision": "draftscope.fetch.records",
    "Settings": "draftscope.fetch.config",
    "sync_lineage": "draftscope.fetch.session",
    "group_drafts": "draftscope.fetch.session",
    "list_group_documents": "draftscope.fetch.datatracker",
    # text
    "load_document": "draftscope.text.document",
    "Document": "draftscope.text.document",
    # analyses
    "count_keywords": "draftscope.analyses.keywords",
    "extract_definitions": "draftscope.analyses.definitions",
    "read_definitions": "draftscope.analyses.definitions",
    "diff_definitions": "draftscope.analyses.definitions",
    "definition_history": "draftscope.analyses.definitions",
    "definition_story": "draftscope.analyses.definitions.story", "definition_stories": "draftscope.analyses.definitions.story",
    "section_changes": "draftscope.analyses.changes", "text_diff": "draftscope.analyses.changes",
    # tables
    "keywords_frame": "draftscope.tables.keywords",
    "keyword_records": "draftscope.tables.keywords",
    "definitions_frame": "draftscope.tables.definitions",
    "history_frame": "draftscope.tables.definitions",
    "group_frame": "draftscope.tables.group",
    "analyse_lineages": "draftscope.tables.compare",
    "compare_frame": "draftscope.tables.compare",
    "summary_frame": "draftscope.tables.compare",
    "story_frame": "draftscope.tables.story",
    "changes_frame": "draftscope.tables.changes",
    "group_timeline": "draftscope.tables.timeline",
    "timeline_frame": "draftscope.tables.timeline",
    # plots
    "plot_keywords": "draftscope.plots.keywords",
    "keyword_series": "draftscope.plots.keywords",
    "plot_definitions": "draftscope.plots.definitions",
    "plot_changes": "draftscope.plots.changes", "changes_grid": "draftscope.plots.changes",
    "plot_compare": "draftscope.plots.compare",
    "plot_group": "draftscope.plots.group",
    "make_figures": "draftscope.plots.figures",
    "draw_definition": "draftscope.plots.bitdiagram", "draw_story": "draftscope.plots.bitdiagram",
    "parse_revisions": "draftscope.plots.keywords",
    "lineage_keywords": "draftscope.plots.figures",
    "files_keywords": "draftscope.plots.figures",
    "render_drawings": "draftscope.plots.render", "render_story": "draftscope.plots.render",
    "Story": "draftscope.plots.render", "DrawingFiles": "draftscope.plots.render",
    "DrawnDefinition": "draftscope.plots.bitdiagram", "DrawnStory": "draftscope.plots.storystrip",
    "save_drawing": "draftscope.plots.bitdiagram",
    # outputs
    "save_figure": "draftscope.outputs.figures", "save_images": "draftscope.outputs.figures",
    "layout_definition": "draftscope.outputs.layout", "mermaid_packet": "draftscope.outputs.mermaid",
    "FORMATS": "draftscope.outputs.formats", "get_format": "draftscope.outputs.formats",
    # archive: the whole mirror scanned into a Parquet dataset, and figures over it
    "scan_archive": "draftscope.archive.scan",
    "read_scan": "draftscope.archive.store",
    "write_trend_figures": "draftscope.plots.trends",
    # report: web pages
    "build_report": "draftscope.report.build",
    "build_group_report": "draftscope.report.build",
    # errors (one tree; see draftscope.errors)
    **{name: "draftscope.errors" for name in (
        "DraftscopeError", "InputError", "InvalidNameError", "UsageError", "SettingsError",
        "KeywordsInputError", "DefinitionsInputError", "CompareInputError", "PlotInputError",
        "UnknownDocumentError", "FetchError", "ConnectionFailed", "ThrottledError", "OfflineMissingError",
        "CacheError", "NotRegularFileError", "ParseError", "NoDataError", "OutputError", "ScanInputError",
        "DatasetError")},
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    module_name = _API.get(name)
    if module_name is None:
        raise AttributeError(f"module 'draftscope' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)


def __dir__() -> list[str]:
    return __all__
