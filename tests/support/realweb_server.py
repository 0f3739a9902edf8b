"""A local HTTP server that behaves like the real web, byte for byte, for connector tests.

`http.server` writes whole, well-formed responses; real servers do not. This one speaks raw
HTTP/1.1 on 127.0.0.1: keep-alive connection reuse (it counts connections and requests per
connection), empty-body redirects with `Content-Length: 0`, `Retry-After`, chunked bodies,
slow status lines, headers and bodies (one byte at a time: slowloris), wrong `Content-Length`,
endless bodies, garbage instead of HTTP, and gzip or brotli bombs.

Each path maps to a `Route`: a function that writes the response to the socket and returns
whether the connection stays open for the next request.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import brotli


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    connection_id: int
    number_on_connection: int


class Conn:
    """The server side of one client connection."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock = sock
        self.stop = stop

    def send(self, data: bytes) -> bool:
        """False once the client has gone away or the server stops."""
        if self.stop.is_set():
            return False
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def trickle(self, data: bytes, interval_s: float, step: int = 1) -> bool:
        """Send `step` bytes every `interval_s` seconds (slowloris)."""
        for start in range(0, len(data), step):
            if not self.send(data[start : start + step]) or self.stop.wait(interval_s):
                return False
        return True


Route = Callable[[Request, Conn], bool]

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    307: "Temporary Redirect",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def head(status: int, headers: dict[str, str] | Iterable[tuple[str, str]]) -> bytes:
    items = headers.items() if isinstance(headers, dict) else headers
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in items]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(
    body: bytes = b"",
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
    close: bool = False,
) -> Route:
    """A complete response; `content_length` can lie about the body's size."""

    def route(request: Request, conn: Conn) -> bool:
        fields = {"Content-Type": content_type, **(headers or {})}
        length = len(body) if content_length is None else content_length
        fields["Content-Length"] = str(length)
        if close:
            fields["Connection"] = "close"
        if not conn.send(head(status, fields) + body):
            return False
        # A body shorter than announced leaves the client waiting: close to end it.
        return not close and length == len(body)

    return route


def redirect(location: str, status: int = 301, body: bytes = b"") -> Route:
    """A redirect with an empty body and `Content-Length: 0`, as most servers send it."""
    return respond(body, status, headers={"Location": location})


def retry_after(seconds: str, status: int = 429) -> Route:
    return respond(b"slow down", status, "text/plain", headers={"Retry-After": seconds})


def chunked(
    parts: Iterable[bytes] | Callable[[], Iterator[bytes]],
    content_type: str = "text/html; charset=utf-8",
    interval_s: float = 0.0,
    headers: dict[str, str] | None = None,
) -> Route:
    """`Transfer-Encoding: chunked`; a callable gives a fresh (possibly endless) iterator."""

    def route(request: Request, conn: Conn) -> bool:
        fields = {"Content-Type": content_type, "Transfer-Encoding": "chunked", **(headers or {})}
        if not conn.send(head(200, fields)):
            return False
        for part in parts() if callable(parts) else parts:
            if not part:
                continue
            if not conn.send(b"%x\r\n%s\r\n" % (len(part), part)):
                return False
            if interval_s and conn.stop.wait(interval_s):
                return False
        return conn.send(b"0\r\n\r\n")

    return route


def endless(
    piece: bytes = b"<p>more</p>", content_type: str = "text/html", interval_s: float = 0.0
) -> Route:
    """A chunked body that never ends."""

    def forever() -> Iterator[bytes]:
        while True:
            yield piece

    return chunked(forever, content_type, interval_s)


def slowloris(
    body: bytes = b"<html><body><p>late</p></body></html>",
    interval_s: float = 0.5,
    stage: str = "status",
    status: int = 200,
    content_type: str = "text/html",
) -> Route:
    """One byte every `interval_s`: from the status line on (`status`), only the headers
    (`headers`: the status line comes at once) or only the body (`body`)."""

    def route(request: Request, conn: Conn) -> bool:
        fields = {"Content-Type": content_type, "Content-Length": str(len(body))}
        response = head(status, fields)
        if stage == "status":
            return conn.trickle(response + body, interval_s)
        if stage == "headers":
            first, rest = response.split(b"\r\n", 1)
            return conn.send(first + b"\r\n") and conn.trickle(rest + body, interval_s)
        return conn.send(response) and conn.trickle(body, interval_s)

    return route


def raw(data: bytes, close: bool = True) -> Route:
    """Exactly these bytes (garbage, a broken status line...), then close."""

    def route(request: Request, conn: Conn) -> bool:
        conn.send(data)
        return not close

    return route


def gzip_bomb(decompressed_bytes: int, content_type: str = "text/html") -> Route:
    body = _compress_zeros(decompressed_bytes)
    return respond(body, content_type=content_type, headers={"Content-Encoding": "gzip"})


def brotli_bomb(decompressed_bytes: int, content_type: str = "text/html") -> Route:
    body = _brotli_spaces(decompressed_bytes)
    return respond(body, content_type=content_type, headers={"Content-Encoding": "br"})


@functools.lru_cache(maxsize=8)
def _brotli_spaces(size: int) -> bytes:
    return bytes(brotli.compress(b" " * size, quality=5))


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    return respond(
        gzip.compress(body), content_type=content_type, headers={"Content-Encoding": "gzip"}
    )


@functools.lru_cache(maxsize=8)
def _compress_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * 1_048_576
    out = []
    for _ in range(size // len(block)):
        out.append(compressor.compress(block))
    out.append(compressor.compress(b"\0" * (size % len(block))))
    out.append(compressor.flush())
    return b"".join(out)


@dataclass
class RealWebServer:
    """`with RealWebServer() as web: web.routes["/feed"] = respond(...)`; `web.url("/feed")`."""

    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._sock = socket.create_server((self.host, 0))
        self._sock.settimeout(0.2)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def __enter__(self) -> RealWebServer:
        thread = threading.Thread(target=self._accept, daemon=True, name="realweb-accept")
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
                self._open.add(client)
            thread = threading.Thread(
                target=self._serve, args=(client, number), daemon=True, name="realweb-conn"
            )
            thread.start()
            self._threads.append(thread)

    def _serve(self, client: socket.socket, connection_id: int) -> None:
        conn = Conn(client, self._stop)
        buffer = b""
        count = 0
        try:
            client.settimeout(10)
            while not self._stop.is_set():
                while b"\r\n\r\n" not in buffer:
                    data = client.recv(65536)
                    if not data:
                        return
                    buffer += data
                header_block, buffer = buffer.split(b"\r\n\r\n", 1)
                count += 1
                request = _parse_request(header_block, connection_id, count)
                self.requests.append(request)
                route = self.routes.get(request.path) or self.routes.get(
                    request.path.split("?", 1)[0], respond(b"not found", 404, "text/plain")
                )
                if not route(request, conn):
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._open.discard(client)
            with contextlib.suppress(OSError):
                client.close()


def _parse_request(block: bytes, connection_id: int, number: int) -> Request:
    lines = block.decode("latin-1").split("\r\n")
    method, path, *_ = [*lines[0].split(" "), "", ""]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers, connection_id, number)


def wait_until(predicate: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
