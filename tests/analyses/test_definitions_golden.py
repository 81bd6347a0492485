"""Golden cases: real figures and their expected reading, as data (pygments' tests/snippets).

Each ``tests/cases/definitions/NAME.txt`` holds one real figure (or a few under one heading) as
printed in the RFC or draft named in ``NAME.json``'s ``source``; ``NAME.json`` holds the reading
every field must get. A case is text plus expectation: adding one needs no Python.

    python3 -m pytest tests/analyses/test_definitions_golden.py --update-goldens

rewrites every ``NAME.json``'s ``definitions`` (and ``unread``) from what draftscope reads now,
keeping ``source`` and ``note``: review the diff before committing it, since a golden file is a
claim about the figure, not a record of the code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from draftscope.analyses.definitions import read_definitions
from draftscope.text.document import parse_text

CASES = Path(__file__).resolve().parents[1] / "cases" / "definitions"
NAMES = sorted(p.stem for p in CASES.glob("*.txt"))

# what a field's reading records beyond name and bits, in this order, when not the default
FIELD_EXTRAS = ("size", "type", "value", "condition", "optional", "repeated", "reserved")


def field_reading(f) -> list:
    """``[name, bits]`` plus a dict of the attributes that differ from the defaults."""
    extras = {k: getattr(f, k) for k in FIELD_EXTRAS if getattr(f, k)}
    if f.bits is not None and extras.get("size") == str(f.bits):
        del extras["size"]          # a fixed width says its size already
    if f.variants:
        extras["variants"] = {v.label: [field_reading(x) for x in v.fields] for v in f.variants}
    return [f.name, f.bits, extras] if extras else [f.name, f.bits]


def reading(text: str) -> dict:
    document = parse_text(text, name="draft-golden-case", rev="00")
    found = read_definitions(document)
    out = {"definitions": [{"name": d.name, "notation": d.notation,
                            "fields": [field_reading(f) for f in d.fields]} for d in found.definitions]}
    if found.unread:
        out["unread"] = [{"line": u.line, "reason": u.reason} for u in found.unread]
    return out


def dump_case(case: dict) -> str:
    """JSON with one field per line, so a reviewer reads a case like the figure."""
    def fields(items: list, indent: str) -> str:
        return "[\n" + ",\n".join(indent + "  " + json.dumps(x, ensure_ascii=False) for x in items) + "\n" + indent + "]"
    parts = []
    for key, value in case.items():
        if key == "definitions":
            defs = []
            for d in value:
                head = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in d.items() if k != "fields")
                defs.append('  {' + head + ', "fields": ' + fields(d["fields"], "  ") + "}")
            parts.append(f'"definitions": [\n' + ",\n".join(defs) + "\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def test_there_are_golden_cases():
    assert len(NAMES) >= 1, f"no golden cases in {CASES}"


@pytest.mark.parametrize("name", NAMES)
def test_golden_case(name, request):
    text = (CASES / f"{name}.txt").read_text(encoding="utf-8")
    expected_path = CASES / f"{name}.json"
    got = reading(text)
    if request.config.getoption("--update-goldens"):
        old = json.loads(expected_path.read_text()) if expected_path.exists() else {}
        new = {k: old[k] for k in ("source", "pattern", "note") if k in old}
        new.update(got)
        expected_path.write_text(dump_case(new))
        return
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert expected.get("source"), f"{name}.json must say where the figure is from"
    want = {k: expected[k] for k in ("definitions", "unread") if k in expected}
    assert got == want
