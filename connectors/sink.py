"""Where connectors put events: a kafka-python producer keyed by event id."""

from __future__ import annotations

from typing import Any, Protocol

from kafka import KafkaProducer

from pipeline.core.codec import encode


class EventSink(Protocol):
    def send(self, event: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class KafkaSink:
    """Produces every event to one topic with its event_id as the key, acks from all replicas."""

    def __init__(self, bootstrap: str, topic: str, compression: str = "lz4") -> None:
        self.topic = topic
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            linger_ms=20,
            compression_type=None if compression == "none" else compression,
            max_request_size=8_000_000,
            client_id="newswire-connect",
        )

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
