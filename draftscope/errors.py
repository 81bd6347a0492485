"""Errors a user can cause or meet; the CLI turns each into one line and a non-zero exit."""

from __future__ import annotations


class DraftscopeError(Exception):
    """Base of every expected failure: bad input, network trouble, missing data.

    The message must read well as a single line after ``draftscope: error:``.
    """

    exit_code = 1


class InvalidNameError(DraftscopeError):
    """A name that is not ``draft-...``, ``draft-...-NN`` or ``rfcNNNN`` (refused before any I/O)."""

    exit_code = 2


class UnknownDocumentError(DraftscopeError):
    """The datatracker (or the cache, offline) does not know this document."""


class FetchError(DraftscopeError):
    """A download failed after all retries (network down, throttled, truncated bodies)."""


class OfflineMissingError(DraftscopeError):
    """``--offline`` was asked for but the cache lacks some files."""


class ParseError(DraftscopeError):
    """A document could not be read (bad XML, undecodable text)."""


class NoDataError(DraftscopeError):
    """The documents were read but hold nothing the command can show (e.g. no definitions to draw)."""


class UsageError(DraftscopeError):
    """A command-line option or argument that cannot be used as given (exit 2, like argparse)."""

    exit_code = 2


class OutputError(DraftscopeError):
    """An output file or folder (``--out``) that cannot be written."""


def one_line(error: BaseException) -> str:
    """An exception's message as one line (what follows ``draftscope: error:``), whatever it
    carried: the CLI's error lines and the failures ``make_figures`` collects read the same."""
    return " ".join(str(error).split()) or type(error).__name__
