"""Benchmark the fetch stage against the fake datatracker (tests/fakedatatracker.py).

Reports, for the draft-ietf-quic-transport lineage:
  * requests made by a cold fetch and by a warm rerun (F files -> at most F + 2, then 0);
  * wall time of a cold fetch with LATENCY injected on every response, --jobs 1 (the baseline,
    measured in the same run) against --jobs N, as a ratio.

    python3 benchmarks/bench_fetch.py [--corpus ../shared/corpus] [--latency 0.1] [--jobs 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from fakedatatracker import start_server  # noqa: E402

from draftscope.fetch.config import Settings  # noqa: E402
from draftscope.fetch.session import sync_lineage  # noqa: E402

NAME = "draft-ietf-quic-transport"


def settings_for(server, cache_dir: Path) -> Settings:
    return Settings(datatracker_url=server.datatracker_url, archive_url=server.archive_url,
                    rfc_url=server.rfc_url, cache_dir=cache_dir)


def cold_fetch_seconds(server, jobs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        server.clear_log()
        start = time.perf_counter()
        result = sync_lineage(NAME, settings=settings_for(server, Path(tmp)), jobs=jobs, progress=False)
        return time.perf_counter() - start, result.fetched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every response")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per setting (median reported)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    server = start_server(args.corpus)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = settings_for(server, Path(tmp))
            cold = sync_lineage(NAME, settings=settings, progress=False)
            cold_requests = len(server.requests)
            server.clear_log()
            sync_lineage(NAME, settings=settings, progress=False)
            warm_requests = len(server.requests)
        files = len(cold.revisions)

        server.latency(args.latency)
        times = {}
        for jobs in (1, args.jobs):
            runs = [cold_fetch_seconds(server, jobs)[0] for _ in range(args.repeat)]
            times[jobs] = statistics.median(runs)
    finally:
        server.stop()

    results = {
        "lineage": NAME, "files": files, "cold_requests": cold_requests,
        "cold_request_budget": files + 2, "warm_requests": warm_requests,
        "latency_s": args.latency, "jobs1_s": round(times[1], 3),
        f"jobs{args.jobs}_s": round(times[args.jobs], 3),
        "speedup": round(times[1] / times[args.jobs], 2),
    }
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"{NAME}: {files} files")
        print(f"  cold fetch: {cold_requests} requests (budget F+2 = {files + 2})")
        print(f"  warm rerun: {warm_requests} requests")
        print(f"  {args.latency * 1000:.0f} ms latency, median of {args.repeat}: "
              f"--jobs 1 {times[1]:.2f} s (baseline), --jobs {args.jobs} {times[args.jobs]:.2f} s, "
              f"ratio {results['speedup']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
