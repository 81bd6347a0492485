"""Protocol definitions (packet, frame, option and message formats): extract, match, diff, history.

Every notation is read into one field model (:mod:`.model`) by its reader, registered in
:mod:`.notations` (ASCII box diagrams, QUIC field lists, the TLS presentation language);
:func:`read_definitions` also lists the figures it could not read (:class:`Unread`). :mod:`.match` pairs definitions and fields across revisions, :mod:`.diff` reports
what changed between two documents and :mod:`.history` follows every definition along a lineage.
"""

from __future__ import annotations

from draftscope.analyses.definitions.diff import diff_definition_lists, diff_definitions
from draftscope.analyses.definitions.extract import extract_definitions, read_definitions
from draftscope.analyses.definitions.history import definition_history
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionChange,
    DefinitionHistory,
    DefinitionLife,
    DefinitionsDiff,
    Extraction,
    Field,
    FieldChange,
    HistoryEvent,
    Unread,
    Variant,
)

__all__ = [
    "Definition", "DefinitionChange", "DefinitionHistory", "DefinitionLife", "DefinitionsDiff",
    "Extraction", "Field", "FieldChange", "HistoryEvent", "Unread", "Variant", "definition_history",
    "diff_definition_lists", "diff_definitions", "extract_definitions", "read_definitions",
]
