"""robots.txt for page fetches: fetched through the same client, cached, crawl-delay honoured."""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from urllib.parse import urlsplit

from connectors.http import FetchFailure, HttpClient
from connectors.politeness import HostGate
from pipeline.core.errors import FetchError

log = logging.getLogger(__name__)

TTL_S = 6 * 3600.0
ERROR_TTL_S = 600.0


class RobotsCache:
    def __init__(self, http: HttpClient, gate: HostGate, user_agent: str) -> None:
        self._http = http
        self._gate = gate
        self._agent = user_agent
        self._cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._parser(origin, parts.hostname or "")
        return True if parser is None else parser.can_fetch(self._agent, url)

    def _parser(self, origin: str, host: str) -> urllib.robotparser.RobotFileParser | None:
        cached = self._cached(origin)
        if cached is not None:
            return cached[1]
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:  # single flight: one fetch per origin, the others wait for it
            cached = self._cached(origin)
            if cached is not None:
                return cached[1]
            return self._refresh(origin, host)

    def _cached(
        self, origin: str
    ) -> tuple[float, urllib.robotparser.RobotFileParser | None] | None:
        with self._lock:
            cached = self._cache.get(origin)
        return cached if cached and cached[0] > time.monotonic() else None

    def _refresh(self, origin: str, host: str) -> urllib.robotparser.RobotFileParser | None:
        parser, ttl = self._fetch(origin)
        if parser is not None:
            delay = parser.crawl_delay(self._agent)
            if delay:
                self._gate.set_delay(host, float(delay))
        with self._lock:
            self._cache[origin] = (time.monotonic() + ttl, parser)
        return parser

    def _fetch(self, origin: str) -> tuple[urllib.robotparser.RobotFileParser | None, float]:
        """None means: no rules (no robots.txt, or it could not be read); allow everything."""
        try:
            response = self._http.get(origin + "/robots.txt")
        except FetchFailure as exc:
            if exc.reason == "http_4xx" or exc.reason == "http_403":
                return None, TTL_S
            log.info("robots.txt of %s not readable (%s); allowing for now", origin, exc)
            return None, ERROR_TTL_S
        except FetchError as exc:
            log.info("robots.txt of %s not readable (%s); allowing for now", origin, exc)
            return None, ERROR_TTL_S
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.text.splitlines())
        return parser, TTL_S
