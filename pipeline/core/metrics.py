"""Prometheus metrics, created as bundles on an injectable registry (a fresh one per test).

Names follow Prometheus conventions (`_total` counters, `_seconds` histograms, base units);
labels come only from small fixed sets: stage, outcome, reason (error kinds and classes),
source id, topic id, partition, and a bounded company watchlist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import start_http_server as _start_http_server

from pipeline.core.clock import utc_now
from pipeline.core.errors import PortInUse
from pipeline.core.settings import env_name

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
FRESHNESS_BUCKETS = (30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400, 604800)
STAGES = ("fetch", "clean", "tag", "publish")
OTHER_COMPANY = "other"
# The worker's (stage, outcome) series, created at zero when it starts: an alert on "nothing
# published for 30 minutes" then fires also for a worker that has published nothing yet.
WORKER_SERIES = (
    ("clean", "ok"),
    ("clean", "partial"),
    ("clean", "deadletter"),
    ("tag", "ok"),
    ("tag", "deadletter"),
    ("publish", "ok"),
    ("publish", "duplicate"),
)


def _articles(registry: CollectorRegistry) -> Counter:
    return Counter(
        "newswire_articles",
        "Articles by stage (fetch, clean, tag, publish) and "
        "outcome (ok, retag, duplicate, partial, deadletter, demoted)",
        ["stage", "outcome"],
        registry=registry,
    )


def _deadletters(registry: CollectorRegistry) -> Counter:
    return Counter(
        "newswire_deadletters",
        "Dead letters by stage and reason",
        ["stage", "reason"],
        registry=registry,
    )


def _stage_seconds(registry: CollectorRegistry) -> Histogram:
    return Histogram(
        "newswire_stage_seconds",
        "Time spent per article and stage",
        ["stage"],
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )


@dataclass(frozen=True)
class PipelineMetrics:
    """The worker's metrics."""

    articles: Counter
    stage_seconds: Histogram
    deadletters: Counter
    end_to_end_seconds: Histogram
    freshness_seconds: Histogram
    topic_articles: Counter
    company_mentions: Counter
    consumer_lag: Gauge
    routed: Counter
    last_published: Gauge
    stalled_seconds: Gauge
    watchlist: frozenset[str]

    @classmethod
    def create(
        cls, registry: CollectorRegistry = REGISTRY, watchlist: frozenset[str] = frozenset()
    ) -> PipelineMetrics:
        return cls(
            articles=_articles(registry),
            stage_seconds=_stage_seconds(registry),
            deadletters=_deadletters(registry),
            end_to_end_seconds=Histogram(
                "newswire_end_to_end_seconds",
                "Page fetched to enriched event produced",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            freshness_seconds=Histogram(
                "newswire_freshness_seconds",
                "Article publish time to enriched event produced",
                buckets=FRESHNESS_BUCKETS,
                registry=registry,
            ),
            topic_articles=Counter(
                "newswire_topic_articles",
                "Enriched articles per topic",
                ["topic"],
                registry=registry,
            ),
            company_mentions=Counter(
                "newswire_company_articles",
                "Enriched articles naming a company of the watchlist (others: 'other')",
                ["company"],
                registry=registry,
            ),
            consumer_lag=Gauge(
                "newswire_consumer_lag",
                "Raw events not yet processed by the worker's group",
                ["topic", "partition"],
                registry=registry,
            ),
            routed=Counter(
                "newswire_routed_records",
                "Records sent to the routing topics, by kind (company: news.company.v1, "
                "topic: news.topic.*.v1)",
                ["kind"],
                registry=registry,
            ),
            last_published=Gauge(
                "newswire_worker_last_published_timestamp_seconds",
                "When the worker last finished publishing raw events (0: not yet)",
                registry=registry,
            ),
            stalled_seconds=Gauge(
                "newswire_worker_stalled_seconds",
                "Seconds without a published raw event while the group has lag (0: no lag)",
                registry=registry,
            ),
            watchlist=watchlist,
        )

    def create_series(self) -> None:
        """Every worker series at zero (WORKER_SERIES, and the stage times) from the start."""
        for stage, outcome in WORKER_SERIES:
            self.articles.labels(stage, outcome)
        for stage in {stage for stage, _ in WORKER_SERIES}:
            self.stage_seconds.labels(stage)

    def company_label(self, company_id: str) -> str:
        return company_id if company_id in self.watchlist else OTHER_COMPANY


@dataclass(frozen=True)
class ConnectorMetrics:
    """The connectors' metrics."""

    polls: Counter
    last_success: Gauge
    consecutive_errors: Gauge
    discovered: Counter
    fetch_seconds: Histogram
    fetch_bytes: Counter
    fetch_errors: Counter
    articles: Counter
    deadletters: Counter
    retry_after: Counter
    send_failures: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry = REGISTRY) -> ConnectorMetrics:
        return cls(
            polls=Counter(
                "newswire_feed_polls",
                "Source polls by outcome (modified, not_modified, error)",
                ["source", "outcome"],
                registry=registry,
            ),
            last_success=Gauge(
                "newswire_feed_last_success_timestamp_seconds",
                "Time of the last successful poll",
                ["source"],
                registry=registry,
            ),
            consecutive_errors=Gauge(
                "newswire_feed_consecutive_errors",
                "Failed polls in a row (0 after a success)",
                ["source"],
                registry=registry,
            ),
            discovered=Counter(
                "newswire_items_discovered",
                "New items found in sources",
                ["source"],
                registry=registry,
            ),
            fetch_seconds=Histogram(
                "newswire_fetch_seconds",
                "HTTP fetch duration",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            fetch_bytes=Counter(
                "newswire_fetch_bytes", "Bytes fetched over HTTP", registry=registry
            ),
            fetch_errors=Counter(
                "newswire_fetch_errors",
                "Failed or refused page fetches by source and reason",
                ["source", "reason"],
                registry=registry,
            ),
            articles=_articles(registry),
            deadletters=_deadletters(registry),
            retry_after=Counter(
                "newswire_connector_retry_after",
                "Retry-After answers (429, 503) that paused a host, by source",
                ["source"],
                registry=registry,
            ),
            send_failures=Counter(
                "newswire_connector_send_failures",
                "Events the broker did not acknowledge (kept for the next poll), by source",
                ["source"],
                registry=registry,
            ),
        )


def seconds_since(iso_time: str | None) -> float | None:
    """Seconds from an ISO 8601 time until now, or None when the time is missing or invalid."""
    if not iso_time:
        return None
    try:
        moment = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return (utc_now() - moment).total_seconds()


def serve_metrics(
    port: int, host: str = "127.0.0.1", registry: CollectorRegistry = REGISTRY
) -> None:
    """Serve /metrics; port 0 turns it off."""
    if port <= 0:
        return
    try:
        _start_http_server(port, addr=host, registry=registry)
    except OSError as exc:
        raise PortInUse("the metrics server", host, port, env_name("metrics_port"), exc) from exc
    log.info("metrics on http://%s:%d/metrics", host, port)
