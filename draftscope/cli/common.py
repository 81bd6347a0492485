"""What every sub-command shares: the one CLI vocabulary (option spellings, meanings and help
texts), the cache/network options, Settings built from them, progress bars, local-file checks
and CSV/JSON output.

Every option that more than one command takes is defined here once, with its help text, so a
word means the same everywhere (``tests/cli/test_cli_vocabulary.py`` checks every sub-command):

- ``--jobs N``: parallel download connections (library ``jobs=``);
- ``--workers N``: analysis processes (library ``workers=``);
- ``--format table|csv|json``: what goes to stdout;
- ``--out DIR`` and ``--image-format png,svg[,pdf]``: where figures go, which files;
- ``--title``, ``--xlabel``, ``--dpi``, ``--size WxH``: a figure's look;
- ``--align revision|date|progress``: the x axis of lineage figures;
- ``--definition PATTERN`` (case-sensitive regex) with ``-i/--ignore-case``;
- the cache/network options of :func:`network_options`.

Results go to stdout (tables, CSV/JSON, the paths of files written, one per line); progress
bars, warnings and notes go to stderr (:func:`note`, :func:`warn`). Light at import: nothing
here loads requests, pandas or lxml.
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

from draftscope.errors import OutputError, ParseError, UnknownDocumentError, UsageError, printable

__all__ = [
    "CliParser", "add_command", "network_options", "settings_from_args", "session_from_args",
    "library_progress",
    "show_progress", "progress_bar", "is_local_target", "check_local_file", "check_target",
    "check_output_dir", "check_positive", "parse_keywords", "write_records",
    "write_json", "ENVIRONMENT_HELP", "FIGURE_KEYWORDS", "NORMALIZATIONS",
    "add_jobs_option", "add_workers_option", "add_format_option", "add_output_options",
    "add_look_options", "add_align_option", "add_normalize_option", "add_definition_options", "definition_pattern", "add_strict_option",
    "parse_image_formats", "parse_figure_size", "positive_int", "note", "warn", "print_paths",
    "SHARED_HELP", "FORMATS", "IMAGE_FORMATS", "DEFAULT_IMAGE_FORMATS", "ALIGNMENTS",
    "DEFAULT_JOBS", "format_table",
]

from draftscope.fetch.names import LOCAL_SUFFIXES  # noqa: E402 - the fetch stage's rule
from draftscope.options import (ALIGNMENTS, DEFAULT_ARCHIVE_URL, DEFAULT_DATATRACKER_URL,  # noqa: E402
                                DEFAULT_JOBS, DEFAULT_RETRIES, DEFAULT_RFC_URL, EPIQ_KEYWORDS,
                                NORMALIZATIONS)
from draftscope import options as _options  # noqa: E402

FIGURE_KEYWORDS = ",".join(EPIQ_KEYWORDS)
FORMATS = ("table", "csv", "json")

# Names this module hands on from draftscope.outputs, imported when first asked for (PEP 562):
# a command that prints a table needs neither the format registry nor the json/csv writers.
_FROM_OUTPUTS = {
    "DEFAULT_IMAGE_FORMATS": ("formats", "DEFAULT_IMAGE_FORMATS"),
    "IMAGE_FORMATS": ("formats", "FIGURE_FORMATS"),   # outputs.formats: the one registry
    "format_table": ("records", "format_table"),
    "write_json": ("records", "write_json"),
    "write_records": ("records", "write_records"),
    "write_file_atomically": ("records", "write_text"),
}


def __getattr__(name: str) -> Any:
    if name not in _FROM_OUTPUTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _FROM_OUTPUTS[name]
    value = getattr(importlib.import_module(f"draftscope.outputs.{module}"), attribute)
    globals()[name] = value     # asked once
    return value

# One help text per shared option: a test requires every sub-command to use exactly these.
SHARED_HELP = {
    "--examples": "also read the notation examples of a spec (RFC 9000's Example Structure, the "
                  "TLS presentation-language sections), left out by default",
    "--jobs": f"parallel download connections (default: {DEFAULT_JOBS}; API calls stay "
              f"sequential)",
    "--workers": "analysis processes (default: one per CPU; a pool is used only when there is "
                 "enough work to pay for it)",
    "--format": "what goes to stdout: table (aligned, for people), csv or json (records for "
                "scripts) (default: table)",
    "--out": "folder for the figure files and the data they draw (default: figures/); for scan, "
             "the dataset's folder",
    "--image-format": "figure files to write, comma-separated: png, svg, pdf; drawings also "
                      "mermaid (.mmd packet-beta text) (default: png,svg)",
    "--title": "figure title (default: the figure's own)",
    "--xlabel": "x-axis label (default: the figure's own)",
    "--dpi": "resolution of PNG files, dots per inch (default: 150)",
    "--size": "figure size in inches, WIDTHxHEIGHT, e.g. 8x4.5 (default: the figure's own)",
    "--normalize": "divide counts by the revision's size; given alone: per-1000-words "
                   "(default: none)",
    "--align": "x axis: revision (lineage order), date (publication date) or progress (0 at "
               "the first revision, 1 at the last) (default: revision)",
    "--definition": "only definitions whose name, figure caption or (along a lineage) any "
                    "name it went by contains a match of this regular expression "
                    "(case-sensitive unless -i)",
    "--ignore-case": "match --definition ignoring case",
    "--strict": "exit 1 if a figure drawn like a definition could not be read (tables and "
                "flow diagrams drawn with box lines are listed as 'not a definition' and do "
                "not count; the definitions command lists both and why)",
}

ENVIRONMENT_HELP = f"""\
environment (the options above win):
  DRAFTSCOPE_CACHE            cache directory (default ./cache)
  DRAFTSCOPE_DATATRACKER_URL  default {DEFAULT_DATATRACKER_URL}
  DRAFTSCOPE_ARCHIVE_URL      default {DEFAULT_ARCHIVE_URL}
  DRAFTSCOPE_RFC_URL          default {DEFAULT_RFC_URL}"""


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one ``draftscope: error:`` line (exit 2) like every
    other bad input, instead of argparse's usage block; sub-parsers inherit the class.

    Options are never abbreviated (``allow_abbrev=False``): ``fetch --form csv`` must not be
    taken silently as some other option that starts the same way. An unknown option names the
    sub-command's help, where the options it lacks would be listed, not the top level's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        command = self.prog.split(" ", 1)[1] + ": " if " " in self.prog else ""
        raise UsageError(f"{command}{message} (see '{self.prog} --help')")

    def parse_args(self, args: Sequence[str] | None = None,   # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            prog = f"{self.prog} {command}" if command else self.prog
            raise UsageError(f"{command + ': ' if command else ''}unrecognized arguments: "
                             f"{' '.join(extras)} (see '{prog} --help')")
        return parsed


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


# --------------------------------------------------------------------------- shared options

def _whole_number(text: str, minimum: int) -> int:
    """A whole number of at least ``minimum`` (argparse's error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(
            f"must be at least 1, got {value}" if minimum == 1 else f"must be 0 or more, got {value}")
    return value


