"""Fetching as a good citizen: robots.txt for pages, per-host slots and delays, Retry-After."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from connectors.http import HTML_TYPES, FetchFailure, HttpClient, Response
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from pipeline.core.errors import Failure
from pipeline.core.metrics import ConnectorMetrics


class Fetcher:
    def __init__(
        self,
        http: HttpClient,
        gate: HostGate,
        robots: RobotsCache | None,
        metrics: ConnectorMetrics,
    ) -> None:
        self.http = http
        self.gate = gate
        self.robots = robots
        self.metrics = metrics

    def page(self, url: str) -> Response:
        if self.robots is not None and not self.robots.allowed(url):
            raise FetchFailure(Failure.ROBOTS, f"robots.txt disallows {url}")
        return self.get(url, HTML_TYPES)

    def get(
        self,
        url: str,
        accept_types: frozenset[str],
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET through the host's slot (a source document, or a page via `page`)."""
        host = urlsplit(url).hostname or ""
        started = time.perf_counter()
        with self.gate.slot(host):
            try:
                response = self.http.get(url, etag, last_modified, accept_types)
            except FetchFailure as failure:
                if failure.retry_after_s:
                    self.gate.back_off(host, failure.retry_after_s)
                raise
        self.metrics.fetch_seconds.observe(time.perf_counter() - started)
        self.metrics.fetch_bytes.inc(response.byte_count)
        return response
