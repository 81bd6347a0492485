"""The field model shared by all notations, and the results of diffing and history.

Every notation (ASCII box diagrams, QUIC field lists, TLS presentation language, and any other
reader registered in :mod:`draftscope.analyses.definitions.notations`) is reduced to the same
:class:`Field` so that a definition redrawn in another notation can still be compared field by
field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from draftscope.fetch.names import revision_label  # noqa: F401 - the one label rule, public here

# a notation's name ("boxart", "fieldlist", "tls-struct", "tls-enum", ...): whatever a registered
# reader declares (analyses.definitions.notations: the one table of names and their words)
Notation = str
FieldChangeKind = Literal["added", "removed", "renamed", "resized", "retyped", "value", "flags",
                          "moved", "unchanged"]
DefinitionChangeKind = Literal["added", "removed", "changed", "redrawn", "unchanged"]

# what can differ between two matched fields; a FieldChange's ``aspects`` is a subset, and its
# ``change`` kind is derived from it (:func:`field_change_kind`: name -> renamed, size -> resized,
# type or the cases of a TLS select (variants) -> retyped, value -> value,
# optional/repeated/condition -> flags, position -> moved; the first that applies wins)
FIELD_ASPECTS = ("name", "size", "type", "value", "optional", "repeated", "condition", "position",
                 "variants")
FLAG_ASPECTS = ("optional", "repeated", "condition")
# field change kinds that count as "changed" in fields_changed
CHANGED_FIELD_KINDS = ("renamed", "resized", "retyped", "value", "flags", "moved")


@dataclass(frozen=True)
class Field:
    """One field of a definition, whatever notation it was written in.

    ``size`` is the length as written, normalised across notations: ``"32"`` for a fixed
    32-bit field, ``"i"`` for a QUIC variable-length integer, ``".."`` for "any length"
    (``(*)``, ``(variable)``, ``(..)``, a trailing ``...``), ranges such as ``"0..160"``,
    TLS vectors as ``"<0..2^16-1>"`` or ``"[32]"``. ``bits`` is set only when the width is fixed.
    """

    name: str
    bits: int | None = None
    size: str = ""
    type: str = ""             # TLS type ("uint16", "opaque"); "" in the other notations
    optional: bool = False     # [Field] in box art and field lists
    repeated: bool = False     # "Field (..) ..." in field lists, repeated rows in box art
    value: str = ""            # fixed value ("= 0x02..0x03", a literal bit, a TLS default/enum value)
    condition: str = ""        # when the field is present: "if option Length == 20", "depending on flags"
    reserved: bool = False     # a reserved / unassigned cell (blank, "(reserved)", "Rsv", "Unused")
    variants: tuple["Variant", ...] = ()   # TLS ``select (x) { case a: ...; }``: one per case

    @property
    def shape(self) -> tuple:
        """What must stay equal for the field to count as the same size."""
        return (self.bits, self.size, self.type)


@dataclass(frozen=True)
class Variant:
    """One branch of a TLS ``select``: the case label(s) and the fields present in that case."""

    label: str                 # "client_hello", "true", "cert_type == RawPublicKey" (as written)
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A protocol definition found in a document: a packet/frame/option/message format."""

    name: str
    notation: Notation
    fields: tuple[Field, ...]
    section: str = ""          # "19.3 ACK Frames" (number and title)
    line: int = 0              # 1-based line in the source file where the definition starts
    caption: str = ""          # figure caption without "Figure N:" (may be "")
    example: bool = False      # a notation example of the spec (RFC 9000 1.3, TLS presentation
                               # language), not a protocol definition; left out unless asked for
    warnings: tuple[str, ...] = ()   # where the drawing and its text disagreed, and what won

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def field_change_kind(aspects: frozenset[str] | set[str]) -> FieldChangeKind:
    """The one kind that names a matched field's change, from the aspects that differ."""
    if "name" in aspects:
        return "renamed"
    if "size" in aspects:
        return "resized"
    if "type" in aspects or "variants" in aspects:
        return "retyped"
    if "value" in aspects:
        return "value"
    if aspects & set(FLAG_ASPECTS):
        return "flags"
    if "position" in aspects:
        return "moved"
    return "unchanged"


@dataclass(frozen=True)
class FieldChange:
    change: FieldChangeKind
    old: Field | None
    new: Field | None
    details: tuple[str, ...] = ()   # e.g. ("now repeated", "no longer optional", "value 1 -> 2")
    aspects: frozenset[str] = frozenset()  # subset of FIELD_ASPECTS that differ (empty: unchanged)
    variants: tuple["VariantChange", ...] = ()   # a TLS select's cases, when old or new has any


@dataclass(frozen=True)
class VariantChange:
    """What happened to one case of a TLS ``select``: ``added | removed | changed | unchanged``."""

    change: str
    label: str
    fields: tuple[FieldChange, ...] = ()


class _FieldChangeCounts:
    """``fields_added`` / ``fields_removed`` / ``fields_changed`` (any of CHANGED_FIELD_KINDS) of
    whatever lists field changes: a definition's diff, a history event."""

    def _field_changes(self) -> tuple[FieldChange, ...]:
        raise NotImplementedError

    @property
    def fields_added(self) -> int:
        return sum(1 for f in self._field_changes() if f.change == "added")

    @property
    def fields_removed(self) -> int:
        return sum(1 for f in self._field_changes() if f.change == "removed")

    @property
    def fields_changed(self) -> int:
        return sum(1 for f in self._field_changes() if f.change in CHANGED_FIELD_KINDS)


