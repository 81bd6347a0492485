"""``draftscope scan`` and ``draftscope trends``: the whole archive, over
:mod:`draftscope.archive` and :mod:`draftscope.plots.trends`.

Nothing heavy at import time: pyarrow, pandas, matplotlib and dask load only when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from draftscope.cli.common import (SHARED_HELP, _dpi, add_command, add_output_options,
                                   add_workers_option, check_positive, note, parse_figure_size,
                                   print_paths, progress_bar)
from draftscope.errors import ScanInputError

QUIET_HELP = "no progress bars or summaries on stderr"

SCAN_DESCRIPTION = """\
Read every revision text under ROOT -- a copy of the IETF rsync archive (id/, rfc/, any
nesting of year folders) or draftscope's cache -- into a Parquet dataset: one row per file
with its name, revision, kind, group and date (from the cache's metadata, else the date
printed on the first page), size, pages, words, the eleven BCP 14 phrases and their lowercase
forms, which boilerplate (RFC 2119 or 8174), sections, definitions per notation and the
file's SHA-256 (the columns: draftscope.archive.schema). A file that cannot be read is a
row with an error.

A rerun reads only files that are new or changed (path, size and mtime, then the hash) and
drops the rows of files that are gone; a scan that was killed is completed by the next one.
--scheduler hands the files to a running dask.distributed scheduler (pip install
'draftscope[cluster]'); its workers must see ROOT at the same path."""

SCAN_EXAMPLES = (
    "draftscope scan mirror/ --out ietf.parquet",
    "draftscope scan ~/.cache/draftscope --out cache.parquet --workers 8",
    "draftscope scan /shared/mirror --out /shared/ietf.parquet --scheduler tcp://head:8786",
    "draftscope scan mirror/ --out keywords.parquet --keywords-only",
)

TRENDS_DESCRIPTION = """\
Figures over a scan dataset (draftscope scan): BCP 14 phrases per 1000 words of the RFCs by
year of publication (median and interquartile band), the share of each phrase over the
years, and the working groups with the highest median density. Writes
DIR/trends_density, trends_shares and trends_groups as .png and .svg (--image-format) with
the drawn data as .csv, and prints their paths."""

TRENDS_EXAMPLES = (
    "draftscope trends ietf.parquet",
    "draftscope trends ietf.parquet --out figures/ --top 20 --min-revisions 10",
)


def register(subparsers: Any) -> None:
    scan = add_command(subparsers, "scan", help="scan a whole mirror (or the cache) into a Parquet dataset",
                       description=SCAN_DESCRIPTION, examples=SCAN_EXAMPLES)
    scan.add_argument("root", metavar="ROOT", type=Path,
                      help="folder holding the revision texts: an rsync mirror or a cache")
    scan.add_argument("--out", type=Path, required=True, metavar="DIR", help=SHARED_HELP["--out"])
    add_workers_option(scan)
    scan.add_argument("--scheduler", metavar="ADDRESS",
                      help="a dask.distributed scheduler to run on (e.g. tcp://host:8786) instead "
                           "of local workers")
    scan.add_argument("--keywords-only", action="store_true",
                      help="fill only the keyword columns (and the file's hash): the fast scan; "
                           "a dataset changes kind only by a full rescan")
    scan.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    scan.set_defaults(func=run_scan)

    trends = add_command(subparsers, "trends", help="figures over a scan dataset: density by year, "
                         "phrase shares, working groups", description=TRENDS_DESCRIPTION,
                         examples=TRENDS_EXAMPLES)
    trends.add_argument("dataset", metavar="DATASET", type=Path, help="a folder written by draftscope scan")
    add_output_options(trends)
    trends.add_argument("--dpi", type=_dpi, default=None, metavar="N", help=SHARED_HELP["--dpi"])
    trends.add_argument("--size", type=parse_figure_size, default=None, metavar="WxH",
                        help=SHARED_HELP["--size"])
    trends.add_argument("--top", type=int, default=15, metavar="N",
                        help="working groups in the group figure (default: 15)")
    trends.add_argument("--min-revisions", type=int, default=5, metavar="N",
                        help="revisions a working group needs to be ranked (default: 5)")
    trends.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    trends.set_defaults(func=run_trends)


def run_scan(args: argparse.Namespace) -> int:
    from draftscope.archive.scan import scan_archive

    if not args.root.is_dir():
        raise ScanInputError(f"{args.root}: no such folder (ROOT is a mirror of id/ and rfc/, or a cache)")
    if args.scheduler is not None and args.workers is not None:
        raise ScanInputError("--workers and --scheduler exclude each other (the cluster's workers "
                             "do the work)")
    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        bar = progress_bar(args, total=total, desc="scan", unit="file")

    try:
        report = scan_archive(args.root, args.out, workers=args.workers, scheduler=args.scheduler,
                              measure="keywords" if args.keywords_only else "all",
                              progress=lambda n: bar.update(n) if bar is not None else None,
                              on_total=on_total)
    finally:
        if bar is not None:
            bar.close()
    note(args, f"{report.files} files: {report.scanned} read, {report.kept} unchanged "
               f"({report.hashed} hashed), {report.dropped} rows dropped, "
               f"{report.errors} with an error")
    print_paths([args.out])
    return 0


def run_trends(args: argparse.Namespace) -> int:
    from draftscope.archive.store import read_scan
    from draftscope.plots import trends

    check_positive("--top", args.top)
    check_positive("--min-revisions", args.min_revisions)
    frame = read_scan(args.dataset)
    saved = trends.write_trend_figures(frame, args.out, formats=args.image_format, dpi=args.dpi,
                                       top=args.top, min_revisions=args.min_revisions,
                                       figsize=args.size)
    print_paths([path for figure in saved for path in figure.paths])
    return 0
