"""The CLI reference (docs/cli.md), generated from every command's ``--help``.

Regenerate after changing any option, description or example::

    python3 -m draftscope.cli.reference > docs/cli.md

``tests/cli/test_cli_reference.py`` fails while docs/cli.md differs from what this prints, so the
reference can never drift from the parsers (the role cog plays for sqlite-utils' docs). Help is
rendered at a fixed width, whatever the terminal, so the file is the same on every machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from typing import Iterator

WIDTH = 100
REGENERATE = "python3 -m draftscope.cli.reference > docs/cli.md"


@contextmanager
def _columns(width: int) -> Iterator[None]:
    """argparse sizes help to $COLUMNS: pin it while rendering."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = before


def command_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Sub-command name -> its parser, in --help order."""
    for action in parser._actions:   # argparse keeps sub-parsers on this private action
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_texts(width: int = WIDTH) -> dict[str, str]:
    """``{"draftscope": top-level help, "draftscope fetch": ..., ...}`` rendered at ``width``."""
    from draftscope.cli import build_parser

    with _columns(width):
        parser = build_parser()
        texts = {parser.prog: parser.format_help()}
        for name, sub in command_parsers(parser).items():
            texts[f"{parser.prog} {name}"] = sub.format_help()
    return texts


def reference(width: int = WIDTH) -> str:
    """docs/cli.md: a section per command holding its ``--help`` verbatim."""
    texts = help_texts(width)
    lines = [
        "# draftscope command-line reference",
        "",
        "Generated from every command's `--help`; do not edit by hand. Regenerate with",
        f"`{REGENERATE}`",
        "(tests/cli/test_cli_reference.py fails when this file is stale). argparse's layout changes",
        f"between Python versions: {generated_with()}.",
        "",
    ]
    lines += [f"- [`{name}`](#{name.replace(' ', '-')})" for name in list(texts)[1:]]
    for name, text in texts.items():
        lines += ["", f"## {name}", "", "```text", text.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def generated_with() -> str:
    """The line naming the Python whose argparse rendered the file (its layout differs)."""
    return f"rendered by Python {sys.version_info.major}.{sys.version_info.minor}"


def main() -> int:
    sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
