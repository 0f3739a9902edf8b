"""Delivering a source's entries: dedup against state, page fetches in parallel, raw events
sent and acknowledged before the items are marked seen, failures counted, retried or
dead-lettered with their reason.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from connectors.base import FeedEntry, SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import Response
from connectors.politeness import HostPaused, Interrupted
from connectors.raw import fetch_deadletter_event, page_event
from connectors.sink import Delivery, EventSink, EventTooLarge, SinkError
from connectors.state import StateStore, entry_key, url_key
from pipeline.core.errors import Failure, NewswireError, failure_of
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.urls import canonical_url, clean_url

log = logging.getLogger(__name__)

MIN_PAGE_BYTES = 512  # below this a page is counted as empty; cleaning decides its fate


@dataclass(frozen=True)
class DeliveryLimits:
    page_workers: int  # page fetches in flight per source being polled
    max_page_attempts: int
    max_items_per_poll: int  # new pages one poll of one source fetches; the rest wait


@dataclass
class DeliveryReport:
    """What delivering did: pages produced, failed, dead-lettered, put off."""

    produced: int = 0
    pages_failed: int = 0
    dead_lettered: int = 0
    deferred: int = 0


@dataclass
class Delivered:
    """The outcome of delivering a source's entries."""

    produced: int = 0
    retry: list[FeedEntry] = field(default_factory=list)
    capped: bool = False


@dataclass
class _Sent:
    entry: FeedEntry
    keys: list[str]
    delivery: Delivery
    raw: bool


