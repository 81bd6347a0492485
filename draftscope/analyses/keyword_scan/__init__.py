"""Per-revision keyword counts of a big published-text file, straight from disk and fast.

The result is always that of the exact path, ``count_keywords(path.read_bytes())``: the scanner
counts with byte patterns generated from the same rules (:mod:`draftscope.analyses.bcp14`) and,
wherever bytes cannot decide a rule the way the exact path does, the WHOLE file takes the exact
path -- never one part of it, so a count never depends on how a file was split over processes.
Files below :data:`SCAN_BYTES` (every ordinary draft) take the exact path directly.

How it counts:

* the file is mmap'ed, never copied or decoded: one pass of an Aho-Corasick automaton (the Rust
  aho-corasick crate behind ripgrep, through ``ahocorasick_rs``) finds every occurrence of the
  seven words and of their lowercase forms; a word that is plainly alone ("MUST be") is counted
  there, every other one is matched with the byte pattern of its letter pass (M, L, Q: the
  rules of :mod:`draftscope.analyses.bcp14` as regular expressions) where that pass's search
  would try it; big files are cut at paragraph boundaries and counted in a few processes;
* page furniture is not cut out but checked: the line before each form feed (a footer) and the
  lines after it (running headers, counted over the whole file as the exact path counts them);
  a phrase word in furniture the exact path removes sends the file to the exact path;
* the places where the rules need context -- a two-word phrase across a page break, the table of
  contents, the paragraphs that quote phrases (boilerplate candidates) -- are judged once all
  parts are counted, on windows cut at form feeds, unpaged by the exact path's own functions
  with the whole file's running headers, and used only where the window's edges cannot matter.

What sends a file to the exact path: a carriage return, UTF-16, footers without form feeds, a
typographic quote before a phrase, a non-ASCII space between two words of a phrase, a phrase word
in a removed footer or header, a window that cannot hold what it must judge. None occurs in the
corpus concatenated (benchmarks/bench_keywords.py); tests/analyses/test_keywords_differential.py generates
texts full of them and requires both paths and every worker count to agree.

The modules, by concern: ``common`` (patterns, limits, the signal), ``passes`` (counting a part),
``furniture`` (footers and running headers), ``decoding``, ``judge`` (what needs the whole
file), ``toc`` (a table of contents that cannot change a count, told from raw lines); this
module maps the file, splits it and puts the parts together.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
from pathlib import Path

from draftscope.analyses.keywords import KeywordCounts, count_keywords
from draftscope.analyses.keyword_scan.common import PARALLEL_BYTES, SCAN_BYTES, _NeedsExact, _P, _Part, _collector_paused
from draftscope.analyses.keyword_scan.judge import _Judge
from draftscope.analyses.keyword_scan.passes import _count_part
# names the tests and benchmarks reach through the package
from draftscope.analyses.keyword_scan.furniture import _page_furniture  # noqa: F401
from draftscope.analyses.keyword_scan.judge import _toc_heading  # noqa: F401
from draftscope.analyses.keyword_scan.passes import _scan  # noqa: F401


_FOOTER_MARK = re.compile(_P.page_mark)
_MARGIN = 400  # split points keep this far from page furniture
_CUT_SEARCH = 1 << 20  # how far past its target a split point is looked for


def count_file(path: str | Path, *, lowercase: bool = False, workers: int | None = None,
               parallel_bytes: int = PARALLEL_BYTES, scan_bytes: int = SCAN_BYTES) -> KeywordCounts:
    """Per-revision counts of one published .txt file (``by_section`` needs the Document):
    exactly ``count_keywords(path.read_bytes())``, scanned when the file has ``scan_bytes`` or
    more, split over ``workers`` processes when it has more than ``parallel_bytes``."""
    from draftscope.errors import ParseError

    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0 or size < scan_bytes:
            return count_keywords(path.read_bytes(), lowercase=lowercase)
        n = _workers(workers) if size > parallel_bytes else 1
        with open(path, "rb") as handle, _map(handle, populate=n == 1) as buf:
            try:
                return scan(buf, lowercase=lowercase, parts=n, path=path)
            except _NeedsExact:
                return count_keywords(buf[:], lowercase=lowercase)
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror or exc})") from None


def scan(buf, *, lowercase: bool = False, parts: int = 1, path: Path | None = None) -> KeywordCounts:
    """Counts of the raw text ``buf`` (bytes or mmap) cut into about ``parts`` pieces (counted
    in as many processes when ``path`` is given, else here, one after the other); raises
    :class:`_NeedsExact` where only the exact path can decide."""
    if buf[:2] in (b"\xff\xfe", b"\xfe\xff") or buf.find(b"\r") >= 0:
        raise _NeedsExact("UTF-16 or carriage returns")
    base = 3 if buf[:3] == codecs.BOM_UTF8 else 0
    if buf.find(b"\f", base) < 0 and _FOOTER_MARK.search(buf, base):
        raise _NeedsExact("footers without form feeds")  # every footer line is furniture then
    cuts = split_points(buf, base, len(buf), parts)
    ranges = list(zip(cuts, cuts[1:]))
    if path is not None and len(ranges) > 1:
        counted = _parallel(buf, path, ranges, lowercase)
    else:
        counted = [_count_part(buf, a, b, lowercase) for a, b in ranges]
    for part in counted:
        if isinstance(part, str):
            raise _NeedsExact(part)  # a part needs the exact rules: so does the whole file
    with _collector_paused():
        return _Judge(buf, base, lowercase).result(counted)


_MADV_POPULATE_READ = 22  # Linux 5.14+; the mmap module has no name for it yet


def _prefault(buf, start: int, end: int) -> None:
    """Fill a forked child's page tables for its part in one call (a fork does not copy them
    for a shared file mapping); harmless where unsupported."""
    if not hasattr(mmap, "MAP_POPULATE"):
        return
    page = mmap.PAGESIZE
    first = start - start % page
    try:
        buf.madvise(_MADV_POPULATE_READ, first, min(len(buf), end) - first)
    except (OSError, ValueError):
        pass


def _map(handle, populate: bool = True) -> mmap.mmap:
    """The whole file mapped read-only; pre-faulted in one go where the OS allows (Linux), which
    is cheaper than faulting page by page during the first pass. When the file is split, each
    process pre-faults only its own part (:func:`_prefault`), at the same time."""
    if populate and hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _workers(workers: int | None) -> int:
    import sys

    multiprocessing = sys.modules.get("multiprocessing")  # a pool worker has it; no import here
    if multiprocessing is not None and multiprocessing.current_process().daemon:
        return 1  # inside a pool worker already: no children allowed
    if workers is not None:
        return max(1, workers)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def split_points(buf, start: int, end: int, parts: int) -> list[int]:
    """Offsets cutting ``buf[start:end]`` into about ``parts`` pieces at paragraph boundaries
    inside a page body (never inside a page break, a paragraph or a phrase)."""
    cuts = [start]
    for i in range(1, parts):
        target = start + (end - start) * i // parts
        cut = _safe_cut(buf, max(target, cuts[-1]), min(end, max(target, cuts[-1]) + _CUT_SEARCH))
        if cut is not None and cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(end)
    return cuts


def _safe_cut(buf, pos: int, end: int) -> int | None:
    """First line start after ``pos`` (before ``end``) that follows a blank line, preceded and
    followed by body text, with no form feed or footer near it."""
    while pos < end:
        gap = buf.find(b"\n\n", pos, end)
        if gap < 0:
            return None
        cut = gap + 2
        before = buf[max(0, cut - _MARGIN) : cut]
        after = buf[cut : cut + _MARGIN]
        if (
            after[:1] not in (b"\n", b"")
            and b"\f" not in before
            and b"\f" not in after
            and not _FOOTER_MARK.search(before)
            and not _FOOTER_MARK.search(after)
        ):
            return cut
        pos = cut
    return None


def _parallel(buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool) -> list[_Part | str]:
    """Count the first range here while the others are counted by forked children.

    A bare fork (POSIX) inherits the mapping and costs a few milliseconds; results come back
    pickled through a pipe. Elsewhere a process pool re-opens the file.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        return _pool_parallel(buf, path, ranges, lowercase)
    import pickle

    children: list[tuple[int, int]] = []
    for a, b in ranges[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: count, send, leave without running the parent's cleanup
            status = 0
            try:
                os.close(read_end)
                _prefault(buf, a, b)
                data = pickle.dumps(_count_part(buf, a, b, lowercase))
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - the parent reports the failure
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    _prefault(buf, *ranges[0])
    results = [_count_part(buf, *ranges[0], lowercase)]
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            raise RuntimeError(f"counting part of {path} failed in a child process")
        results.append(pickle.loads(data))
    return results


def _pool_parallel(buf, path: Path, ranges: list[tuple[int, int]], lowercase: bool) -> list[_Part | str]:
    import multiprocessing

    jobs = [(str(path), a, b, lowercase) for a, b in ranges[1:]]
    with multiprocessing.get_context().Pool(len(jobs)) as pool:
        others = pool.map_async(_count_part_of_file, jobs)
        first = _count_part(buf, *ranges[0], lowercase)
        return [first, *others.get()]


def _count_part_of_file(job: tuple[str, int, int, bool]) -> _Part | str:
    path, start, end, lowercase = job
    with open(path, "rb") as handle, _map(handle) as buf:
        return _count_part(buf, start, end, lowercase)


# what callers outside the scanner catch: the whole file takes the exact path
NeedsExact = _NeedsExact
