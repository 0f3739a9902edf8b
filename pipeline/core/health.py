"""Liveness and readiness over HTTP (/healthz, /readyz), served beside /metrics.

A process creates one `Health`, registers readiness checks (broker reachable, partitions
assigned, ...) and calls `beat()` from its main loop; `serve_health` answers the probes of
Kubernetes, Docker's HEALTHCHECK and `python -m pipeline.core.health URL`:

- `/healthz` is 200 while the process beats (its loop is not stuck), else 503;
- `/readyz` is 200 when it beats and every readiness check passes, else 503 with the failing
  check names in the JSON body.

A check that raises counts as failing; the probes never take the process down.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pipeline.core.errors import PortInUse
from pipeline.core.settings import env_name

log = logging.getLogger(__name__)

Check = Callable[[], bool]
LIVE_PATH, READY_PATH = "/healthz", "/readyz"


class Health:
    """What the probes report: a heartbeat and named readiness checks (thread-safe)."""

    def __init__(
        self, stale_after_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if stale_after_s <= 0:
            raise ValueError(f"stale_after_s must be positive, got {stale_after_s}")
        self.stale_after_s = stale_after_s
        self._clock = clock
        self._last_beat = clock()
        self._checks: dict[str, Check] = {}
        self._lock = threading.Lock()

    def beat(self) -> None:
        """Called by the process's main loop: it is alive."""
        with self._lock:
            self._last_beat = self._clock()

    def add_check(self, name: str, check: Check) -> None:
        with self._lock:
            if name in self._checks:
                raise ValueError(f"readiness check {name!r} is registered already")
            self._checks[name] = check

    def live(self) -> bool:
        with self._lock:
            return self._clock() - self._last_beat <= self.stale_after_s

    def failing_checks(self) -> list[str]:
        with self._lock:
            checks = list(self._checks.items())
        return [name for name, check in checks if not _passes(name, check)]

    def report(self, path: str) -> tuple[int, dict[str, object]]:
        """HTTP status and JSON body for a probe path; 404 for any other path."""
        if path == LIVE_PATH:
            live = self.live()
            return (200 if live else 503), {"live": live}
        if path == READY_PATH:
            live, failing = self.live(), self.failing_checks()
            ready = live and not failing
            return (200 if ready else 503), {"ready": ready, "live": live, "failing": failing}
        return 404, {"error": f"unknown path {path!r}", "paths": [LIVE_PATH, READY_PATH]}


def _passes(name: str, check: Check) -> bool:
    try:
        return bool(check())
    except Exception:  # a broken check means not ready, never a dead probe server
        log.warning("readiness check %s raised", name, exc_info=True)
        return False


def _handler_for(health: Health) -> type[BaseHTTPRequestHandler]:
    class ProbeHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = health.report(self.path.split("?", 1)[0])
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("health probe: " + format, *args)

    return ProbeHandler


class HealthServer:
    """The probe server on its own daemon thread; `close()` stops it."""

    def __init__(self, health: Health, port: int, host: str = "127.0.0.1") -> None:
        self._server = ThreadingHTTPServer((host, port), _handler_for(health))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="newswire-health", daemon=True
        )
        self._closed = False

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> HealthServer:
        self._thread.start()
        return self

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_health(health: Health, port: int, host: str = "127.0.0.1") -> HealthServer | None:
    """Serve /healthz and /readyz on host:port; port 0 or below turns it off (returns None)."""
    if port <= 0:
        return None
    try:
        server = HealthServer(health, port, host).start()
    except OSError as exc:
        raise PortInUse("the health probes", host, port, env_name("health_port"), exc) from exc
    log.info("health on http://%s:%d%s and %s", host, server.port, LIVE_PATH, READY_PATH)
    return server


def probe(url: str, timeout_s: float = 3.0) -> bool:
    """True when url answers 200 (what Docker's HEALTHCHECK runs)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pipeline.core.health URL`: exit 0 when URL answers 200, else 1."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m pipeline.core.health URL", file=sys.stderr)
        return 2
    return 0 if probe(args[0]) else 1


if __name__ == "__main__":
    sys.exit(main())