class PageDelivery:
    def __init__(
        self,
        fetcher: Fetcher,
        raw_sink: EventSink,
        dead_sink: EventSink,
        store: StateStore,
        metrics: ConnectorMetrics,
        limits: DeliveryLimits,
        stop_event: threading.Event,
        pages: ThreadPoolExecutor,
    ) -> None:
        self.fetcher = fetcher
        self.raw_sink = raw_sink
        self.dead_sink = dead_sink
        self.store = store
        self.metrics = metrics
        self.limits = limits
        self.stop_event = stop_event
        self._pages = pages
        self.attempts: dict[str, int] = {}

    def deliver(
        self,
        spec: SourceSpec,
        entries: list[FeedEntry],
        report: DeliveryReport,
        skip_seen: bool = True,
    ) -> Delivered:
        """Produce the entries not seen before, at most max_items_per_poll of them."""
        fresh: list[tuple[FeedEntry, list[str]]] = []
        batch_urls: set[str] = set()
        for listed in entries:
            entry = replace(listed, link=clean_url(listed.link))
            canonical = canonical_url(entry.link)
            keys = [url_key(canonical), entry_key(spec.id, entry.entry_id)]
            if (
                skip_seen and self.store.is_seen(keys) and not self._changed(keys, entry)
            ) or canonical in batch_urls:
                continue
            batch_urls.add(canonical)
            fresh.append((entry, keys))
        outcome = Delivered(capped=len(fresh) > self.limits.max_items_per_poll)
        fresh = fresh[: self.limits.max_items_per_poll]
        self.metrics.discovered.labels(spec.id).inc(len(fresh))
        chunk = self.limits.page_workers
        for start in range(0, len(fresh), chunk):
            if self.stop_event.is_set():
                outcome.retry.extend(entry for entry, _ in fresh[start:])
                break
            produced, retry = self._deliver_chunk(spec, fresh[start : start + chunk], report)
            outcome.produced += produced
            outcome.retry.extend(retry)
        return outcome

    def _deliver_chunk(
        self, spec: SourceSpec, chunk: list[tuple[FeedEntry, list[str]]], report: DeliveryReport
    ) -> tuple[int, list[FeedEntry]]:
        """Fetch a chunk of pages in parallel; (pages produced, entries to try again)."""
        futures = [self._pages.submit(self._fetch_page, entry) for entry, _ in chunk]
        sent: list[_Sent] = []
        retry: list[FeedEntry] = []
        for (entry, keys), future in zip(chunk, futures, strict=True):
            result = future.result()
            if isinstance(result, Response):
                self._send_page(spec, entry, keys, result, sent, retry)
            elif isinstance(result, HostPaused | Interrupted):
                self._deferred(spec, entry, result, report, retry)
            else:
                self._page_failed(spec, entry, keys, result, report, sent, retry)
        try:
            self.raw_sink.flush()
            self.dead_sink.flush()
        except SinkError as exc:
            log.warning("source %s: %s; %d items kept for the next poll", spec.id, exc, len(sent))
            self.metrics.send_failures.labels(spec.id).inc(len(sent))
            return 0, retry + [s.entry for s in sent]
        produced = self._confirm(spec, sent, report, retry)
        self.store.flush()
        report.produced += produced
        return produced, retry

    def _send_page(
        self,
        spec: SourceSpec,
        entry: FeedEntry,
        keys: list[str],
        page: Response,
        sent: list[_Sent],
        retry: list[FeedEntry],
    ) -> None:
        try:
            sent.append(_Sent(entry, keys, self.raw_sink.send(page_event(spec, entry, page)), True))
        except EventTooLarge as exc:
            self._count_failure(spec, Failure.TOO_LARGE)
            sent.append(_Sent(entry, keys, self._dead_letter(spec, entry, exc), False))
            return
        except SinkError as exc:
            log.warning("source %s: %s; %s kept for the next poll", spec.id, exc, entry.link)
            self.metrics.send_failures.labels(spec.id).inc()
            retry.append(entry)
            return
        if page.skipped:
            self.metrics.fetch_errors.labels(spec.id, "not_html").inc()
        elif len(page.body) < MIN_PAGE_BYTES:
            self.metrics.fetch_errors.labels(spec.id, "empty").inc()
            log.warning(
                "source %s: page %s is almost empty (%d bytes)", spec.id, entry.link, len(page.body)
            )

    def _confirm(
        self, spec: SourceSpec, sent: list[_Sent], report: DeliveryReport, retry: list[FeedEntry]
    ) -> int:
        """Mark seen what the broker acknowledged; only then, so a crash can repeat, never
        lose, items. Refused as too large: dead-lettered. Any other failure: retried."""
        produced = 0
        late: list[_Sent] = []
        for item in sent:
            error = item.delivery.error()
            if error is None:
                self.store.mark_seen(item.keys, item.entry.updated)
                if item.raw:
                    produced += 1
                    self.metrics.articles.labels("fetch", "ok").inc()
                else:
                    report.dead_lettered += 1
            elif isinstance(error, EventTooLarge) and item.raw:
                self._count_failure(spec, Failure.TOO_LARGE)
                dead = self._dead_letter(spec, item.entry, error)
                late.append(_Sent(item.entry, item.keys, dead, False))
            else:
                log.warning("source %s: send of %s failed: %s", spec.id, item.entry.link, error)
                self.metrics.send_failures.labels(spec.id).inc()
                retry.append(item.entry)
        if late:
            self.dead_sink.flush()
            self._confirm(spec, late, report, retry)
        return produced

    def _deferred(
        self,
        spec: SourceSpec,
        entry: FeedEntry,
        error: NewswireError,
        report: DeliveryReport,
        retry: list[FeedEntry],
    ) -> None:
        report.deferred += 1
        retry.append(entry)

    def _page_failed(
        self,
        spec: SourceSpec,
        entry: FeedEntry,
        keys: list[str],
        error: NewswireError,
        report: DeliveryReport,
        sent: list[_Sent],
        retry: list[FeedEntry],
    ) -> None:
        """Count a failed page; after repeated failures dead-letter it and stop trying."""
        reason = failure_of(error)
        self._count_failure(spec, reason)
        report.pages_failed += 1
        if getattr(error, "retry_after_s", None):
            self.metrics.retry_after.labels(spec.id).inc()
        attempts = self.attempts.get(entry.link, 0) + 1
        self.attempts[entry.link] = attempts
        if reason.retriable and attempts < self.limits.max_page_attempts:
            log.warning(
                "source %s: page %s failed (%s), attempt %d: %s",
                spec.id,
                entry.link,
                reason,
                attempts,
                error,
            )
            retry.append(entry)
            return
        log.warning("source %s: giving up on %s (%s): %s", spec.id, entry.link, reason, error)
        self.attempts.pop(entry.link, None)
        sent.append(_Sent(entry, keys, self._dead_letter(spec, entry, error), False))

    def _dead_letter(self, spec: SourceSpec, entry: FeedEntry, error: BaseException) -> Delivery:
        """The dead letter's `failure` and `retriable` are the error's reason's."""
        self.metrics.articles.labels("fetch", "deadletter").inc()
        self.metrics.deadletters.labels("fetch", failure_of(error)).inc()
        return self.dead_sink.send(fetch_deadletter_event(spec, entry, error))

    def _count_failure(self, spec: SourceSpec, reason: Failure) -> None:
        self.metrics.fetch_errors.labels(spec.id, reason).inc()

    def _changed(self, keys: list[str], entry: FeedEntry) -> bool:
        """The source says a seen article changed since: fetch it again (a new revision)."""
        if not entry.updated:
            return False
        known = max((self.store.updated_at(key) or "" for key in keys), default="")
        return bool(known) and entry.updated > known

    def _fetch_page(self, entry: FeedEntry) -> Response | NewswireError:
        try:
            return self.fetcher.page(entry.link)
        except NewswireError as exc:
            return exc
