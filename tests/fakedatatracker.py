"""A datatracker stand-in: a real HTTP server on 127.0.0.1 serving ../shared/corpus.

It speaks the URL layout of the real services described in ../shared/docs/datatracker-api.md,
so draftscope's fetch stage can be tested (and demonstrated offline) without the internet.
Everything is served by ONE server; the three base URLs differ only by prefix:

    datatracker_url = http://127.0.0.1:PORT              /doc/<name>/doc.json, /api/v1/...
    archive_url     = http://127.0.0.1:PORT/archive/id   /archive/id/<name>-<rev>.txt|.xml
    rfc_url         = http://127.0.0.1:PORT/rfc          /rfc/rfcNNNN.txt

What is served
--------------
* ``/doc/<name>/doc.json`` (also ``/doc/<name>/<rev>/doc.json``): the simplified document JSON with
  ``rev_history`` covering the lineage (replaced drafts recursively, replacing drafts recursively,
  the RFC any of them became), sorted by ``published``. Only revisions whose ``.txt`` file exists
  in the corpus are listed, plus declared phantom revisions.
* ``/api/v1/doc/document/`` (filters ``group__acronym``, ``group``, ``type``, ``name``,
  ``name__startswith``, ``order_by=id|-id``, ``limit`` (cap 1000, 0 = 1000), ``offset``) with the
  exact tastypie ``meta`` envelope (``next`` null on the last page); ``/api/v1/doc/document/<name>/``;
  ``/api/v1/doc/newrevisiondocevent/?doc__name=`` (newest first); ``/api/v1/doc/relateddocument/``
  (``source__name``, ``target__name``, ``relationship__slug``); ``/api/v1/group/group/?acronym=``.
* Archive texts ``/archive/id/<name>-<rev>.txt|.xml`` and RFCs ``/rfc/rfcNNNN.txt``, byte for byte
  the corpus files. Everything else: an HTML 404 page.

Dates: the MANIFEST ``tag_date`` when it is a full timestamp, otherwise (vendored texts, whose
tag_date is the vendoring commit) the date printed on the document's first page.
Series, groups, RFCs and ``replaces`` come from ``lineage.json``; a replaced draft without any file
in the corpus (e.g. draft-hamilton-quic-transport-protocol) does not exist unless declared.

Fixture API (see tests/conftest.py)
-----------------------------------
``datatracker``        a fresh started :class:`FakeDatatracker` per test.
``datatracker_env``    the same, with DRAFTSCOPE_DATATRACKER_URL / _ARCHIVE_URL / _RFC_URL pointing at
                       it and DRAFTSCOPE_CACHE set to a tmp dir (``server.cache_dir``).
``make_datatracker``   factory ``make_datatracker(**options)`` for servers with options:
                       ``replaces={"draft-new": ["draft-old", ...]}`` extra replaces relations,
                       ``phantom_revisions={"draft-x": {"03": "2020-01-02T03:04:05+00:00"}}``
                       revisions listed in doc.json/events but 404 in the archive.

:class:`FakeDatatracker` attributes and methods:
    .datatracker_url .archive_url .rfc_url .url    base URLs (no trailing slash)
    .requests                  list of :class:`LoggedRequest` (method, path, query, headers, status)
    .count(pattern=None)       number of logged requests whose path+query contains ``pattern``
    .max_in_flight             most requests answered at once (concurrency actually used)
    .clear_log()               empties .requests and resets .max_in_flight
    .fail(kind, times=1, path=None, retry_after=None)   switch on a fault for the next ``times``
        matching requests (``times=None``: forever); ``path`` is a regex searched in path+query.
        kinds: "429" (with ``Retry-After: retry_after``, e.g. "0" or "1"; None sends no header),
        "503", "500", "404", "truncate" (Content-Length says N, N//2 bytes sent, then close),
        "drop" (connection closed without a response)
    .latency(seconds, path=None)   sleep before answering every matching request
    .clear_faults()
    .declare_replaces(new, old)    .add_phantom_revision(name, rev, published_iso)
    .stop()

Standalone: ``python3 tests/fakedatatracker.py --corpus ../shared/corpus --port 8765`` prints the
three ``export DRAFTSCOPE_..._URL=...`` lines and serves until interrupted.
In-process (notebooks): ``server = start_server(corpus_dir, **options)`` ... ``server.stop()``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import functools
import html
import json
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_LIMIT = 1000
DEFAULT_LIMIT = 20

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_RE = "(January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PATTERNS = (
    re.compile(_MONTH_RE + r" (\d{1,2}), (\d{4})\s*$"),   # July 09, 2019
    re.compile(r"(\d{1,2}) " + _MONTH_RE + r" (\d{4})\s*$"),  # 8 November 2021
    re.compile(_MONTH_RE + r" (\d{4})\s*$"),               # May 2021
)
_ARCHIVE_RE = re.compile(r"^(draft-[a-z0-9-]+)-(\d\d)\.(txt|xml)$")
_RFC_RE = re.compile(r"^(rfc\d+)\.txt$")

GROUP_INFO = {
    "quic": ("QUIC", "wg", "WG"),
    "tcpm": ("TCP Maintenance and Minor Extensions", "wg", "WG"),
    "none": ("Individual Submissions", "individ", "Individual"),
}


# --------------------------------------------------------------------------- corpus model

@dataclass
class DocModel:
    name: str
    type: str                         # "draft" | "rfc"
    group: str                        # acronym
    revisions: dict[str, datetime]    # rev -> published (UTC); for an RFC {"rfcNNNN": date}
    files: dict[tuple[str, str], Path]  # (rev, fmt) -> file
    title: str = ""
    rfc: str | None = None            # draft: the RFC it became
    replaces: list[str] = field(default_factory=list)
    id: int = 0


def _header_date(text: str) -> datetime | None:
    """The date printed in a document's first-page header (not the Expires line)."""
    for line in text.splitlines()[:30]:
        if line.lstrip().lower().startswith("expires"):
            continue
        for pattern in _DATE_PATTERNS:
            m = pattern.search(line)
            if not m:
                continue
            parts = m.groups()
            if len(parts) == 3 and parts[0].isdigit():
                day, month, year = int(parts[0]), _MONTHS[parts[1].lower()], int(parts[2])
            elif len(parts) == 3:
                month, day, year = _MONTHS[parts[0].lower()], int(parts[1]), int(parts[2])
            else:
                month, day, year = _MONTHS[parts[0].lower()], 1, int(parts[1])
            return datetime(year, month, day, tzinfo=timezone.utc)
    return None


