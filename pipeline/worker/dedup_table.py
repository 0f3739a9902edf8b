"""The dedup state of a worker: a Faust global table of canonical URL -> dedup entry, the
near-duplicate index kept beside it (pipeline/worker/dedup.py), and on the embedded broker the
dedup file that outlives the broker (pipeline/worker/dedup_file.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import faust
from faust.types import EventT

from pipeline.core.settings import Settings
from pipeline.kafka.topics import DEDUP_TABLE, changelog_topic
from pipeline.worker.dedup import Deduplicator, Entry
from pipeline.worker.dedup_file import DedupFile

log = logging.getLogger(__name__)
TRIM_INTERVAL_S = 5.0


class DedupTable(faust.GlobalTable):
    """A global table that says which changelog records it has applied to its store: Faust
    reads records (`on_changelog_event`) well before it applies them, in batches."""

    on_applied: Callable[[str, Any], None] | None = None

    def apply_changelog_batch(self, batch: Iterable[EventT[Any]]) -> None:
        events = list(batch)
        super().apply_changelog_batch(events)
        if self.on_applied is None:
            return
        for event in events:
            if isinstance(event.key, str):
                self.on_applied(event.key, event.value)


def dedup_state(app: faust.App, settings: Settings) -> Deduplicator:
    """A global table: near-duplicates span URLs, so every worker needs the whole picture.

    Every changelog record (recovery, other workers, this worker's own writes read back) goes
    through `observe`, which keeps the in-memory near-duplicate index, and, once the table has
    applied it, through `applied` (until then this worker's latest writes win over the table);
    a timer trims the table to its capacity, also after a recovery that read more than that.
    With a dedup file, every confirmed entry is kept in it too, and the first recovery puts back
    what the changelog lacked (all of it on a new embedded broker) before any record is decided.
    """
    observers: list[Deduplicator] = []

    async def on_changelog_event(event: faust.EventT[Any]) -> None:
        if observers and isinstance(event.key, str):
            observers[0].observe(event.key, event.value)

    table = DedupTable(  # as app.GlobalTable makes one (a unit test compares the two)
        app,
        name=DEDUP_TABLE,
        beacon=app.tables.beacon,
        is_global=True,
        standby_buffer_size=1,
        partitions=settings.topics.raw_partitions,
        use_partitioner=True,  # written from batches, so by key, not the current event
        on_changelog_event=on_changelog_event,
        changelog_topic=app.topic(
            changelog_topic(settings, DEDUP_TABLE),
            key_serializer="json",
            value_serializer="json",
            partitions=settings.topics.raw_partitions,
            acks=False,  # as Faust's own changelogs: no stream reads it, so no stalled-stream alarm
        ),
    )
    app.tables.add(table)
    path, capacity = settings.worker.dedup_file, settings.worker.dedup_capacity
    kept = DedupFile(path, capacity) if path is not None else None
    dedup = Deduplicator(
        table,
        capacity,
        forget=lambda url: forget_locally(table, url),
        remember=kept.remember if kept is not None else None,
        reads_back=True,
    )
    observers.append(dedup)
    table.on_applied = dedup.applied
    if kept is not None:
        table.on_recover(lambda: restore_kept(kept, dedup, table))

    @app.timer(interval=TRIM_INTERVAL_S)
    async def trim_dedup() -> None:
        dedup.trim()
        if kept is not None:
            await kept.sync_in_thread()

    return dedup


async def restore_kept(kept: DedupFile, dedup: Deduplicator, table: Any) -> None:
    """After a recovery (the first only: `take` gives the file's entries once), before the
    streams resume."""
    entries = kept.take()
    if not entries:
        return
    try:  # Faust drops a recover callback's exception without a word
        restored = dedup.restore(entries, lambda url, entry: put_locally(table, url, entry))
    except Exception:
        log.exception("dedup: the entries of %s were not put back", kept.path)
        return
    log.info("dedup: %d of %d entries put back from %s", restored, len(entries), kept.path)


def forget_locally(table: Any, url: str) -> None:
    """Drop a key from this worker's copy of a table, without a tombstone in the changelog.

    Reaches into Faust's in-memory store (pinned faust-streaming 0.15.3; a unit test fails if
    its layout changes): `data` holds the values, `_key_partition` each key's partition.
    """
    store = table.data
    store.data.pop(url, None)
    store._key_partition.pop(url, None)


def put_locally(table: Any, url: str, entry: Entry) -> None:
    """Set a key in this worker's copy of a table, without a changelog record (the same pinned
    store layout as `forget_locally`). No partition is recorded for it, so the memory store's
    clean-up after a later recovery (keys of partitions not assigned) leaves it alone."""
    table.data.data[url] = entry
