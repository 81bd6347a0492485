"""Every error a user can cause or meet, in one tree; the CLI turns each into one line.

::

    DraftscopeError                  expected failure (CLI exit 1 unless below)
    +-- InputError (+ ValueError)    the caller's input or options are wrong (CLI exit 2)
    |   +-- InvalidNameError         not draft-..., draft-...-NN or rfcNNNN
    |   +-- UsageError               a command-line option or argument
    |   +-- SettingsError            a base URL, cache folder, page size or job count
    |   +-- KeywordsInputError       keyword table options
    |   +-- DefinitionsInputError    a --definition pattern
    |   +-- CompareInputError        comparison options or inputs
    |   +-- PlotInputError           plot data and options that do not fit
    |   +-- ScanInputError           a scan's ROOT, --out folder or options
    +-- UnknownDocumentError         the datatracker (or the cache) does not know it
    +-- FetchError                   a download failed after every retry
    |   +-- ConnectionFailed         the host could not be reached at all
    |   +-- ThrottledError           the host kept answering 429 (too many requests)
    +-- OfflineMissingError          offline, and the cache lacks files
    +-- CacheError                   the cache folder cannot be used
    +-- NotRegularFileError          a FIFO, device or folder where a file should be
    +-- ParseError                   a document could not be read
    +-- NoDataError                  nothing the command can show
    +-- OutputError                  an output file or folder cannot be written
    +-- DatasetError                 a scan dataset that cannot be read

Exit codes are the CLI's business (:data:`draftscope.cli.EXIT_CODES`), not the library's:
library code raises the class that says what went wrong and nothing else. Input errors also
subclass :class:`ValueError`, so ``except ValueError`` in a notebook catches a bad argument.
"""

from __future__ import annotations

import re


class DraftscopeError(Exception):
    """Base of every expected failure: bad input, network trouble, missing data.

    The message must read well as a single line after ``draftscope: error:``.
    """


class InputError(DraftscopeError, ValueError):
    """The caller's input or options are wrong (a usage mistake, not bad luck)."""


class InvalidNameError(InputError):
    """A name that is not ``draft-...``, ``draft-...-NN`` or ``rfcNNNN`` (refused before any I/O)."""


class UsageError(InputError):
    """A command-line option or argument that cannot be used as given (like argparse's errors)."""


class SettingsError(InputError):
    """A base URL, cache directory, page size or job count that cannot be used."""


class KeywordsInputError(InputError):
    """Bad options for a keyword table (unknown --by, nothing to count)."""


class DefinitionsInputError(InputError):
    """A ``--definition`` pattern that is not a regular expression."""


class CompareInputError(InputError):
    """Options or inputs of a comparison that do not fit together."""


class PlotInputError(InputError):
    """The data or the options given to a plot do not fit together."""


class UnknownDocumentError(DraftscopeError):
    """The datatracker (or the cache, offline) does not know this document."""


class FetchError(DraftscopeError):
    """A download failed after all retries (network down, throttled, truncated bodies)."""


class ConnectionFailed(FetchError):
    """The host could not be reached at all (DNS, refused, reset) after every retry."""


class ThrottledError(FetchError):
    """The host kept answering HTTP 429 past the time we are willing to wait (``throttle_budget``)."""


class OfflineMissingError(DraftscopeError):
    """``--offline`` was asked for but the cache lacks some files."""


class CacheError(DraftscopeError):
    """The cache directory cannot be used (not writable, corrupt metadata)."""


class NotRegularFileError(DraftscopeError):
    """A FIFO, device, socket or folder where a file was expected: refused before it is read
    (a FIFO would block the read for ever, /dev/zero never end)."""


class ParseError(DraftscopeError):
    """A document could not be read (bad XML, undecodable text)."""


class NoDataError(DraftscopeError):
    """The documents were read but hold nothing the command can show (e.g. no definitions to draw)."""


class OutputError(DraftscopeError):
    """An output file or folder (``--out``) that cannot be written."""


class ScanInputError(InputError):
    """A scan's ROOT, dataset folder or options that cannot be used (``draftscope scan``)."""


class DatasetError(DraftscopeError):
    """A scan dataset that cannot be read (no manifest, a damaged part)."""


def one_line(error: BaseException) -> str:
    """An exception's message as one line (what follows ``draftscope: error:``), whatever it
    carried (control characters escaped: :func:`printable`): the CLI's error lines and the
    failures ``make_figures`` collects read the same."""
    return printable(" ".join(str(error).split())) or type(error).__name__


# What a terminal would act on rather than show: C0 controls but tab and newline, DEL, C1
# (CSI 0x9b included), and the bidirectional overrides and isolates that reorder a line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069]")


_SGR = re.compile("\x1b\\[[0-9;]*m")     # a colour or weight: changes no cursor, no title


def printable(text: str, *, colours: bool = False) -> str:
    """``text`` with what a terminal would act on escaped as ``\\x1b`` / ``\\u202e`` (a caption
    or a server's name must not ring the bell, move the cursor or reverse a line);
    ``colours``: SGR colour sequences (``ESC[32m``) pass, for output coloured on purpose."""
    if colours:
        pieces = _SGR.split(text)
        codes = _SGR.findall(text)
        return "".join(printable(piece) + (codes[i] if i < len(codes) else "")
                       for i, piece in enumerate(pieces))
    return _UNPRINTABLE.sub(lambda m: (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                       else f"\\u{ord(m.group()):04x}"), text)
