"""The scan dataset's columns, one row per revision text (a file: a revision in .txt and .xml
is two rows), and their Parquet types.

:data:`SCHEMA_VERSION` is stored in the dataset's manifest and in each Parquet file's metadata.
Columns are only ever added (never renamed, retyped or dropped): a reader fills a column an
older dataset lacks with nulls (:func:`conform`), so the version says what a writer knew.

==================  =========================================================================
path                the file, relative to the scanned ROOT (POSIX separators); the row's key
size, mtime_ns      the file's size and modification time when read (what reruns compare;
                    never used as a date)
sha256              the file's SHA-256 (hex)
name, rev           ``draft-ietf-quic-transport``/``"27"``, or ``rfc9000``/``rfc9000``
kind, format        ``draft``/``rfc``; ``txt``/``xml``
group               working group acronym: the cache's metadata, else a ``draft-ietf-WG-``
                    name (``group_source``: ``metadata``/``name``); null when unknown
date                publication date (UTC midnight when only a day is known): the cache's
                    metadata, else the date printed on the first page (``date_source``:
                    ``metadata``/``first page``); null when neither
bytes               the file's size in bytes
pages, words        the text stage's size (printed pages, else estimated; words of the clean text)
must .. optional    the eleven BCP 14 phrases, boilerplate excluded (``draftscope keywords``)
lower_must ..       the lowercase words (``draftscope keywords --lowercase``)
boilerplate         ``8174`` or ``2119``: the BCP 14 boilerplate paragraph is there and cites
                    RFC 8174 (the current text) or only RFC 2119/BCP 14; null when absent
boilerplate_phrases phrases quoted inside the boilerplate (not in the counts)
sections            sections of the text (front matter included)
defs_boxart ..      protocol definitions found, per notation (notation examples left out)
figures_unread      figures drawn like definitions that no notation reader could read (the
                    'unreadable' kind of ``draftscope definitions``; tables and flows not counted)
error               why the file could not be read (every other measured column null); null
==================  =========================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from draftscope.analyses.bcp14 import DISPLAY_ORDER, LOWERCASE

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

SCHEMA_VERSION = 1

NOTATIONS = ("boxart", "fieldlist", "tls-struct", "tls-enum")


def phrase_column(phrase: str) -> str:
    """``MUST NOT`` -> ``must_not``; a lowercase word ``must`` -> ``lower_must``."""
    return phrase.lower().replace(" ", "_") if phrase.isupper() else f"lower_{phrase}"


PHRASE_COLUMNS = tuple(phrase_column(p) for p in DISPLAY_ORDER)
LOWER_COLUMNS = tuple(phrase_column(w) for w in LOWERCASE)
DEFINITION_COLUMNS = tuple(f"defs_{n.replace('-', '_')}" for n in NOTATIONS)
FILE_COLUMNS = ("path", "size", "mtime_ns", "sha256")
META_COLUMNS = ("name", "rev", "kind", "format", "group", "group_source", "date", "date_source")
MEASURE_COLUMNS = ("bytes", "pages", "words", *PHRASE_COLUMNS, *LOWER_COLUMNS, "boilerplate",
                   "boilerplate_phrases", "sections", *DEFINITION_COLUMNS, "figures_unread")
SCAN_COLUMNS = (*FILE_COLUMNS, *META_COLUMNS, *MEASURE_COLUMNS, "error")
# what a rerun needs to know of each row (read without the rest)
INDEX_COLUMNS = ("path", "size", "mtime_ns", "sha256")

_STRINGS = {"path", "sha256", "name", "rev", "kind", "format", "group", "group_source",
            "date_source", "boilerplate", "error"}


def arrow_schema() -> "pa.Schema":
    """The Parquet schema of :data:`SCAN_COLUMNS` (pyarrow is imported here, not before)."""
    import pyarrow as pa

    fields = []
    for column in SCAN_COLUMNS:
        if column in _STRINGS:
            kind = pa.string()
        elif column == "date":
            kind = pa.timestamp("s", tz="UTC")
        else:
            kind = pa.int64()
        fields.append(pa.field(column, kind, nullable=column not in ("path", "size", "mtime_ns")))
    return pa.schema(fields, metadata={b"draftscope.scan.schema": str(SCHEMA_VERSION).encode()})


def conform(table: "pa.Table") -> "pa.Table":
    """``table`` with every column of this version, in order: a column an older dataset lacks
    is all null; a column a newer writer added is kept after them."""
    import pyarrow as pa

    schema = arrow_schema()
    columns, fields = [], []
    for f in schema:
        if f.name in table.column_names:
            columns.append(table.column(f.name).cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
        fields.append(f)
    for name in table.column_names:
        if name not in schema.names:
            columns.append(table.column(name))
            fields.append(table.schema.field(name))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=schema.metadata))
