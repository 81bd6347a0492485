"""resolve_target and Settings: single revisions, RFCs, local files, dates, environment."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from draftscope.errors import InvalidNameError, UnknownDocumentError
from draftscope.errors import SettingsError
from draftscope.fetch.config import Settings
from draftscope.fetch.datatracker import list_group_documents
from draftscope.fetch.session import resolve_target

TLS = "draft-ietf-quic-tls"


def test_single_revision_cold_and_warm(datatracker_env, corpus_dir):
    [revision] = resolve_target(f"{TLS}-27")
    assert (revision.name, revision.rev, revision.format) == (TLS, "27", "txt")
    assert revision.date == datetime(2020, 2, 21, 14, 11, 33, tzinfo=timezone.utc)   # from doc.json
    assert revision.path.read_bytes() == (corpus_dir / TLS / f"{TLS}-27.txt").read_bytes()
    assert [r.path for r in datatracker_env.requests] == [f"/doc/{TLS}/doc.json", f"/archive/id/{TLS}-27.txt"]
    datatracker_env.clear_log()
    assert resolve_target(f"{TLS}-27") == [revision]
    assert resolve_target(f"{TLS}-27", offline=True) == [revision]
    assert datatracker_env.requests == []


def test_latest_rfc_lineage_and_offline_missing(datatracker_env, corpus_dir):
    [latest] = resolve_target(TLS, lineage=False)
    assert latest.label == f"{TLS}-34"
    [rfc] = resolve_target("rfc9001")
    assert rfc.path.read_bytes() == (corpus_dir / "rfc" / "rfc9001.txt").read_bytes()
    assert rfc.date == datetime(2021, 5, 1, tzinfo=timezone.utc) and rfc.is_rfc
    datatracker_env.clear_log()
    [missing] = resolve_target(f"{TLS}-05", offline=True)
    assert missing.path is None and missing.date == datetime(2017, 8, 16, 5, 10, 44, tzinfo=timezone.utc)
    whole = resolve_target(TLS, offline=True)
    assert [r.label for r in whole if r.path] == [f"{TLS}-34", "rfc9001"] and len(whole) == 36
    assert datatracker_env.requests == []


def test_unknown_revision_and_local_files(datatracker_env, corpus_dir, tmp_path):
    # the lineage is known: its revisions are named (the archive is still asked, once)
    with pytest.raises(UnknownDocumentError,
                       match=fr"{TLS}-99: no such revision \({TLS} has revisions 00\.\.34\)"):
        resolve_target(f"{TLS}-99")
    local = corpus_dir / "draft-ietf-quic-invariants" / "draft-ietf-quic-invariants-13.xml"
    [revision] = resolve_target(local)
    assert (revision.name, revision.rev, revision.format, revision.path, revision.date) == (
        "draft-ietf-quic-invariants", "13", "xml", local, None)
    (tmp_path / "notes.txt").write_text("MUST\n")
    [other] = resolve_target(str(tmp_path / "notes.txt"))
    assert (other.name, other.rev, other.format) == ("notes", "", "txt")
    with pytest.raises(UnknownDocumentError, match="no such file"):
        resolve_target(str(tmp_path / "absent.txt"))
    with pytest.raises(InvalidNameError):
        resolve_target("../../x")
    assert datatracker_env.count("/archive/") == 1


def test_list_group_documents_paginates(datatracker_env):
    documents = list_group_documents("quic", page_size=4)
    assert [d["name"] for d in documents] == [
        "draft-ietf-quic-applicability", "draft-ietf-quic-invariants", "draft-ietf-quic-qpack",
        "draft-ietf-quic-recovery", "draft-ietf-quic-tls", "draft-ietf-quic-transport"]
    assert [d["rev"] for d in documents] == ["16", "13", "21", "34", "34", "34"]
    assert datatracker_env.count("/api/v1/doc/document/") == 2
    assert [d["name"] for d in list_group_documents("tcpm")] == ["draft-ietf-tcpm-hystartplusplus"]
    with pytest.raises(UnknownDocumentError, match="unknown working group 'nosuchwg'"):
        list_group_documents("nosuchwg")


def test_settings_from_env_and_overrides(tmp_path):
    env = {"DRAFTSCOPE_DATATRACKER_URL": "http://mirror.example:8080/",
           "DRAFTSCOPE_ARCHIVE_URL": "http://mirror.example:8080/archive/id",
           "DRAFTSCOPE_CACHE": str(tmp_path)}
    settings = Settings.from_env(env, rfc_url="https://rfc.example/rfc/", archive_url=None)
    assert settings.datatracker_url == "http://mirror.example:8080"
    assert settings.archive_url == "http://mirror.example:8080/archive/id"
    assert settings.rfc_url == "https://rfc.example/rfc" and settings.cache_dir == tmp_path
    assert settings.allowed_origins == {"http://mirror.example:8080", "https://rfc.example"}
    defaults = Settings.from_env({})
    assert (defaults.datatracker_url, defaults.archive_url, defaults.rfc_url, defaults.cache_dir) == (
        "https://datatracker.ietf.org", "https://www.ietf.org/archive/id",
        "https://www.rfc-editor.org/rfc", Path("cache"))
    with pytest.raises(SettingsError, match="DRAFTSCOPE_RFC_URL/rfc_url must be an http"):
        Settings.from_env({"DRAFTSCOPE_RFC_URL": "file:///etc"})
