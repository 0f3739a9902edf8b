"""The dedup table's entries in a local file, for the embedded broker, which forgets the table's
changelog when it stops: `newswire up` without Kafka keeps them in
<NEWSWIRE_DATA_DIR>/dedup-state.jsonl, so that after a restart an update of an old article is
its next revision (not revision 1 again) and a copy of an old article names its original.

One JSON line per entry the worker confirmed (`{"url": ..., "entry": [...]}`), appended only once
the broker acknowledged the article (`Deduplicator.confirm`): nothing unpublished is kept. Each
line goes to the operating system at once (a killed worker loses none) and to the disk on `sync`
(the worker's trim timer, every few seconds; `sync_in_thread` runs the fsync in a thread, off
Faust's event loop). Bounded like the table: at most `capacity` URLs,
the first seen forgotten first; the file is rewritten compactly when it has grown to twice its
live size. A line that cannot be read (cut short by a crash, edited by hand) is skipped and
counted, with one warning; the file is then rewritten without it. Nothing reads the file but
the worker that writes it: one file per worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from pathlib import Path

from pipeline.core.codec import decode, encode
from pipeline.worker.dedup import Entry, is_entry

log = logging.getLogger(__name__)


class DedupFile:
    def __init__(self, path: Path, capacity: int) -> None:
        self.path = path
        self.capacity = capacity
        self.skipped = 0  # unreadable lines met, at open and at compactions
        self.failed = 0  # entries that could not be written
        path.parent.mkdir(parents=True, exist_ok=True)
        entries, lines, clean = self._read()
        if self.skipped:
            log.warning(
                "%s: skipped %d unreadable lines (cut short by a crash, or edited); "
                "the %d other entries stand",
                path,
                self.skipped,
                len(entries),
            )
        if (self.skipped or not clean or lines > 2 * len(entries) + 100) and self._rewrite(entries):
            lines = len(entries)
        self._restored: dict[str, Entry] | None = entries
        self._urls: OrderedDict[str, None] = OrderedDict.fromkeys(entries)
        self._lines = lines
        self._file = path.open("ab")

    def take(self) -> dict[str, Entry]:
        """The entries the file held when it was opened, first seen first; once (then they
        are dropped: the table holds them)."""
        restored, self._restored = self._restored or {}, None
        return restored

    def __len__(self) -> int:
        return len(self._urls)

    def remember(self, url: str, entry: Entry) -> None:
        """Keep the entry of a published article (it replaces the URL's earlier one)."""
        try:
            self._file.write(encode({"url": url, "entry": entry}) + b"\n")
            self._file.flush()
        except (OSError, ValueError) as exc:  # ValueError: the file could not be reopened
            self._failed(exc)
            return
        self._lines += 1
        self._urls[url] = None
        while len(self._urls) > self.capacity:
            self._urls.popitem(last=False)
        if self._lines > 2 * len(self._urls) + 100:
            self._compact()

    def sync(self) -> None:
        """What was written, onto the disk (survives a crash of the machine too)."""
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        except (OSError, ValueError) as exc:
            self._failed(exc)

    async def sync_in_thread(self) -> None:
        """`sync` with the wait for the disk in a thread, so that the event loop goes on. The
        fsync is on a duplicate of the file's descriptor: a compaction that reopens the file
        meanwhile leaves it valid."""
        try:
            self._file.flush()
            descriptor = os.dup(self._file.fileno())
        except (OSError, ValueError) as exc:
            self._failed(exc)
            return
        try:
            await asyncio.to_thread(os.fsync, descriptor)
        except OSError as exc:
            self._failed(exc)
        finally:
            os.close(descriptor)

    def close(self) -> None:
        self.sync()
        self._file.close()

    def _failed(self, exc: Exception) -> None:
        """A write that did not reach the file: counted, logged once, never fatal."""
        self.failed += 1
        if self.failed == 1:
            log.error("%s: cannot keep dedup entries (%s); a restart forgets them", self.path, exc)

    def _compact(self) -> None:
        self._file.close()
        try:
            entries, _, _ = self._read()
            if self._rewrite(entries):
                self._urls = OrderedDict.fromkeys(entries)
                self._lines = len(entries)
        finally:
            self._file = self.path.open("ab")

    def _rewrite(self, entries: OrderedDict[str, Entry]) -> bool:
        """Replace the file by its live entries; False (the old file stays) if that fails."""
        try:
            self._write_all(entries)
        except OSError as exc:
            self._failed(exc)
            return False
        return True

    def _read(self) -> tuple[OrderedDict[str, Entry], int, bool]:
        """The live entries (bounded, replayed in order), the number of lines, and whether the
        last line was complete."""
        entries: OrderedDict[str, Entry] = OrderedDict()
        lines, clean = 0, True
        if not self.path.exists():
            return entries, lines, clean
        with self.path.open("rb") as file:
            for line in file:
                lines += 1
                clean = line.endswith(b"\n")
                record = parse(line)
                if record is None:
                    self.skipped += 1
                    continue
                entries[record[0]] = record[1]
                while len(entries) > self.capacity:
                    entries.popitem(last=False)
        return entries, lines, clean

    def _write_all(self, entries: OrderedDict[str, Entry]) -> None:
        fresh = self.path.with_name(self.path.name + ".tmp")
        with fresh.open("wb") as out:
            out.writelines(encode({"url": url, "entry": e}) + b"\n" for url, e in entries.items())
            out.flush()
            os.fsync(out.fileno())
        fresh.replace(self.path)


def parse(line: bytes) -> tuple[str, Entry] | None:
    """One line's URL and entry, or None if it is not a well-formed record."""
    try:
        record = decode(line)
    except ValueError:
        return None
    url, entry = record.get("url"), record.get("entry")
    if not isinstance(url, str) or not url or not is_entry(entry):
        return None
    return url, entry