def _title(text: str, label: str) -> str:
    lines = text.splitlines()[:60]
    for i, line in enumerate(lines):
        if line.strip() == label and i > 0:
            parts = []
            j = i - 1
            while j >= 0 and lines[j].strip():
                parts.insert(0, lines[j].strip())
                j -= 1
            return " ".join(parts)
    # RFC: first non-blank line after the header block
    state = "before"
    for line in lines:
        blank = not line.strip()
        if state == "before" and not blank:
            state = "header"
        elif state == "header" and blank:
            state = "after"
        elif state == "after" and not blank:
            return line.strip()
    return label


@functools.lru_cache(maxsize=4)
def _load_corpus(corpus_dir: str) -> dict[str, DocModel]:
    root = Path(corpus_dir)
    lineage = json.loads((root / "lineage.json").read_text())
    manifest: dict[tuple[str, str], str] = {}
    with open(root / "MANIFEST.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["format"] == "txt":
                manifest[(row["name"].lower(), row["rev"])] = row["tag_date"]

    docs: dict[str, DocModel] = {}
    for series_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("draft-")):
        name = series_dir.name
        info = lineage.get(name, {})
        doc = DocModel(name=name, type="draft", group=info.get("group", "none"), revisions={},
                       files={}, rfc=info.get("rfc"), replaces=list(info.get("replaces", [])))
        for path in sorted(series_dir.iterdir()):
            m = _ARCHIVE_RE.match(path.name)
            if not m or m.group(1) != name or not path.is_file():
                continue
            doc.files[(m.group(2), m.group(3))] = path
        for (rev, fmt), path in sorted(doc.files.items()):
            if fmt != "txt":
                continue
            text = path.read_text(errors="replace")
            tag = manifest.get((name, rev), "")
            if "T" in tag:
                published = datetime.fromisoformat(tag).astimezone(timezone.utc)
            else:
                published = _header_date(text) or datetime(1970, 1, 1, tzinfo=timezone.utc)
            doc.revisions[rev] = published
            doc.title = _title(text, f"{name}-{rev}") or doc.title
        if doc.revisions:
            docs[name] = doc

    rfc_groups = {info["rfc"]: info.get("group", "none") for info in lineage.values() if info.get("rfc")}
    for path in sorted((root / "rfc").glob("rfc*.txt")):
        m = _RFC_RE.match(path.name)
        if not m:
            continue
        name = m.group(1)
        text = path.read_text(errors="replace")
        docs[name] = DocModel(
            name=name, type="rfc", group=rfc_groups.get(name, "none"),
            revisions={name: _header_date(text) or datetime(1970, 1, 1, tzinfo=timezone.utc)},
            files={(name, "txt"): path}, title=_title(text, name))

    for i, name in enumerate(sorted(docs), start=1):
        docs[name].id = 1000 + i
    return docs


