"""``draftscope fetch``: drafts, their lineages and RFCs into the local cache.

Thin: parses options, validates every name before any I/O, then asks one
:class:`~draftscope.fetch.session.Session` (the one HTTP client, so the request count printed is
what the server saw) for groups, lineages and single revisions, as notebooks can.
"""

from __future__ import annotations

import argparse
import sys

from draftscope.cli.common import (add_command, add_format_option,
                                   check_positive, format_table, network_options, note,
                                   session_from_args, warn, write_records)

# One row per file in the cache (a revision in txt and xml is two rows).
RECORD_COLUMNS = ("name", "rev", "date", "format", "path")
TABLE_COLUMNS = ("name", "rev", "date", "path")   # the format is the path's suffix

DESCRIPTION = """\
Download every revision of each NAME's lineage (replaced drafts, the draft, its successors,
the RFC) into the cache: DIR/id/<draft>-<rev>.txt, DIR/rfc/rfcNNNN.txt, DIR/meta/<name>.json.
NAME is draft-NAME (whole lineage), draft-NAME-NN (that revision) or rfcNNNN (its lineage).
Cached texts are never requested again; metadata is reused for a day unless --refresh.
Prints one row per file (--format); the notes on stderr count draft revisions, the RFC
and files (one per revision and file type) apart."""

EXAMPLES = (
    "draftscope fetch draft-ietf-quic-transport",
    "draftscope fetch rfc9001 draft-ietf-quic-recovery-20 --file-types txt,xml",
    "draftscope fetch --group quic --jobs 8",
    "draftscope fetch draft-ietf-quic-transport --offline --format json",
)


def register(subparsers) -> None:
    parser = add_command(
        subparsers, "fetch", help="download drafts, their lineages and RFCs into the cache",
        description=DESCRIPTION, examples=EXAMPLES, parents=[network_options()], environment=True)
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="draft-NAME, draft-NAME-NN or rfcNNNN")
    parser.add_argument("--group", action="append", default=[], metavar="WG",
                        help="also fetch every draft of working group WG (repeatable)")
    parser.add_argument("--file-types", default="txt", metavar="LIST",
                        help="comma-separated file types to fetch: txt, xml (default: txt; a "
                             "revision without xml is normal)")
    parser.add_argument("--page-size", type=int, default=100, metavar="N", help=argparse.SUPPRESS)
    add_format_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from draftscope.errors import OfflineMissingError, UnknownDocumentError, UsageError, one_line
    from draftscope.options import check_jobs
    from draftscope.fetch.names import check_formats, check_group, parse_name

    # everything the user typed is checked before any I/O
    parsed = [parse_name(name) for name in args.names]
    groups = [check_group(group) for group in args.group]
    formats = check_formats(args.file_types)
    check_jobs(args.jobs)
    check_positive("--page-size", args.page_size)
    if not parsed and not groups:
        raise UsageError("nothing to fetch: give at least one NAME or --group WG")

    def say(message: str) -> None:
        note(args, message)

    targets = [p.name if p.rev is None else f"{p.name}-{p.rev}" for p in parsed]
    revisions, missing, unknown = [], [], []
    with session_from_args(args) as session:   # every request goes through it
        for group in groups:
            documents = session.group(group, page_size=args.page_size)
            say(f"{group}: {len(documents)} drafts")
            targets += [d["name"] for d in documents if d.get("name")]
        for target in dict.fromkeys(targets):
            try:
                found, not_found = _fetch_target(session, target, formats, say)
            except UnknownDocumentError as exc:   # the other names are still fetched and printed
                unknown.append(exc)
                continue
            revisions += found
            missing += not_found
        requests = session.requests

    records = [_record(r) for r in revisions]
    if records or not unknown:
        if args.format == "table":
            sys.stdout.write(format_table([{**r, "date": r["date"][:10]} for r in records],
                                          TABLE_COLUMNS) if records else "")
        else:
            write_records(records, RECORD_COLUMNS, args.format)
        if not args.offline:
            say(f"{requests} request{'' if requests == 1 else 's'}")
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        if args.offline:
            raise OfflineMissingError(f"offline: {len(missing)} file(s) not in the cache: {shown}")
        warn(f"{len(missing)} file(s) not in the archive: {shown}")
    for exc in unknown[:-1]:   # one line per unknown name; the last one is the error that exits 1
        print(f"draftscope: error: {one_line(exc)}", file=sys.stderr)
    if unknown:
        raise unknown[-1]
    return 0


def _fetch_target(session, target: str, formats, say) -> tuple[list, list[str]]:
    """One target's cached revisions (a single revision, or a whole lineage) and the file names
    the archive lacks, with its note on stderr."""
    from draftscope.fetch.names import parse_name

    if parse_name(target).rev is not None:
        found = session.revision(target, formats=formats)
        say(f"{target}: {', '.join(str(r.path) for r in found if r.path) or 'not cached'}")
        return found, [r.filename for r in found if r.path is None]
    result = session.lineage(target, formats=formats)
    say(f"{result.target}: {_count_revisions(result.revisions)} in "
        f"{len(result.revisions)} file{'' if len(result.revisions) == 1 else 's'} "
        f"({result.cached} cached, {result.fetched} fetched) in "
        f"{session.settings.cache_dir}")
    return result.revisions, list(result.missing)


def _count_revisions(revisions) -> str:
    """``"35 draft revisions + rfc9000"``: what a lineage holds, drafts and RFC said apart (group
    and compare count draft revisions, with the RFC in a column of its own); the files, one per
    revision and file type, are counted by the caller."""
    from draftscope.fetch.names import is_rfc

    labels = list(dict.fromkeys(r.label for r in revisions))
    rfcs = [label for label in labels if is_rfc(label)]
    drafts = len(labels) - len(rfcs)
    parts = [f"{drafts} draft revision{'' if drafts == 1 else 's'}"] if drafts or not rfcs else []
    return " + ".join(parts + rfcs)


def _record(revision) -> dict:
    return {"name": revision.name, "rev": revision.rev,
            "date": revision.date.isoformat() if revision.date else "",
            "format": revision.format, "path": str(revision.path) if revision.path else ""}
