"""The ``draftscope`` command: a thin layer over the library API.

Each sub-command lives in its own module exposing ``register(subparsers)``; those modules must
stay light at import time (no pandas/seaborn/lxml/requests at module level) so ``draftscope --help``
and quick commands start fast. What they share (cache/network options, Settings, output writers)
is in :mod:`draftscope.cli.common`. Expected failures, argparse's included, are
:class:`DraftscopeError` and become one line on stderr with a non-zero exit; so does an OSError
(a folder that cannot be created, a disk full): the library raises it at the I/O edge. Any
other exception is a bug: one ``internal error`` line naming where, exit 70, and the traceback
with ``DRAFTSCOPE_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from typing import Any, Sequence

from draftscope import __version__
from draftscope.cli.common import (CliParser, PrintableStream, describe_os_error,
                                   report_partial_lineages)
from draftscope.fetch.notices import collect_partial
from draftscope.options import cli_words
from draftscope.errors import (DraftscopeError, InputError, OfflineMissingError,
                               UnknownDocumentError, one_line)

INTERNAL_ERROR = 70   # EX_SOFTWARE: an exception that is not a DraftscopeError (a bug)

# Error class -> exit status, most specific first: input/usage mistakes 2 (like argparse), other
# expected failures 1. The library's error classes carry no exit codes; this table is the policy.
EXIT_CODES: tuple[tuple[type[DraftscopeError], int], ...] = (
    (InputError, 2),
    (DraftscopeError, 1),
)


def exit_code(error: DraftscopeError) -> int:
    """The exit status for ``error`` from :data:`EXIT_CODES`."""
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))

# Every command -> the module whose ``register(subparsers)`` adds it, in the order --help lists
# them (the pipeline order). ``draftscope COMMAND ...`` imports and registers only COMMAND's module,
# so a quick command does not pay for the other sub-parsers (tests/cli/test_cli_lazy_parser.py
# checks this table against what each module's register() adds, and the help and errors of the
# lazy parser against the whole one's).
COMMANDS: dict[str, str] = {
    "fetch": "draftscope.cli.fetch",
    "keywords": "draftscope.cli.keywords",
    "definitions": "draftscope.cli.definitions",
    "diff": "draftscope.cli.definitions",
    "history": "draftscope.cli.definitions",
    "draw": "draftscope.cli.draw",
    "story": "draftscope.cli.draw",
    "changes": "draftscope.cli.changes",
    "textdiff": "draftscope.cli.changes",
    "plot-changes": "draftscope.cli.changes",
    "plot": "draftscope.cli.plots",
    "plot-definitions": "draftscope.cli.plots",
    "figures": "draftscope.cli.plots",
    "group": "draftscope.cli.group",
    "plot-group": "draftscope.cli.group",
    "compare": "draftscope.cli.group",
    "report": "draftscope.cli.report",
    "scan": "draftscope.cli.scan",
    "trends": "draftscope.cli.scan",
}
# Sub-command modules, in the order they appear in --help.
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``draftscope`` parser. With ``argv`` (the command line about to be parsed) whose
    first word is a command of :data:`COMMANDS`, only that command's module is imported and
    registered: the parse, its help and its errors are the whole parser's, since argparse hands
    everything after the command to its sub-parser. Otherwise (no command, ``--help``,
    ``--version``, a word that is no command) every command is there, so the top-level help
    and argparse's "invalid choice" list them all."""
    parser = CliParser(
        prog="draftscope",
        description="Study how IETF Internet-Drafts change from revision to revision.",
        epilog="Run 'draftscope COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"draftscope {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = argv[0] if argv else None
    if command in COMMANDS and _register(subparsers, COMMANDS[command]):
        return parser
    for module_name in COMMAND_MODULES:
        _register(subparsers, module_name)
    return parser


def _register(subparsers: Any, module_name: str) -> bool:
    """Add the commands of ``module_name``; False when the module does not exist (a stage not
    built yet)."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return False
        raise
    module.register(subparsers)
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = None
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)   # no command given: the parser has them all
            return 2
        with collect_partial() as partial, printable_stdout():
            code = int(args.func(args) or 0)
        if code == 0:
            report_partial_lineages(partial)
        return code
    except DraftscopeError as exc:
        message = cli_words(one_line(exc))   # the library's parameters as this CLI's options
        if isinstance(exc, (UnknownDocumentError, OfflineMissingError)) and args is not None:
            from draftscope.cli.suggest import did_you_mean

            message = did_you_mean(message, args)   # closest known names, if any
        print(f"draftscope: error: {message}", file=sys.stderr)
        return exit_code(exc)
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"draftscope: error: {describe_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("draftscope: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line; DRAFTSCOPE_DEBUG=1 shows the traceback
        if os.environ.get("DRAFTSCOPE_DEBUG"):
            raise
        print(f"draftscope: error: internal error: {type(exc).__name__}: {one_line(exc)} "
              f"(at {_where(exc)}; rerun with DRAFTSCOPE_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return INTERNAL_ERROR


@contextlib.contextmanager
def printable_stdout():
    """stdout escapes terminal controls while a command runs (:class:`PrintableStream`)."""
    stdout = sys.stdout
    sys.stdout = PrintableStream(stdout)
    try:
        yield
    finally:
        sys.stdout = stdout


def _where(exc: BaseException) -> str:
    """``file.py:LINE`` of the frame that raised ``exc``."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown place"
    return f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
