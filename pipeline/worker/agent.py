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
from pipeline.worker.dedup import Decision
from pipeline.worker.dedup_table import dedup_state
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
