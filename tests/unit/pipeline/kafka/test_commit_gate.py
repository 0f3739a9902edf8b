"""The commit gate: offsets are committed only up to the first record not yet published.

Symptom 5 of issue 13 (articles lost after quick kill -9 restarts, lag reading 0): Faust
computes the committable offset from acks, which come out of order from concurrent actors,
and it commits past records still in flight. The Faust tests below pin that behaviour (they
fail if Faust changes it, and the gate can be revisited); the gate tests show the fix.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

import pytest
from faust.transport.consumer import Consumer as FaustConsumer
from faust.types import TP
from intervaltree import IntervalTree

from pipeline.kafka import transport as faust_transport
from pipeline.kafka.commit_gate import CommitGate

RAW = "news.raw.v1"


def faust_offsets(acked: list[int], committed: int | None) -> int | None:
    """What Faust 0.15.3 would commit for a partition with these acks."""
    state: Any = SimpleNamespace(
        _acked=defaultdict(list),
        _acked_index=defaultdict(set),
        _gap=defaultdict(IntervalTree),
        _committed_offset=defaultdict(lambda: None),
    )
    tp = TP(RAW, 0)
    state._acked[tp] = list(acked)
    state._acked_index[tp] = set(acked)
    state._committed_offset[tp] = committed
    return FaustConsumer._new_offset(state, tp)  # type: ignore[arg-type]


def test_faust_commits_past_records_in_flight_when_nothing_was_committed() -> None:
    # one actor finished offsets 16..31, another still works on 0..15
    assert faust_offsets(list(range(16, 32)), committed=None) == 32


def test_faust_commits_past_the_first_record_after_its_commit() -> None:
    # committed 100 means "next to read is 100"; 100 is still in flight
    assert faust_offsets(list(range(101, 117)), committed=100) == 117


def gate_with(fetched: range, start: int | None = None) -> CommitGate:
    gate = CommitGate(frozenset({RAW}))
    if start is not None:
        gate.start(RAW, 0, start)
    for offset in fetched:
        gate.fetched(RAW, 0, offset)
    return gate


def publish(gate: CommitGate, offsets: range | list[int]) -> None:
    for offset in offsets:
        gate.publish(RAW, 0, offset)


def test_nothing_is_committed_past_a_record_in_flight() -> None:
    gate = gate_with(range(32))
    publish(gate, range(16, 32))
    assert gate.committable(RAW, 0) is None
    publish(gate, range(16))
    assert gate.committable(RAW, 0) == 32
    assert gate.committable(RAW, 0) is None, "nothing new"


def test_after_a_commit_the_next_record_must_be_published_first() -> None:
    gate = gate_with(range(100, 117), start=100)
    publish(gate, range(101, 117))
    assert gate.committable(RAW, 0) is None
    publish(gate, [100])
    assert gate.committable(RAW, 0) == 117


def test_a_record_skipped_and_never_published_holds_the_commit() -> None:
    gate = gate_with(range(10))
    publish(gate, [0, 1, 2, 3, 4, 6, 7, 8, 9])
    assert gate.committable(RAW, 0) == 5
    assert gate.committable(RAW, 0) is None


def test_holes_in_the_log_do_not_hold_the_commit() -> None:
    gate = CommitGate(frozenset({RAW}))
    for offset in (0, 1, 5, 6):
        gate.fetched(RAW, 0, offset)
    publish(gate, [0, 1, 5, 6])
    assert gate.committable(RAW, 0) == 7


def test_a_committed_offset_deleted_by_retention_is_a_hole() -> None:
    gate = gate_with(range(40, 45), start=30)
    publish(gate, range(40, 45))
    assert gate.committable(RAW, 0) == 45


def test_a_seek_resets_the_start_and_ignores_what_came_before() -> None:
    gate = gate_with(range(60))
    publish(gate, range(10))
    gate.reset()
    gate.start(RAW, 0, 50)
    gate.fetched(RAW, 0, 45)  # fetched before the seek
    publish(gate, range(45, 50))
    assert gate.committable(RAW, 0) is None
    for offset in range(50, 53):
        gate.fetched(RAW, 0, offset)
    publish(gate, range(50, 53))
    assert gate.committable(RAW, 0) == 53


def test_other_topics_are_left_to_faust() -> None:
    gate = CommitGate(frozenset({RAW}))
    gate.fetched("other", 0, 0)
    gate.publish("other", 0, 0)
    assert gate.committable("other", 0) is None
    assert gate.with_pending() == []


def test_the_transport_commits_from_the_gate_and_drops_faust_acks() -> None:
    gate = gate_with(range(20))
    publish(gate, range(10))
    consumer: Any = object.__new__(faust_transport.Consumer)
    consumer.app = SimpleNamespace(**{faust_transport.GATE_ATTRIBUTE: gate})
    tp = TP(RAW, 0)
    consumer._acked = defaultdict(list, {tp: list(range(20))})
    consumer._acked_index = defaultdict(set, {tp: set(range(20))})
    assert list(consumer._filter_tps_with_pending_acks()) == [tp]
    assert consumer._new_offset(tp) == 10, "Faust's acks alone would give 20"
    assert consumer._acked[tp] == [] and consumer._acked_index[tp] == set()


def test_an_offset_below_the_commit_point_halts_the_gate() -> None:
    gate = gate_with(range(100, 110), start=100)
    publish(gate, range(100, 105))
    assert gate.committable(RAW, 0) == 105
    halts: list[str] = []
    gate.on_halt = halts.append
    gate.rewound(RAW, 0, 106)  # above the commit point: a stale duplicate, nothing to say
    assert halts == []
    gate.rewound(RAW, 0, 3)  # the log starts again below it: the broker lost its data
    publish(gate, range(105, 110))
    assert gate.committable(RAW, 0) is None, "nothing is committed after a reset"
    assert len(halts) == 1 and "offset 3 fetched below commit point 105" in halts[0]


def test_a_halt_is_heard_once_and_stops_every_commit() -> None:
    gate = gate_with(range(10))
    publish(gate, range(5))
    halts: list[str] = []
    gate.on_halt = halts.append
    gate.halt("topic news.raw.v1 is gone from the broker")
    gate.halt("a second reason")
    assert halts == ["topic news.raw.v1 is gone from the broker"]
    assert gate.committable(RAW, 0) is None


def test_the_producer_sends_nothing_after_a_halt() -> None:
    gate = CommitGate(frozenset({RAW}))
    producer: Any = object.__new__(faust_transport.Producer)
    producer.app = SimpleNamespace(**{faust_transport.GATE_ATTRIBUTE: gate})
    gate.halt("broker reset")
    with pytest.raises(faust_transport.ProducerHalted, match="not produced to out: broker reset"):
        asyncio.run(producer.send("out", b"k", b"v", None, None, None))


def test_every_assignment_looks_at_the_topics_before_faust_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    async def faust_assigned(self: Any, assigned: Any, generation_id: int = 0) -> None:
        calls.append("faust")

    monkeypatch.setattr(
        faust_transport.faust_aiokafka.Consumer, "on_partitions_assigned", faust_assigned
    )
    consumer: Any = object.__new__(faust_transport.Consumer)
    consumer.app = SimpleNamespace(
        **{faust_transport.ASSIGNED_CHECK_ATTRIBUTE: lambda: calls.append("topic check")}
    )
    asyncio.run(consumer.on_partitions_assigned({TP(RAW, 0)}, 3))
    assert calls == ["topic check", "faust"]
