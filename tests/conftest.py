"""Shared fixtures. The real drafts are read from ../shared/corpus at run time, never copied."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DRAFTSCOPE_TEST_CORPUS", REPO.parent / "shared" / "corpus"))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite tests/cases/*/NAME.json from the current reading (review the diff)")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS} (set DRAFTSCOPE_TEST_CORPUS)")
    return CORPUS


@pytest.fixture(scope="session")
def bitdiagram_examples(corpus_dir) -> Path:
    """``shared/examples/bitdiagrams`` beside the corpus: RFC 6824 drawings and expected.json."""
    folder = corpus_dir.parent / "examples" / "bitdiagrams"
    if not folder.is_dir():
        pytest.fail(f"bit diagram examples not found at {folder}")
    return folder


# --- the fake datatracker (tests/fakedatatracker.py documents its API) ---------------------

@pytest.fixture
def make_datatracker(corpus_dir):
    """Factory: ``make_datatracker(replaces=..., phantom_revisions=...)`` -> started server."""
    from fakedatatracker import start_server

    servers = []

    def make(**options):
        server = start_server(corpus_dir, **options)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def datatracker(make_datatracker):
    """A fresh fake datatracker on 127.0.0.1 serving the corpus (no faults, empty log)."""
    return make_datatracker()


@pytest.fixture
def datatracker_env(datatracker, monkeypatch, tmp_path):
    """The fake datatracker with DRAFTSCOPE_* env vars pointing at it and a tmp cache dir."""
    for key, value in datatracker.env().items():
        monkeypatch.setenv(key, value)
    cache = tmp_path / "cache"
    monkeypatch.setenv("DRAFTSCOPE_CACHE", str(cache))
    datatracker.cache_dir = cache
    return datatracker


@contextlib.contextmanager
def served_corpus(corpus_dir: Path, cache: Path, **extra_env: str):
    """A fake datatracker for a whole module, with DRAFTSCOPE_* (and ``extra_env``) pointing at
    it and at ``cache``; stopped on exit. For module-scoped fixtures (figures, notebooks)."""
    from fakedatatracker import start_server

    server = start_server(corpus_dir)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in {**server.env(), "DRAFTSCOPE_CACHE": str(cache), **extra_env}.items():
                patch.setenv(key, value)
            yield server
    finally:
        server.stop()
