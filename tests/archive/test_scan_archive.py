"""draftscope scan: the same dataset whatever runs it, incremental, crash-safe (issue 18).

A small synthetic mirror (benchmarks/make_mirror.py over the shared corpus: renamed, mutated,
XML twins, one broken file) is scanned once by one process: the reference every other way of
running the scan must reproduce row for row.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from draftscope.archive import record, scan as scan_module, store as store_module  # noqa: E402
from draftscope.archive.scan import scan_archive  # noqa: E402
from draftscope.archive.schema import SCAN_COLUMNS  # noqa: E402
from draftscope.archive.store import MANIFEST, read_manifest, read_scan, read_table  # noqa: E402
from draftscope.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FILES = 24


def _load_make_mirror():
    spec = importlib.util.spec_from_file_location("make_mirror", ROOT / "benchmarks" / "make_mirror.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_mirror"] = module     # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_mirror = _load_make_mirror()


def build_mirror(corpus: Path, out: Path) -> Path:
    """24 texts from corpus files under 80 KB (fast to read), one broken (the 24th is XML cut
    short when every 12th is broken), some XML twins."""
    make_mirror.BROKEN_EVERY = 12
    try:
        make_mirror.make_mirror(corpus, out, FILES, seed=7, max_bytes=80_000)
    finally:
        make_mirror.BROKEN_EVERY = 200
    return out


def rows(dataset: Path) -> list[dict]:
    return read_table(dataset).to_pylist()


@pytest.fixture(scope="module")
def mirror(corpus_dir, tmp_path_factory) -> Path:
    return build_mirror(corpus_dir, tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="module")
def reference(mirror, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("reference") / "ds"
    report = scan_archive(mirror, out, workers=1)
    assert report.scanned == report.files == len(list(mirror.rglob("*.*")))
    return rows(out)


def test_reference_rows(reference, mirror):
    assert [r["path"] for r in reference] == sorted(p.relative_to(mirror).as_posix()
                                                   for p in mirror.rglob("*.*"))
    assert list(reference[0]) == list(SCAN_COLUMNS)
    broken = [r for r in reference if r["error"] is not None]
    assert [r["path"].rsplit("/", 1)[1] for r in broken] == ["draft-ietf-tcpm-recovery-1-04.xml",
                                                             "rfc10023.xml"]
    # an error row keeps what is known of the file and nothing measured
    assert all(r["must"] is None and r["words"] is None and len(r["sha256"]) == 64 for r in broken)
    assert all(r["error"].startswith(r["path"] + ": not well-formed XML") for r in broken)
    good = [r for r in reference if r["error"] is None]
    print([(r["path"], r["date_source"], r["date"], r["group"]) for r in good])
    assert all(r["group_source"] == "name" and r["group"] == r["name"].split("-")[2]
               for r in good if r["kind"] == "draft")
    assert all(r["group"] is None for r in good if r["kind"] == "rfc")
    assert {r["kind"] for r in good} == {"draft", "rfc"} and {r["format"] for r in good} == {"txt", "xml"}


@pytest.mark.parametrize("workers", [2, 4])
def test_same_rows_from_a_process_pool(mirror, reference, tmp_path, workers, monkeypatch):
    from draftscope.archive import execute

    monkeypatch.setattr(execute, "CHUNK", 2)     # 12 chunks: enough for a pool of 4
    monkeypatch.setattr(execute, "run_serial", lambda jobs: pytest.fail("no pool"))
    report = scan_archive(mirror, tmp_path / "ds", workers=workers)
    assert report.scanned == len(reference)
    assert rows(tmp_path / "ds") == reference


def test_same_rows_from_a_dask_cluster(mirror, reference, tmp_path, monkeypatch):
    from draftscope.archive import execute

    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(execute, "CHUNK", 2)     # many tasks, spread over both workers
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        scan_archive(mirror, tmp_path / "ds", scheduler=cluster.scheduler_address)
    assert rows(tmp_path / "ds") == reference


def test_rerun_reads_nothing_when_nothing_changed(mirror, reference, tmp_path, monkeypatch):
    scan_archive(mirror, tmp_path / "ds", workers=1)

    def no_reading(*args, **kwargs):
        raise AssertionError("a file was read")

    monkeypatch.setattr(record, "_read", no_reading)
    monkeypatch.setattr(scan_module, "_sha256", no_reading)
    report = scan_archive(mirror, tmp_path / "ds", workers=1)
    assert (report.scanned, report.hashed, report.kept, report.dropped) == (0, 0, len(reference), 0)
    assert rows(tmp_path / "ds") == reference


def test_changed_touched_and_removed_files(mirror, reference, tmp_path):
    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    scan_archive(copy, tmp_path / "ds", workers=1)
    good = [r for r in reference if r["error"] is None and r["format"] == "txt"]
    changed, touched, removed = good[0]["path"], good[1]["path"], good[2]["path"]
    with open(copy / changed, "ab") as handle:
        handle.write(b"\n   Implementations MUST NOT do this.\n")
    os.utime(copy / touched, ns=(1_000_000_000, 1_000_000_000))
    (copy / removed).unlink()
    report = scan_archive(copy, tmp_path / "ds", workers=1)
    assert (report.scanned, report.hashed, report.dropped) == (1, 1, 2)
    after = {r["path"]: r for r in rows(tmp_path / "ds")}
    before = {r["path"]: r for r in reference}
    assert removed not in after and len(after) == len(before) - 1
    assert after[changed]["must_not"] == before[changed]["must_not"] + 1
    assert after[changed]["sha256"] != before[changed]["sha256"]
    assert after[touched]["mtime_ns"] == 1_000_000_000
    assert {**after[touched], "mtime_ns": before[touched]["mtime_ns"]} == before[touched]
    same = [p for p in after if p not in (changed, touched)]
    assert [after[p] for p in same] == [before[p] for p in same]


def test_crash_at_every_step_then_rerun_equals_uninterrupted(mirror, reference, tmp_path, monkeypatch):
    """The scan dies (as kill -9 would leave it) at each rename it makes; the next run ends with
    the reference dataset. Batches of 8 rows: several commits per run."""
    real_replace = os.replace
    step = 0
    while True:
        out = tmp_path / f"ds{step}"
        calls = 0

        def dying_replace(src, dst, _limit=step):
            nonlocal calls
            calls += 1
            if calls > _limit:
                raise KeyboardInterrupt("killed")
            return real_replace(src, dst)

        monkeypatch.setattr(store_module.os, "replace", dying_replace)
        try:
            scan_archive(mirror, out, workers=1, batch_rows=8)
            finished = True
        except KeyboardInterrupt:
            finished = False
        monkeypatch.setattr(store_module.os, "replace", real_replace)
        scan_archive(mirror, out, workers=1, batch_rows=8)
        assert rows(out) == reference, f"killed after {step} renames"
        listed = set(read_manifest(out)["parts"])
        assert {p.name for p in out.glob("*.parquet")} == listed     # nothing left behind
        if finished:
            break
        step += 1
    assert step >= 4


def test_kill_9_mid_scan_then_rerun(mirror, reference, tmp_path):
    out = tmp_path / "ds"
    code = ("import sys; from draftscope.archive.scan import scan_archive; "
            f"scan_archive({str(mirror)!r}, {str(out)!r}, workers=1, batch_rows=3)")
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            try:
                if len(read_manifest(out)["parts"]) >= 2:
                    break
            except Exception:  # noqa: BLE001 - not written yet
                pass
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the scan ended before it could be killed"
    assert 0 < len(read_scan(out)) < len(reference)
    report = scan_archive(mirror, out, workers=1)
    assert 0 < report.scanned < len(reference)
    assert rows(out) == reference


def test_an_older_dataset_with_fewer_columns_reads(mirror, tmp_path):
    out = tmp_path / "ds"
    scan_archive(mirror, out, workers=1)
    part = read_manifest(out)["parts"][0]
    table = pq.read_table(out / part)
    pq.write_table(table.drop(["figures_unread", "defs_tls_enum", "boilerplate"]), out / part)
    frame = read_scan(out)
    assert list(frame.columns) == list(SCAN_COLUMNS)
    assert frame["boilerplate"].isna().all() and frame["must"].notna().any()
    # and a rerun adds to it without complaint
    assert scan_archive(mirror, out, workers=1).scanned == 0


def test_keywords_only_scan_equals_the_full_scan(mirror, reference, tmp_path):
    scan_archive(mirror, tmp_path / "ds", workers=2, measure="keywords")
    fast = rows(tmp_path / "ds")
    keyword_columns = [c for c in SCAN_COLUMNS if c in ("sha256", "boilerplate_phrases")
                       or c.startswith("lower_") or c in (
                           "must", "must_not", "required", "shall", "shall_not", "should",
                           "should_not", "recommended", "not_recommended", "may", "optional")]
    assert len(keyword_columns) == 20
    assert [{c: r[c] for c in keyword_columns} for r in fast] == \
        [{c: r[c] for c in keyword_columns} for r in reference]
    assert all(r["words"] is None for r in fast)


def test_cache_metadata_gives_group_and_date(corpus_dir, tmp_path):
    cache = tmp_path / "cache"
    (cache / "id").mkdir(parents=True)
    (cache / "meta").mkdir()
    name = "draft-cardwell-iccrg-bbr-congestion-control"
    shutil.copy(corpus_dir / name / f"{name}-01.txt", cache / "id")
    shutil.copy(corpus_dir / name / f"{name}-02.txt", cache / "id")
    doc = {"name": name, "group": {"acronym": "iccrg"},
           "rev_history": [{"name": name, "rev": "01", "published": "2021-11-01T10:00:00Z"}]}
    (cache / "meta" / f"{name}.json").write_text(json.dumps(
        {"name": name, "fetched_at": "2026-01-01T00:00:00+00:00", "doc": doc}))
    scan_archive(cache, tmp_path / "ds", workers=1)
    found = {r["rev"]: r for r in rows(tmp_path / "ds")}
    assert found["01"]["date"].isoformat() == "2021-11-01T10:00:00+00:00"
    assert (found["01"]["date_source"], found["01"]["group"], found["01"]["group_source"]) == \
        ("metadata", "iccrg", "metadata")
    # not in the metadata: the date on its first page; the group of its lineage
    assert found["02"]["date_source"] == "first page" and found["02"]["group"] == "iccrg"


def test_keyword_columns_equal_draftscope_keywords_on_the_corpus(corpus_dir, tmp_path, capsys):
    """Every .txt and .xml of the shared corpus: the scan's keyword columns (the fast
    keywords-only scan) and what ``draftscope keywords --lowercase`` prints for that file."""
    scan_archive(corpus_dir, tmp_path / "ds", workers=1, measure="keywords")
    table = read_scan(tmp_path / "ds")
    assert len(table) >= 250 and table["error"].isna().all()
    from draftscope.archive.schema import phrase_column

    # one call per round of files with distinct labels: a record names a revision, not a file
    # (the corpus has .txt and .xml of a revision, and rendered/ copies of some)
    rounds: list[list[dict]] = []
    for row in table.to_dict("records"):
        label = (row["name"], row["rev"])
        target = next((r for r in rounds if label not in {(x["name"], x["rev"]) for x in r}), None)
        if target is None:
            rounds.append(target := [])
        target.append(row)
    checked = 0
    for files in rounds:
        assert main(["keywords", *(str(corpus_dir / row["path"]) for row in files), "--lowercase",
                     "--format", "json", "-q", "--workers", "1"]) == 0
        expected: dict[tuple[str, str], dict[str, int]] = {}
        for printed in json.loads(capsys.readouterr().out):
            expected.setdefault((printed["name"], printed["rev"]), {})[
                phrase_column(printed["keyword"])] = printed["count"]
        assert len(expected) == len(files)
        for row in files:
            counts = expected[(row["name"], row["rev"])]
            assert len(counts) == 18 and {c: row[c] for c in counts} == counts, row["path"]
            checked += 1
    assert checked == len(table) and len(rounds) == 3


def test_figures_unread_counts_the_unreadable_figures_only(corpus_dir, tmp_path):
    """quic-transport-00 draws four frames in octet cells without a ruler (unreadable); RFC
    9000's tables and state diagrams are not definitions, so they are not counted."""
    root = tmp_path / "mirror"
    (root / "id").mkdir(parents=True)
    (root / "rfc").mkdir()
    shutil.copy(corpus_dir / "draft-ietf-quic-transport" / "draft-ietf-quic-transport-00.txt", root / "id")
    shutil.copy(corpus_dir / "rfc" / "rfc9000.txt", root / "rfc")
    scan_archive(root, tmp_path / "ds", workers=1)
    got = {r["name"]: (r["figures_unread"], r["defs_boxart"], r["defs_fieldlist"]) for r in rows(tmp_path / "ds")}
    # (unread, box art, field lists), notation examples left out: RFC 9000 1.3's example
    assert got == {"draft-ietf-quic-transport": (4, 13, 0), "rfc9000": (0, 0, 35)}
