"""The enrich agent: raw pages in, enriched articles or dead letters out."""

from __future__ import annotations

import logging
from typing import Any

import faust

from pipeline.metrics import PipelineMetrics, seconds_since
from pipeline.pool import ProcessingPool
from pipeline.processing import ENRICHED, Outcome
from pipeline.settings import Settings

log = logging.getLogger(__name__)


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

    @app.agent(raw_topic, name="enrich")
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        async for batch in stream.take(settings.batch_size, within=settings.batch_window_s):
            outcomes = await pool.run(list(batch))
            for outcome in outcomes:
                target = enriched_topic if outcome.kind == ENRICHED else deadletter_topic
                await target.send(key=outcome.key, value=outcome.value)
                record(metrics, outcome)

    return enrich


def record(metrics: PipelineMetrics, outcome: Outcome) -> None:
    """Count one outcome: stages, dead letters, latency and freshness."""
    if outcome.kind != ENRICHED:
        metrics.articles.labels(outcome.stage, "deadletter").inc()
        metrics.deadletters.labels(outcome.stage, outcome.reason or "unknown").inc()
        log.warning("dead letter at stage %s: %s", outcome.stage, outcome.reason)
        return
    for stage, seconds in (("clean", outcome.clean_s), ("tag", outcome.tag_s)):
        metrics.articles.labels(stage, "ok").inc()
        metrics.stage_seconds.labels(stage).observe(seconds)
    metrics.articles.labels("publish", "ok").inc()
    for topic in outcome.topics:
        metrics.topic_articles.labels(topic).inc()
    for histogram, since in (
        (metrics.end_to_end_seconds, outcome.fetched_at),
        (metrics.freshness_seconds, outcome.published),
    ):
        seconds = seconds_since(since)
        if seconds is not None and seconds >= 0:
            histogram.observe(seconds)
