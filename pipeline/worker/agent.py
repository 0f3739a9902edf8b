"""The enrich agent: raw pages in, enriched articles or dead letters out.

CPU work runs in the process pool, in batches; here only deduplication (against Faust tables
backed by changelog topics, so it survives restarts) and producing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust

from pipeline.core.metrics import PipelineMetrics
from pipeline.core.settings import Settings
from pipeline.kafka.topics import DEDUP_TABLE, changelog_topic
from pipeline.worker.dedup import Deduplicator
from pipeline.worker.pool import ProcessingPool
from pipeline.worker.processing import DeadLetter, Enriched, Outcome
from pipeline.worker.publish import (
    Publisher,
    decide,
    encoded,
    record_deadletter,
    record_enriched,
    record_routes,
)
from pipeline.worker.stories import register_story_agent

log = logging.getLogger(__name__)
TRIM_INTERVAL_S = 5.0


def dedup_state(app: faust.App, settings: Settings) -> Deduplicator:
    """A global table: near-duplicates span URLs, so every worker needs the whole picture.

    Every changelog record (recovery, other workers, this worker's own writes read back) goes
    through `observe`, which keeps the in-memory near-duplicate index; a timer trims the table
    to its capacity, also after a recovery that read more than that.
    """
    observers: list[Deduplicator] = []

    async def on_changelog_event(event: faust.EventT[Any]) -> None:
        if observers and isinstance(event.key, str):
            observers[0].observe(event.key, event.value)

    table = app.GlobalTable(
        DEDUP_TABLE,
        partitions=settings.topics.raw_partitions,
        use_partitioner=True,  # written from batches, so by key, not the current event
        on_changelog_event=on_changelog_event,
        changelog_topic=app.topic(
            changelog_topic(settings, DEDUP_TABLE),
            key_serializer="json",
            value_serializer="json",
            partitions=settings.topics.raw_partitions,
            acks=False,  # as Faust's own changelogs: no stream reads it, so no stalled-stream alarm
        ),
    )
    dedup = Deduplicator(
        table, settings.worker.dedup_capacity, forget=lambda url: forget_locally(table, url)
    )
    observers.append(dedup)

    @app.timer(interval=TRIM_INTERVAL_S)
    async def trim_dedup() -> None:
        dedup.trim()

    return dedup


def forget_locally(table: Any, url: str) -> None:
    """Drop a key from this worker's copy of a table, without a tombstone in the changelog.

    Reaches into Faust's in-memory store (pinned faust-streaming 0.15.3; a unit test fails if
    its layout changes): `data` holds the values, `_key_partition` each key's partition.
    """
    store = table.data
    store.data.pop(url, None)
    store._key_partition.pop(url, None)


def register_enrich_agent(
    app: faust.App, settings: Settings, pool: ProcessingPool, metrics: PipelineMetrics
) -> Any:
    raw_topic = app.topic(settings.topics.raw_topic, value_serializer="raw", key_serializer="raw")
    publisher = Publisher.of(settings)
    outbound = {
        name: app.topic(name, value_serializer="raw", key_serializer="raw")
        for name in publisher.topic_names()
    }
    deadletter_topic = app.topic(
        settings.topics.deadletter_topic, value_serializer="raw", key_serializer="raw"
    )
    dedup = dedup_state(app, settings)

    # One more instance than pool processes: while one awaits its batch, the others keep
    # every process busy. Dedup runs on the event loop, so the instances never race.
    @app.agent(raw_topic, name="enrich", concurrency=pool.size + 1)
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        async for batch in stream.take(
            settings.worker.batch_size, within=settings.worker.batch_window_s
        ):
            async for outcomes in pool.run_spread(list(batch)):
                for outcome in outcomes:
                    await publish(outcome)

    async def publish(outcome: Outcome) -> None:
        if isinstance(outcome, DeadLetter):
            await deadletter_topic.send(key=outcome.key, value=outcome.value)
            record_deadletter(metrics, outcome)
            return
        await route(outcome)  # decided by the story's owner: pipeline/worker/stories.py

    async def publish_decided(outcome: Enriched) -> None:
        decision = decide(dedup, outcome)
        started = time.perf_counter()
        records = publisher.records(outcome, decision)
        for route, payload in encoded(records):
            await outbound[route.topic].send(key=route.key, value=payload)
        record_enriched(metrics, outcome, decision, time.perf_counter() - started)
        record_routes(metrics, records)

    route = register_story_agent(app, settings, publish_decided)
    return enrich