# --------------------------------------------------------------------------- server state

@dataclass
class LoggedRequest:
    method: str
    path: str              # URL path without query
    query: str             # raw query string
    headers: dict[str, str]
    status: int | None = None

    @property
    def target(self) -> str:
        return self.path + ("?" + self.query if self.query else "")


@dataclass
class _Fault:
    kind: str
    remaining: int | None
    pattern: re.Pattern | None
    retry_after: str | None = None


class FakeDatatracker:
    """The server object handed to tests: URLs, request log, fault switches."""

    def __init__(self, corpus_dir: str | Path, *, host: str = "127.0.0.1", port: int = 0,
                 replaces: dict[str, list[str]] | None = None,
                 phantom_revisions: dict[str, dict[str, str]] | None = None):
        self.corpus_dir = Path(corpus_dir).resolve()
        self.docs = copy.deepcopy(_load_corpus(str(self.corpus_dir)))
        self._declared: set[str] = set()
        self.requests: list[LoggedRequest] = []
        self._faults: list[_Fault] = []
        self._latencies: list[tuple[re.Pattern | None, float]] = []
        self._lock = threading.Lock()
        self._stopped = False
        self.cache_dir: Path | None = None   # set by the datatracker_env fixture
        self.in_flight = 0                   # requests being answered right now
        self.max_in_flight = 0               # the most at once since start / clear_log()
        for name, revs in (phantom_revisions or {}).items():
            for rev, published in revs.items():
                self.add_phantom_revision(name, rev, published)
        for new, olds in (replaces or {}).items():
            for old in olds:
                self.declare_replaces(new, old)
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.datatracker_url = self.url
        self.archive_url = self.url + "/archive/id"
        self.rfc_url = self.url + "/rfc"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fakedatatracker", daemon=True)

    # lifecycle
    def start(self) -> "FakeDatatracker":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread.is_alive():
            # wake the serving loop's select() now rather than at its next poll (20 ms, a few
            # seconds over the suite's ~300 servers): the shut listening socket reads as ready
            with contextlib.suppress(OSError):
                self._httpd.socket.shutdown(socket.SHUT_RDWR)
            self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FakeDatatracker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        return {"DRAFTSCOPE_DATATRACKER_URL": self.datatracker_url,
                "DRAFTSCOPE_ARCHIVE_URL": self.archive_url,
                "DRAFTSCOPE_RFC_URL": self.rfc_url}

    # corpus changes
    def declare_replaces(self, new: str, old: str) -> None:
        for name in (new, old):
            if name not in self.docs:
                raise KeyError(f"{name} has no revision in the corpus; add a phantom revision first")
        if old not in self.docs[new].replaces:
            self.docs[new].replaces.append(old)
        self._declared.add(old)

    def add_phantom_revision(self, name: str, rev: str, published: str) -> None:
        """A revision listed by the datatracker whose file the archive lacks (404)."""
        when = datetime.fromisoformat(published).astimezone(timezone.utc)
        doc = self.docs.get(name)
        if doc is None:
            doc = self.docs[name] = DocModel(name=name, type="draft", group="none", revisions={},
                                             files={}, title=name, id=1000 + len(self.docs) + 500)
        doc.revisions[rev] = when

    # log
    def count(self, pattern: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if pattern is None or pattern in r.target)

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = self.in_flight

    # faults
    def fail(self, kind: str, times: int | None = 1, path: str | None = None,
             retry_after: str | int | None = None) -> None:
        if kind not in {"429", "503", "500", "404", "truncate", "drop"}:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._faults.append(_Fault(kind, times, re.compile(path) if path else None,
                                       None if retry_after is None else str(retry_after)))

    def latency(self, seconds: float, path: str | None = None) -> None:
        with self._lock:
            self._latencies.append((re.compile(path) if path else None, seconds))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._latencies.clear()

    def _take_fault(self, target: str) -> tuple[_Fault | None, float]:
        with self._lock:
            delay = sum(s for p, s in self._latencies if p is None or p.search(target))
            for fault in self._faults:
                if fault.remaining == 0:
                    continue
                if fault.pattern is not None and not fault.pattern.search(target):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                return fault, delay
            return None, delay

    # ------------------------------------------------------------------ documents

    def _lineage(self, name: str) -> list[str]:
        """Names in doc.json's rev_history for ``name`` (closure per direction, as the real one)."""
        doc = self.docs[name]
        result = {name}
        if doc.type == "rfc":
            drafts = [d.name for d in self.docs.values() if d.rfc == name]
            start = drafts
            result.update(drafts)
        else:
            start = [name]
        stack = list(start)
        while stack:   # predecessors
            for old in self.docs[stack.pop()].replaces:
                if old in self.docs and old not in result:
                    result.add(old)
                    stack.append(old)
        if doc.type == "draft":
            stack, succ = [name], {name}
            while stack:   # successors
                current = stack.pop()
                for other in self.docs.values():
                    if current in other.replaces and other.name not in succ:
                        succ.add(other.name)
                        stack.append(other.name)
            result.update(succ)
            for n in succ:
                if self.docs[n].rfc in self.docs:
                    result.add(self.docs[n].rfc)
        return sorted(result)

    def rev_history(self, name: str) -> list[dict]:
        entries = []
        for n in self._lineage(name):
            doc = self.docs[n]
            for rev, when in doc.revisions.items():
                entry = {"name": n, "rev": rev, "published": when.isoformat(),
                         "url": f"/doc/{n}/" if doc.type == "rfc" else f"/doc/{n}/{rev}/"}
                entries.append(entry)
        entries.sort(key=lambda e: e["published"])
        return entries

    def doc_json(self, name: str) -> dict:
        doc = self.docs[name]
        latest = max(doc.revisions, key=lambda r: doc.revisions[r]) if doc.revisions else ""
        when = doc.revisions.get(latest)
        gname, _, gtype = GROUP_INFO.get(doc.group, (doc.group, "wg", "WG"))
        replaced = any(name in d.replaces for d in self.docs.values())
        state = ("RFC" if doc.type == "rfc" or doc.rfc in self.docs
                 else "Replaced" if replaced else "Expired")
        body = {
            "name": name, "rev": "" if doc.type == "rfc" else latest, "pages": None,
            "time": when.strftime("%Y-%m-%d %H:%M:%S") if when else None,
            "group": {"name": gname, "type": gtype, "acronym": doc.group},
            "expires": None, "title": doc.title, "abstract": "", "state": state,
            "intended_std_level": None, "std_level": None, "authors": [],
            "shepherd": None, "ad": None, "rev_history": self.rev_history(name),
            "stream": "IETF" if doc.group != "none" else None,
        }
        if doc.type == "draft":
            body.update(iesg_state=None, rfceditor_state=None, iana_review_state=None,
                        iana_action_state=None, consensus=None)
        return body

    def document_resource(self, doc: DocModel) -> dict:
        latest = max(doc.revisions, key=lambda r: doc.revisions[r]) if doc.revisions else ""
        when = doc.revisions.get(latest)
        group_id = self._group_id(doc.group)
        return {
            "id": doc.id, "resource_uri": f"/api/v1/doc/document/{doc.name}/", "name": doc.name,
            "title": doc.title, "abstract": "", "rev": "" if doc.type == "rfc" else latest,
            "pages": None, "words": None,
            "time": when.strftime("%Y-%m-%dT%H:%M:%S") if when else None,
            "expires": None, "notify": "", "external_url": "", "uploaded_filename": "",
            "type": f"/api/v1/name/doctypename/{doc.type}/",
            "stream": "/api/v1/name/streamname/ietf/" if doc.group != "none" else None,
            "group": f"/api/v1/group/group/{group_id}/",
            "intended_std_level": None, "std_level": None, "ad": None, "shepherd": None,
            "states": [], "tags": [], "submissions": [],
            "rfc": None, "rfc_number": int(doc.name[3:]) if doc.type == "rfc" else None,
        }

    def _group_id(self, acronym: str) -> int:
        acronyms = sorted({d.group for d in self.docs.values()} | set(GROUP_INFO))
        return 2000 + acronyms.index(acronym)

    def group_resource(self, acronym: str) -> dict:
        gname, gtype, _ = GROUP_INFO.get(acronym, (acronym, "wg", "WG"))
        gid = self._group_id(acronym)
        return {"id": gid, "resource_uri": f"/api/v1/group/group/{gid}/", "acronym": acronym,
                "name": gname, "type": f"/api/v1/name/grouptypename/{gtype}/",
                "state": "/api/v1/name/groupstatename/active/", "parent": None,
                "description": "", "list_email": "", "comments": ""}

    def events(self) -> list[dict]:
        out = []
        eid = 50000
        for doc in sorted(self.docs.values(), key=lambda d: d.id):
            if doc.type != "draft":
                continue
            for rev, when in sorted(doc.revisions.items()):
                eid += 1
                out.append({
                    "id": eid, "resource_uri": f"/api/v1/doc/newrevisiondocevent/{eid}/",
                    "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "type": "new_revision", "rev": rev,
                    "desc": f"New version available: <b>{doc.name}-{rev}.txt</b>",
                    "by": "/api/v1/person/person/1/",
                    "doc": f"/api/v1/doc/document/{doc.name}/",
                    "docevent_ptr": f"/api/v1/doc/docevent/{eid}/", "_doc": doc.name})
        out.sort(key=lambda e: e["time"], reverse=True)   # newest first, as the real default
        return out

    def relations(self) -> list[dict]:
        out = []
        rid = 70000
        for doc in sorted(self.docs.values(), key=lambda d: d.id):
            pairs = [(old, "replaces") for old in doc.replaces if old in self.docs]
            if doc.rfc in self.docs:
                pairs.append((doc.rfc, "became_rfc"))
            for target, slug in pairs:
                rid += 1
                out.append({"id": rid, "resource_uri": f"/api/v1/doc/relateddocument/{rid}/",
                            "source": f"/api/v1/doc/document/{doc.name}/",
                            "target": f"/api/v1/doc/document/{target}/",
                            "relationship": f"/api/v1/name/docrelationshipname/{slug}/",
                            "_source": doc.name, "_target": target, "_slug": slug})
        return out


