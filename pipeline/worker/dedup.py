"""Deduplication decisions over one mapping of canonical URL -> what was last emitted for it.

- Same canonical URL, a text it already had (one of its last `KNOWN_TEXTS`): not emitted again,
  so a replayed old version is not taken for a new revision.
- Same canonical URL, changed text: emitted as the next `revision`, with `previous_event_id`.
- Another URL whose text closely resembles an earlier article (syndicated wire copy): emitted
  with `duplicate_of` naming that article's event, so consumers can choose.

In the worker the mapping is a Faust global table (one changelog record per emitted article);
the near-duplicate index is derived from it here, in memory, from this worker's writes and the
changelog records of every worker (`observe`). Memory is bounded: beyond `capacity` URLs the
oldest are forgotten locally (`trim`), so a page seen again after that counts as new.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeGuard

from pipeline.cleaning.fingerprint import INDEX_KEYS, resemblance

NEAR_DUPLICATE = 0.7
KNOWN_TEXTS = 4
HASH_CHARS = 16  # 64 bits of the text hash: plenty to tell the versions of one URL apart

# An entry: [recent text hashes (latest last), event id, revision, packed sketch ("" unless
# the text is an original)]
Entry = list[Any]


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


def pack_sketch(sketch: list[int]) -> str:
    """The sketch as base64 text of 64-bit values: compact, and JSON for the changelog."""
    return base64.b64encode(struct.pack(f">{len(sketch)}Q", *sketch)).decode("ascii")


def unpack_sketch(text: str) -> list[int]:
    raw = base64.b64decode(text)
    return list(struct.unpack(f">{len(raw) // 8}Q", raw))


def is_entry(value: Any) -> TypeGuard[Entry]:
    return isinstance(value, list) and len(value) == 4 and isinstance(value[0], list)


class Deduplicator:
    def __init__(
        self,
        seen: MutableMapping[str, Any],
        capacity: int,
        forget: Callable[[str], None] | None = None,
    ) -> None:
        self.seen = seen  # canonical URL -> Entry; in the worker, writes go to the changelog
        self.capacity = capacity
        self._forget_locally = forget or (lambda url: seen.pop(url, None))
        self._index: dict[int, str] = {}  # one of a sketch's smallest values -> original's URL

    def decide(self, url: str, text_hash: str, sketch: list[int], event_id: str) -> Decision:
        text_hash = text_hash[:HASH_CHARS]
        previous = self.seen.get(url)
        if not is_entry(previous):
            previous = None
        if previous and text_hash in previous[0]:
            return Decision(False, previous[2], previous[1], None)
        revision = previous[2] + 1 if previous else 1
        duplicate_of = self._first_similar(url, sketch)
        original = bool(sketch) and duplicate_of is None
        hashes = [*(previous[0] if previous else []), text_hash][-KNOWN_TEXTS:]
        entry = [hashes, event_id, revision, pack_sketch(sketch) if original else ""]
        self.seen[url] = entry
        self.observe(url, entry)
        self.trim()
        return Decision(True, revision, previous[1] if previous else None, duplicate_of)

    def observe(self, url: str, entry: Any) -> None:
        """Index an entry whoever wrote it: this worker, or any worker via the changelog."""
        if not is_entry(entry) or not entry[3]:
            return
        for key in unpack_sketch(entry[3])[:INDEX_KEYS]:
            self._index[key] = url

    def trim(self) -> None:
        """Forget the URLs first seen longest ago, beyond the capacity (locally only)."""
        excess = len(self.seen) - self.capacity
        if excess <= 0:
            return
        for url in list(islice(iter(self.seen), excess)):
            entry = self.seen.get(url)
            self._forget_locally(url)
            if is_entry(entry) and entry[3]:
                self._unindex(url, entry[3])

    @property
    def indexed_keys(self) -> int:
        return len(self._index)

    def _unindex(self, url: str, packed: str) -> None:
        for key in unpack_sketch(packed)[:INDEX_KEYS]:
            if self._index.get(key) == url:
                del self._index[key]

    def _first_similar(self, url: str, sketch: list[int]) -> str | None:
        if not sketch:
            return None
        candidates = dict.fromkeys(self._index.get(key) for key in sketch[:INDEX_KEYS])
        for candidate in candidates:
            if candidate is None or candidate == url:
                continue
            known = self.seen.get(candidate)
            if (
                is_entry(known)
                and known[3]
                and resemblance(sketch, unpack_sketch(known[3])) >= NEAR_DUPLICATE
            ):
                return str(known[1])
        return None
