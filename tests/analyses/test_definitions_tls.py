"""TLS presentation language on real texts: select cases as variants, brace defaults, empty
structs, one-line definitions, a missing enum comma, and how their changes are diffed."""

from __future__ import annotations

import pytest

from draftscope.text.document import load_document
from draftscope.analyses.definitions import diff_definitions
from draftscope.analyses.definitions import tls
from draftscope.analyses.definitions.model import Field, Variant
from draftscope.tables.definitions import describe_field_changes, show_field

QT = "draft-ietf-quic-transport/draft-ietf-quic-transport-{}.txt"
QTLS = "draft-ietf-quic-tls/draft-ietf-quic-tls-{}.txt"


@pytest.fixture(scope="module")
def rfc5246(corpus_dir):
    return (corpus_dir / "rfc" / "rfc5246.txt").read_text()


def tls_definitions(text):
    lines = text.split("\n")
    out = {}
    for i, line in enumerate(lines):
        if tls.is_start(line):
            parsed = tls.parse_tls(lines, i)
            if parsed and parsed[0] not in out:
                out[parsed[0]] = parsed
    return out


def test_client_hello_select_becomes_variants(rfc5246):
    name, kind, fields, _ = tls_definitions(rfc5246)["ClientHello"]
    assert (name, kind) == ("ClientHello", "struct")
    assert [f.name for f in fields] == ["client_version", "random", "session_id", "cipher_suites",
                                        "compression_methods", "select (extensions_present)"]
    select = fields[-1]
    assert select.type == "select"
    assert select.variants == (
        Variant("false", ()),
        Variant("true", (Field("extensions", None, "<0..2^16-1>", "Extension"),)),
    )
    assert show_field(select) == ("select (extensions_present) {case false: -; "
                                  "case true: Extension extensions<0..2^16-1>}")


def test_shared_case_labels_and_nested_structs(rfc5246):
    (select,) = tls_definitions(rfc5246)["ServerKeyExchange"][2]
    assert [(v.label, [f.name for f in v.fields]) for v in select.variants] == [
        ("dh_anon", ["params"]),
        ("dhe_dss, dhe_rsa", ["params", "signed_params"]),
        ("rsa, dh_dss, dh_rsa", []),
    ]
    # a case naming only a type: the field is that type
    fragment = tls_definitions(rfc5246)["TLSCiphertext"][2][-1]
    assert (fragment.name, fragment.type) == ("fragment", "select")
    assert [(v.label, v.fields[0].type) for v in fragment.variants] == [
        ("stream", "GenericStreamCipher"), ("block", "GenericBlockCipher"),
        ("aead", "GenericAEADCipher")]


def test_empty_structs_on_one_line_or_more(rfc5246):
    defs = tls_definitions(rfc5246)
    assert defs["HelloRequest"][:3] == ("HelloRequest", "struct", [])     # struct { } HelloRequest;
    assert defs["ServerHelloDone"][:3] == ("ServerHelloDone", "struct", [])
    lines = ["   struct {", "   } HelloRequest;", ""]
    assert tls.parse_tls(lines, 0) == ("HelloRequest", "struct", [], 2)


def test_brace_default_is_a_value_not_a_name():
    lines = ["   struct {", "       ProtocolVersion version = { 3, 3 };     /* TLS v1.2*/",
             "       uint16 length = Length;", "   } Example;"]
    name, _, fields, _ = tls.parse_tls(lines, 0)
    assert [(f.name, f.type, f.value) for f in fields] == [
        ("version", "ProtocolVersion", "{ 3, 3 }"), ("length", "uint16", "Length")]


def test_enum_missing_comma_before_the_maximum(rfc5246):
    # RFC 5246 A.4 writes "finished(20)\n (255)" without a comma
    lines = rfc5246.split("\n")
    start = lines.index("   enum {", lines.index("A.4.  Handshake Protocol"))
    name, kind, fields, _ = tls.parse_tls(lines, start)
    assert (name, kind) == ("HandshakeType", "enum")
    assert [(f.name, f.value) for f in fields][-2:] == [("client_key_exchange", "16"), ("finished", "20")]
    assert {f.bits for f in fields} == {8}                  # (255): one octet
    assert show_field(fields[-1]) == "finished(20)"


def test_one_line_definitions():
    assert tls.parse_one_line("      uint8 CipherSuite[2];    /* Cryptographic suite selector */") == (
        "CipherSuite", Field("uint8", 16, "[2]", "uint8"))
    assert tls.parse_one_line("      uint32 QuicVersion;") == ("QuicVersion", Field("uint32", 32, "32", "uint32"))
    assert tls.parse_one_line("      opaque SessionID<0..32>;") == (
        "SessionID", Field("opaque", None, "<0..32>", "opaque", repeated=True))
    # a value, not a type; prose; a struct member
    assert tls.parse_one_line("   ProtocolVersion version = { 3, 3 };") is None
    assert tls.parse_one_line("   The client MUST send it;") is None
    assert tls.parse_one_line("         TransportParameterId parameter;") is None


