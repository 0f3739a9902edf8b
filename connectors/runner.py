"""Polls the catalogue's sources when they are due and produces each new article page once.

For every kind of source the same steps: a conditional request for the source document, its
kind's parser, dedup against durable state, polite page fetches in parallel across hosts, raw
events produced and flushed before the state that marks them seen, and the next poll scheduled
from the source's own signals. Failures are counted and logged, never silent; a page that keeps
failing ends in the dead-letter topic.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from connectors.base import FeedEntry, Parsed, SourceParser, SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import Response
from connectors.raw import fetch_deadletter_event, page_event
from connectors.rss import RssParser
from connectors.schedule import (
    PollSignals,
    ScheduleLimits,
    backoff_interval,
    next_interval,
    signals_from_headers,
)
from connectors.sink import EventSink
from connectors.state import SourceState, StateStore, entry_key, url_key
from connectors.web import ListingParser, SitemapParser, UrlListParser
from pipeline.core.errors import FeedError, FetchError, NewswireError, failure_of
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.urls import canonical_url

log = logging.getLogger(__name__)

POLL_OUTCOMES = ("modified", "not_modified", "error")
MIN_PAGE_BYTES = 512  # below this a page is counted as empty; cleaning decides its fate

PARSERS: dict[str, SourceParser] = {
    "rss": RssParser(),
    "sitemap": SitemapParser(),
    "listing": ListingParser(),
    "urls": UrlListParser(),
}


@dataclass(frozen=True)
class RunnerOptions:
    schedule: ScheduleLimits
    page_workers: int
    max_page_attempts: int = 3


@dataclass
class PollReport:
    """What a poll did, for logs and tests."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    produced: int = 0
    pages_failed: int = 0
    dead_lettered: int = 0

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
        self.stop_event = threading.Event()
        self.heartbeat: Callable[[], None] = _alive  # called per source polled and per cycle
        self._attempts: dict[str, int] = {}
        self._pages = ThreadPoolExecutor(
            max_workers=self.options.page_workers, thread_name_prefix="page"
        )
        for spec in specs:  # every series exists from the start, so rates and alerts work
            for outcome in POLL_OUTCOMES:
                metrics.polls.labels(spec.id, outcome)
            metrics.consecutive_errors.labels(spec.id).set(0)
            metrics.discovered.labels(spec.id)

    def poll_due(self, force: bool = False) -> PollReport:
        """Poll every source whose time has come (every source with `force`)."""
        self.store.catch_up()
        report = PollReport()
        for spec in self.specs:
            self.heartbeat()
            if self.stop_event.is_set():
                break
            if force or self.store.source(spec.id).next_poll_at <= self.clock():
                report.add(self.poll_source(spec))
        return report

    def run_forever(self) -> None:
        while not self.stop_event.is_set():
            self.heartbeat()
            self.poll_due()
            self.stop_event.wait(self._seconds_to_next_poll())

    def close(self) -> None:
        self._pages.shutdown(wait=True, cancel_futures=True)

    def poll_source(self, spec: SourceSpec) -> PollReport:
        report = PollReport(polled=1)
        state = self.store.source(spec.id)
        state.polls += 1
        parser = PARSERS[spec.kind]
        try:
            document = self.fetcher.get(
                spec.url, parser.accept_types, state.etag, state.last_modified
            )
            if document.not_modified:
                self._not_modified(spec, state, document, report)
                return report
            parsed = self._parse_all(spec, parser, document)
        except (FetchError, FeedError) as exc:
            self._source_failed(spec, state, exc, report)
            return report
        produced, complete = self._deliver(spec, parsed.entries, report)
        if self.stop_event.is_set():
            return report  # interrupted: keep the old state, so the next poll picks up the rest
        # Validators only when every new entry was handled: otherwise a 304 would hide the
        # entries whose pages failed, and they would never be fetched.
        state.etag = document.headers.get("etag") if complete else None
        state.last_modified = document.headers.get("last-modified") if complete else None
        signals = signals_from_headers(document.headers, parsed.ttl_minutes)
        self._succeeded(spec, state, changed=produced > 0, signals=signals)
        self.metrics.polls.labels(spec.id, "modified").inc()
        return report

    def submit(self, spec: SourceSpec, urls: list[str], force: bool = False) -> PollReport:
        """Fetch and produce single URLs now (backfills, tests); seen URLs are skipped."""
        self.store.catch_up()
        entries = [FeedEntry(spec.id, canonical_url(u), u) for u in urls]
        if force:
            self._attempts.clear()
        report = PollReport(polled=1)
        self._deliver(spec, entries, report, skip_seen=not force)
        return report

    def _parse_all(self, spec: SourceSpec, parser: SourceParser, document: Response) -> Parsed:
        parsed = parser.parse(spec, document)
        entries = list(parsed.entries)
        for child_url in parsed.follow:
            child = self.fetcher.get(child_url, parser.accept_types)
            entries.extend(parser.parse(spec, child).entries)
        return Parsed(entries, parsed.ttl_minutes)

    def _deliver(
        self, spec: SourceSpec, entries: list[FeedEntry], report: PollReport, skip_seen: bool = True
    ) -> tuple[int, bool]:
        """Produce the entries not seen before. Returns how many pages were produced, and
        whether every new entry was handled (produced, or given up on and dead-lettered)."""
        fresh: list[tuple[FeedEntry, list[str]]] = []
        batch_urls: set[str] = set()
        for entry in entries:
            canonical = canonical_url(entry.link)
            keys = [url_key(canonical), entry_key(spec.id, entry.entry_id)]
            if (
                skip_seen and self.store.is_seen(keys) and not self._changed(keys, entry)
            ) or canonical in batch_urls:
                continue
            batch_urls.add(canonical)
            fresh.append((entry, keys))
        self.metrics.discovered.labels(spec.id).inc(len(fresh))
        produced = handled = 0
        chunk = self.options.page_workers * 2
        for start in range(0, len(fresh), chunk):
            if self.stop_event.is_set():
                break
            done, finished = self._deliver_chunk(spec, fresh[start : start + chunk], report)
            produced += done
            handled += finished
        return produced, handled == len(fresh)

    def _deliver_chunk(
        self, spec: SourceSpec, chunk: list[tuple[FeedEntry, list[str]]], report: PollReport
    ) -> tuple[int, int]:
        """Fetch a chunk of pages in parallel; (pages produced, entries handled)."""
        futures = [self._pages.submit(self._fetch_page, entry) for entry, _ in chunk]
        seen: list[tuple[list[str], str | None]] = []
        produced = handled = 0
        for (entry, keys), future in zip(chunk, futures, strict=True):
            result = future.result()
            if isinstance(result, Response):
                self.raw_sink.send(page_event(spec, entry, result))
                seen.append((keys, entry.updated))
                self.metrics.articles.labels("fetch", "ok").inc()
                produced += 1
                handled += 1
                if result.skipped:
                    self.metrics.fetch_errors.labels(spec.id, "not_html").inc()
                elif len(result.body) < MIN_PAGE_BYTES:
                    self.metrics.fetch_errors.labels(spec.id, "empty").inc()
                    log.warning(
                        "source %s: page %s is almost empty (%d bytes)",
                        spec.id,
                        entry.link,
                        len(result.body),
                    )
            elif self._give_up(spec, entry, result, report):
                seen.append((keys, entry.updated))
                handled += 1
        self.raw_sink.flush()
        self.dead_sink.flush()
        # Only after the raw events are acknowledged: so a crash can repeat, never lose, items.
        for keys, updated in seen:
            self.store.mark_seen(keys, updated)
        self.store.flush()
        report.produced += produced
        return produced, handled

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

    def _give_up(
        self, spec: SourceSpec, entry: FeedEntry, error: NewswireError, report: PollReport
    ) -> bool:
        """Count a failed page; after repeated failures dead-letter it and stop trying."""
        reason = failure_of(error)
        self.metrics.fetch_errors.labels(spec.id, reason).inc()
        report.pages_failed += 1
        attempts = self._attempts.get(entry.link, 0) + 1
        self._attempts[entry.link] = attempts
        if reason.retriable and attempts < self.options.max_page_attempts:
            log.warning(
                "source %s: page %s failed (%s), attempt %d: %s",
                spec.id,
                entry.link,
                reason,
                attempts,
                error,
            )
            return False
        log.warning("source %s: giving up on %s (%s): %s", spec.id, entry.link, reason, error)
        self.dead_sink.send(fetch_deadletter_event(spec, entry, error))
        self.metrics.articles.labels("fetch", "deadletter").inc()
        self.metrics.deadletters.labels("fetch", reason).inc()
        self._attempts.pop(entry.link, None)
        report.dead_lettered += 1
        return True

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
        upcoming = [self.store.source(s.id).next_poll_at for s in self.specs]
        wait = min(upcoming, default=self.clock() + 60) - self.clock()
        return min(max(wait, 0.5), 60.0)


def _alive() -> None:
    """The default heartbeat: nobody listens."""
