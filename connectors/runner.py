"""Polls the catalogue's sources when they are due and produces each new article page once.

Hosts are polled in parallel, each host's sources in turn, so a slow or paused host holds
only itself. For every kind of source the same steps: a conditional request for the source
document, its kind's parser, delivery of the entries (connectors/delivery.py: dedup, polite
page fetches, raw events acknowledged before the state that marks them seen), and the next
poll scheduled from the source's own signals. Failures are counted and logged, never silent;
a page that keeps failing ends in the dead-letter topic.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from connectors.base import FeedEntry, Parsed, SourceParser, SourceSpec
from connectors.delivery import DeliveryLimits, DeliveryReport, PageDelivery
from connectors.fetcher import Fetcher
from connectors.http import Response
from connectors.politeness import HostPaused
from connectors.rss import RssParser
from connectors.schedule import (
    PollSignals,
    ScheduleLimits,
    backoff_interval,
    next_interval,
    signals_from_headers,
)
from connectors.sink import EventSink
from connectors.state import SourceState, StateStore
from connectors.web import ListingParser, SitemapParser, UrlListParser
from pipeline.core.errors import FeedError, FetchError, NewswireError, failure_of
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.urls import canonical_url

log = logging.getLogger(__name__)

POLL_OUTCOMES = ("modified", "not_modified", "error")

SUBMIT_SOURCE = SourceSpec("submit", "submit", "newswire:submit")

PARSERS: dict[str, SourceParser] = {
    "rss": RssParser(),
    "sitemap": SitemapParser(),
    "listing": ListingParser(),
    "urls": UrlListParser(),
}


@dataclass(frozen=True)
class RunnerOptions:
    schedule: ScheduleLimits
    page_workers: int  # page fetches in flight per source being polled
    source_workers: int  # hosts polled at the same time
    max_items_per_poll: int  # new pages one poll of one source fetches; the rest wait
    max_entries: int  # entries kept from one source document (newest first)
    max_page_attempts: int = 3
    max_pending: int = 200  # entries kept for retry per source


@dataclass
class PollReport(DeliveryReport):
    """What a poll did, for logs and tests."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0

    def add(self, other: PollReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class ConnectorRunner:
    def __init__(
        self,
        specs: list[SourceSpec],
        fetcher: Fetcher,
        raw_sink: EventSink,
        dead_sink: EventSink,
        store: StateStore,
        metrics: ConnectorMetrics,
        options: RunnerOptions,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.specs = specs
        self.fetcher = fetcher
        self.raw_sink = raw_sink
        self.dead_sink = dead_sink
        self.store = store
        self.metrics = metrics
        self.options = options
        self.clock = clock
        # The gate's event: setting it also ends every wait for a host slot or pause.
        self.stop_event = fetcher.gate.stop
        self._parsers = {**PARSERS, "rss": RssParser(self.options.max_entries)}
        self._lock = threading.Lock()
        self._busy: dict[str, Future[PollReport]] = {}
        self.heartbeat: Callable[[], None] = _alive  # called per source polled and per cycle
        self._pages = ThreadPoolExecutor(
            max_workers=self.options.page_workers * self.options.source_workers,
            thread_name_prefix="page",
        )
        self._sources = ThreadPoolExecutor(
            max_workers=self.options.source_workers, thread_name_prefix="source"
        )
        limits = DeliveryLimits(
            page_workers=self.options.page_workers,
            max_page_attempts=self.options.max_page_attempts,
            max_items_per_poll=self.options.max_items_per_poll,
        )
        self.delivery = PageDelivery(
            fetcher, raw_sink, dead_sink, store, metrics, limits, self.stop_event, self._pages
        )
        for spec in specs:  # every series exists from the start, so rates and alerts work
            for outcome in POLL_OUTCOMES:
                metrics.polls.labels(spec.id, outcome)
            metrics.consecutive_errors.labels(spec.id).set(0)
            metrics.discovered.labels(spec.id)
            metrics.retry_after.labels(spec.id)
            metrics.send_failures.labels(spec.id)

    def poll_due(self, force: bool = False) -> PollReport:
        """Poll every source whose time has come (every source with `force`), hosts in
        parallel, and wait for all of them."""
        report = PollReport()
        for future in self._start_due(force):
            report.add(future.result())
        return report

    def run_forever(self) -> None:
        """Start each host's due sources as soon as the host is free; a slow or paused host
        holds only itself."""
        try:
            while not self.stop_event.is_set():
                self.heartbeat()
                self._start_due(force=False)
                self.stop_event.wait(self._seconds_to_next_poll())
        finally:
            self.fetcher.http.watch.expire_all()  # in-flight fetches end now, not at deadline
            for future in list(self._busy.values()):
                future.result()

    def close(self) -> None:
        self.stop_event.set()
        self.fetcher.http.watch.expire_all()
        self._sources.shutdown(wait=True, cancel_futures=True)
        self._pages.shutdown(wait=True, cancel_futures=True)

    def _start_due(self, force: bool) -> list[Future[PollReport]]:
        if self.stop_event.is_set():
            return []
        now = self.clock()
        with self._lock:
            self._busy = {h: f for h, f in self._busy.items() if not f.done()}
            idle = [s for s in self.specs if _host(s.url) not in self._busy]
        due = [s for s in idle if force or self.store.source(s.id).next_poll_at <= now]
        if not due:
            return []
        self.store.catch_up()
        groups: dict[str, list[SourceSpec]] = {}
        for spec in due:
            groups.setdefault(_host(spec.url), []).append(spec)
        started = []
        with self._lock:
            for host, group in groups.items():
                future = self._sources.submit(self._poll_group, group)
                self._busy[host] = future
                started.append(future)
        return started

    def _poll_group(self, specs: list[SourceSpec]) -> PollReport:
        report = PollReport()
        for spec in specs:
            if self.stop_event.is_set():
                break
            try:
                report.add(self.poll_source(spec))
            except Exception:  # one source's bug must not stop the others, nor connect
                log.exception("source %s: poll failed unexpectedly", spec.id)
                self.metrics.polls.labels(spec.id, "error").inc()
                report.failed += 1
        return report

    def poll_source(self, spec: SourceSpec) -> PollReport:
        self.heartbeat()
        report = PollReport(polled=1)
        state = self.store.source(spec.id)
        state.polls += 1
        parser = self._parsers[spec.kind]
        pending = [_entry_from(item) for item in state.pending]
        try:
            document = self.fetcher.get(
                spec.url, parser.accept_types, state.etag, state.last_modified
            )
            parsed = (
                Parsed([]) if document.not_modified else self._parse_all(spec, parser, document)
            )
        except (FetchError, FeedError) as exc:
            if self.stop_event.is_set():
                return report  # stopping is no failure of the source: keep its state
            self._source_failed(spec, state, exc, report)
            self._retry_pending(spec, state, pending, report)
            return report
        entries = pending + parsed.entries[: self.options.max_entries]
        outcome = self.delivery.deliver(spec, entries, report)
        if self.stop_event.is_set():
            return report  # interrupted: keep the old state, so the next poll picks up the rest
        state.pending = [asdict(e) for e in outcome.retry[: self.options.max_pending]]
        if document.not_modified:
            self._not_modified(spec, state, document, report)
            return report
        # Entries still to fetch are kept as pending, so the validators can stay: unless the
        # poll was capped, when the next poll must read the document again for the rest.
        state.etag = None if outcome.capped else document.headers.get("etag")
        state.last_modified = None if outcome.capped else document.headers.get("last-modified")
        signals = signals_from_headers(document.headers, parsed.ttl_minutes)
        self._succeeded(spec, state, changed=outcome.produced > 0, signals=signals)
        self.metrics.polls.labels(spec.id, "modified").inc()
        return report

    def submit(self, spec: SourceSpec, urls: list[str], force: bool = False) -> PollReport:
        """Fetch and produce single URLs now (backfills, tests); seen URLs are skipped."""
        self.store.catch_up()
        entries = [FeedEntry(spec.id, canonical_url(u), u) for u in urls]
        if force:
            self.delivery.attempts.clear()
        report = PollReport(polled=1)
        self.delivery.deliver(spec, entries, report, skip_seen=not force)
        return report

    def _parse_all(self, spec: SourceSpec, parser: SourceParser, document: Response) -> Parsed:
        parsed = parser.parse(spec, document)
        entries = list(parsed.entries)
        for child_url in parsed.follow:
            child = self.fetcher.get(child_url, parser.accept_types)
            entries.extend(parser.parse(spec, child).entries)
        return Parsed(entries, parsed.ttl_minutes)

    def _retry_pending(
        self, spec: SourceSpec, state: SourceState, pending: list[FeedEntry], report: PollReport
    ) -> None:
        """The source failed, but the pages it listed before may still be fetched."""
        if not pending or self.stop_event.is_set():
            return
        outcome = self.delivery.deliver(spec, pending, report)
        if not self.stop_event.is_set():
            state.pending = [asdict(e) for e in outcome.retry[: self.options.max_pending]]
            self.store.save_source(state)
            self.store.flush()

    def _not_modified(
        self, spec: SourceSpec, state: SourceState, document: Response, report: PollReport
    ) -> None:
        report.not_modified += 1
        state.not_modified += 1
        self.metrics.polls.labels(spec.id, "not_modified").inc()
        self._succeeded(spec, state, changed=False, signals=signals_from_headers(document.headers))

    def _succeeded(
        self, spec: SourceSpec, state: SourceState, changed: bool, signals: PollSignals
    ) -> None:
        now = self.clock()
        state.consecutive_errors = 0
        state.last_error = None
        state.last_success_at = now
        if changed:
            state.last_change_at = now
        state.interval_s = next_interval(state.interval_s, changed, signals, self.options.schedule)
        state.next_poll_at = now + state.interval_s
        self.metrics.last_success.labels(spec.id).set(now)
        self.metrics.consecutive_errors.labels(spec.id).set(0)
        self.store.save_source(state)
        self.store.flush()

    def _source_failed(
        self, spec: SourceSpec, state: SourceState, error: NewswireError, report: PollReport
    ) -> None:
        report.failed += 1
        state.consecutive_errors += 1
        reason = failure_of(error)
        state.last_error = f"{reason}: {error}"
        retry_after = getattr(error, "retry_after_s", None)
        if retry_after and not isinstance(error, HostPaused):
            self.metrics.retry_after.labels(spec.id).inc()
        delay = backoff_interval(state.consecutive_errors, retry_after, self.options.schedule)
        state.next_poll_at = self.clock() + delay
        self.metrics.polls.labels(spec.id, "error").inc()
        self.metrics.consecutive_errors.labels(spec.id).set(state.consecutive_errors)
        log.warning(
            "source %s failed (%s, %d in a row); next try in %.0fs: %s",
            spec.id,
            reason,
            state.consecutive_errors,
            delay,
            error,
        )
        self.store.save_source(state)
        self.store.flush()

    def _seconds_to_next_poll(self) -> float:
        with self._lock:
            busy = set(self._busy)
        upcoming = [
            self.store.source(s.id).next_poll_at for s in self.specs if _host(s.url) not in busy
        ]
        wait = min(upcoming, default=self.clock() + 60) - self.clock()
        return min(max(wait, 0.2), 1.0 if busy else 60.0)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _entry_from(item: dict[str, Any]) -> FeedEntry:
    return FeedEntry(**{**item, "authors": tuple(item.get("authors") or ())})


def _alive() -> None:
    """The default heartbeat: nobody listens."""
