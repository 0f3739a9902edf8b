"""`newswire replay`: clean and tag the fetched pages of news.raw.v1 again, under the current
tagger versions.

It runs apart from the live worker: its own process, its own process pool, its own consumer
group (`<app id>-replay`, where it commits its progress), so the worker's group, offsets and
partitions are untouched and live traffic goes on. It reads every partition of news.raw.v1
from the start to where it ended when the replay began, keeps the pages of the window (fetched
between --since and --until, from --source), and runs them through the worker's processing
and publish step against the worker's dedup table, read from its changelog and written back
to it, so the worker sees the re-tags too. An article whose latest text was tagged under other
versions goes out with a new event_id and `supersedes`; one tagged under these versions
already is not sent again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from faust.serializers import codecs
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from prometheus_client import CollectorRegistry

from pipeline.core.codec import decode
from pipeline.core.metrics import PipelineMetrics
from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.offsets import confirmed_end_offsets
from pipeline.kafka.topics import DEDUP_TABLE, changelog_topic
from pipeline.worker.dedup import Deduplicator
from pipeline.worker.pool import ProcessingPool
from pipeline.worker.processing import DeadLetter, Enriched, Outcome
from pipeline.worker.publish import Publisher, decide, encoded, record_enriched

log = logging.getLogger(__name__)
POLL_MS = 500
STALL_S = 30.0


def replay_group(settings: Settings) -> str:
    return f"{settings.worker.app_id}-replay"


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """Which fetched pages to replay: fetched in [since, until), from one source."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None

    def wants(self, raw: Mapping[str, Any]) -> bool:
        source = raw.get("source")
        if self.source and not (isinstance(source, dict) and source.get("id") == self.source):
            return False
        if self.since is None and self.until is None:
            return True
        fetch = raw.get("fetch")
        fetched = parse_time(fetch.get("fetched_at") if isinstance(fetch, dict) else None)
        if fetched is None:
            return False
        return (self.since is None or fetched >= self.since) and (
            self.until is None or fetched < self.until
        )


@dataclass
class Progress:
    total: int
    read: int = 0
    selected: int = 0
    retagged: int = 0
    new: int = 0
    unchanged: int = 0
    deadletters: int = 0
    started: float = field(default_factory=time.monotonic)

    def count(self, outcome: Outcome, emitted: bool, retag: bool) -> None:
        if isinstance(outcome, DeadLetter):
            self.deadletters += 1
        elif retag:
            self.retagged += 1
        elif emitted:
            self.new += 1
        else:
            self.unchanged += 1

    def line(self) -> str:
        share = 100.0 * self.read / self.total if self.total else 100.0
        return (
            f"replay: {self.read}/{self.total} raw events read ({share:.0f}%), "
            f"{self.selected} in the window: {self.retagged} re-tagged, {self.new} new, "
            f"{self.unchanged} unchanged, {self.deadletters} dead letters; "
            f"{time.monotonic() - self.started:.1f} s"
        )


