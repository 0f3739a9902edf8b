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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from connectors.base import FeedEntry, Parsed, SourceParser, SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import FetchFailure, Response
from connectors.politeness import HostPaused, Interrupted
from connectors.rss import RssParser
from connectors.schedule import (
    PollSignals,
    ScheduleLimits,
    backoff_interval,
    next_interval,
    signals_from_headers,
)
from connectors.sink import Delivery, EventSink, EventTooLarge, SinkError
from connectors.state import SourceState, StateStore, entry_key, url_key
from connectors.urls import canonical_url, clean_url
from connectors.web import ListingParser, SitemapParser, UrlListParser
from pipeline.errors import FeedError, FetchError, NewswireError
from pipeline.events import fetch_deadletter_event, raw_event
from pipeline.metrics import ConnectorMetrics

log = logging.getLogger(__name__)

POLL_OUTCOMES = ("modified", "not_modified", "error")
MIN_PAGE_BYTES = 512  # below this a page is counted as empty; cleaning decides its fate

# Failures trying again cannot mend: dead-lettered at once.
PERMANENT = frozenset(
    {"forbidden_address", "robots", "too_large", "bad_url", "binary_body", "too_many_redirects"}
)
SUBMIT_SOURCE = SourceSpec("submit", "submit", "newswire:submit")

PARSERS: dict[str, SourceParser] = {
    "rss": RssParser(),
    "sitemap": SitemapParser(),
    "listing": ListingParser(),
    "urls": UrlListParser(),
}


@dataclass(frozen=True)
class RunnerOptions:
    schedule: ScheduleLimits = field(default_factory=ScheduleLimits)
    page_workers: int = 8  # page fetches in flight per source being polled
    max_page_attempts: int = 3
    source_workers: int = 4  # hosts polled at the same time
    max_items_per_poll: int = 100  # new pages one poll of one source fetches; the rest wait
    max_entries: int = 1000  # entries kept from one source document (newest first)
    max_pending: int = 200  # entries kept for retry per source


@dataclass
class PollReport:
    """What a poll did, for logs and tests."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    produced: int = 0
    pages_failed: int = 0
    dead_lettered: int = 0
    deferred: int = 0

    def add(self, other: PollReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Delivered:
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


class ConnectorRunner:
    def __init__(
        self,
        specs: list[SourceSpec],
        fetcher: Fetcher,
        raw_sink: EventSink,
        dead_sink: EventSink,
        store: StateStore,
        metrics: ConnectorMetrics,
        options: RunnerOptions | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.specs = specs
        self.fetcher = fetcher
        self.raw_sink = raw_sink
        self.dead_sink = dead_sink
        self.store = store
        self.metrics = metrics
        self.options = options or RunnerOptions()
        self.clock = clock
        # The gate's event: setting it also ends every wait for a host slot or pause.
        self.stop_event = fetcher.gate.stop
        self._attempts: dict[str, int] = {}
        self._parsers = {**PARSERS, "rss": RssParser(self.options.max_entries)}
        self._lock = threading.Lock()
        self._busy: dict[str, Future[PollReport]] = {}
        self._pages = ThreadPoolExecutor(
            max_workers=self.options.page_workers * self.options.source_workers,
            thread_name_prefix="page",
        )
        self._sources = ThreadPoolExecutor(
            max_workers=self.options.source_workers, thread_name_prefix="source"
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
            self._source_failed(spec, state, exc, report)
            self._retry_pending(spec, state, pending, report)
            return report
        entries = pending + parsed.entries[: self.options.max_entries]
        outcome = self._deliver(spec, entries, report)
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

    def _retry_pending(
        self, spec: SourceSpec, state: SourceState, pending: list[FeedEntry], report: PollReport
    ) -> None:
        """The source failed, but the pages it listed before may still be fetched."""
        if not pending or self.stop_event.is_set():
            return
        outcome = self._deliver(spec, pending, report)
        if not self.stop_event.is_set():
            state.pending = [asdict(e) for e in outcome.retry[: self.options.max_pending]]
            self.store.save_source(state)
            self.store.flush()

    def _deliver(
        self, spec: SourceSpec, entries: list[FeedEntry], report: PollReport, skip_seen: bool = True
    ) -> _Delivered:
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
        outcome = _Delivered(capped=len(fresh) > self.options.max_items_per_poll)
        fresh = fresh[: self.options.max_items_per_poll]
        self.metrics.discovered.labels(spec.id).inc(len(fresh))
        chunk = self.options.page_workers
        for start in range(0, len(fresh), chunk):
            if self.stop_event.is_set():
                outcome.retry.extend(entry for entry, _ in fresh[start:])
                break
            produced, retry = self._deliver_chunk(spec, fresh[start : start + chunk], report)
            outcome.produced += produced
            outcome.retry.extend(retry)
        return outcome

    def _deliver_chunk(
        self, spec: SourceSpec, chunk: list[tuple[FeedEntry, list[str]]], report: PollReport
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
            sent.append(_Sent(entry, keys, self.raw_sink.send(raw_event(spec, entry, page)), True))
        except EventTooLarge as exc:
            self._count_failure(spec, "too_large")
            sent.append(_Sent(entry, keys, self._dead_letter(spec, entry, exc, "too_large"), False))
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
        self, spec: SourceSpec, sent: list[_Sent], report: PollReport, retry: list[FeedEntry]
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
                self._count_failure(spec, "too_large")
                dead = self._dead_letter(spec, item.entry, error, "too_large")
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
        report: PollReport,
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
        report: PollReport,
        sent: list[_Sent],
        retry: list[FeedEntry],
    ) -> None:
        """Count a failed page; after repeated failures dead-letter it and stop trying."""
        reason = failure_reason(error)
        self._count_failure(spec, reason)
        report.pages_failed += 1
        if getattr(error, "retry_after_s", None):
            self.metrics.retry_after.labels(spec.id).inc()
        attempts = self._attempts.get(entry.link, 0) + 1
        self._attempts[entry.link] = attempts
        if reason not in PERMANENT and attempts < self.options.max_page_attempts:
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
        self._attempts.pop(entry.link, None)
        sent.append(_Sent(entry, keys, self._dead_letter(spec, entry, error, reason), False))

    def _dead_letter(
        self, spec: SourceSpec, entry: FeedEntry, error: BaseException, reason: str
    ) -> Delivery:
        self.metrics.articles.labels("fetch", "deadletter").inc()
        self.metrics.deadletters.labels("fetch", reason).inc()
        if not str(error).startswith(reason):  # the dead letter's reason starts with its name
            named = FetchFailure(reason, str(error) or type(error).__name__)
            named.retriable = bool(getattr(error, "retriable", False))
            error = named
        return self.dead_sink.send(fetch_deadletter_event(spec, entry, error))

    def _count_failure(self, spec: SourceSpec, reason: str) -> None:
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
        reason = failure_reason(error)
        message = str(error)
        state.last_error = message if message.startswith(reason) else f"{reason}: {message}"
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


def failure_reason(error: NewswireError) -> str:
    """A short name for why a source failed: the fetch's own reason, else by the error's kind."""
    named = getattr(error, "reason", None)
    if isinstance(named, str) and named:
        return named
    if isinstance(error, FeedError):
        return "malformed"
    if isinstance(error, FetchError):
        return "unreachable"
    return "error"