# --- diffs of real revisions ----------------------------------------------------------------

def test_a_case_added_and_a_field_moved_between_cases(corpus_dir):
    diff = diff_definitions(load_document(corpus_dir / QT.format("02")), load_document(corpus_dir / QT.format("07")))
    params = diff.find("TransportParameters")
    select = next(f for f in params.fields if f.new and f.new.type == "select")
    assert select.change == "retyped" and select.aspects == {"variants"}
    assert [(v.label, v.change) for v in select.variants] == [
        ("client_hello", "unchanged"), ("encrypted_extensions", "changed"),
        ("new_session_ticket", "added")]
    (resized,) = [f for f in select.variants[1].fields if f.change != "unchanged"]
    assert (resized.change, resized.new.name, resized.details) == (
        "resized", "supported_versions", ("size <2..2^8-4> -> <4..2^8-4>",))

    # -10 moved negotiated_version from the client's case to the server's
    diff = diff_definitions(load_document(corpus_dir / QT.format("07")), load_document(corpus_dir / QT.format("10")))
    select = next(f for f in diff.find("TransportParameters").fields if f.new and f.new.type == "select")
    moved = [(v.label, f.change, f.new.name, f.details) for v in select.variants for f in v.fields
             if f.change != "unchanged"]
    assert moved == [
        ("client_hello", "moved", "negotiated_version", ("to case encrypted_extensions",)),
        ("encrypted_extensions", "moved", "negotiated_version", ("from case client_hello",)),
    ]
    assert [(v.label, v.change) for v in select.variants][-1] == ("new_session_ticket", "removed")
    # the enum member keeps its code point: -10 renamed initial_max_stream_id(2) to _bidi and
    # added initial_max_stream_id_uni(8)
    ids = diff.find("TransportParameterId")
    renamed = [(f.old.name, f.new.name) for f in ids.fields if f.change == "renamed"]
    assert renamed == [("initial_max_stream_id", "initial_max_stream_id_bidi")]
    assert [(f.new.name, f.new.value) for f in ids.fields if f.change == "added"] == [
        ("ack_delay_exponent", "7"), ("initial_max_stream_id_uni", "8")]


def test_a_field_moved_into_a_branch(rfc5246):
    """RFC 5246's ClientHello with compression_methods moved into ``case true`` and a case
    added (edited in memory): a move and a new case, not a removal and an addition."""
    from draftscope.text.document import parse_text

    before = ("          CompressionMethod compression_methods<1..2^8-1>;\n"
              "          select (extensions_present) {\n"
              "              case false:\n                  struct {};\n"
              "              case true:\n                  Extension extensions<0..2^16-1>;\n")
    after = ("          select (extensions_present) {\n"
             "              case false:\n                  struct {};\n"
             "              case true:\n"
             "                  CompressionMethod compression_methods<1..2^8-1>;\n"
             "                  Extension extensions<0..2^16-1>;\n"
             "              case later:\n                  uint8 hint;\n")
    assert rfc5246.count(before) == 1
    old = parse_text(rfc5246, "rfc5246", "rfc5246")
    new = parse_text(rfc5246.replace(before, after), "rfc5246", "rfc5246")
    diff = diff_definitions(old, new)
    assert [(c.change, c.new.name) for c in diff.changes if c.change != "unchanged"] == [
        ("changed", "ClientHello")]
    hello = diff.find("ClientHello")
    assert describe_field_changes(hello.fields) == (
        "compression_methods (moved: into case true); select (extensions_present) "
        "(retyped: case true: compression_methods (moved); case later added)")
    assert (hello.fields_added, hello.fields_removed, hello.fields_changed) == (0, 0, 2)


def test_a_default_changed_is_a_value_change(corpus_dir):
    # quic-tls -03 -> -06 changed only the label's default: "TLS 1.3, " + Label -> "tls13 " + Label
    diff = diff_definitions(load_document(corpus_dir / QTLS.format("03")), load_document(corpus_dir / QTLS.format("06")))
    label = diff.find("HkdfLabel")
    assert label.change == "changed"
    assert [(f.change, f.new.name, f.old.value, f.new.value) for f in label.fields
            if f.change != "unchanged"] == [
        ("value", "label", '"TLS 1.3, " + Label', '"tls13 " + Label')]


def test_presentation_language_sections_hold_examples(corpus_dir):
    """RFC 5246 section 4 "Presentation Language" explains the notation with sample types
    (4.5 Color, 4.6.1 VariantRecord ...): they are examples, its section 7 messages are not."""
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.text.document import load_document

    document = load_document(corpus_dir / "rfc" / "rfc5246.txt")
    found = extract_definitions(document, examples=True)
    marked = tls.mark_examples(found, document.sections, lambda t: "presentation language" in t.lower())
    examples = {d.name for d in marked if d.example}
    assert {"Te", "Color", "Taste", "Amount", "VariantRecord", "UserType", "Example1"} <= examples
    assert all(d.section.split(".")[0] == "4" for d in marked if d.example)
    assert {"ClientHello", "HandshakeType", "ProtocolVersion"}.isdisjoint(examples)
    # extraction does the same, and leaves them out unless asked
    assert {d.name for d in found if d.example} == examples
    kept = {d.name for d in extract_definitions(document)}
    assert examples.isdisjoint(kept) and "ClientHello" in kept



