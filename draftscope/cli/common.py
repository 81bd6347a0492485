"""What every sub-command shares: the cache/network options, Settings built from them, progress
bars, local-file checks and CSV/JSON output.

One parent parser (:func:`network_options`) gives every command that reads the cache the same
options with the same help text; :func:`settings_from_args` turns them into the one
:class:`~draftscope.fetch.config.Settings` the library takes (notebooks build the same object
with ``Settings.from_env(...)``). Light at import: nothing here loads requests, pandas or lxml.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

from draftscope.errors import OutputError, ParseError, UnknownDocumentError, UsageError

__all__ = [
    "CliParser", "add_command", "network_options", "settings_from_args", "library_progress",
    "show_progress", "progress_bar", "is_local_target", "check_local_file", "check_target",
    "check_output_dir", "check_pattern", "check_positive", "parse_keywords", "write_records",
    "write_json", "ENVIRONMENT_HELP", "FIGURE_KEYWORDS", "NORMALIZATIONS",
]

LOCAL_SUFFIXES = (".txt", ".xml")
# Library values repeated so --help needs no import of later stages (a test keeps them equal):
DEFAULT_RETRIES = 5                                   # Settings.retries
FIGURE_KEYWORDS = "MUST,MUST NOT,SHOULD,SHOULD NOT"   # plots.style.EPIQ_KEYWORDS
NORMALIZATIONS = ("none", "per-page", "per-1000-words")   # tables.keywords.NORMALIZATIONS

ENVIRONMENT_HELP = """\
environment (the options above win):
  DRAFTSCOPE_CACHE            cache directory (default ./cache)
  DRAFTSCOPE_DATATRACKER_URL  default https://datatracker.ietf.org
  DRAFTSCOPE_ARCHIVE_URL      default https://www.ietf.org/archive/id
  DRAFTSCOPE_RFC_URL          default https://www.rfc-editor.org/rfc"""


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one ``draftscope: error:`` line (exit 2) like every
    other bad input, instead of argparse's usage block; sub-parsers inherit the class."""

    def error(self, message: str):
        command = self.prog.split(" ", 1)[1] + ": " if " " in self.prog else ""
        raise UsageError(f"{command}{message} (see '{self.prog} --help')")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written (examples keep their lines); defaults left to the
    help strings, which say them in words."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def add_command(subparsers: Any, name: str, *, help: str, description: str,
                examples: Sequence[str] = (), parents: Sequence[argparse.ArgumentParser] = (),
                environment: bool = False) -> argparse.ArgumentParser:
    """A sub-command parser with the house help layout: description, options, examples."""
    epilog = ""
    if examples:
        epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
    if environment:
        epilog = f"{epilog}\n\n{ENVIRONMENT_HELP}" if epilog else ENVIRONMENT_HELP
    return subparsers.add_parser(name, help=help, description=description, epilog=epilog or None,
                                 parents=list(parents), formatter_class=HelpFormatter)


# --------------------------------------------------------------------------- options -> Settings

def network_options() -> argparse.ArgumentParser:
    """Parent parser: where the cache is, whether and where to go online, how loud to be."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("cache and network")
    group.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="cache folder (default: $DRAFTSCOPE_CACHE or ./cache)")
    group.add_argument("--offline", action="store_true",
                       help="make no request: use the cache only, fail naming what is missing")
    group.add_argument("--refresh", action="store_true",
                       help="ask the datatracker again for revision lists cached less than a "
                            "day ago")
    group.add_argument("--datatracker-url", metavar="URL",
                       help="datatracker base URL (default: $DRAFTSCOPE_DATATRACKER_URL or "
                            "https://datatracker.ietf.org)")
    group.add_argument("--archive-url", metavar="URL",
                       help="Internet-Draft archive base URL (default: $DRAFTSCOPE_ARCHIVE_URL or "
                            "https://www.ietf.org/archive/id)")
    group.add_argument("--rfc-url", metavar="URL",
                       help="RFC base URL (default: $DRAFTSCOPE_RFC_URL or "
                            "https://www.rfc-editor.org/rfc)")
    group.add_argument("--retries", type=_non_negative_int, metavar="N",
                       help=f"retry a failed, throttled or cut-short request up to N times "
                            f"(default: {DEFAULT_RETRIES})")
    group.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bars or summaries on stderr")
    return parent


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def settings_from_args(args: argparse.Namespace):
    """The library's Settings: defaults, then ``DRAFTSCOPE_*`` variables, then the options given.

    A bad URL or cache folder is a one-line :class:`SettingsError`, raised here before any I/O.
    """
    from draftscope.fetch.config import Settings

    settings = Settings.from_env(
        cache_dir=getattr(args, "cache_dir", None),
        datatracker_url=getattr(args, "datatracker_url", None),
        archive_url=getattr(args, "archive_url", None),
        rfc_url=getattr(args, "rfc_url", None),
        retries=getattr(args, "retries", None),
    )
    for folder in (settings.cache_dir, *settings.cache_dir.parents):
        if folder.exists():
            if not folder.is_dir():
                raise UsageError(f"cache folder {settings.cache_dir} cannot be created: "
                                 f"{folder} is a file (see --cache-dir, $DRAFTSCOPE_CACHE)")
            break
    return settings


# --------------------------------------------------------------------------- progress

def show_progress(args: argparse.Namespace) -> bool:
    """Bars only for people: not with --quiet, not when stderr is a pipe or a file."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def library_progress(args: argparse.Namespace) -> bool | None:
    """The library's ``progress`` argument: False silences it, None lets it check the terminal."""
    return False if getattr(args, "quiet", False) else None