# --------------------------------------------------------------------------- HTTP handler

def _html_404(path: str) -> bytes:
    return (f"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>"
            f"<h1>Not Found</h1><p>The requested resource {html.escape(path)} was not found on this "
            f"server.</p></body></html>\n").encode()


class _BadRequest(Exception):
    pass


def _paginate(path: str, query: list[tuple[str, str]], objects: list[dict]) -> dict:
    params = dict(query)
    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
        offset = int(params.get("offset", 0))
    except ValueError:
        raise _BadRequest("limit and offset must be integers")
    if limit < 0 or offset < 0:
        raise _BadRequest("limit and offset must be non-negative")
    if limit == 0 or limit > MAX_LIMIT:
        limit = MAX_LIMIT
    page = [{k: v for k, v in o.items() if not k.startswith("_")} for o in objects[offset:offset + limit]]
    base = [(k, v) for k, v in query if k not in ("limit", "offset")]

    def link(new_offset: int) -> str:
        return path + "?" + urlencode(base + [("limit", str(limit)), ("offset", str(new_offset))])

    nxt = link(offset + limit) if offset + limit < len(objects) else None
    prev = link(max(offset - limit, 0)) if offset > 0 else None
    return {"meta": {"limit": limit, "offset": offset, "total_count": len(objects),
                     "previous": prev, "next": nxt}, "objects": page}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDatatracker
    protocol_version = "HTTP/1.1"
    server_version = "fakedatatracker/1"

    def log_message(self, format, *args):  # quiet
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve()

    def _serve(self, head: bool = False) -> None:
        fake = self.fake
        with fake._lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        try:
            self._answer(head)
        finally:
            with fake._lock:
                fake.in_flight -= 1

    def _answer(self, head: bool) -> None:
        parts = urlsplit(self.path)
        record = LoggedRequest(self.command, parts.path, parts.query, dict(self.headers.items()))
        with self.fake._lock:
            self.fake.requests.append(record)
        fault, delay = self.fake._take_fault(record.target)
        if delay:
            time.sleep(delay)
        if fault is not None and fault.kind == "drop":
            record.status = 0
            self._hang_up()
            return
        if fault is not None and fault.kind in {"429", "503", "500", "404"}:
            status = int(fault.kind)
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            body = (f"<html><body><h1>{status}</h1></body></html>\n").encode()
            if status == 404:
                body = _html_404(parts.path)
            record.status = status
            self._send(status, body, "text/html; charset=utf-8", headers, head=head)
            return
        try:
            status, body, ctype = self._route(parts.path, parse_qsl(parts.query, keep_blank_values=True))
        except _BadRequest as exc:
            status, body, ctype = 400, json.dumps({"error": str(exc)}).encode(), "application/json"
        except Exception as exc:  # a bug in the fake: make it visible as a 500
            status, body, ctype = 500, f"fake server error: {exc!r}".encode(), "text/plain"
        record.status = status
        if fault is not None and fault.kind == "truncate":
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._hang_up()
            return
        self._send(status, body, ctype, {}, head=head)

    def _hang_up(self) -> None:
        """Close the connection mid-exchange, as a dropped or cut-short response does."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _route(self, path: str, query: list[tuple[str, str]]) -> tuple[int, bytes, str]:
        fake = self.fake
        docs = fake.docs
        params = dict(query)

        def as_json(obj) -> tuple[int, bytes, str]:
            return 200, (json.dumps(obj, indent=2) + "\n").encode(), "application/json"

        def not_found() -> tuple[int, bytes, str]:
            return 404, _html_404(path), "text/html; charset=utf-8"

        m = re.fullmatch(r"/doc/([^/]+)/(?:\d\d/)?doc\.json", path)
        if m:
            return as_json(fake.doc_json(m.group(1))) if m.group(1) in docs else not_found()

        m = re.fullmatch(r"/archive/id/([^/]+)", path)
        if m:
            am = _ARCHIVE_RE.match(m.group(1))
            doc = docs.get(am.group(1)) if am else None
            file = doc.files.get((am.group(2), am.group(3))) if doc else None
            if file is None:
                return not_found()
            ctype = "text/plain; charset=utf-8" if am.group(3) == "txt" else "application/xml"
            return 200, file.read_bytes(), ctype

        m = re.fullmatch(r"/rfc/([^/]+)", path)
        if m:
            rm = _RFC_RE.match(m.group(1))
            doc = docs.get(rm.group(1)) if rm else None
            if doc is None or doc.type != "rfc":
                return not_found()
            return 200, doc.files[(doc.name, "txt")].read_bytes(), "text/plain; charset=utf-8"

        if path == "/api/v1/doc/document/":
            objects = sorted(docs.values(), key=lambda d: d.id)
            if "group__acronym" in params:
                objects = [d for d in objects if d.group == params["group__acronym"]]
            if "group" in params:
                objects = [d for d in objects if str(fake._group_id(d.group)) == params["group"]]
            if "type" in params:
                objects = [d for d in objects if d.type == params["type"]]
            if "name" in params:
                objects = [d for d in objects if d.name == params["name"]]
            if "name__startswith" in params:
                objects = [d for d in objects if d.name.startswith(params["name__startswith"])]
            order = params.get("order_by")
            if order not in (None, "id", "-id"):
                raise _BadRequest(f"No matching 'order_by' field {order!r}")
            if order == "-id":
                objects.reverse()
            return as_json(_paginate(path, query, [fake.document_resource(d) for d in objects]))

        m = re.fullmatch(r"/api/v1/doc/document/([^/]+)/", path)
        if m:
            doc = docs.get(m.group(1))
            return as_json(fake.document_resource(doc)) if doc else not_found()

        if path == "/api/v1/doc/newrevisiondocevent/":
            objects = fake.events()
            if "doc__name" in params:
                objects = [e for e in objects if e["_doc"] == params["doc__name"]]
            if params.get("order_by") in ("id", "time"):
                objects.sort(key=lambda e: e["id"])
            return as_json(_paginate(path, query, objects))

        if path == "/api/v1/doc/relateddocument/":
            objects = fake.relations()
            for key, field_name in (("source__name", "_source"), ("target__name", "_target"),
                                    ("relationship__slug", "_slug"), ("relationship", "_slug")):
                if key in params:
                    objects = [o for o in objects if o[field_name] == params[key]]
            return as_json(_paginate(path, query, objects))

        if path == "/api/v1/group/group/":
            known = {d.group for d in docs.values()} | set(GROUP_INFO)
            acronym = params.get("acronym")
            objects = [fake.group_resource(a) for a in sorted(known) if acronym in (None, a)]
            return as_json(_paginate(path, query, objects))

        return not_found()


# --------------------------------------------------------------------------- entry points

def start_server(corpus_dir: str | Path, **options) -> FakeDatatracker:
    """Start a fake datatracker in a daemon thread; call ``.stop()`` when done."""
    return FakeDatatracker(corpus_dir, **options).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve ../shared/corpus in the datatracker's URL layout.")
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent.parent
                                                / "shared" / "corpus"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    args = parser.parse_args(argv)
    server = FakeDatatracker(args.corpus, host=args.host, port=args.port)
    if args.latency:
        server.latency(args.latency)
    for key, value in server.env().items():
        print(f"export {key}={value}")
    sys.stdout.flush()
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
