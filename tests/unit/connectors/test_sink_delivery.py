"""Deliveries of the Kafka sink: what a failed asynchronous send reports after flush."""

from __future__ import annotations

import pytest
from kafka import TopicPartition
from kafka.errors import KafkaTimeoutError, MessageSizeTooLargeError
from kafka.producer.future import FutureProduceResult, FutureRecordMetadata

from connectors.sink import EventTooLarge, KafkaDelivery, ListSink, SinkError
from pipeline.core.errors import Failure, failure_of


def delivery() -> tuple[FutureProduceResult, KafkaDelivery]:
    produced = FutureProduceResult(TopicPartition("t", 0))
    return produced, KafkaDelivery(FutureRecordMetadata(produced, 0, 0, None, 1, 1, 0))


def test_acknowledged_send_has_no_error() -> None:
    produced, result = delivery()
    produced.success((0, 0, None))
    assert result.error() is None


def test_failed_send_reports_its_error() -> None:
    produced, result = delivery()
    produced.failure(KafkaTimeoutError("batch expired"))
    assert isinstance(result.error(), KafkaTimeoutError)


def test_broker_refusing_the_size_is_too_large() -> None:
    produced, result = delivery()
    produced.failure(MessageSizeTooLargeError("too big"))
    assert isinstance(result.error(), EventTooLarge)


def test_unfinished_send_after_flush_is_an_error() -> None:
    _, result = delivery()
    assert isinstance(result.error(), SinkError)


def test_an_event_that_encodes_past_the_limit_is_refused_before_sending() -> None:
    sink = ListSink(max_event_bytes=1_000)
    with pytest.raises(EventTooLarge, match="limit 1000") as refused:
        sink.send({"event_id": "raw-1", "html": '"' * 600})  # 600 quotes escape to 1,200 bytes
    assert sink.events == []
    assert failure_of(refused.value) is Failure.TOO_LARGE
