"""Which offsets of a partition may be committed: only those whose outcome was published.

Faust commits what its streams *ack*, and two of its habits make that lose records when the
worker dies (faust-streaming 0.15.3, `faust/streams.py` and `faust/transport/consumer.py`):
- a stream acks the messages it *skips* (fetched before a rebalance, or while flow control is
  suspended) without processing them, so after a rebalance the whole prefetched buffer can be
  committed unprocessed;
- with concurrent actors acks arrive out of order, and the committable offset is taken from
  the first run of acked offsets: past any number of records still in flight when nothing
  was committed yet, and past one of them otherwise (an off-by-one against the committed
  offset, which is the *next* offset to read).

The gate replaces acks as the source of commits: the agent marks a record `published` once its
enriched event (or dead letter) was acknowledged by the broker, and the gate hands out the end
of the unbroken run of published offsets from the partition's start. The start is the committed
offset a partition was seeked to, or, with no commit yet, the first offset fetched; holes in
the log (compaction, transaction markers, retention) are skipped when a fetch jumps over them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PartitionGate:
    next_offset: int | None = None  # the offset to commit next; None until the first fetch
    last_fetched: int | None = None
    published: set[int] = field(default_factory=set)
    holes: list[tuple[int, int]] = field(default_factory=list)  # [start, end) with no records

    def fetched(self, offset: int) -> None:
        if self.next_offset is None:
            self.next_offset = offset
        elif offset < self.next_offset:
            return  # fetched before a seek to a later committed offset: not ours to commit
        previous = self.next_offset - 1 if self.last_fetched is None else self.last_fetched
        if offset > previous + 1:
            self.holes.append((previous + 1, offset))
        self.last_fetched = max(previous, offset)

    def publish(self, offset: int) -> None:
        if self.next_offset is None or offset >= self.next_offset:
            self.published.add(offset)

    def committable(self) -> int | None:
        """The new commit offset (next to read), or None if nothing more is safe to commit."""
        start = position = self.next_offset
        if position is None:
            return None
        while True:
            if position in self.published:
                self.published.discard(position)
                position += 1
                continue
            hole = next((h for h in self.holes if h[0] <= position < h[1]), None)
            if hole is None:
                break
            position = hole[1]
        self.holes = [h for h in self.holes if h[1] > position]
        if self.published and min(self.published) < position:
            self.published = {o for o in self.published if o >= position}
        if position == start:
            return None
        self.next_offset = position
        return position

    @property
    def pending(self) -> int:
        return len(self.published)


class CommitGate:
    """One `PartitionGate` per (topic, partition) of the topics it guards."""

    def __init__(self, topics: frozenset[str]) -> None:
        self.topics = topics
        self._partitions: dict[tuple[str, int], PartitionGate] = {}
        self.halted: str | None = None  # why nothing is committed any more (a broker reset)
        self.on_halt: Callable[[str], None] | None = None

    def rewound(self, topic: str, partition: int, offset: int) -> None:
        """A fetch returned an offset below this partition's commit point: the log was
        recreated (a broker that lost its data, or a topic deleted and made again)."""
        gate = self._partitions.get((topic, partition))
        if gate is None or gate.next_offset is None or offset >= gate.next_offset:
            return
        self.halt(
            f"{topic}[{partition}] offset {offset} fetched below commit point {gate.next_offset}"
        )

    def halt(self, reason: str) -> None:
        """The broker this worker read from is not the one it talks to now: commit nothing
        more (and produce nothing more: see pipeline/kafka/transport.py); the worker restarts
        with empty local state. `on_halt` hears the first reason only."""
        if self.halted:
            return
        self.halted = reason
        if self.on_halt is not None:
            self.on_halt(reason)

    def guards(self, topic: str) -> bool:
        return topic in self.topics

    def _gate(self, topic: str, partition: int) -> PartitionGate:
        return self._partitions.setdefault((topic, partition), PartitionGate())

    def start(self, topic: str, partition: int, offset: int) -> None:
        """The partition was seeked to its committed `offset`: commits continue from there."""
        if self.guards(topic):
            self._partitions[(topic, partition)] = PartitionGate(next_offset=offset)

    def fetched(self, topic: str, partition: int, offset: int) -> None:
        if self.guards(topic):
            self._gate(topic, partition).fetched(offset)

    def publish(self, topic: str, partition: int, offset: int) -> None:
        if self.guards(topic):
            self._gate(topic, partition).publish(offset)

    def committable(self, topic: str, partition: int) -> int | None:
        gate = self._partitions.get((topic, partition))
        return gate.committable() if gate and not self.halted else None

    def with_pending(self) -> list[tuple[str, int]]:
        return [key for key, gate in self._partitions.items() if gate.published]

    def reset(self, partitions: list[tuple[str, int]] | None = None) -> None:
        """Forget partitions (all with None) after a revoke or a seek: their next fetch sets
        the start again, which is the committed offset they were seeked to."""
        if partitions is None:
            self._partitions.clear()
            return
        for key in partitions:
            self._partitions.pop(key, None)
