"""Records and text written out: CSV, JSON, an aligned plain-text table, Markdown or any text;
to stdout, an open stream, or atomically to a path (:mod:`draftscope.files`). Light: no pandas;
csv, json and the atomic writer are imported by the writers that use them (a command writing
CSV to stdout loads neither json nor draftscope.files)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from draftscope.outputs.formats import RECORD_FORMATS


def write_records(records: Iterable[dict], columns: Sequence[str], fmt: str,
                  out: TextIO | str | os.PathLike | None = None) -> None:
    """Records as CSV (header + rows, only ``columns``) or a JSON list of objects.

    ``out`` is stdout by default, an open text stream, or a path written atomically (temp file
    then rename), so an interrupted or failed run never leaves half a file.
    """
    if fmt not in RECORD_FORMATS:
        raise ValueError(f"unknown record format {fmt!r}")
    columns = list(columns)
    buffer = io.StringIO() if isinstance(out, (str, os.PathLike)) else None
    handle = buffer if buffer is not None else (out or sys.stdout)
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        import json

        json.dump([{c: r.get(c) for c in columns} for r in records], handle, indent=1)
        handle.write("\n")
    if buffer is not None:
        write_text(Path(out), buffer.getvalue())


def format_table(records: list[dict], columns: Sequence[str]) -> str:
    """An aligned plain-text table; numbers right-aligned, empty cells as ``-``."""
    def cell(value: Any) -> str:
        if value is None or value == "":
            return "-"
        if isinstance(value, float):
            return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else "-"
        return str(value)

    cells = [[cell(r.get(c)) for c in columns] for r in records]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in records)
               for c in columns]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip() + "\n"

    return line(list(columns)) + "".join(line(row) for row in cells)


def write_json(document: Any, out: TextIO | str | os.PathLike | None = None, *,
               indent: int = 1) -> None:
    """Any JSON document (a dict of lists, say) on stdout, a stream, or atomically to a path."""
    import json

    text = json.dumps(document, indent=indent) + "\n"
    if isinstance(out, (str, os.PathLike)):
        write_text(Path(out), text)
    else:
        (out or sys.stdout).write(text)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8: Markdown, Mermaid, CSV...) to ``path`` atomically, making its
    folder; OutputError if it cannot be written."""
    from draftscope.files import write_output

    return write_output(path, text)
