"""The enrich agent: raw pages in, enriched articles or dead letters out.

CPU work runs in the process pool, in batches; here only deduplication (against Faust tables
backed by changelog topics, so it survives restarts; on the embedded broker, which forgets the
changelog, also kept in a local file) and producing. A raw event counts as done
(for the commit gate and the dedup table) only once the broker acknowledged what it produced.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

import faust

from pipeline.core.metrics import PipelineMetrics
from pipeline.core.settings import Settings
from pipeline.kafka.commit_gate import CommitGate
from pipeline.kafka.topics import DEDUP_TABLE, changelog_topic
from pipeline.worker.dedup import Decision, Deduplicator, Entry
from pipeline.worker.dedup_file import DedupFile
from pipeline.worker.pool import ProcessingPool
from pipeline.worker.processing import DeadLetter, Enriched, Outcome
from pipeline.worker.publish import (
    Publisher,
    encoded,
    propose,
    record_deadletter,
    record_enriched,
    record_routes,
)
from pipeline.worker.routing import Route
from pipeline.worker.stories import register_story_agent

log = logging.getLogger(__name__)
TRIM_INTERVAL_S = 5.0


def dedup_state(app: faust.App, settings: Settings) -> Deduplicator:
    """A global table: near-duplicates span URLs, so every worker needs the whole picture.

    Every changelog record (recovery, other workers, this worker's own writes read back) goes
    through `observe`, which keeps the in-memory near-duplicate index; a timer trims the table
    to its capacity, also after a recovery that read more than that. With a dedup file, every
    confirmed entry is kept in it too, and the first recovery puts back what the changelog
    lacked (all of it on a new embedded broker) before any record is decided.
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
    path, capacity = settings.worker.dedup_file, settings.worker.dedup_capacity
    kept = DedupFile(path, capacity) if path is not None else None
    dedup = Deduplicator(
        table,
        capacity,
        forget=lambda url: forget_locally(table, url),
        remember=kept.remember if kept is not None else None,
    )
    observers.append(dedup)
    if kept is not None:
        table.on_recover(lambda: restore_kept(kept, dedup, table))

    @app.timer(interval=TRIM_INTERVAL_S)
    async def trim_dedup() -> None:
        dedup.trim()
        if kept is not None:
            kept.sync()

    return dedup


async def restore_kept(kept: DedupFile, dedup: Deduplicator, table: Any) -> None:
    """After a recovery (the first only: `take` gives the file's entries once), before the
    streams resume."""
    entries = kept.take()
    if not entries:
        return
    try:  # Faust drops a recover callback's exception without a word
        restored = dedup.restore(entries, lambda url, entry: put_locally(table, url, entry))
    except Exception:
        log.exception("dedup: the entries of %s were not put back", kept.path)
        return
    log.info("dedup: %d of %d entries put back from %s", restored, len(entries), kept.path)


def forget_locally(table: Any, url: str) -> None:
    """Drop a key from this worker's copy of a table, without a tombstone in the changelog.

    Reaches into Faust's in-memory store (pinned faust-streaming 0.15.3; a unit test fails if
    its layout changes): `data` holds the values, `_key_partition` each key's partition.
    """
    store = table.data
    store.data.pop(url, None)
    store._key_partition.pop(url, None)


def put_locally(table: Any, url: str, entry: Entry) -> None:
    """Set a key in this worker's copy of a table, without a changelog record (the same pinned
    store layout as `forget_locally`). No partition is recorded for it, so the memory store's
    clean-up after a later recovery (keys of partitions not assigned) leaves it alone."""
    table.data.data[url] = entry


@dataclass
class Sent:
    """One outcome handed to the producer: its deliveries, and the dedup decision it carries."""

    outcome: Outcome
    deliveries: list[Awaitable[Any]] = field(default_factory=list)
    decision: Decision | None = None
    records: list[Route] = field(default_factory=list)


def register_enrich_agent(
    app: faust.App,
    settings: Settings,
    pool: ProcessingPool,
    metrics: PipelineMetrics,
    gate: CommitGate | None = None,
    progress: Callable[[], None] = lambda: None,
    fatal: Callable[[str], None] | None = None,
) -> Any:
    """The agent; `progress` is called after each published part, `fatal` with one line when
    the broker does not take what was produced (the worker must stop: nothing past that
    record may be committed, and a restart reads it again)."""
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
        batches = cast(faust.Stream[bytes], stream).take_events  # StreamT does not declare it
        async for events in batches(
            settings.worker.batch_size, within=settings.worker.batch_window_s
        ):
            async for positions, outcomes in pool.run_spread([e.value for e in events]):
                try:
                    await publish_part([events[i] for i in positions], outcomes)
                except Exception as exc:
                    if fatal is None:
                        raise
                    fatal(f"could not publish to the broker: {exc!r}")
                    return

    async def publish_part(events: list[faust.EventT[bytes]], outcomes: list[Outcome]) -> None:
        """Produce a part's outcomes and wait until the broker has them all; only then tell
        the dedup table and the commit gate, so nothing unpublished is remembered or committed."""
        started = time.perf_counter()
        sent = [await send(outcome) for outcome in outcomes]
        try:
            await asyncio.gather(*(d for s in sent for d in s.deliveries))
        except Exception:
            for item in sent:
                if isinstance(item.outcome, Enriched) and item.decision and item.decision.emit:
                    dedup.withdraw(item.outcome.canonical_url)
            raise
        publish_s = (time.perf_counter() - started) / max(1, len(sent))
        for item in sent:
            count(item, publish_s)
        if gate is not None:
            for event in events:
                gate.publish(event.message.topic, event.message.partition, event.message.offset)
        progress()

    def count(item: Sent, publish_s: float) -> None:
        if isinstance(item.outcome, DeadLetter):
            record_deadletter(metrics, item.outcome)
        elif item.decision is not None:
            if item.decision.emit:
                dedup.confirm(item.outcome.canonical_url)
            record_enriched(metrics, item.outcome, item.decision, publish_s)
            record_routes(metrics, item.records)

    async def send(outcome: Outcome) -> Sent:
        if isinstance(outcome, DeadLetter):
            delivery = await deadletter_topic.send(key=outcome.key, value=outcome.value)
            return Sent(outcome, [delivery])
        # decided by the story's owner (pipeline/worker/stories.py); the raw record is done
        # once the story record is on the broker
        return Sent(outcome, [await to_story(outcome)])

    async def publish_decided(event: faust.EventT[bytes], outcome: Enriched) -> None:
        """The owner's step: decide, produce, wait for the broker, then remember and commit."""
        started = time.perf_counter()
        decision = propose(dedup, outcome)
        records = publisher.records(outcome, decision)
        deliveries = [
            await outbound[route.topic].send(key=route.key, value=payload)
            for route, payload in encoded(records)
        ]
        try:
            await asyncio.gather(*deliveries)
        except Exception:
            if decision.emit:
                dedup.withdraw(outcome.canonical_url)
            raise
        count(Sent(outcome, deliveries, decision, records), time.perf_counter() - started)
        if gate is not None:
            gate.publish(event.message.topic, event.message.partition, event.message.offset)
        progress()

    to_story = register_story_agent(app, settings, publish_decided, fatal)
    return enrich