def positive_int(text: str) -> int:
    """argparse type of a count option: a whole number, 1 or more."""
    return _whole_number(text, 1)


def _jobs(text: str) -> int:
    return _argument(_options.check_jobs, positive_int(text))


def add_jobs_option(parser: Any, *, default: int = DEFAULT_JOBS) -> None:
    """``--jobs N``: parallel download connections (the library's ``jobs=``); part of
    :func:`network_options`, so every command that downloads takes it."""
    parser.add_argument("--jobs", type=_jobs, default=default, metavar="N",
                        help=SHARED_HELP["--jobs"])


def add_workers_option(parser: Any) -> None:
    """``--workers N``: analysis processes (the library's ``workers=``; None = one per CPU)."""
    parser.add_argument("--workers", type=positive_int, default=None, metavar="N",
                        help=SHARED_HELP["--workers"])


def add_examples_option(parser: Any) -> None:
    """``--examples``: definitions of a spec's notation examples are left out unless asked for."""
    parser.add_argument("--examples", action="store_true", help=SHARED_HELP["--examples"])


def add_format_option(parser: Any, *, choices: Sequence[str] = FORMATS) -> None:
    """``--format table|csv|json``: what goes to stdout (a command may offer fewer choices,
    never other names for them)."""
    unknown = [c for c in choices if c not in FORMATS]
    if unknown or choices[0] != "table":
        raise ValueError(f"--format choices must start with 'table' and be among {FORMATS}")
    parser.add_argument("--format", choices=tuple(choices), default="table",
                        help=SHARED_HELP["--format"])