@dataclass(frozen=True)
class DefinitionChange(_FieldChangeCounts):
    """One definition from one revision to the next.

    ``changed``: a field was added, removed, renamed, resized, retyped, got another value or
    flags, or moved; ``redrawn``: drawn in another notation (or with placeholder names such as
    ``T T`` named) but with the same fields, widths and values; ``unchanged``: nothing differs.
    """

    change: DefinitionChangeKind
    old: Definition | None
    new: Definition | None
    fields: tuple[FieldChange, ...] = ()
    score: float = 0.0          # match score in [0, 1] (0 for added/removed)

    def _field_changes(self) -> tuple[FieldChange, ...]:
        return self.fields


@dataclass(frozen=True)
class DefinitionsDiff:
    """Structural diff of the definitions of two documents."""

    old_label: str
    new_label: str
    changes: tuple[DefinitionChange, ...]

    def by_change(self, kind: DefinitionChangeKind) -> list[DefinitionChange]:
        return [c for c in self.changes if c.change == kind]

    def find(self, name: str) -> DefinitionChange | None:
        """The change whose old or new definition is called ``name`` (exact, then case-blind)."""
        for exact in (True, False):
            for c in self.changes:
                for d in (c.new, c.old):
                    if d is not None and (d.name == name if exact else d.name.lower() == name.lower()):
                        return c
        return None


@dataclass(frozen=True)
class HistoryEvent(_FieldChangeCounts):
    """What happened to one definition (a chain of matched definitions) at one revision.

    ``change`` ``added`` is the revision where the definition is first drawn (it may have been
    described in prose before: ``first_mentioned``, the earliest revision with a section heading
    naming it, when that is earlier; else None)."""

    key: str                   # stable identity of the chain: its name where it last appears
    name: str                  # document name of the revision ("draft-ietf-quic-transport")
    rev: str
    label: str                 # "draft-ietf-quic-transport-27"
    change: DefinitionChangeKind
    definition: str            # its name in this revision (in the previous one when removed)
    notation: str
    fields: int                # number of fields in this revision (0 when removed)
    field_changes: tuple[FieldChange, ...] = ()
    date: object = None        # datetime of the revision, when known
    first_mentioned: str | None = None   # label of an earlier revision whose headings name it
    caption: str = ""          # its figure caption in this revision (may be "")

    def _field_changes(self) -> tuple[FieldChange, ...]:
        return self.field_changes


@dataclass(frozen=True)
class DefinitionLife:
    """One definition across a lineage: where it was first drawn and removed."""

    key: str
    introduced: str            # label of the first revision drawing it ("first drawn")
    removed: str | None        # label of the first revision without it (None if still present)
    names: tuple[str, ...]     # every name it went by, in order
    first_mentioned: str | None = None   # earlier revision whose section headings name it

    @property
    def first_drawn(self) -> str:
        return self.introduced


@dataclass
class DefinitionHistory:
    labels: list[str]                      # revision labels in lineage order
    events: list[HistoryEvent] = field(default_factory=list)
    unread: dict[str, tuple["Unread", ...]] = field(default_factory=dict)   # by revision label:
                                           # the figures it could not read

    def lives(self) -> list[DefinitionLife]:
        """Introduction and removal revision of each definition chain, in order of introduction."""
        out: dict[str, dict] = {}
        for ev in self.events:
            life = out.setdefault(ev.key, {"introduced": None, "removed": None, "names": [],
                                           "first_mentioned": None})
            if ev.change == "added":
                life["introduced"] = ev.label
                life["first_mentioned"] = ev.first_mentioned
            elif ev.change == "removed":
                life["removed"] = ev.label
            if ev.change != "removed" and ev.definition not in life["names"]:
                life["names"].append(ev.definition)
        return [DefinitionLife(k, v["introduced"], v["removed"], tuple(v["names"]), v["first_mentioned"])
                for k, v in out.items()]


@dataclass(frozen=True)
class Unread:
    """A figure drawn with box-drawing lines that no notation reader could read.

    Nothing is skipped silently: ``definitions`` lists these beside the definitions it read,
    ``history`` counts them per revision, and ``--strict`` makes them an error. ``reason`` says
    as precisely as the reader can why the drawing was not read ("a table, not a bit diagram",
    "no bit ruler and no +-+-+ grid to measure its cells", ...).
    """

    notation: str              # the notation whose reader found the figure ("boxart")
    reason: str
    line: int                  # 1-based source line of the figure's first line
    lines: tuple[str, ...]     # the figure as printed
    section: str = ""          # "19.3 ACK Frames"
    caption: str = ""          # without "Figure N:" (may be "")
    example: bool = False      # in a notation or example section (left out unless asked for)
    kind: str = "unreadable"   # UNREADABLE or NOT_A_DEFINITION (see UNREAD_KINDS)


# what an unread figure is: a drawing that looks like a definition but could not be read (no
# ruler and no grid, walls that disagree, ...: --strict fails on these), or box lines that draw
# something else (a table, a state or message flow, an illustration of bit order)
UNREADABLE = "unreadable"
NOT_A_DEFINITION = "not a definition"
UNREAD_KINDS = (UNREADABLE, NOT_A_DEFINITION)


@dataclass(frozen=True)
class Extraction:
    """What :func:`~draftscope.analyses.definitions.read_definitions` finds in one document:
    the definitions it read and the figures it could not read, both in document order."""

    definitions: tuple[Definition, ...]
    unread: tuple[Unread, ...] = ()
