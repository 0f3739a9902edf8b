"""The dedup entries kept on disk for the embedded broker (pipeline/worker/dedup_file.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from pipeline.cleaning.fingerprint import sketch, text_hash
from pipeline.worker.dedup import Deduplicator, Entry, pack_sketch
from pipeline.worker.dedup_file import DedupFile
from tests.unit.pipeline.worker.test_dedup import ARTICLES


def entry(event_id: str, revision: int = 1, text: str = "") -> Entry:
    return [[f"h-{event_id}"], event_id, revision, pack_sketch(sketch(text)) if text else "", ""]


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def test_entries_come_back_in_first_seen_order_once(tmp_path: Path) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=10)
    assert kept.take() == {}
    kept.remember("https://a.test/1", entry("e1"))
    kept.remember("https://a.test/2", entry("e2"))
    kept.remember("https://a.test/1", entry("e3", revision=2))  # an update keeps its place
    kept.close()

    reopened = DedupFile(path, capacity=10)
    assert reopened.take() == {
        "https://a.test/1": entry("e3", revision=2),
        "https://a.test/2": entry("e2"),
    }
    assert list(reopened.take()) == [], "given once: the table holds them afterwards"
    assert reopened.skipped == 0


def test_at_most_capacity_urls_the_first_seen_forgotten_first(tmp_path: Path) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=3)
    for index in range(5):
        kept.remember(f"https://a.test/{index}", entry(f"e{index}"))
    assert len(kept) == 3
    kept.close()
    assert list(DedupFile(path, capacity=3).take()) == [f"https://a.test/{i}" for i in (2, 3, 4)]
    assert list(DedupFile(path, capacity=2).take()) == [f"https://a.test/{i}" for i in (3, 4)]


def test_the_file_is_compacted_as_it_grows(tmp_path: Path) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=5)
    for revision in range(1, 1001):
        kept.remember(f"https://a.test/{revision % 2}", entry(f"e{revision}", revision))
    kept.close()
    assert len(lines(path)) <= 2 * 2 + 100
    restored = DedupFile(path, capacity=5).take()
    assert [e[2] for e in restored.values()] == [999, 1000]  # /1 first seen, then /0


def test_unreadable_lines_are_skipped_counted_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=10)
    kept.remember("https://a.test/1", entry("e1"))
    kept.close()
    with path.open("ab") as file:
        file.write(b"not json at all\n")
        file.write(b'{"url": 7, "entry": []}\n')  # JSON, not an entry
        file.write(b'["a list"]\n')
        file.write(b'{"url": "https://a.test/2", "entry": [["h"], "e2", 1, "", ""]}\n')
    with caplog.at_level(logging.WARNING, logger="pipeline.worker.dedup_file"):
        reopened = DedupFile(path, capacity=10)
    assert reopened.skipped == 3
    assert list(reopened.take()) == ["https://a.test/1", "https://a.test/2"]
    assert "skipped 3 unreadable lines" in caplog.text
    reopened.close()
    assert DedupFile(path, capacity=10).skipped == 0, "rewritten without them"


def test_a_line_cut_short_by_a_crash_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=10)
    kept.remember("https://a.test/1", entry("e1"))
    kept.close()
    with path.open("ab") as file:
        file.write(b'{"url": "https://a.test/2", "entry": [["h"], "e')  # no end, no newline
    reopened = DedupFile(path, capacity=10)
    assert reopened.skipped == 1
    reopened.remember("https://a.test/3", entry("e3"))  # not glued onto the cut line
    reopened.close()
    again = DedupFile(path, capacity=10)
    assert (again.skipped, list(again.take())) == (0, ["https://a.test/1", "https://a.test/3"])


def test_a_write_error_is_reported_once_and_is_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class FullDisk:
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    kept = DedupFile(tmp_path / "dedup.jsonl", capacity=10)
    real, kept._file = kept._file, FullDisk()  # type: ignore[assignment]
    with caplog.at_level(logging.ERROR, logger="pipeline.worker.dedup_file"):
        kept.remember("https://a.test/1", entry("e1"))
        kept.remember("https://a.test/2", entry("e2"))
    assert kept.failed == 2 and len(kept) == 0
    assert caplog.text.count("cannot keep dedup entries") == 1
    real.close()


def test_a_compaction_that_cannot_write_is_not_fatal_and_keeps_appending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=2)

    def full_disk(entries: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kept, "_write_all", full_disk)
    for i in range(120):  # past 2 x capacity + 100 lines: a compaction is due, and fails
        kept.remember(f"https://a.test/{i % 3}", entry(f"e{i}"))
    assert kept.failed >= 1
    kept.remember("https://a.test/last", entry("last"))  # the file is open again
    kept.sync()
    assert b"https://a.test/last" in lines(path)[-1]
    kept.close()
    monkeypatch.undo()
    again = DedupFile(path, capacity=2)  # opening compacts; that works again
    assert len(lines(path)) == 2 and "https://a.test/last" in again.take()
    again.close()


def test_a_sync_that_fails_is_counted_not_raised(tmp_path: Path) -> None:
    kept = DedupFile(tmp_path / "dedup.jsonl", capacity=10)
    kept._file.close()  # as after a failed reopen
    kept.sync()
    kept.remember("https://a.test/1", entry("e1"))
    assert kept.failed == 2


def test_only_confirmed_entries_are_kept(tmp_path: Path) -> None:
    """Nothing unpublished is remembered: a proposal reaches the file only once confirmed."""
    path = tmp_path / "dedup.jsonl"
    kept = DedupFile(path, capacity=10)
    dedup = Deduplicator({}, 10, remember=kept.remember)
    texts = list(ARTICLES.values())
    dedup.propose("https://a.test/1", text_hash("T", texts[0]), sketch(texts[0]), "e1")
    dedup.withdraw("https://a.test/1")  # the broker refused it
    dedup.propose("https://a.test/2", text_hash("T", texts[1]), sketch(texts[1]), "e2")
    assert path.read_bytes() == b""
    dedup.confirm("https://a.test/2")
    kept.close()
    assert list(DedupFile(path, capacity=10).take()) == ["https://a.test/2"]


def test_restore_puts_back_what_the_table_lacks_and_indexes_it() -> None:
    texts = list(ARTICLES.values())
    newer = entry("e1-new", revision=2, text=texts[0])
    table: dict[str, Any] = {"https://a.test/1": newer}
    dedup = Deduplicator(table, 10)
    kept = {"https://a.test/1": entry("e1", text=texts[0]), "https://a.test/2": entry("e2", 1)}
    kept["https://a.test/2"][3] = pack_sketch(sketch(texts[1]))

    assert dedup.restore(kept, table.__setitem__) == 1
    assert table["https://a.test/1"] is newer, "the table's own entry wins"
    update = dedup.decide("https://a.test/2", "other", sketch(texts[1] + " Update."), "e2-b")
    assert (update.revision, update.previous_event_id) == (2, "e2")
    copy = dedup.decide("https://b.test/2", "copy", sketch(texts[1]), "e-copy")
    assert copy.duplicate_of is not None, "the restored sketch is indexed"


def test_put_locally_matches_fausts_memory_store() -> None:
    """Guard: `put_locally` reaches into faust-streaming's memory store; fails if it changes.
    The key survives the store's clean-up after a recovery that assigned no partition."""
    from faust.stores.memory import Store

    from pipeline.worker.dedup_table import put_locally

    store = Store("memory://", app=None, table=None, table_name="dedup")  # type: ignore[arg-type]

    class Table:
        data = store

    put_locally(Table(), "https://a.test/x", entry("e1"))
    asyncio.run(store.on_recovery_completed(set(), set()))
    assert store["https://a.test/x"] == entry("e1")


def test_the_timer_s_sync_waits_for_the_disk_in_a_thread_not_on_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = DedupFile(tmp_path / "dedup.jsonl", capacity=10)
    kept.remember("https://a.test/1", entry("e1"))
    synced: list[tuple[int, bool]] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        synced.append((descriptor, threading.current_thread() is threading.main_thread()))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    asyncio.run(kept.sync_in_thread())
    assert len(synced) == 1 and synced[0][1] is False  # not the loop's (main) thread
    assert synced[0][0] != kept._file.fileno()  # a duplicate, closed afterwards
    with pytest.raises(OSError):
        os.fstat(synced[0][0])
    assert kept.failed == 0
    kept.close()


def test_a_sync_in_a_thread_that_fails_is_counted_not_raised(tmp_path: Path) -> None:
    kept = DedupFile(tmp_path / "dedup.jsonl", capacity=10)
    kept._file.close()  # as after a failed reopen
    asyncio.run(kept.sync_in_thread())
    assert kept.failed == 1
