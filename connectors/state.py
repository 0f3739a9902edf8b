"""Connector state that survives restarts, kept in a compacted Kafka topic (no extra database).

Two kinds of records, keyed so compaction keeps the latest of each:
- `source/<id>`: validators (ETag, Last-Modified), schedule and health of one source;
- `seen/<kind>/<hash>`: an item already produced, by canonical URL (shared by every source, so
  the same article in two feeds goes out once) or by a source's entry id.
Seen marks older than the retention are removed with tombstones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from kafka import TopicPartition

from pipeline.core.errors import BrokerError
from pipeline.kafka import clients

log = logging.getLogger(__name__)

SEEN_RETENTION_S = 30 * 24 * 3600.0
CATCH_UP_TIMEOUT_S = 60.0


@dataclass
class SourceState:
    source_id: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: float = 0.0
    interval_s: float | None = None
    consecutive_errors: int = 0
    last_success_at: float | None = None
    last_change_at: float | None = None
    last_error: str | None = None
    polls: int = 0
    not_modified: int = 0
    # Entries whose page is still to be fetched (failed and retriable, or its host paused):
    # retried on the next poll even when the source answers 304, so validators can be kept.
    pending: list[dict[str, Any]] = field(default_factory=list)


def url_key(canonical: str) -> str:
    return "seen/url/" + hashlib.sha1(canonical.encode()).hexdigest()


def entry_key(source_id: str, entry_id: str) -> str:
    return f"seen/id/{source_id}/" + hashlib.sha1(entry_id.encode()).hexdigest()


class StateStore(Protocol):
    def catch_up(self) -> None: ...

    def source(self, source_id: str) -> SourceState: ...

    def save_source(self, state: SourceState) -> None: ...

    def is_seen(self, keys: list[str]) -> bool: ...

    def updated_at(self, key: str) -> str | None: ...

    def mark_seen(self, keys: list[str], updated: str | None = None) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class MemoryStateStore:
    """State in this process only: for tests and one-off runs."""

    sources: dict[str, SourceState] = field(default_factory=dict)
    seen: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def catch_up(self) -> None:
        return

    def source(self, source_id: str) -> SourceState:
        return self.sources.setdefault(source_id, SourceState(source_id))

    def save_source(self, state: SourceState) -> None:
        self.sources[state.source_id] = state

    def is_seen(self, keys: list[str]) -> bool:
        return any(key in self.seen for key in keys)

    def updated_at(self, key: str) -> str | None:
        """The source's last `updated` time of a seen item, if it gave one."""
        return self.versions.get(key)

    def mark_seen(self, keys: list[str], updated: str | None = None) -> None:
        now = time.time()
        for key in keys:
            self.seen[key] = now
            if updated:
                self.versions[key] = updated

    def flush(self) -> None:
        return

    def close(self) -> None:
        return


class KafkaStateStore(MemoryStateStore):
    """The memory store, written through to a compacted topic and rebuilt from it on start."""

    def __init__(
        self, bootstrap: clients.Target, topic: str, retention_s: float = SEEN_RETENTION_S
    ) -> None:
        super().__init__()
        self.topic = topic
        self.retention_s = retention_s
        # One record per batch: Tansu reports wrong end offsets after multi-record batches,
        # and catch_up relies on end offsets (see the embedded-broker notes).
        self._producer = clients.producer(
            bootstrap, "newswire-connect-state", linger_ms=0, batch_size=0
        )
        self._consumer = clients.consumer(bootstrap, "newswire-connect-state", fetch_max_wait_ms=50)
        partitions = self._consumer.partitions_for_topic(topic)
        if not partitions:
            raise BrokerError(f"state topic {topic} does not exist")
        self._partitions = [TopicPartition(topic, p) for p in sorted(partitions)]
        self._consumer.assign(self._partitions)
        self._consumer.seek_to_beginning(*self._partitions)

    def catch_up(self) -> None:
        """Read every state record written so far, by this process or another instance."""
        end = self._consumer.end_offsets(self._partitions)
        deadline = time.monotonic() + CATCH_UP_TIMEOUT_S
        while any(self._consumer.position(tp) < end[tp] for tp in self._partitions):
            if time.monotonic() > deadline:
                raise BrokerError(f"could not read state topic {self.topic} to its end")
            for records in self._consumer.poll(timeout_ms=200).values():
                for record in records:
                    self._apply(record.key.decode(), record.value)
        self._expire()

    def _apply(self, key: str, value: bytes | None) -> None:
        if key.startswith("source/"):
            if value is not None:
                state = SourceState(**json.loads(value))
                self.sources[state.source_id] = state
        elif value is None:
            self.seen.pop(key, None)
            self.versions.pop(key, None)
        else:
            mark = json.loads(value)
            self.seen[key] = float(mark["at"])
            if mark.get("updated"):
                self.versions[key] = mark["updated"]

    def _expire(self) -> None:
        cutoff = time.time() - self.retention_s
        for key in [k for k, at in list(self.seen.items()) if at < cutoff]:
            del self.seen[key]
            self.versions.pop(key, None)
            self._producer.send(self.topic, key=key.encode(), value=None)

    def save_source(self, state: SourceState) -> None:
        super().save_source(state)
        self._producer.send(
            self.topic,
            key=f"source/{state.source_id}".encode(),
            value=json.dumps(asdict(state)).encode(),
        )

    def mark_seen(self, keys: list[str], updated: str | None = None) -> None:
        super().mark_seen(keys, updated)
        for key in keys:
            mark = {"at": self.seen[key], "updated": updated}
            self._producer.send(self.topic, key=key.encode(), value=json.dumps(mark).encode())

    def flush(self) -> None:
        self._producer.flush()

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()
        self._consumer.close()
