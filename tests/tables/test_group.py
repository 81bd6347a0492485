"""draftscope group / group_frame against the fake datatracker serving the shared corpus."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import pytest

from draftscope.errors import InvalidNameError, OfflineMissingError, UnknownDocumentError
from draftscope.fetch.config import Settings
from draftscope.tables.group import group_frame, group_records

QUIC_REVISIONS = {  # .txt revisions per series in ../shared/corpus (counted with ls)
    "draft-ietf-quic-transport": 35, "draft-ietf-quic-tls": 35, "draft-ietf-quic-recovery": 35,
    "draft-ietf-quic-invariants": 14, "draft-ietf-quic-qpack": 22,
    "draft-ietf-quic-applicability": 1,
}


def _settings(server, tmp_path):
    return Settings.from_env(server.env(), cache_dir=tmp_path / "cache")


def test_group_lists_every_page_of_the_wg(datatracker, tmp_path):
    frame = group_frame("quic", settings=_settings(datatracker, tmp_path), page_size=2)
    # 6 drafts at 2 per page: offsets 0, 2, 4, each asked with order_by=id
    listing = [r for r in datatracker.requests if r.path == "/api/v1/doc/document/"]
    assert len(listing) == 3
    assert all("order_by=id" in r.query and "group__acronym=quic" in r.query for r in listing)
    assert [parse_qs(r.query).get("offset", ["0"])[0] for r in listing] == ["0", "2", "4"]
    assert dict(zip(frame["name"], frame["revisions"])) == QUIC_REVISIONS
    transport = frame.set_index("name").loc["draft-ietf-quic-transport"]
    assert (transport["state"], transport["first_rev"], transport["last_rev"]) == ("RFC", "00", "34")
    # MANIFEST tag dates: -00 2016-11-29T11:02:39+11:00, -34 2021-01-15 (UTC)
    assert transport["first_date"] == pd.Timestamp("2016-11-29 00:02:39", tz="UTC")
    assert transport["last_date"].date().isoformat() == "2021-01-15"
    assert transport["rfc"] == "rfc9000"
    qpack = frame.set_index("name").loc["draft-ietf-quic-qpack"]
    assert (qpack["last_rev"], qpack["rfc"]) == ("21", "rfc9204")


def test_group_offline_uses_the_cached_doc_json(datatracker, tmp_path):
    settings = _settings(datatracker, tmp_path)
    with pytest.raises(OfflineMissingError, match="offline: the drafts of tcpm are not cached"):
        group_records("tcpm", settings=settings, offline=True)
    online = group_records("tcpm", settings=settings)
    datatracker.clear_log()
    assert group_records("tcpm", settings=settings, offline=True) == online
    assert datatracker.requests == []
    assert online == [{
        "name": "draft-ietf-tcpm-hystartplusplus", "state": "Expired", "revisions": 1,
        "first_rev": "04", "last_rev": "04", "first_date": "2022-01-23",
        "last_date": "2022-01-23", "rfc": None, "rfc_date": None, "replaces": "",
        "replaced_by": None, "title": "HyStart++: Modified Slow Start for TCP",
    }]


def test_include_replaced_adds_the_individual_drafts(make_datatracker, tmp_path):
    # lineage.json says transport replaces draft-hamilton-quic-transport-protocol; the corpus has
    # no file of it, so declare two revisions the datatracker would list
    server = make_datatracker(phantom_revisions={"draft-hamilton-quic-transport-protocol": {
        "00": "2016-07-08T12:00:00+00:00", "01": "2016-10-31T12:00:00+00:00"}})
    rows = group_records("quic", settings=_settings(server, tmp_path), include_replaced=True)
    by_name = {r["name"]: r for r in rows}
    assert by_name["draft-ietf-quic-transport"]["replaces"] == "draft-hamilton-quic-transport-protocol"
    hamilton = by_name["draft-hamilton-quic-transport-protocol"]
    assert (hamilton["revisions"], hamilton["first_date"], hamilton["last_date"]) == (
        2, "2016-07-08", "2016-10-31")
    assert hamilton["replaced_by"] == "draft-ietf-quic-transport"
    assert rows[0]["name"] == "draft-hamilton-quic-transport-protocol"   # oldest first
    assert len(rows) == 7


def test_unknown_or_invalid_group_is_one_clear_error(datatracker, tmp_path):
    settings = _settings(datatracker, tmp_path)
    with pytest.raises(UnknownDocumentError, match="unknown working group 'nosuchwg'"):
        group_frame("nosuchwg", settings=settings)
    with pytest.raises(InvalidNameError):
        group_frame("../etc", settings=settings)


# --------------------------------------------------------------------------- CLI

def test_cli_group_csv_and_table(datatracker_env, capsys):
    from draftscope.cli import main

    assert main(["group", "quic", "--format", "csv", "--page-size", "5", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("name,state,revisions,first_rev,last_rev,first_date,last_date,rfc,")
    assert "draft-ietf-quic-invariants,RFC,14,00,13,2018-02-28,2021-01-15,rfc8999," in lines[4]
    assert len(lines) == 7
    assert main(["group", "quic", "--offline"]) == 0      # doc.json now cached
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["name", "state", "revisions", "first_rev", "last_rev",
                                "first_date", "last_date", "rfc", "rfc_date"]
    assert table[3].split() == ["draft-ietf-quic-transport", "RFC", "35", "00", "34",
                                "2016-11-29", "2021-01-15", "rfc9000", "2021-05-01"]


@pytest.mark.parametrize("argv, code, message", [
    (["group", "nosuchwg"], 1, "unknown working group 'nosuchwg'"),
    (["group", "Bad/Group"], 2, "invalid working group acronym 'Bad/Group'"),
])
def test_cli_bad_group_is_one_line_error(datatracker_env, capsys, argv, code, message):
    from draftscope.cli import main

    assert main(argv + ["-q"]) == code
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