def parse_image_formats(text: str, holds: str = "figure") -> tuple[str, ...]:
    """``"png,SVG"`` -> ``("png", "svg")``; an unknown or empty list is a usage error (the
    formats are the registry's, :mod:`draftscope.outputs.formats`)."""
    from draftscope.outputs import formats as _formats

    try:
        return _formats.parse_image_formats(text, holds=holds)
    except ValueError:
        formats = [f.strip() for f in text.split(",") if f.strip()]
        allowed = _formats.formats_holding(holds)
        unknown = [f for f in formats if _formats.ALIASES.get(f.lower().lstrip("."), f.lower().lstrip(".")) not in allowed]
        raise argparse.ArgumentTypeError(
            f"unknown image format(s) {', '.join(unknown) or '(none given)'} "
            f"(choose from {', '.join(allowed)})") from None


def _argument(check, text: str):
    """An argparse type from a library check (draftscope.options): its error without the
    parameter name (argparse names the option)."""
    try:
        return check(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(re.sub(r"\A[a-z_]+=:? ?(\(--[a-z-]+\) )?", "", str(exc))) from None


def parse_figure_size(text: str) -> tuple[float, float]:
    """``"8x4.5"`` -> ``(8.0, 4.5)`` inches; each side between 1 and 50."""
    return _argument(_options.parse_figure_size, text)


def _dpi(text: str) -> int:
    from draftscope.outputs.figures import check_dpi

    return _argument(check_dpi, positive_int(text))


def _out_dir(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: name a folder (. for this one)")
    return Path(text)


def add_output_options(parser: Any, *, drawing: bool = False) -> None:
    """``--out DIR`` and ``--image-format``: where figure files go and which are written
    (``args.image_format`` is a tuple such as ``("png", "svg")``); ``drawing``: the formats of
    a drawing (``mermaid`` too)."""
    from draftscope.outputs.formats import DEFAULT_IMAGE_FORMATS

    parser.add_argument("--out", type=_out_dir, default=Path("figures"), metavar="DIR",
                        help=SHARED_HELP["--out"])
    holds = "drawing" if drawing else "figure"
    parser.add_argument("--image-format", type=lambda text: parse_image_formats(text, holds),
                        default=DEFAULT_IMAGE_FORMATS, metavar="LIST",
                        help=SHARED_HELP["--image-format"])


def add_look_options(parser: Any) -> None:
    """``--title``, ``--xlabel``, ``--dpi``, ``--size WxH`` of a figure (None: its own)."""
    parser.add_argument("--title", metavar="TEXT", help=SHARED_HELP["--title"])
    parser.add_argument("--xlabel", metavar="TEXT", help=SHARED_HELP["--xlabel"])
    parser.add_argument("--dpi", type=_dpi, default=None, metavar="N", help=SHARED_HELP["--dpi"])
    parser.add_argument("--size", type=parse_figure_size, default=None, metavar="WxH",
                        help=SHARED_HELP["--size"])


def add_normalize_option(parser: Any) -> None:
    """``--normalize [none|per-page|per-1000-words]``; given alone, per 1000 words (measured the
    same way in every text, where pages of texts without page breaks are estimated)."""
    parser.add_argument("--normalize", choices=NORMALIZATIONS, nargs="?",
                        const="per-1000-words", default="none", help=SHARED_HELP["--normalize"])


def add_align_option(parser: Any, *, choices: Sequence[str] = ALIGNMENTS) -> None:
    """``--align revision|date|progress``: the x axis of a lineage figure."""
    parser.add_argument("--align", choices=tuple(choices), default="revision",
                        help=SHARED_HELP["--align"])


def add_definition_options(parser: Any) -> None:
    """``--definition PATTERN`` and ``-i/--ignore-case``; :func:`definition_pattern` compiles
    them once (a bad pattern is an input error before any I/O)."""
    parser.add_argument("--definition", type=_regex, metavar="PATTERN",
                        help=SHARED_HELP["--definition"])
    parser.add_argument("-i", "--ignore-case", action="store_true",
                        help=SHARED_HELP["--ignore-case"])


def _regex(text: str) -> str:
    """Parse-time check of ``--definition`` with the engine that will run it (the ``regex``
    module keeps what it compiled: :func:`definition_pattern` does not compile it again)."""
    import regex

    try:
        regex.compile(text, regex.V0)
    except (regex.error, ValueError, OverflowError) as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid regular expression: {exc}") \
            from None
    return text


def definition_pattern(args: argparse.Namespace) -> Any:
    """``--definition`` and ``-i`` compiled once per command (a
    :class:`~draftscope.analyses.definitions.pattern.DefinitionPattern`, None without
    ``--definition``): call it before any I/O, then pass the pattern on."""
    text = getattr(args, "definition", None)
    if not text:
        return None
    compiled = getattr(args, "_definition_pattern", None)
    if compiled is None:
        from draftscope.analyses.definitions.pattern import DefinitionPattern

        compiled = DefinitionPattern(text, ignore_case=getattr(args, "ignore_case", False))
        args._definition_pattern = compiled
    return compiled


def add_strict_option(parser: Any) -> None:
    """``--strict``: a figure no notation reader could read is an error (exit 1)."""
    parser.add_argument("--strict", action="store_true", help=SHARED_HELP["--strict"])


# --------------------------------------------------------------------------- stdout and stderr

def note(args: argparse.Namespace, message: str) -> None:
    """A note for people on stderr (a summary, a count), silenced by --quiet."""
    if not getattr(args, "quiet", False):
        print(printable(message), file=sys.stderr)


def warn(message: str) -> None:
    """A warning on stderr (never silenced: something may be wrong with the result)."""
    print(f"draftscope: warning: {printable(message)}", file=sys.stderr)


class PrintableStream:
    """A text stream that escapes what a terminal would act on (:func:`printable`) in all
    that is written to it: the CLI's stdout while a command runs, so a caption, a table cell
    or a name from a server cannot drive the terminal. JSON stays the same data (its
    ``\u202e`` is the JSON escape); tab and newline pass."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def write_coloured(self, text: str) -> int:
        """Output coloured on purpose (``textdiff --color``): SGR colours pass, the rest is
        escaped as always."""
        return self._stream.write(printable(text, colours=True))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def print_paths(paths: Iterable[str | os.PathLike], args: argparse.Namespace | None = None) -> None:
    """Paths of files written: results, so stdout, one per line. When stdout already carries
    CSV or JSON records (``--format csv|json``) it carries nothing else, so a script can parse
    it: the paths are then notes on stderr."""
    if args is not None and getattr(args, "format", "table") in ("csv", "json"):
        for path in paths:
            note(args, f"wrote {path}")
        return
    for path in paths:
        print(path)


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
                            f"{DEFAULT_DATATRACKER_URL})")
    group.add_argument("--archive-url", metavar="URL",
                       help="Internet-Draft archive base URL (default: $DRAFTSCOPE_ARCHIVE_URL or "
                            f"{DEFAULT_ARCHIVE_URL})")
    group.add_argument("--rfc-url", metavar="URL",
                       help="RFC base URL (default: $DRAFTSCOPE_RFC_URL or "
                            f"{DEFAULT_RFC_URL})")
    add_jobs_option(group)
    group.add_argument("--retries", type=_non_negative_int, metavar="N",
                       help=f"retry a failed, throttled or cut-short request up to N times "
                            f"(default: {DEFAULT_RETRIES})")
    group.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bars or summaries on stderr")
    return parent


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


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


def session_from_args(args: argparse.Namespace):
    """The command's one fetch :class:`~draftscope.fetch.session.Session` (use it with
    ``with``): Settings from the options, --offline, --refresh, --jobs download connections
    (default :data:`DEFAULT_JOBS`) and the progress policy (-q silences it). Every request of
    the command goes through it, so its ``requests`` is what the server saw."""
    from draftscope.fetch.session import Session

    return Session(settings_from_args(args), offline=getattr(args, "offline", False),
                   refresh=getattr(args, "refresh", False),
                   jobs=getattr(args, "jobs", None) or DEFAULT_JOBS,
                   progress=library_progress(args))


def report_partial_lineages(partial: dict) -> None:
    """After a command succeeded: one warning line per lineage an offline run read only in
    part (files listed but not cached; :func:`draftscope.fetch.notices.collect_partial`),
    whatever the command. A command that refuses partial lineages fails instead; one that
    said it already clears ``partial``."""
    from draftscope.fetch.notices import partial_message

    for lineage, (listed, missing) in partial.items():
        warn(partial_message(lineage, listed, missing))


# --------------------------------------------------------------------------- progress

def show_progress(args: argparse.Namespace) -> bool:
    """Bars only for people: not with --quiet, not when stderr is a pipe or a file."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def library_progress(args: argparse.Namespace) -> bool | None:
    """The library's ``progress`` argument: False silences it, None lets it check the terminal."""
    return False if getattr(args, "quiet", False) else None


def progress_bar(args: argparse.Namespace, *, total: int | None = None,
                 items: Iterable | None = None, desc: str, unit: str, minimum: int = 1):
    """A tqdm bar on stderr over ``items`` (or counting to ``total``); a silent stand-in with
    --quiet, when stderr is not a terminal, or for fewer than ``minimum`` steps
    (:func:`draftscope.progress.progress_bar`, the one helper)."""
    from draftscope.progress import progress_bar as bar

    return bar(show_progress(args), total=total, items=items, desc=desc, unit=unit,
               minimum=minimum, leave=False)


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
    if path.suffix.lower() == ".txt" and not has_document_header(head) \
            and str(path) not in _WARNED_HEADERLESS:   # (XML without <rfc> is refused later)
        _WARNED_HEADERLESS.add(str(path))
        warn(f"{path} has no Internet-Draft or RFC header: read as a plain text (is it a draft?)")
    return path


_WARNED_HEADERLESS: set[str] = set()    # warn once per file, however often it is checked


# What the first page of an Internet-Draft or RFC has at the start of a line, in every era of
# the formats: "Internet-Draft" / "INTERNET-DRAFT" (also the running header of every page),
# "Request for Comments: 9000", "Network Working Group", "Internet Engineering Task Force
# (IETF)", a stream, "Intended status:", "Expires:", "Category:", "Status of This Memo", and the
# "RFC: 791" of the oldest RFCs. Anchored to line starts: READMEs mention drafts in prose.
_HEADER_WORDS = re.compile(
    rb"^[ \t]*(?:internet[- ]draft\b|request for comments:|network working group"
    rb"|internet engineering task force|internet research task force|independent submission"
    rb"|intended status:|expires:|category:|obsoletes:|updates:|status of this memo"
    rb"|rfc:?[ \t]+\d+)", re.IGNORECASE | re.MULTILINE)
_XML_ROOT = re.compile(rb"<rfc[\s>]")


def has_document_header(head: bytes, *, xml: bool = False) -> bool:
    """Whether the start of a file looks like an Internet-Draft or RFC (its first page's
    header, or an XML ``<rfc>`` root): a README or notes given as a target would otherwise be
    counted silently as a draft without a single keyword."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True     # leave the judgement to the text stage's decoder
    if xml:
        return bool(_XML_ROOT.search(head[:16384]))
    return bool(_HEADER_WORDS.search(head))


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

def describe_os_error(exc: OSError) -> str:
    """An OSError as one line: what failed and on which file."""
    what = exc.strerror or str(exc) or type(exc).__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return printable(f"{what}: {' -> '.join(names)}" if names else what)


def check_output_dir(out: str | os.PathLike) -> Path:
    """Refuse an --out that can never be written (under a file, or read-only) before any work.
    The folder is made once as a probe (some places, like ``/proc``, pass every permission check
    and only refuse then, which would otherwise surface after the whole analysis) and the
    folders the probe made are removed again: a run that ends with nothing to write leaves none."""
    path = Path(out)
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise OutputError(f"cannot write into --out {path}: {candidate} is not a folder")
            if not os.access(candidate, os.W_OK | os.X_OK):
                raise OutputError(f"cannot write into --out {path}: {candidate} is not writable")
            break
    made = [candidate for candidate in (path, *path.parents) if not candidate.exists()]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"cannot write into --out {path}: {reason.lower()}") from None
    for folder in made:   # deepest first; the writers create them again when they save
        try:
            folder.rmdir()
        except OSError:
            break
    return path
