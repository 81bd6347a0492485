"""Protocol definitions (packet, frame, option and message formats): extract, match, diff, history.

Three notations are read into one field model (:mod:`.model`): ASCII box diagrams
(:mod:`.boxart`), QUIC field lists (:mod:`.fieldlist`) and the TLS presentation language
(:mod:`.tls`). :mod:`.match` pairs definitions and fields across revisions, :mod:`.diff` reports
what changed between two documents and :mod:`.history` follows every definition along a lineage.
"""

from __future__ import annotations

from draftscope.analyses.definitions.diff import diff_definition_lists, diff_definitions
from draftscope.analyses.definitions.extract import extract_definitions
from draftscope.analyses.definitions.history import definition_history
from draftscope.analyses.definitions.model import (
    Definition,
    DefinitionChange,
    DefinitionHistory,
    DefinitionLife,
    DefinitionsDiff,
    Field,
    FieldChange,
    HistoryEvent,
    Variant,
)

__all__ = [
    "Definition", "DefinitionChange", "DefinitionHistory", "DefinitionLife", "DefinitionsDiff",
    "Field", "FieldChange", "HistoryEvent", "Variant", "definition_history", "diff_definition_lists",
    "diff_definitions", "extract_definitions",
]