class ChangelogTable(MutableMapping[str, Any]):
    """The worker's dedup table as replay sees it: what its changelog held when replay began,
    and every write sent back to the changelog as Faust writes it (JSON key and value, the
    producer's partitioner), so the worker's global table takes it in."""

    def __init__(self, entries: dict[str, Any], producer: KafkaProducer, topic: str) -> None:
        self.entries = entries
        self.producer = producer
        self.topic = topic

    def __getitem__(self, key: str) -> Any:
        return self.entries[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.producer.send(self.topic, key=changelog_bytes(key), value=changelog_bytes(value))

    def __delitem__(self, key: str) -> None:
        del self.entries[key]  # forgetting is local, as in the worker

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def changelog_bytes(value: Any) -> bytes:
    """As the worker's table writes it (Faust's `json` codec), so compaction keeps one record
    per URL whoever wrote it."""
    data: bytes = codecs.dumps("json", value)
    return data


def partitions_of(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


def read_to_end(consumer: KafkaConsumer, ends: Mapping[TopicPartition, int]) -> Iterator[list[Any]]:
    """Batches of records of the assigned partitions, up to the given end offsets (or until
    the broker has given nothing for STALL_S: the log was truncated under us)."""
    pending = {tp for tp, end in ends.items() if consumer.position(tp) < end}
    last = time.monotonic()
    while pending and time.monotonic() - last < STALL_S:
        batch: list[Any] = []
        for tp, records in consumer.poll(timeout_ms=POLL_MS).items():
            batch.extend(r for r in records if r.offset < ends[tp])
            if consumer.position(tp) >= ends[tp]:
                pending.discard(tp)
        if batch:
            last = time.monotonic()
            yield batch
    if pending:
        log.warning("stopped reading %s: no records for %.0f s", sorted(map(str, pending)), STALL_S)


def load_changelog(conn: clients.KafkaConnection, topic: str) -> dict[str, Any]:
    consumer = clients.consumer(conn, "newswire-replay-changelog", fetch_max_wait_ms=100)
    try:
        partitions = partitions_of(consumer, topic)
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        entries: dict[str, Any] = {}
        for batch in read_to_end(consumer, confirmed_end_offsets(conn, partitions)):
            for record in batch:
                apply_changelog_record(entries, record.key, record.value)
        return entries
    finally:
        consumer.close()


def apply_changelog_record(entries: dict[str, Any], key: bytes | None, value: bytes | None) -> None:
    if key is None:
        return
    url = json.loads(key)
    if value is None:
        entries.pop(url, None)
    else:
        entries[url] = json.loads(value)


@dataclass
class Replay:
    """One replay run: reader, pool, dedup and producer wired together."""

    settings: Settings
    window: Window
    pool: ProcessingPool
    report: Callable[[Progress], None] = lambda progress: log.info("%s", progress.line())
    report_every_s: float = 5.0

    def __post_init__(self) -> None:
        self.conn = clients.connection_for(self.settings)
        self.publisher = Publisher.of(self.settings)
        self.metrics = PipelineMetrics.create(CollectorRegistry())  # counted, not served

    async def run(self) -> Progress:
        producer = clients.producer(self.conn, "newswire-replay", linger_ms=5)
        consumer = clients.consumer(
            self.conn, "newswire-replay", group_id=replay_group(self.settings)
        )
        try:
            return await self._run(consumer, producer)
        finally:
            producer.flush()
            producer.close()
            consumer.close()

    async def _run(self, consumer: KafkaConsumer, producer: KafkaProducer) -> Progress:
        topic = changelog_topic(self.settings, DEDUP_TABLE)
        table = ChangelogTable(load_changelog(self.conn, topic), producer, topic)
        dedup = Deduplicator(table, self.settings.worker.dedup_capacity)
        dedup.index_table()  # a re-tagged copy stays a copy of its original
        partitions = partitions_of(consumer, self.settings.topics.raw_topic)
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = confirmed_end_offsets(self.conn, partitions)
        starts = consumer.beginning_offsets(partitions)
        progress = Progress(total=sum(max(0, ends[tp] - starts[tp]) for tp in partitions))
        last_report = time.monotonic()
        for batch in read_to_end(consumer, ends):
            await self._replay_batch(batch, dedup, producer, progress)
            producer.flush()
            consumer.commit()
            if time.monotonic() - last_report >= self.report_every_s:
                self.report(progress)
                last_report = time.monotonic()
        self.report(progress)
        return progress

    async def _replay_batch(
        self, batch: list[Any], dedup: Deduplicator, producer: KafkaProducer, progress: Progress
    ) -> None:
        progress.read += len(batch)
        payloads = [r.value for r in batch if r.value is not None and self._wanted(r.value)]
        progress.selected += len(payloads)
        async for _, outcomes in self.pool.run_spread(payloads):
            for outcome in outcomes:
                self._publish(outcome, dedup, producer, progress)

    def _wanted(self, payload: bytes) -> bool:
        try:
            return self.window.wants(decode(payload))
        except (ValueError, UnicodeDecodeError):
            return False  # the worker dead-lettered it when it came

    def _publish(
        self, outcome: Outcome, dedup: Deduplicator, producer: KafkaProducer, progress: Progress
    ) -> None:
        if isinstance(outcome, DeadLetter):
            producer.send(
                self.settings.topics.deadletter_topic, key=outcome.key, value=outcome.value
            )
            progress.count(outcome, emitted=False, retag=False)
            return
        assert isinstance(outcome, Enriched)
        decision = decide(dedup, outcome)
        for route, payload in encoded(self.publisher.records(outcome, decision)):
            producer.send(route.topic, key=route.key, value=payload)
        record_enriched(self.metrics, outcome, decision)
        progress.count(outcome, decision.emit, decision.supersedes is not None)
