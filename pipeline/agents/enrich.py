"""The enrich agent: raw pages in, enriched articles or dead letters out.

CPU work runs in the process pool, in batches; here only deduplication (against Faust tables
backed by changelog topics, so it survives restarts) and producing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust

from pipeline.codec import encode
from pipeline.dedup import Decision, Deduplicator
from pipeline.metrics import PipelineMetrics, seconds_since
from pipeline.pool import ProcessingPool
from pipeline.processing import DeadLetter, Enriched
from pipeline.settings import Settings
from pipeline.topics import DEDUP_TABLES, changelog_topic

log = logging.getLogger(__name__)


def dedup_tables(app: faust.App, settings: Settings) -> Deduplicator:
    """Global tables: near-duplicates span URLs, so every worker needs the whole picture."""
    urls, sketches, index = (
        app.GlobalTable(
            name,
            partitions=settings.raw_partitions,
            use_partitioner=True,  # written from batches, so by key, not the current event
            changelog_topic=app.topic(
                changelog_topic(settings, name),
                key_serializer="json",
                value_serializer="json",
                partitions=settings.raw_partitions,
            ),
        )
        for name in DEDUP_TABLES
    )
    return Deduplicator(urls, sketches, index)


def register_enrich_agent(
    app: faust.App, settings: Settings, pool: ProcessingPool, metrics: PipelineMetrics
) -> Any:
    raw_topic = app.topic(settings.raw_topic, value_serializer="raw", key_serializer="raw")
    enriched_topic = app.topic(
        settings.enriched_topic, value_serializer="raw", key_serializer="raw"
    )
    deadletter_topic = app.topic(
        settings.deadletter_topic, value_serializer="raw", key_serializer="raw"
    )
    dedup = dedup_tables(app, settings)

    # One more instance than pool processes: while one awaits its batch, the others keep
    # every process busy. Dedup runs on the event loop, so the instances never race.
    @app.agent(raw_topic, name="enrich", concurrency=pool.size + 1)
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        async for batch in stream.take(settings.batch_size, within=settings.batch_window_s):
            for outcome in await pool.run(list(batch)):
                if isinstance(outcome, DeadLetter):
                    await deadletter_topic.send(key=outcome.key, value=outcome.value)
                    record_deadletter(metrics, outcome)
                    continue
                decision = decide(dedup, outcome)
                started = time.perf_counter()
                if decision.emit:
                    event = with_decision(outcome.event, decision)
                    await enriched_topic.send(key=event["event_id"].encode(), value=encode(event))
                record_enriched(metrics, outcome, decision, time.perf_counter() - started)

    return enrich


def decide(dedup: Deduplicator, outcome: Enriched) -> Decision:
    """Dedup is best effort: if it fails, the article still goes out, as a first revision."""
    try:
        return dedup.decide(
            outcome.canonical_url, outcome.text_hash, outcome.sketch, outcome.event["event_id"]
        )
    except Exception:
        log.exception("dedup failed for %s; emitting without dedup", outcome.event["url"])
        return Decision(True, 1, None, None)


def with_decision(event: dict[str, Any], decision: Decision) -> dict[str, Any]:
    return {
        **event,
        "revision": decision.revision,
        "previous_event_id": decision.previous_event_id,
        "duplicate_of": decision.duplicate_of,
    }


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
    metrics.articles.labels("publish", "ok").inc()
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
