"""The ``draftscope`` command: a thin layer over the library API.

Each sub-command lives in its own module exposing ``register(subparsers)``; those modules must
stay light at import time (no pandas/seaborn/lxml at module level) so ``draftscope --help`` and
quick commands start fast. Expected failures are :class:`DraftscopeError` and become one line on
stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from draftscope import __version__
from draftscope.errors import DraftscopeError

# Sub-command modules, in the order they appear in --help (the pipeline order).
COMMAND_MODULES = (
    "draftscope.cli.fetch",
    "draftscope.cli.keywords",
    "draftscope.cli.definitions",
    "draftscope.cli.plots",
    "draftscope.cli.group",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="draftscope",
        description="Study how IETF Internet-Drafts change from revision to revision.",
    )
    parser.add_argument("--version", action="version", version=f"draftscope {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a stage not built yet
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except DraftscopeError as exc:
        print(f"draftscope: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("draftscope: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
