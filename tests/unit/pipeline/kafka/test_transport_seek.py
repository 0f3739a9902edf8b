"""The transport's seek after Faust's (pipeline/kafka/transport.py, Consumer.perform_seek)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from pipeline.kafka import transport as faust_transport
from pipeline.kafka.commit_gate import CommitGate

RAW, CHANGELOG = "news.raw.v1", "app-dedup-changelog"


class FakeThread:
    def __init__(self) -> None:
        self.seeks: list[tuple[TP, int]] = []
        self.to_beginning: list[tuple[str, int]] = []

    def seek(self, tp: TP, offset: int) -> None:
        self.seeks.append((tp, offset))

    async def seek_to_beginning(self, *partitions: Any) -> None:
        self.to_beginning.extend((p.topic, p.partition) for p in partitions)


def consumer_after_faust_seek(
    monkeypatch: pytest.MonkeyPatch, committed: dict[TP, int | None]
) -> tuple[Any, FakeThread, CommitGate]:
    """A transport consumer whose Faust seek found these committed offsets (as Faust stores
    them: a negative or missing commit is None, 0 stays 0 in the read offsets)."""

    async def faust_seek(self: Any) -> None:
        self._read_offset.update(committed)

    monkeypatch.setattr(faust_transport.faust_aiokafka.Consumer, "perform_seek", faust_seek)
    gate = CommitGate(frozenset({RAW}))
    consumer: Any = object.__new__(faust_transport.Consumer)
    consumer.app = SimpleNamespace(**{faust_transport.GATE_ATTRIBUTE: gate})
    consumer._read_offset = {}
    consumer._thread = thread = FakeThread()
    consumer.assignment = lambda: set(committed)
    consumer._is_changelog_tp = lambda tp: tp.topic == CHANGELOG
    return consumer, thread, gate


def test_partitions_without_a_commit_read_from_the_beginning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    committed = {TP(RAW, 0): None, TP(RAW, 1): 7, TP(CHANGELOG, 0): None}
    consumer, thread, gate = consumer_after_faust_seek(monkeypatch, committed)
    asyncio.run(consumer.perform_seek())
    assert thread.to_beginning == [(RAW, 0)], "the changelog is left to Faust's recovery"
    assert thread.seeks == []
    assert gate.committable(RAW, 1) is None and gate._partitions[(RAW, 1)].next_offset == 7


def test_a_commit_of_zero_is_seeked_to_and_starts_the_gate_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # aiokafka seeks committed offsets above 0 only; Faust then reads 0 as "no commit"
    consumer, thread, gate = consumer_after_faust_seek(monkeypatch, {TP(RAW, 0): 0})
    asyncio.run(consumer.perform_seek())
    assert thread.seeks == [(TP(RAW, 0), 0)]
    assert thread.to_beginning == []
    gate.fetched(RAW, 0, 0)
    gate.publish(RAW, 0, 0)
    assert gate.committable(RAW, 0) == 1


def test_nothing_is_committed_after_a_halt(monkeypatch: pytest.MonkeyPatch) -> None:
    async def faust_commit(self: Any, offsets: Any) -> bool:
        raise AssertionError("committed after the halt")

    monkeypatch.setattr(faust_transport.faust_aiokafka.Consumer, "_commit", faust_commit)
    consumer, _, gate = consumer_after_faust_seek(monkeypatch, {})
    gate.halt("broker reset")
    assert asyncio.run(consumer._commit({TP(RAW, 0): 5})) is False
