"""The dedup table tells the dedup which changelog records its store holds: Faust reads a
record (`on_changelog_event`) well before it applies it to the store, in batches."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import faust

from pipeline.core.settings import Settings
from pipeline.kafka.topics import DEDUP_TABLE
from pipeline.worker.dedup_table import DedupTable, dedup_state


def record(key: str, value: Any) -> Any:
    return SimpleNamespace(key=key, value=value, message=SimpleNamespace(value=b"x", partition=0))


def test_applied_is_told_once_the_store_holds_the_record() -> None:
    app = faust.App("dedup-table-test", broker="kafka://127.0.0.1:1")
    dedup = dedup_state(app, Settings(bootstrap_servers="127.0.0.1:1"))
    table = app.tables[DEDUP_TABLE]
    assert isinstance(table, DedupTable) and table.on_applied == dedup.applied
    held: list[tuple[str, Any]] = []
    table.on_applied = lambda key, value: held.append((key, table.data.get(key)))
    entry = [["h"], "art-1", 1, "", "", ""]
    table.apply_changelog_batch([record("https://a.test/x", entry)])
    assert held == [("https://a.test/x", entry)]


def test_the_dedup_table_is_made_as_app_global_table_makes_one() -> None:
    """Guard: without `is_global` Faust's assignor gives each worker only some changelog
    partitions (the dedup table is then not global at all)."""
    app = faust.App("dedup-table-test", broker="kafka://127.0.0.1:1")
    settings = Settings(bootstrap_servers="127.0.0.1:1")
    dedup_state(app, settings)
    ours = app.tables[DEDUP_TABLE]
    theirs = app.GlobalTable("reference", partitions=settings.topics.raw_partitions)
    for attribute in (
        "is_global",
        "standby_buffer_size",
        "recovery_buffer_size",
        "synchronize_all_active_partitions",
        "partitions",
        "_store",
    ):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    assert isinstance(ours, type(theirs)) and ours.use_partitioner