class _NoProgress:
    """Stands in for a tqdm bar when none is shown (tqdm is not even imported then)."""

    def __init__(self, items: Iterable | None = None) -> None:
        self._items = items if items is not None else ()

    def __enter__(self) -> "_NoProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self):
        return iter(self._items)

    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def progress_bar(args: argparse.Namespace, *, total: int | None = None,
                 items: Iterable | None = None, desc: str, unit: str, minimum: int = 1):
    """A tqdm bar on stderr over ``items`` (or counting to ``total``); a silent stand-in with
    --quiet, when stderr is not a terminal, or for fewer than ``minimum`` steps."""
    steps = total if total is not None else (len(items) if hasattr(items, "__len__") else minimum)
    if not show_progress(args) or steps < minimum:
        return _NoProgress(items)
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)


def parse_keywords(text: str) -> list[str]:
    """``"must,MUST NOT"`` -> ``["MUST", "MUST NOT"]``; ``all`` -> every BCP 14 phrase, in RFC
    2119's order (a figure's legend and markers follow it: MUST first)."""
    from draftscope.analyses.keywords import DISPLAY_ORDER, PHRASES

    if text.strip().lower() == "all":
        return list(DISPLAY_ORDER)
    keywords = [" ".join(k.split()).upper() for k in text.split(",") if k.strip()]
    unknown = [k for k in keywords if k not in PHRASES]
    if unknown or not keywords:
        raise UsageError(f"--keywords: unknown phrase(s) {', '.join(unknown) or '(none given)'} "
                         f"(BCP 14 phrases: {', '.join(PHRASES)}, or 'all')")
    return keywords


def check_pattern(option: str, pattern: str | None) -> str | None:
    """A regular-expression option compiled up front, so a typo fails before any download."""
    import re

    if pattern is not None:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise UsageError(f"{option} {pattern!r} is not a valid pattern: {exc}") from None
    return pattern


def check_positive(option: str, value: int | None) -> int | None:
    """A count option (--jobs, --workers) that must be 1 or more when given."""
    if value is not None and value < 1:
        raise UsageError(f"{option} must be at least 1, got {value}")
    return value


# --------------------------------------------------------------------------- targets

def is_local_target(target: str) -> bool:
    """The fetch stage's rule: a path ending in .txt/.xml is a file (document names never do)."""
    return str(target).lower().endswith(LOCAL_SUFFIXES)


def check_local_file(target: str | os.PathLike) -> Path:
    """A local .txt/.xml file that can be read as a document, or a one-line error saying why not.

    Catches what would otherwise count silently as zero (an empty or binary file) or read as a
    missing file (a directory). UTF-8, UTF-16 with a BOM and cp1252 are all fine.
    """
    path = Path(target)
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give a .txt or .xml file")
    if not path.exists():
        raise UnknownDocumentError(f"no such file: {path}")
    if not path.is_file():
        raise UsageError(f"{path} is not a regular file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024)
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not head.strip(b" \t\r\n\f"):
        raise ParseError(f"{path} is empty: no document to read")
    if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ParseError(f"{path} is not a text file (NUL bytes: binary, or UTF-16 without a "
                         "byte-order mark)")
    return path


def check_target(target: str) -> str:
    """Refuse, before any I/O, a target that is neither a readable .txt/.xml file nor a name.

    Names themselves are validated by the fetch stage; this catches paths to other kinds of file
    (``./notes.md``, a folder) so the message says what is wrong with the file, not the name.
    """
    if is_local_target(target):
        check_local_file(target)
        return target
    path = Path(target)
    if os.sep in target or "/" in target or path.exists():
        if path.is_dir():
            raise UsageError(f"{target} is a directory; give a .txt or .xml file or a document name")
        if path.exists():
            raise UsageError(f"{target}: only .txt and .xml files can be read")
    return target


# --------------------------------------------------------------------------- output

def write_records(records: Iterable[dict], columns: Sequence[str], fmt: str,
                  out: TextIO | str | os.PathLike | None = None) -> None:
    """Records as CSV (header + rows, only ``columns``) or a JSON list of objects.

    ``out`` is stdout by default, an open text stream, or a path written atomically (temp file
    then rename), so an interrupted or failed run never leaves half a file.
    """
    if fmt not in ("csv", "json"):
        raise ValueError(f"unknown record format {fmt!r}")
    columns = list(columns)
    buffer = io.StringIO() if isinstance(out, (str, os.PathLike)) else None
    handle = buffer if buffer is not None else (out or sys.stdout)
    if fmt == "csv":
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        json.dump([{c: r.get(c) for c in columns} for r in records], handle, indent=1)
        handle.write("\n")
    if buffer is not None:
        write_file_atomically(Path(out), buffer.getvalue())


def write_json(document: Any, out: TextIO | str | os.PathLike | None = None, *,
               indent: int = 1) -> None:
    """Any JSON document (a dict of lists, say) on stdout, a stream, or atomically to a path."""
    text = json.dumps(document, indent=indent) + "\n"
    if isinstance(out, (str, os.PathLike)):
        write_file_atomically(Path(out), text)
    else:
        (out or sys.stdout).write(text)


def write_file_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a hidden temp file and ``os.replace``; OutputError if not."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError as exc:
        try:
            temp.unlink()
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def describe_os_error(exc: OSError) -> str:
    """An OSError as one line: what failed and on which file."""
    what = exc.strerror or str(exc) or type(exc).__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return f"{what}: {' -> '.join(names)}" if names else what


def check_output_dir(out: str | os.PathLike) -> Path:
    """Refuse an --out that can never be written (under a file, or read-only) before any work."""
    path = Path(out)
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise OutputError(f"cannot write into --out {path}: {candidate} is not a folder")
            if not os.access(candidate, os.W_OK | os.X_OK):
                raise OutputError(f"cannot write into --out {path}: {candidate} is not writable")
            break
    return path
