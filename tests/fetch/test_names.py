"""Name validation: what becomes a URL or a file name is checked before any I/O."""

from __future__ import annotations

import pytest

from draftscope.errors import InvalidNameError
from draftscope.fetch.names import (DocName, check_formats, check_group, parse_filename,
                                    parse_name)


@pytest.mark.parametrize("text, expected", [
    ("draft-ietf-quic-transport", DocName("draft-ietf-quic-transport")),
    ("draft-ietf-quic-transport-27", DocName("draft-ietf-quic-transport", "27")),
    ("Draft-IETF-QUIC-TLS-00", DocName("draft-ietf-quic-tls", "00")),
    ("rfc9000", DocName("rfc9000")),
    ("RFC768", DocName("rfc768")),
    ("draft-eggert-tcpm-rfc8312bis", DocName("draft-eggert-tcpm-rfc8312bis")),
])
def test_accepted_names(text, expected):
    assert parse_name(text) == expected


@pytest.mark.parametrize("text", [
    "../../x", "draft-../../etc/passwd", "draft-ietf-quic-transport/../x", "draft-", "draft--x",
    "draft-x-", "rfc", "rfc09000", "rfc9000.txt", "draft x", "draft-ietf-quic-transport-7.txt",
    "", "draft-%2e%2e", "/etc/passwd", "draft-ietf_quic",
])
def test_refused_names(text):
    with pytest.raises(InvalidNameError) as info:
        parse_name(text)
    assert "\n" not in str(info.value) and repr(text) in str(info.value)


def test_filenames_formats_groups():
    assert parse_filename("draft-ietf-quic-transport-27.txt") == ("draft-ietf-quic-transport", "27", "txt")
    assert parse_filename("rfc9000.txt") == ("rfc9000", "rfc9000", "txt")
    assert parse_filename("draft-ietf-quic-transport-27.md") is None
    assert parse_filename(".draft-ietf-quic-transport-27.txt.abc.part") is None
    assert check_formats("xml,txt,xml") == ("xml", "txt")
    assert check_group("QUIC") == "quic"
    for bad in (lambda: check_formats("pdf"), lambda: check_group("../q")):
        with pytest.raises(InvalidNameError):
            bad()


def test_file_types_are_called_what_the_option_calls_them():
    # `fetch --file-types pdf` said "unknown format 'pdf'" where --format means table/csv/json
    with pytest.raises(InvalidNameError, match=r"^unknown file type 'pdf': choose from txt, xml$"):
        check_formats("pdf")
    with pytest.raises(InvalidNameError, match=r"^no file type given"):
        check_formats([])
