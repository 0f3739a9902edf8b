"""Where connectors put events: a kafka-python producer keyed by event id."""

from __future__ import annotations

from typing import Any, Protocol

from pipeline.core.codec import encode
from pipeline.kafka import clients


class EventSink(Protocol):
    def send(self, event: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class KafkaSink:
    """Produces every event to one topic with its event_id as the key, acks from all replicas."""

    def __init__(self, bootstrap: clients.Target, topic: str) -> None:
        self.topic = topic
        self._producer = clients.producer(bootstrap, "newswire-connect", linger_ms=20)

    def send(self, event: dict[str, Any]) -> None:
        self._producer.send(self.topic, key=event["event_id"].encode(), value=encode(event))

    def flush(self) -> None:
        self._producer.flush()

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()


class ListSink:
    """Keeps events in memory: for tests and dry runs."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def send(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def flush(self) -> None:
        return

    def close(self) -> None:
        return
