"""Read newswire's topics as typed events, over kafka-python, committing after each handle.

    with subscribe("127.0.0.1:9092", group_id="my-service") as news:
        for article in news:                      # EnrichedEvent, validated, deduplicated
            print(article.title, [c.ticker for c in article.companies])

Offsets are committed only for records that were handled: in the iterator, a record counts
as handled when the loop asks for the next one; with `run(handler)`, when the handler returns.
A handler that raises leaves its record uncommitted, so it comes again (at least once). Records
that are duplicates are skipped and committed; so are records already out of date (see
`ledger.py`), unless `include_stale`: a store that keeps one row per article wants those too,
because a late event still names what it replaced (revision 2 arrives after revision 3 and
its re-tag, and is the only one that says revision 1 is replaced). A record that is not JSON
or breaks its schema goes to `on_invalid` (by default: logged with its topic, partition and
offset, and skipped; `raise_invalid` stops instead).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from inspect import GEN_CLOSED, getgeneratorstate
from typing import Any, Generic, Protocol, TypeVar

from kafka import TopicPartition
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.structs import OffsetAndMetadata

from pipeline.client.ledger import Ledger, Verdict
from pipeline.client.models import CompanyRecord, EnrichedEvent
from pipeline.client.schemas import SchemaSet, default_schemas
from pipeline.core.codec import decode
from pipeline.kafka import clients
from pipeline.kafka.clients import KafkaConnection

log = logging.getLogger(__name__)

E = TypeVar("E", EnrichedEvent, CompanyRecord)
POLL_MS = 200


@dataclass(frozen=True)
class EventKind(Generic[E]):
    """A message type: its schema, its typed class and the topic it usually comes from."""

    schema: str
    parse: Callable[[Mapping[str, Any]], E]
    topic: str


ENRICHED: EventKind[EnrichedEvent] = EventKind(
    "news.enriched.v1", EnrichedEvent.from_dict, "news.enriched.v1"
)
COMPANY: EventKind[CompanyRecord] = EventKind(
    "news.company.v1", CompanyRecord.from_dict, "news.company.v1"
)


def topic_topics(topic_ids: Iterable[str]) -> list[str]:
    """The routing topics of some taxonomy topics: their messages are enriched events."""
    return [f"news.topic.{topic_id}.v1" for topic_id in topic_ids]


@dataclass(frozen=True)
class Delivery(Generic[E]):
    event: E
    topic: str
    partition: int
    offset: int
    key: bytes | None
    stale: bool = False  # replaced by an event handled before (only with include_stale)


@dataclass(frozen=True)
class InvalidRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    error: str


class InvalidRecordError(ValueError):
    def __init__(self, record: InvalidRecord) -> None:
        super().__init__(
            f"{record.topic}[{record.partition}]@{record.offset} is not valid: {record.error}"
        )
        self.record = record


def log_invalid(record: InvalidRecord) -> None:
    log.warning(
        "skipping invalid record %s[%s]@%s: %s",
        record.topic,
        record.partition,
        record.offset,
        record.error,
    )


def raise_invalid(record: InvalidRecord) -> None:
    raise InvalidRecordError(record)


@dataclass
class Stats:
    delivered: int = 0
    duplicates: int = 0
    stale: int = 0
    invalid: int = 0
    commits: int = 0


class Consumer(Protocol):
    """The part of kafka-python's KafkaConsumer the subscriber uses."""

    def subscribe(self, topics: list[str], listener: ConsumerRebalanceListener) -> None: ...

    def poll(
        self, timeout_ms: int, max_records: int | None
    ) -> Mapping[TopicPartition, list[Any]]: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...

    def assignment(self) -> set[TopicPartition]: ...

    def commit(self, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None: ...

    def close(self) -> None: ...


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, subscriber: Subscriber[Any]) -> None:
        self.subscriber = subscriber

    def on_partitions_revoked(self, revoked: Any) -> None:
        self.subscriber.commit()

    def on_partitions_assigned(self, assigned: Any) -> None:
        return