def test_cli_examples_option(corpus_dir, capsys):
    import json

    from draftscope.cli import main

    rfc = str(corpus_dir / "rfc" / "rfc5246.txt")
    assert main(["definitions", rfc, "--format", "json"]) == 0
    plain = {d["name"]: d for d in json.loads(capsys.readouterr().out)["definitions"]}
    assert main(["definitions", rfc, "--format", "json", "--examples"]) == 0
    every = {d["name"]: d for d in json.loads(capsys.readouterr().out)["definitions"]}
    assert "Taste" not in plain and every["Taste"]["example"] is True
    assert set(every) - set(plain) == {d for d in every if every[d]["example"]}
    assert main(["definitions", rfc, "--examples"]) == 0
    assert "  (notation example)" in capsys.readouterr().out
    # diff: the same document against itself, examples included, is all unchanged
    assert main(["diff", rfc, rfc, "--examples", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert len(record["definitions"]) == len(every)
    assert {d["change"] for d in record["definitions"]} == {"unchanged"}


def test_named_types_get_their_width_from_the_document():
    """issue 21: typedefs, enums (ceiling or largest code point), fixed structs; vectors stay
    variable; a type not declared here is 'width unresolved'."""
    text = "\n".join([
        "   uint16 ProtocolVersion;",
        "   opaque Random[32];",
        "   enum { red(3), blue(5), white(7) } Color;",          # no ceiling: the largest value
        "   enum { a(1), b(2), (65535) } Wide;",
        "   opaque SessionID<0..32>;",
        "   struct { uint8 major; Color color; } Pair;",
        "   struct {",
        "       ProtocolVersion version;",
        "       Random random;",
        "       Color color;",
        "       Wide wide;",
        "       Pair pair;",
        "       SessionID session_id;",
        "       Wide wides<2..2^16-2>;",
        "       Elsewhere other;",
        "       uint16 pairs[4];",                                   # [n] is n octets (RFC 5246 4.3)
        "   } Hello;",
    ]) + "\n"
    from draftscope.analyses.definitions import extract_definitions
    from draftscope.text.document import parse_text

    found = {d.name: d for d in extract_definitions(parse_text(text, name="draft-x", rev="00"))}
    hello = found["Hello"]
    assert [(f.name, f.bits, f.size) for f in hello.fields] == [
        ("version", 16, "16"), ("random", 256, "256"), ("color", 8, "8"), ("wide", 16, "16"),
        ("pair", 16, "16"), ("session_id", None, ".."), ("wides", None, "<2..2^16-2>"),
        ("other", None, ""), ("pairs", 32, "[4]")]
    assert hello.warnings == ("other: type Elsewhere is not defined in this document; width unresolved",)
    assert found["Pair"].warnings == () and found["Color"].fields[0].bits == 8


def test_enums_without_code_points_leave_members_unresolved():
    from pathlib import Path

    from draftscope.analyses.definitions import extract_definitions
    from draftscope.text.document import parse_text

    case = Path(__file__).resolve().parents[1] / "cases" / "definitions" / "rfc5246-security-parameters.txt"
    (params,) = [d for d in extract_definitions(parse_text(case.read_text(), name="rfc5246", rev="rfc5246"))
                 if d.name == "SecurityParameters"]
    assert [w.split(":")[0] for w in params.warnings] == [
        "entity", "prf_algorithm", "bulk_cipher_algorithm", "cipher_type", "mac_algorithm"]
    assert params.warnings[0] == "entity: type ConnectionEnd has no code points or ceiling; width unresolved"


def test_rfc5246_and_rfc8446_structs_have_their_widths(corpus_dir):
    """Every member of RFC 5246's structs has a width or is known to be variable, but in the
    three whose types are declared without a width (issue 21: 28 of 60 before)."""
    from draftscope.analyses.definitions import extract_definitions

    defs = extract_definitions(load_document(corpus_dir / "rfc" / "rfc5246.txt"))
    structs = [d for d in defs if d.notation == "tls-struct" and d.fields]

    def known(f):
        return f.bits is not None or f.type == "select" or f.size.startswith(("<", "[")) or f.size == ".."

    incomplete = [d.name for d in structs if not all(known(f) for f in d.fields)]
    assert (len(structs), incomplete) == (60, ["SecurityParameters", "SecurityParameters (2)",
                                                "V2ClientHello"])
    assert all(d.warnings for d in structs if d.name in incomplete)
