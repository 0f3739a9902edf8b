"""Connector state in a local file, for the embedded broker (which forgets everything it holds
when it stops): `newswire up` without Kafka keeps it in <NEWSWIRE_DATA_DIR>/connector-state.jsonl
so that a restart does not fetch and publish every feed item again.

The same records as the compacted state topic (`source/<id>`, `seen/...`), one JSON line each,
appended and fsynced on `flush` (the runner flushes after the raw events are acknowledged);
replayed on start, and rewritten compactly when it has grown to twice its live size.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from connectors.state import SEEN_RETENTION_S, MemoryStateStore, SourceState


class FileStateStore(MemoryStateStore):
    def __init__(self, path: Path, retention_s: float = SEEN_RETENTION_S) -> None:
        super().__init__()
        self.path = path
        self.retention_s = retention_s
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = self._replay()
        self._expire()
        if lines > 2 * (len(self.seen) + len(self.sources)) + 100:
            self._rewrite()
        self._file = path.open("a", encoding="utf-8")

    def _replay(self) -> int:
        if not self.path.exists():
            return 0
        count = 0
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: the ones before it stand
                self._apply(record["key"], record.get("value"))
                count += 1
        return count

    def _apply(self, key: str, value: Any) -> None:
        if key.startswith("source/"):
            if value is not None:
                state = SourceState(**value)
                self.sources[state.source_id] = state
        elif value is None:
            self.seen.pop(key, None)
            self.versions.pop(key, None)
        else:
            self.seen[key] = float(value["at"])
            if value.get("updated"):
                self.versions[key] = value["updated"]

    def _expire(self) -> None:
        cutoff = time.time() - self.retention_s
        for key in [k for k, at in self.seen.items() if at < cutoff]:
            del self.seen[key]
            self.versions.pop(key, None)

    def _records(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = [
            {"key": f"source/{s.source_id}", "value": asdict(s)} for s in self.sources.values()
        ]
        for key, at in self.seen.items():
            records.append({"key": key, "value": {"at": at, "updated": self.versions.get(key)}})
        return records

    def _rewrite(self) -> None:
        fresh = self.path.with_suffix(".tmp")
        with fresh.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r) + "\n" for r in self._records())
            out.flush()
            os.fsync(out.fileno())
        fresh.replace(self.path)

    def _write(self, key: str, value: Any) -> None:
        self._file.write(json.dumps({"key": key, "value": value}) + "\n")

    def save_source(self, state: SourceState) -> None:
        super().save_source(state)
        self._write(f"source/{state.source_id}", asdict(state))

    def mark_seen(self, keys: list[str], updated: str | None = None) -> None:
        super().mark_seen(keys, updated)
        for key in keys:
            self._write(key, {"at": self.seen[key], "updated": updated})

    def flush(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self.flush()
        self._file.close()
