"""Deduplication decisions over three mappings (Faust tables in the worker, dicts in tests).

- Same canonical URL, same text: not emitted again.
- Same canonical URL, changed text: emitted as the next `revision`, with `previous_event_id`.
- Another URL whose text closely resembles an earlier article (syndicated wire copy): emitted
  with `duplicate_of` naming the first event, so consumers can choose.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from pipeline.cleaning.fingerprint import index_keys, resemblance

NEAR_DUPLICATE = 0.7
INDEX_CAPACITY = 16


@dataclass(frozen=True)
class Decision:
    emit: bool
    revision: int
    previous_event_id: str | None
    duplicate_of: str | None

    @property
    def outcome(self) -> str:
        if not self.emit:
            return "duplicate"
        return "near_duplicate" if self.duplicate_of else "ok"


class Deduplicator:
    def __init__(
        self,
        urls: MutableMapping[str, Any],
        sketches: MutableMapping[str, Any],
        index: MutableMapping[str, Any],
    ) -> None:
        self.urls = urls  # canonical URL -> {hash, event_id, revision}
        self.sketches = sketches  # event_id -> {url, sketch}
        self.index = index  # sketch value -> [event_id, ...]

    def decide(self, url: str, text_hash: str, sketch: list[int], event_id: str) -> Decision:
        previous = self.urls.get(url)
        if previous and previous["hash"] == text_hash:
            return Decision(False, previous["revision"], previous["event_id"], None)
        revision = previous["revision"] + 1 if previous else 1
        duplicate_of = self._first_similar(url, sketch)
        self.urls[url] = {"hash": text_hash, "event_id": event_id, "revision": revision}
        if sketch and duplicate_of is None:
            self._remember(url, sketch, event_id)
        return Decision(True, revision, previous["event_id"] if previous else None, duplicate_of)

    def _first_similar(self, url: str, sketch: list[int]) -> str | None:
        if not sketch:
            return None
        candidates: list[str] = []
        for key in index_keys(sketch):
            candidates.extend(c for c in self.index.get(key) or [] if c not in candidates)
        for candidate in candidates:
            known = self.sketches.get(candidate)
            if (
                known
                and known["url"] != url
                and resemblance(sketch, known["sketch"]) >= NEAR_DUPLICATE
            ):
                return candidate
        return None

    def _remember(self, url: str, sketch: list[int], event_id: str) -> None:
        self.sketches[event_id] = {"url": url, "sketch": sketch}
        for key in index_keys(sketch):
            entries = [e for e in self.index.get(key) or [] if e != event_id]
            self.index[key] = [*entries, event_id][-INDEX_CAPACITY:]
