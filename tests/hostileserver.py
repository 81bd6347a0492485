"""A hostile HTTP server on 127.0.0.1 for the hardening tests (tests/test_hostile*.py).

Real sockets, raw bytes: each route is a function that writes whatever it likes to the
connection (a slow drip, a lying Content-Length, a gzip bomb, a page that never ends...). By
default it serves a small, honest lineage, ``draft-hostile-test`` -00 and -01 (texts of
draft-ietf-quic-invariants-00/-01 read from the corpus at run time), so a test overrides only the
one URL it is about.

Every loop is bounded: handlers stop when the client goes away, when the server stops, or after
``MAX_HANDLER_SECONDS``; the server stops itself ``lifetime`` seconds after it starts.

    server = HostileServer(corpus_dir); server.start()
    server.route(r"/doc/draft-hostile-test/doc.json", drip(body, interval=0.2))
    server.datatracker_url, server.archive_url, server.rfc_url, server.requests, server.stop()
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
from pathlib import Path
from typing import Callable

NAME = "draft-hostile-test"
SOURCE = "draft-ietf-quic-invariants"
MAX_HANDLER_SECONDS = 20.0

Handler = Callable[["Connection"], None]


class Connection:
    """One accepted request: its path, and writes that give up once the client has gone."""

    def __init__(self, server: "HostileServer", sock: socket.socket, path: str):
        self.server, self.sock, self.path = server, sock, path
        self.started = time.monotonic()

    @property
    def alive(self) -> bool:
        return not self.server.stopping.is_set() and \
            time.monotonic() - self.started < MAX_HANDLER_SECONDS

    def send(self, data: bytes) -> bool:
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def head(self, status: int = 200, headers: dict | None = None, reason: str = "OK") -> bool:
        lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def sleep(self, seconds: float) -> bool:
        """Wait, but not past the server's stop; False once the handler should end."""
        return not self.server.stopping.wait(seconds) and self.alive


class HostileServer:
    def __init__(self, corpus_dir: Path, lifetime: float = 120.0):
        self.corpus_dir = Path(corpus_dir)
        self.lifetime = lifetime
        self.routes: list[tuple[re.Pattern, Handler]] = []
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.datatracker_url = self.url
        self.archive_url = f"{self.url}/archive/id"
        self.rfc_url = f"{self.url}/rfc"
        self.revisions = {"00": self.source_text("00"), "01": self.source_text("01")}
        self._thread = threading.Thread(target=self._serve, name="hostile-server", daemon=True)

    # content ---------------------------------------------------------------------
    def source_text(self, rev: str) -> bytes:
        return (self.corpus_dir / SOURCE / f"{SOURCE}-{rev}.txt").read_bytes()

    def doc_json(self, entries: list[dict] | None = None, name: str = NAME) -> dict:
        entries = entries if entries is not None else [
            {"name": NAME, "rev": "00", "published": "2018-01-01T00:00:00+00:00"},
            {"name": NAME, "rev": "01", "published": "2018-06-01T00:00:00+00:00"}]
        return {"name": name, "rev": "01", "title": "A hostile test", "rev_history": entries}

    # routing -----------------------------------------------------------------------
    def route(self, pattern: str, handler: Handler) -> None:
        """Serve ``handler`` for paths matching ``pattern`` (searched; later routes win)."""
        self.routes.insert(0, (re.compile(pattern), handler))

    def count(self, pattern: str) -> int:
        with self._lock:
            return sum(bool(re.search(pattern, p)) for p in self.requests)

    def _default(self, conn: Connection) -> None:
        path = conn.path.split("?", 1)[0]
        if path == f"/doc/{NAME}/doc.json":
            return respond(json.dumps(self.doc_json()).encode(), "application/json")(conn)
        m = re.fullmatch(rf"/archive/id/{NAME}-(\d\d)\.txt", path)
        if m and m.group(1) in self.revisions:
            return respond(self.revisions[m.group(1)], "text/plain")(conn)
        return respond(b"<html><body>Not Found</body></html>", "text/html", status=404)(conn)

    # serving -----------------------------------------------------------------------
    def start(self) -> "HostileServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        try:    # wakes the accept() at once instead of after its 0.1 s timeout
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        end = time.monotonic() + self.lifetime
        while not self.stopping.is_set() and time.monotonic() < end:
            try:
                sock, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._handle, args=(sock,), daemon=True).start()
        self.stopping.set()

    def _handle(self, sock: socket.socket) -> None:
        try:
            sock.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            with self._lock:
                self.requests.append(path)
            conn = Connection(self, sock, path)
            for pattern, handler in self.routes:
                if pattern.search(path):
                    handler(conn)
                    break
            else:
                self._default(conn)
        except (OSError, IndexError):
            pass
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


# --------------------------------------------------------------------------- handlers

def respond(body: bytes, content_type: str = "text/plain", *, status: int = 200,
            headers: dict | None = None, length: bool = True, reason: str = "OK") -> Handler:
    """A plain answer; ``length=False`` sends no Content-Length (the close ends the body)."""
    def handler(conn: Connection) -> None:
        head = {"Content-Type": content_type, **(headers or {})}
        if length and "Content-Length" not in head:
            head["Content-Length"] = str(len(body))
        conn.head(status, head, reason) and conn.send(body)
    return handler


def json_body(value, **kwargs) -> Handler:
    return respond(json.dumps(value).encode(), "application/json", **kwargs)


def raw_json(text: str, **kwargs) -> Handler:
    return respond(text.encode("utf-8"), "application/json", **kwargs)


def drip(body: bytes, interval: float, *, length: bool = True, step: int = 1) -> Handler:
    """Headers at once, then ``step`` bytes (one by default) every ``interval`` seconds (each
    read succeeds): a trickle, or with a larger step a slow but moving download."""
    def handler(conn: Connection) -> None:
        head = {"Content-Type": "application/octet-stream"}
        if length:
            head["Content-Length"] = str(len(body))
        if not conn.head(200, head):
            return
        for i in range(0, len(body), step):
            if not conn.sleep(interval) or not conn.send(body[i:i + step]):
                return
    return handler


def stall(first: bytes = b"", declared: int = 1 << 20) -> Handler:
    """Headers and ``first`` bytes, then nothing until the client or the server gives up."""
    def handler(conn: Connection) -> None:
        if conn.head(200, {"Content-Type": "text/plain", "Content-Length": str(declared)}) \
                and conn.send(first):
            while conn.sleep(0.05):
                pass
    return handler


def endless_chunked(piece: bytes = b"MUST " * 200) -> Handler:
    """A chunked body that never ends (until the client stops reading)."""
    def handler(conn: Connection) -> None:
        if not conn.head(200, {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"}):
            return
        chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        while conn.alive and conn.send(chunk):
            pass
    return handler


def gzipped(body: bytes, *, cut: int | None = None) -> Handler:
    """``body`` gzip-encoded although identity was asked for; ``cut`` keeps only that many
    compressed bytes (and says so in Content-Length: a truncated stream, honestly measured)."""
    data = gzip.compress(body, compresslevel=9)
    if cut is not None:
        data = data[:cut]
    return respond(data, "text/plain", headers={"Content-Encoding": "gzip"})


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler (the last one from then on)."""
    calls = iter(range(1 << 30))

    def handler(conn: Connection) -> None:
        handlers[min(next(calls), len(handlers) - 1)](conn)
    return handler
