"""Where connectors put events: a kafka-python producer keyed by event id.

`send` refuses an event larger than the sink takes (`EventTooLarge`, before anything is
sent) and returns a `Delivery`; after `flush`, `Delivery.error()` says whether the broker
took it. An item is marked seen only when its delivery succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kafka.errors import KafkaError, MessageSizeTooLargeError
from kafka.producer.future import FutureRecordMetadata

from pipeline.core.codec import encode
from pipeline.core.errors import Failure, NewswireError
from pipeline.kafka import clients

MAX_EVENT_BYTES = 8_000_000


class SinkError(NewswireError):
    """The event could not be handed to the broker; trying again later may help."""

    failure = Failure.SEND_FAILED
    retriable = failure.retriable


class EventTooLarge(NewswireError):
    """The event, encoded, is larger than the topic takes: it can never be sent."""

    failure = Failure.TOO_LARGE


class Delivery(Protocol):
    def error(self) -> BaseException | None: ...


@dataclass(frozen=True)
class Delivered:
    def error(self) -> BaseException | None:
        return None


@dataclass(frozen=True)
class KafkaDelivery:
    future: FutureRecordMetadata

    def error(self) -> BaseException | None:
        if not self.future.is_done:
            return SinkError("send not acknowledged after flush")
        if self.future.failed():
            exception = self.future.exception
            if isinstance(exception, MessageSizeTooLargeError):
                return EventTooLarge(f"the broker refused the event as too large: {exception}")
            if isinstance(exception, BaseException):
                return exception
            return SinkError(f"send failed: {exception!r}")
        return None


class EventSink(Protocol):
    def send(self, event: dict[str, Any]) -> Delivery: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def encoded(event: dict[str, Any], max_bytes: int | None) -> bytes:
    value = encode(event)
    if max_bytes is not None and len(value) > max_bytes:
        raise EventTooLarge(
            f"event {event.get('event_id')} is {len(value)} bytes encoded, limit {max_bytes}"
        )
    return value


class KafkaSink:
    """Produces every event to one topic with its event_id as the key, acks from all replicas."""

    def __init__(
        self, bootstrap: clients.Target, topic: str, max_event_bytes: int = MAX_EVENT_BYTES
    ) -> None:
        self.topic = topic
        self.max_event_bytes = max_event_bytes
        self._producer = clients.producer(
            bootstrap,
            "newswire-connect",
            linger_ms=20,
            max_request_size=max(clients.MAX_REQUEST_BYTES, max_event_bytes + 64 * 1024),
        )

    def send(self, event: dict[str, Any]) -> Delivery:
        value = encoded(event, self.max_event_bytes)
        try:
            future = self._producer.send(self.topic, key=event["event_id"].encode(), value=value)
        except MessageSizeTooLargeError as exc:
            raise EventTooLarge(str(exc)) from exc
        except KafkaError as exc:
            raise SinkError(f"cannot send to {self.topic}: {exc}") from exc
        return KafkaDelivery(future)

    def flush(self) -> None:
        try:
            self._producer.flush()
        except KafkaError as exc:
            raise SinkError(f"flush to {self.topic} failed: {exc}") from exc

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()


class ListSink:
    """Keeps events in memory: for tests and dry runs. With `max_event_bytes` it refuses
    large events as the Kafka sink does."""

    def __init__(self, max_event_bytes: int | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.max_event_bytes = max_event_bytes

    def send(self, event: dict[str, Any]) -> Delivery:
        encoded(event, self.max_event_bytes)
        self.events.append(event)
        return Delivered()

    def flush(self) -> None:
        return

    def close(self) -> None:
        return
