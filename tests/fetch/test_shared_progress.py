"""One progress bar over the files of every compared lineage: the fetch stage's shared-bar
option (``progress=`` a :class:`FileProgress`) and ``fetch_lineages`` using it."""

from __future__ import annotations

from draftscope.fetch.config import Settings
from draftscope.fetch.lineage import FileProgress
from draftscope.fetch.session import sync_lineage
from draftscope.fetch.session import fetch_lineages

INVARIANTS, QPACK = "draft-ietf-quic-invariants", "draft-ietf-quic-qpack"
PHANTOM = {INVARIANTS: {"14": "2021-02-01T00:00:00+00:00"}}


class RecordingBar:
    """What the fetch stage tells a shared bar: the totals it sets and the steps it counts."""

    def __init__(self) -> None:
        self.total = 0
        self.totals: list[int] = []
        self.steps: list[int] = []

    def update(self, n: int = 1) -> None:
        self.totals.append(self.total)
        self.steps.append(n)


def result_facts(result):
    return ([(r.label, r.path.name if r.path else None, r.date) for r in result.revisions],
            result.cached, result.fetched, result.missing)


def test_shared_bar_counts_every_file_and_changes_nothing_else(make_datatracker, tmp_path):
    server = make_datatracker(phantom_revisions=PHANTOM)
    settings = Settings.from_env(server.env(), cache_dir=tmp_path / "quiet")
    quiet = sync_lineage(INVARIANTS, settings=settings, progress=False)
    requests_quiet = len(server.requests)

    bar = RecordingBar()
    assert isinstance(bar, FileProgress) and not isinstance(True, FileProgress)
    settings = Settings.from_env(server.env(), cache_dir=tmp_path / "shared")
    server.clear_log()
    shared = sync_lineage(INVARIANTS, settings=settings, progress=bar)
    # the same revisions, counts and requests as without a bar
    assert result_facts(shared) == result_facts(quiet) and len(server.requests) == requests_quiet
    # 14 drafts + RFC 8999 + the phantom -14: 16 files planned, 15 downloaded one by one, and
    # the phantom (404) counted with them
    assert (bar.total, sum(bar.steps)) == (16, 16)
    assert bar.steps == [0] + [1] * 16 and set(bar.totals) == {16}
    # warm: everything cached, counted off at once; the total grows by this lineage's files
    sync_lineage(INVARIANTS, settings=settings, progress=bar)
    assert (bar.total, bar.steps[-1]) == (32, 15 + 1)   # 15 cached + the phantom known absent


def test_compare_fetch_is_one_bar_over_files(datatracker, tmp_path, capsys):
    settings = Settings.from_env(datatracker.env(), cache_dir=tmp_path / "cache")
    lineages = fetch_lineages([INVARIANTS, QPACK], settings=settings, progress=True)
    assert [len(revisions) for revisions in lineages.values()] == [15, 23]
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    # one bar, in files: 15 + 23 texts, no per-lineage bar of the fetch stage
    assert last.startswith("fetch: 100%") and "38/38" in last and "2 drafts, 38 files fetched" in last
    assert f"{INVARIANTS}: " not in err
    fetch_lineages([INVARIANTS, QPACK], settings=settings, progress=False)
    assert capsys.readouterr().err == ""
