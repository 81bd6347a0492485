"""draftscope scan and draftscope trends on real texts: the RFCs of the shared corpus and the
drafts of draft-ietf-quic-invariants, laid out as the rsync archive lays them out."""

from __future__ import annotations

import csv
import shutil
import statistics
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from draftscope.analyses.keywords import count_keywords  # noqa: E402
from draftscope.archive.store import read_scan  # noqa: E402
from draftscope.cli import main  # noqa: E402
from draftscope.text.document import load_document  # noqa: E402


@pytest.fixture(scope="module")
def archive(corpus_dir, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    for path in sorted((corpus_dir / "rfc").glob("rfc*.txt")):
        (root / "rfc" / "txt").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / "rfc" / "txt")
    drafts = corpus_dir / "draft-ietf-quic-invariants"
    for path in sorted(drafts.glob("*.txt"))[:8]:
        folder = root / "id" / "2018"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder)
    return root


@pytest.fixture(scope="module")
def dataset(archive, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dataset") / "ietf.parquet"
    assert main(["scan", str(archive), "--out", str(out), "--workers", "2", "-q"]) == 0
    return out


def test_scan_prints_the_dataset_and_counts(dataset, archive, capsys):
    assert main(["scan", str(archive), "--out", str(dataset)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{dataset}\n"
    assert err == "49 files: 0 read, 49 unchanged (0 hashed), 0 rows dropped, 0 with an error\n"
    frame = read_scan(dataset)
    rfc9000 = frame[frame["name"] == "rfc9000"].iloc[0]
    document = load_document(archive / "rfc" / "txt" / "rfc9000.txt")
    assert rfc9000["must"] == count_keywords(document).counts["MUST"] == 214
    assert (rfc9000["words"], rfc9000["pages"]) == (document.size.words, document.size.pages)
    assert (rfc9000["date"].isoformat(), rfc9000["boilerplate"]) == ("2021-05-01T00:00:00+00:00", "8174")


def test_trends_writes_three_figures(dataset, tmp_path, capsys):
    assert main(["trends", str(dataset), "--out", str(tmp_path), "--min-revisions", "8"]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).name for p in written] == [f"trends_{k}.{x}" for k in ("density", "shares", "groups")
                                               for x in ("png", "svg", "csv")]
    with open(tmp_path / "trends_density.csv") as handle:
        density = {row["year"]: row for row in csv.DictReader(handle)}
    frame = read_scan(dataset)
    of_2021 = frame[frame["name"].isin(["rfc8999", "rfc9000", "rfc9001", "rfc9002"])]
    per_1000 = [sum(row[c] for c in ("must", "must_not", "required", "shall", "shall_not", "should",
                                     "should_not", "recommended", "not_recommended", "may",
                                     "optional")) * 1000 / row["words"] for _, row in of_2021.iterrows()]
    assert density["2021"]["documents"] == "4"
    assert float(density["2021"]["median"]) == pytest.approx(statistics.median(per_1000))
    with open(tmp_path / "trends_groups.csv") as handle:
        groups = list(csv.DictReader(handle))
    assert [(g["group"], g["revisions"]) for g in groups] == [("quic", "8")]


@pytest.mark.parametrize("argv, code, message", [
    (["scan", "no-such-folder", "--out", "x"], 2, "no-such-folder: no such folder"),
    (["scan", ".", "--out", "ds", "--workers", "2", "--scheduler", "tcp://h:1"], 2,
     "--workers and --scheduler exclude each other"),
    (["trends", "no-such-dataset"], 1, "no-such-dataset: no such dataset folder"),
])
def test_bad_input_is_one_line(argv, code, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("draftscope: error: ") and message in err and err.count("\n") == 1


def test_a_folder_that_is_not_a_dataset_is_refused(archive, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["scan", str(archive), "--out", str(tmp_path)]) == 2
    assert "not a draftscope scan dataset" in capsys.readouterr().err
    assert main(["trends", str(tmp_path)]) == 1
    assert "no _manifest.json" in capsys.readouterr().err
