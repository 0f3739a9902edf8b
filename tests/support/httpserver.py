"""A programmable local HTTP server for tests: each path answers what the test registers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Callable[[], Iterator[bytes]] | None = None


Responder = Callable[[str, dict[str, str]], Reply]


class LocalServer:
    """Serves `routes`, or whatever `responder(path, headers)` answers when one is given."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.responder = responder
        self.routes: dict[str, Reply] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._open: set[socket.socket] = set()  # connections being answered
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        with self._lock:
            for connection in self._open:  # ends answers still streaming (endless bodies)
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server._open.add(self.connection)

            def finish(self) -> None:
                with server._lock:
                    server._open.discard(self.connection)
                with contextlib.suppress(OSError):
                    super().finish()

            def do_GET(self) -> None:
                headers = dict(self.headers)
                if server.responder is not None:
                    reply = server.responder(self.path, headers)
                else:
                    reply = server.routes.get(self.path, Reply(404, b"not found"))
                server.requests.append((self.path, headers, reply.status))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                try:
                    if reply.chunks is None:
                        self.wfile.write(reply.body)
                    else:
                        for chunk in reply.chunks():
                            self.wfile.write(chunk)
                except OSError:  # the client went away, or the server is stopping
                    pass

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler
