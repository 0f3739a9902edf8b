"""A Faust transport for newswire, pinned to faust-streaming 0.15.3 (tests fail if it changes).

Changes to Faust's aiokafka driver; two for the embedded broker's traps (see the README):
- End offsets for table recovery come from a fetch's high-watermark, not ListOffsets: Tansu
  answers ListOffsets(LATEST) with the base offset + 1 of the last batch, so after a multi-record
  batch Faust would stop recovering early and lose table updates. The high-watermark in fetch
  responses is right, on Tansu and on Apache Kafka alike.
- The consumer's fetch wait is configurable: the driver hard-codes 1500 ms, and Tansu answers a
  waiting fetch by sleeping, so every hop would cost up to that long.
- The producer is idempotent when the app's connection says so (Apache Kafka; Faust has no
  setting for it outside transactions).
- Commits come from a `CommitGate` (set on the app by pipeline.kafka.app) for the topics it
  guards: only offsets whose outcome was published are committed, never what Faust merely acked
  (it acks skipped messages, and computes commits past records in flight; see commit_gate.py).
Use it with the broker URL scheme `newswire://host:port` (registered on import).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping
from typing import Any

import aiokafka
import faust
from faust.transport import drivers
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, Message, RecordMetadata
from kafka import TopicPartition

from pipeline.kafka.commit_gate import CommitGate
from pipeline.kafka.offsets import confirmed_end_offsets

log = logging.getLogger(__name__)

PINNED_FAUST = "0.15.3"
FETCH_WAIT_ATTRIBUTE = "newswire_fetch_max_wait_ms"  # set on the app by pipeline.kafka.app
SCHEME = "newswire"
CONNECTION_ATTRIBUTE = "newswire_kafka_connection"  # for the end-offset reads
GATE_ATTRIBUTE = "newswire_commit_gate"  # set on the app by pipeline.kafka.app
ASSIGNED_CHECK_ATTRIBUTE = "newswire_on_assigned"  # set by the worker: its topic watch's check


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(self.app, FETCH_WAIT_ATTRIBUTE, None)
        if wait_ms is not None:
            consumer._fetch_max_wait_ms = int(wait_ms)  # read when the consumer starts
        return consumer

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        reported = await super()._highwaters(partitions)
        bootstrap = getattr(self.app, CONNECTION_ATTRIBUTE, None) or ",".join(
            self._ensure_consumer()._client._bootstrap_servers
        )
        asked = [TopicPartition(tp.topic, tp.partition) for tp in partitions]
        found = await asyncio.to_thread(confirmed_end_offsets, bootstrap, asked)
        confirmed = {
            TP(tp.topic, tp.partition): max(value, reported.get(TP(tp.topic, tp.partition)) or 0)
            for tp, value in found.items()
        }
        corrected = {
            str(tp): (reported.get(tp), value)
            for tp, value in confirmed.items()
            if value != reported.get(tp)
        }
        if corrected:
            log.info("end offsets corrected from fetch high-watermarks: %s", corrected)
        return confirmed


def commit_gate(app: Any) -> CommitGate | None:
    gate = getattr(app, GATE_ATTRIBUTE, None)
    return gate if isinstance(gate, CommitGate) else None


class Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        """Tell the gate what is fetched, with the condition under which Faust delivers it."""
        gate = commit_gate(self.app)
        async for tp, message in super().getmany(timeout):
            read = self._read_offset[tp]
            if gate is not None and (read is None or message.offset >= read):
                gate.fetched(tp.topic, tp.partition, message.offset)
            elif gate is not None:
                gate.rewound(tp.topic, tp.partition, message.offset)
            yield tp, message

    async def perform_seek(self) -> None:
        """Faust seeks the partitions with a commit above 0 back to it (aiokafka seeks only
        offsets > 0); the others are sent here to offset 0 (a commit of 0) or to the beginning
        (no commit: what `auto_offset_reset="earliest"`, newswire's setting, means).

        Without this, records were skipped for good: during table recovery aiokafka fetches
        the partitions Faust has paused only in its own bookkeeping, and Faust drops those
        records; a partition not seeked back afterwards stays where they left it. A worker
        killed before its first commit came back Ready at the end of the log."""
        await super().perform_seek()
        streams = [tp for tp in self.assignment() if not self._is_changelog_tp(tp)]
        at_zero = [tp for tp in streams if self._read_offset.get(tp) == 0]
        uncommitted = [tp for tp in streams if self._read_offset.get(tp) is None]
        for tp in at_zero:
            self._thread.seek(tp, 0)  # what Faust's own _seek does
        if uncommitted:
            await self._thread.seek_to_beginning(
                *(aiokafka.TopicPartition(tp.topic, tp.partition) for tp in uncommitted)
            )
            log.info(
                "no commit yet, read from the start: %s", describe_partitions(set(uncommitted))
            )
        gate = commit_gate(self.app)
        if gate is not None:
            gate.reset()
            for tp in streams:
                offset = self._read_offset.get(tp)
                if offset is not None:
                    gate.start(tp.topic, tp.partition, offset)

    async def _commit(self, offsets: Mapping[TP, int]) -> bool:
        """Nothing is committed once the gate halted (a commit computed just before)."""
        gate = commit_gate(self.app)
        if gate is not None and gate.halted:
            return False
        return bool(await super()._commit(offsets))

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        gate = commit_gate(self.app)
        if gate is not None:
            gate.reset([(tp.topic, tp.partition) for tp in revoked])
        await super().on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        log.info("generation %d: assigned %s", generation_id, describe_partitions(assigned))
        check = getattr(self.app, ASSIGNED_CHECK_ATTRIBUTE, None)
        if check is not None:
            # A broker that lost its data makes every member join again: look at the topics
            # before any record is processed, so a reset halts the worker before it writes
            # into topics the broker no longer knows (the embedded broker takes such writes
            # and then refuses every later one to that partition).
            try:
                await asyncio.to_thread(check)
            except Exception:  # a look that fails proves nothing; Faust must go on
                log.exception("topics not checked at this assignment")
        await super().on_partitions_assigned(assigned, generation_id)

    def _filter_tps_with_pending_acks(self, topics: Any = None) -> Iterator[TP]:
        gate = commit_gate(self.app)
        found = set(super()._filter_tps_with_pending_acks(topics))
        if gate is not None:
            for topic, partition in gate.with_pending():
                tp = TP(topic, partition)
                if topics is None or tp in topics or topic in topics:
                    found.add(tp)
        return iter(found)

    def _new_offset(self, tp: TP) -> int | None:
        gate = commit_gate(self.app)
        if gate is None or not gate.guards(tp.topic):
            return super()._new_offset(tp)
        self._acked[tp].clear()  # Faust's own ack list is not used for this topic
        self._acked_index[tp].clear()
        return gate.committable(tp.topic, tp.partition)


def describe_partitions(partitions: set[TP]) -> str:
    """`news.raw.v1[0,1,2,3], other[0]`: partitions by topic, in one short text."""
    topics: dict[str, list[int]] = {}
    for tp in partitions:
        topics.setdefault(tp.topic, []).append(tp.partition)
    return ", ".join(f"{t}[{','.join(map(str, sorted(p)))}]" for t, p in sorted(topics.items()))


class ProducerHalted(RuntimeError):
    """Nothing is produced after a broker reset was detected."""


class Producer(faust_aiokafka.Producer):
    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,
    ) -> Awaitable[RecordMetadata]:
        """Refused once the commit gate halted on a broker reset: what this process still
        holds (its producer buffer, table writes during the stop) belongs to the lost broker,
        and written to the new one it gave the next worker a changelog it could not recover
        (a high-watermark past a record that never arrived)."""
        gate = commit_gate(self.app)
        if gate is not None and gate.halted:
            raise ProducerHalted(f"not produced to {topic}: {gate.halted}")
        return await super().send(
            topic, key, value, partition, timestamp, headers, transactional_id=transactional_id
        )

    def _settings_extra(self) -> Mapping[str, Any]:
        extra = dict(super()._settings_extra())
        connection = getattr(self.app, CONNECTION_ATTRIBUTE, None)
        if getattr(connection, "idempotent", False):
            extra.update(acks="all", enable_idempotence=True)
        return extra


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer
    Producer = Producer


def register() -> None:
    if faust.__version__ != PINNED_FAUST:
        log.warning(
            "newswire's Faust transport is pinned to faust-streaming %s, found %s",
            PINNED_FAUST,
            faust.__version__,
        )
    drivers.TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"


register()
