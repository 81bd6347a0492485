"""Shared fixtures. The real drafts are read from ../shared/corpus at run time, never copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DRAFTSCOPE_TEST_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS} (set DRAFTSCOPE_TEST_CORPUS)")
    return CORPUS