@dataclass
class Subscriber(Generic[E]):
    consumer: Consumer
    kind: EventKind[E]
    topics: list[str]
    validate: bool = True
    schemas: SchemaSet | None = None
    ledger: Ledger = field(default_factory=Ledger)
    on_invalid: Callable[[InvalidRecord], None] = log_invalid
    include_stale: bool = False
    stats: Stats = field(default_factory=Stats)

    def __post_init__(self) -> None:
        self._pending: dict[TopicPartition, int] = {}
        self._running: list[Generator[Delivery[E]]] = []
        if self.validate and self.schemas is None:
            self.schemas = default_schemas()
        self.consumer.subscribe(self.topics, listener=_CommitOnRevoke(self))

    def __enter__(self) -> Subscriber[E]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[E]:
        return self.events()

    def events(self, max_events: int | None = None, idle_s: float | None = None) -> Generator[E]:
        running = self.deliveries(max_events, idle_s)
        try:
            for delivery in running:
                yield delivery.event
        finally:
            running.close()

    def deliveries(
        self, max_events: int | None = None, idle_s: float | None = None
    ) -> Generator[Delivery[E]]:
        """New events with where they came from; stops after `max_events`, or when nothing
        arrived for `idle_s` seconds (None: never)."""
        running = self._deliveries(max_events, idle_s)
        self._running = [g for g in self._running if getgeneratorstate(g) != GEN_CLOSED]
        self._running.append(running)
        return running

    def _deliveries(self, max_events: int | None, idle_s: float | None) -> Generator[Delivery[E]]:
        last_record = time.monotonic()
        resume: dict[TopicPartition, int] = {}  # first offset not handled, per partition
        stop_at = None if max_events is None else self.stats.delivered + max_events
        try:
            while stop_at is None or self.stats.delivered < stop_at:
                room = None if stop_at is None else stop_at - self.stats.delivered
                batches = self.consumer.poll(timeout_ms=POLL_MS, max_records=room)
                if batches or not self.consumer.assignment():  # quiet only once joined
                    last_record = time.monotonic()
                elif idle_s is not None and time.monotonic() - last_record >= idle_s:
                    return
                resume = {tp: records[0].offset for tp, records in batches.items() if records}
                for tp, records in batches.items():
                    for record in records:
                        delivery = self._accept(tp, record)
                        if delivery is not None:
                            yield delivery
                            self._handled(delivery)
                        else:
                            self._done(tp, record.offset)
                        resume[tp] = record.offset + 1
                resume = {}
                self.commit()
        finally:
            # stopped inside a batch (a break, an exception): what was not handled comes again
            for tp, offset in resume.items():
                self.consumer.seek(tp, offset)
            self.commit()

    def run(
        self,
        handler: Callable[[E], object],
        max_events: int | None = None,
        idle_s: float | None = None,
    ) -> Stats:
        """Call `handler` for every new event; each is committed once the handler returned."""
        events = self.events(max_events, idle_s)
        try:
            for event in events:
                handler(event)
        finally:
            events.close()
        return self.stats

    def commit(self) -> None:
        if not self._pending:
            return
        offsets = {tp: OffsetAndMetadata(o + 1, "", -1) for tp, o in self._pending.items()}
        self.consumer.commit(offsets=offsets)
        self._pending.clear()
        self.stats.commits += 1

    def close(self) -> None:
        """Stop every loop still open (each commits what it handled), then the consumer."""
        try:
            for running in self._running:
                running.close()
            self._running.clear()
            self.commit()
        finally:
            self.consumer.close()

    def _accept(self, tp: TopicPartition, record: Any) -> Delivery[E] | None:
        try:
            event = self._parse(record.value)
        except (ValueError, KeyError, TypeError) as exc:
            self.stats.invalid += 1
            invalid = InvalidRecord(
                tp.topic, tp.partition, record.offset, record.key, record.value, str(exc)
            )
            self.on_invalid(invalid)
            return None
        verdict = self.ledger.verdict(event)
        if verdict is Verdict.DUPLICATE:
            self.stats.duplicates += 1
            return None
        stale = verdict is Verdict.STALE
        if stale:
            self.stats.stale += 1
            if not self.include_stale:
                return None
        return Delivery(event, tp.topic, tp.partition, record.offset, record.key, stale)

    def _parse(self, value: bytes | None) -> E:
        if value is None:
            raise ValueError("empty record (a tombstone)")
        data = decode(value)
        if self.schemas is not None:
            self.schemas.check(self.kind.schema, data)
        return self.kind.parse(data)

    def _handled(self, delivery: Delivery[E]) -> None:
        self.ledger.record(delivery.event)
        self.stats.delivered += not delivery.stale
        self._done(TopicPartition(delivery.topic, delivery.partition), delivery.offset)

    def _done(self, tp: TopicPartition, offset: int) -> None:
        self._pending[tp] = max(offset, self._pending.get(tp, -1))


def subscribe(
    bootstrap: str | KafkaConnection,
    group_id: str,
    kind: EventKind[E] = ENRICHED,  # type: ignore[assignment]
    topics: list[str] | None = None,
    from_beginning: bool = True,
    include_stale: bool = False,
    **consumer_options: Any,
) -> Subscriber[E]:
    """A subscriber in consumer group `group_id`; a new group starts at the oldest record
    (`from_beginning`) or at the newest. `bootstrap` is an address, or a KafkaConnection with
    security settings (TLS, SASL); other kafka-python consumer options pass through."""
    consumer = clients.consumer(
        bootstrap,
        f"newswire-client-{group_id}",
        group_id=group_id,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **consumer_options,
    )
    return Subscriber(consumer, kind, topics or [kind.topic], include_stale=include_stale)
