"""The publish step, shared by the worker's agent and by replay: what an article becomes on
the wire after deduplication (the enriched event, then its routes), and how it is counted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pipeline.core.codec import encode
from pipeline.core.metrics import PipelineMetrics, seconds_since
from pipeline.core.settings import Settings
from pipeline.worker.dedup import Decision, Deduplicator
from pipeline.worker.processing import DeadLetter, Enriched
from pipeline.worker.routing import Route, Router

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publisher:
    enriched_topic: str
    router: Router | None

    @classmethod
    def of(cls, settings: Settings) -> Publisher:
        return cls(settings.topics.enriched_topic, Router.of(settings))

    def topic_names(self) -> list[str]:
        """Every topic `records` may name (the Faust app needs them up front)."""
        return [self.enriched_topic, *(self.router.topic_names() if self.router else [])]

    def records(self, outcome: Enriched, decision: Decision) -> list[Route]:
        """Nothing for a duplicate; else the enriched event first, then its routes; then, if
        the article demotes an earlier original, the corrected events (that original, its
        copies) and their routes."""
        if not decision.emit:
            return []
        events = [with_decision(outcome.event, decision), *decision.corrections]
        return [route for event in events for route in self._routes(event)]

    def _routes(self, event: dict[str, Any]) -> list[Route]:
        first = Route(self.enriched_topic, event["event_id"].encode(), event, "enriched")
        return [first, *(self.router.routes(event) if self.router else [])]


def decide(dedup: Deduplicator, outcome: Enriched) -> Decision:
    """Decide and write the table at once (replay: it publishes before the next decision)."""
    decision = propose(dedup, outcome)
    if decision.emit:
        dedup.confirm(outcome.canonical_url)
    return decision


def propose(dedup: Deduplicator, outcome: Enriched) -> Decision:
    """Dedup is best effort: if it fails, the article still goes out, as a first revision.
    The table is written by `dedup.confirm` once the article is published (the agent)."""
    try:
        return dedup.propose(
            outcome.canonical_url,
            outcome.text_hash,
            outcome.sketch,
            outcome.event["event_id"],
            outcome.versions,
            first_seen=str(outcome.event.get("fetched_at") or ""),
            event=outcome.event,
        )
    except Exception:
        log.exception("dedup failed for %s; emitting without dedup", outcome.event["url"])
        return Decision(True, 1, None, None)


def with_decision(event: dict[str, Any], decision: Decision) -> dict[str, Any]:
    return decision.apply(event)


def record_deadletter(metrics: PipelineMetrics, outcome: DeadLetter) -> None:
    metrics.articles.labels(outcome.stage, "deadletter").inc()
    metrics.deadletters.labels(outcome.stage, outcome.reason).inc()
    log.warning("dead letter at stage %s: %s", outcome.stage, outcome.reason)


def record_enriched(
    metrics: PipelineMetrics, outcome: Enriched, decision: Decision, publish_s: float = 0.0
) -> None:
    """Count one article: stage outcomes and times, topics, companies, latency, freshness."""
    for stage, seconds in (("clean", outcome.clean_s), ("tag", outcome.tag_s)):
        metrics.articles.labels(stage, "ok").inc()
        metrics.stage_seconds.labels(stage).observe(seconds)
    if outcome.event.get("partial"):
        metrics.articles.labels("clean", "partial").inc()
    if not decision.emit:
        metrics.articles.labels("publish", "duplicate").inc()
        return
    metrics.articles.labels("publish", "retag" if decision.supersedes else "ok").inc()
    if decision.corrections:
        metrics.articles.labels("publish", "demoted").inc(len(decision.corrections))
    metrics.stage_seconds.labels("publish").observe(publish_s)
    for topic in outcome.event.get("topics", []):
        metrics.topic_articles.labels(topic["id"]).inc()
    for company in {metrics.company_label(c["id"]) for c in outcome.event.get("companies", [])}:
        metrics.company_mentions.labels(company).inc()
    for histogram, since in (
        (metrics.end_to_end_seconds, outcome.event.get("fetched_at")),
        (metrics.freshness_seconds, outcome.event.get("published")),
    ):
        elapsed = seconds_since(since)
        if elapsed is not None and elapsed >= 0:
            histogram.observe(elapsed)


def encoded(records: list[Route]) -> list[tuple[Route, bytes]]:
    """Each record with its bytes; the enriched event, sent once per topic, is encoded once."""
    done: dict[int, bytes] = {}
    for route in records:
        if id(route.value) not in done:
            done[id(route.value)] = encode(route.value)
    return [(route, done[id(route.value)]) for route in records]


def record_routes(metrics: PipelineMetrics, records: list[Route]) -> None:
    """Records sent to the routing topics, by kind (company, topic)."""
    for route in records:
        if route.kind != "enriched":
            metrics.routed.labels(route.kind).inc()
