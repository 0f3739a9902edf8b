"""Read events from topics with kafka-python, without a consumer group (nothing is committed)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from pipeline.core.codec import decode
from pipeline.core.errors import BrokerError
from pipeline.kafka import clients

TOPIC_WAIT_S = 15.0


def iter_events(
    bootstrap: clients.Target,
    topics: list[str],
    from_beginning: bool,
    timeout_s: float | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(topic, event) pairs from every partition, until `timeout_s` or `keep_going()` is false."""
    consumer = clients.consumer(bootstrap, "newswire-reader", fetch_max_wait_ms=100)
    try:
        partitions = [p for topic in topics for p in _partitions(consumer, topic)]
        consumer.assign(partitions)
        if from_beginning:
            consumer.seek_to_beginning(*partitions)
        else:
            consumer.seek_to_end(*partitions)
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while (deadline is None or time.monotonic() < deadline) and keep_going():
            for tp, records in consumer.poll(timeout_ms=200).items():
                for record in records:
                    yield tp.topic, decode(record.value)
    finally:
        consumer.close()


def _partitions(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    deadline = time.monotonic() + TOPIC_WAIT_S
    while True:
        found = consumer.partitions_for_topic(topic)
        if found:
            return [TopicPartition(topic, p) for p in sorted(found)]
        if time.monotonic() > deadline:
            raise BrokerError(f"topic {topic} does not exist; is newswire up?")
        time.sleep(0.5)
