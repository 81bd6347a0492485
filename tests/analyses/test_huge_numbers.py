"""A number of 4301 digits anywhere a reader converts digits (issue 20 item 4): Python's int()
refuses more than 4300 decimal digits, so a crafted size, ruler or value must be read as text
(a width that long is "any length"), never converted. Found by benchmarks/hostile_cases.py's
audit: a box cell's size (sizes.normalise_size), a ruler line (geometry.find_ruler) and a fixed
value compared by diff (diff.normalise_value) raised ValueError after the field-list and TLS
readers had been fixed."""

from __future__ import annotations

from draftscope.analyses.definitions import diff_definitions, extract_definitions
from draftscope.analyses.definitions.diff import normalise_value
from draftscope.analyses.definitions.geometry import find_ruler
from draftscope.analyses.definitions.sizes import MAX_SIZE_DIGITS, normalise_size, read_cell_text
from draftscope.text.document import parse_text

HUGE = "9" * 4301
BORDER = "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+"
RULER = "    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"


def document(text: str):
    return parse_text("Internet-Draft\n\n" + text, name="draft-crafted", rev="00")


def test_a_size_with_too_many_digits_is_any_length():
    for spec in (HUGE, f"{HUGE} bits", f"{HUGE} octets", f"8, {HUGE} bits", f"8-{HUGE} bits",
                 f"4 or {HUGE} octets", "9" * (MAX_SIZE_DIGITS + 1)):
        assert normalise_size(spec) == (None, ".."), spec[-20:]
    # at the bound it is still a number
    assert normalise_size("9" * MAX_SIZE_DIGITS) == (10**MAX_SIZE_DIGITS - 1, "9" * MAX_SIZE_DIGITS)
    assert normalise_size("2 octets") == (16, "16")


def test_a_box_cell_with_a_4301_digit_size_keeps_its_name():
    cell = read_cell_text(f"Data ({HUGE})")
    assert (cell.name, cell.bits, cell.size) == ("Data", None, "..")
    # a choice of sizes with one too long is not read as sizes: the note stays in the name
    cell = read_cell_text(f"Addr (IPv4: 4 octets / IPv6: {HUGE} octets)")
    assert cell.bits is None and cell.name.startswith("Addr (IPv4: 4 octets")


def test_a_ruler_with_a_4301_digit_number_is_not_a_ruler():
    assert find_ruler([f"    0    1  {HUGE}"]) is None
    ruler = find_ruler([RULER])
    assert ruler is not None and (ruler.bits, ruler.first, ruler.step) == (32, 4, 2.0)
    # the box under such a line is read with the ruler that is there
    text = "1.  X\n\n    0    1  " + HUGE + "\n" + RULER + "\n" + BORDER + "\n   |" + \
        "A".center(63) + "|\n" + BORDER + "\n"
    (box,) = extract_definitions(document(text))
    assert [(f.name, f.bits) for f in box.fields] == [("A", 32)]


def test_a_4301_digit_value_is_compared_as_written():
    assert normalise_value(HUGE) == HUGE
    assert normalise_value("0x" + "F" * 5000) == "0x" + "f" * 5000
    assert normalise_value("0x1A") == normalise_value("26") == "26"

    def frame(value: str):
        return document("1.  F\n\n   X Frame {\n     Type (i) = " + value + ",\n     D (8),\n"
                        "   }\n\n   Figure 1: X Frame Format\n")

    old, new = extract_definitions(frame(HUGE)), extract_definitions(frame("8" * 4301))
    assert old[0].fields[0].value == HUGE
    (change,) = diff_definitions(old, new).changes
    assert change.change == "changed"
    changed = [fc for fc in change.fields if fc.aspects]
    assert [(fc.old.name, sorted(fc.aspects)) for fc in changed] == [("Type", ["value"])]
    assert diff_definitions(old, old).changes[0].change == "unchanged"
