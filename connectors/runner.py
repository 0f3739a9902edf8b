"""Polls every source of the catalogue, fetches each new entry's page, produces raw events."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from connectors.base import FeedEntry, FetchedDocument, Source, SourceSpec
from connectors.http import HttpClient
from connectors.rss import RssSource
from connectors.sink import EventSink
from pipeline.errors import NewswireError
from pipeline.events import raw_event
from pipeline.metrics import ConnectorMetrics

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    """What one poll cycle did, for logs and tests."""

    feeds_ok: int = 0
    feeds_failed: int = 0
    produced: int = 0
    pages_failed: int = 0


def build_source(spec: SourceSpec, http: HttpClient) -> Source:
    if spec.kind == "rss":
        return RssSource(spec, http)
    raise NewswireError(f"no source for kind {spec.kind!r}")


class ConnectorRunner:
    """Runs the poll loop; remembers which entries it has produced so each goes out once."""

    def __init__(
        self, specs: list[SourceSpec], http: HttpClient, sink: EventSink, metrics: ConnectorMetrics
    ) -> None:
        self._sources = [build_source(spec, http) for spec in specs]
        self._http = http
        self._sink = sink
        self._metrics = metrics
        self._seen: set[tuple[str, str]] = set()

    def poll_once(self) -> PollReport:
        report = PollReport()
        for source in self._sources:
            self._poll_source(source, report)
        self._sink.flush()
        log.info(
            "poll done: %d feeds ok, %d failed, %d pages produced, %d pages failed",
            report.feeds_ok,
            report.feeds_failed,
            report.produced,
            report.pages_failed,
        )
        return report

    def run_forever(self, interval_s: float, stop: threading.Event) -> None:
        while not stop.is_set():
            self.poll_once()
            stop.wait(interval_s)

    def _poll_source(self, source: Source, report: PollReport) -> None:
        source_id = source.spec.id
        try:
            entries = source.discover()
        except NewswireError as exc:
            report.feeds_failed += 1
            self._metrics.polls.labels(source_id, "error").inc()
            log.warning("source %s failed: %s", source_id, exc)
            return
        report.feeds_ok += 1
        self._metrics.polls.labels(source_id, "modified").inc()
        self._metrics.last_success.labels(source_id).set(time.time())
        for entry in entries:
            self._deliver(source.spec, entry, report)

    def _deliver(self, spec: SourceSpec, entry: FeedEntry, report: PollReport) -> None:
        key = (spec.id, entry.link)
        if key in self._seen:
            return
        self._metrics.discovered.labels(spec.id).inc()
        page = self._fetch(spec, entry, report)
        if page is None:
            return
        self._sink.send(raw_event(spec, entry, page))
        self._seen.add(key)
        report.produced += 1

    def _fetch(
        self, spec: SourceSpec, entry: FeedEntry, report: PollReport
    ) -> FetchedDocument | None:
        started = time.perf_counter()
        try:
            page = self._http.get(entry.link)
        except NewswireError as exc:
            report.pages_failed += 1
            self._metrics.fetch_errors.labels(spec.id).inc()
            log.warning("source %s: page %s not fetched: %s", spec.id, entry.link, exc)
            return None
        self._metrics.fetch_seconds.observe(time.perf_counter() - started)
        self._metrics.fetch_bytes.inc(page.byte_count)
        return page
