"""What a cache file may not do to us (issue 20, item 6): a FIFO where metadata or a text
should be is refused before it is read (it would block every command reading the lineage),
and a cached text edited in place to the same size is noticed by its sha256."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from draftscope.fetch.config import Settings
from draftscope.fetch.session import fetch_lineage, sync_lineage

INV = "draft-ietf-quic-invariants"


def settings_for(server, cache):
    return Settings(datatracker_url=server.datatracker_url, archive_url=server.archive_url,
                    rfc_url=server.rfc_url, cache_dir=cache, retries=1, backoff_factor=0.01)


def run_cli(args, server, cache):
    """The CLI in a process of its own, given a generous bound: a hang shows as a timeout
    (the process is killed), never as a stuck test run."""
    env = {**os.environ, **server.env(), "DRAFTSCOPE_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-m", "draftscope", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.parametrize("offline", [True, False])
def test_a_fifo_as_lineage_metadata_is_one_error_line(datatracker, tmp_path, offline):
    cache = tmp_path / "cache"
    fetch_lineage(INV, settings=settings_for(datatracker, cache), progress=False)
    meta = cache / "meta" / f"{INV}.json"
    meta.unlink()
    os.mkfifo(meta)
    flags = ["--offline"] if offline else []
    for command in (["keywords", INV], ["history", INV], ["fetch", INV]):
        proc = run_cli([*command, *flags, "-q"], datatracker, cache)
        assert proc.returncode == 1, (command, proc.stderr)
        assert proc.stderr == (f"draftscope: error: {meta} is a FIFO, not a regular file: "
                               "refusing to read it (remove it from the cache)\n"), command
    assert meta.is_fifo()                          # reported, not silently replaced


def test_a_fifo_as_a_cached_text_is_damaged_not_read(datatracker, tmp_path):
    cache = tmp_path / "cache"
    settings = settings_for(datatracker, cache)
    fetch_lineage(INV, settings=settings, progress=False)
    text = cache / "id" / f"{INV}-03.txt"
    text.unlink()
    os.mkfifo(text)
    proc = run_cli(["keywords", INV, "--offline", "-q"], datatracker, cache)
    assert proc.returncode == 1 and proc.stderr == (     # not a cached text: not read
        f"draftscope: error: not in the cache: {text.name} (drop --offline to fetch them)\n")
    result = sync_lineage(INV, settings=settings, progress=False)     # online: fetched again
    assert result.fetched == 1 and text.is_file() and not text.is_fifo()


def test_a_text_edited_in_place_to_the_same_size_is_noticed(datatracker, corpus_dir, tmp_path):
    cache = tmp_path / "cache"
    settings = settings_for(datatracker, cache)
    fetch_lineage(INV, settings=settings, progress=False)
    text = cache / "id" / f"{INV}-05.txt"
    original = text.read_bytes()
    edited = original.replace(b"MUST", b"MAY ", 1)
    assert len(edited) == len(original) and edited != original
    text.write_bytes(edited)
    recorded = json.loads((cache / "meta" / f"{INV}.json").read_text())["files"][text.name]
    assert recorded["size"] == len(edited)                  # the size alone cannot tell

    proc = run_cli(["keywords", INV, "--offline", "-q"], datatracker, cache)
    assert proc.returncode != 0
    assert (f"cached {text} is damaged (changed since it was fetched (same size, another "
            "sha256))") in proc.stderr, proc.stderr
    result = sync_lineage(INV, settings=settings, progress=False)     # online: fetched again
    assert result.fetched == 1
    assert text.read_bytes() == original == (corpus_dir / INV / text.name).read_bytes()
