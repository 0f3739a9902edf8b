"""Deduplication decisions over one mapping of canonical URL -> what was last emitted for it.

- Same canonical URL, a text it already had (one of its last `KNOWN_TEXTS`): not emitted again,
  so a replayed old version is not taken for a new revision.
- Same canonical URL, changed text: emitted as the next `revision`, with `previous_event_id`.
- Another URL whose text closely resembles an earlier article (syndicated wire copy): emitted
  with `duplicate_of` naming that article's event, so consumers can choose.
- Same canonical URL, its latest text, tagged under other tagger versions (a replay after a
  registry, taxonomy or lexicon change): emitted as a re-tag, same revision, with `supersedes`
  naming the event it replaces. An older text of the URL is not re-tagged: its revision was
  replaced already.

In the worker the mapping is a Faust global table (one changelog record per emitted article);
the near-duplicate index is derived from it here, in memory, from this worker's writes and the
changelog records of every worker (`observe`). Memory is bounded: beyond `capacity` URLs the
oldest are forgotten locally (`trim`), so a page seen again after that counts as new.

The worker decides with `propose` and writes the table with `confirm` only once the enriched
event was acknowledged by the broker: a table entry then always means a published article, so a
record redelivered after a crash is re-emitted (same event id) rather than taken as a duplicate
of an article that never went out. `decide` does both at once. `remember` hears of each
confirmed entry (on the embedded broker, pipeline/worker/dedup_file.py keeps them on disk), and
`restore` puts kept entries back into a table that lost them with the broker.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeGuard

from pipeline.cleaning.fingerprint import INDEX_KEYS, resemblance

NEAR_DUPLICATE = 0.7
KNOWN_TEXTS = 4
HASH_CHARS = 16  # 64 bits of the text hash: plenty to tell the versions of one URL apart

# An entry: [recent text hashes (latest last), event id, revision, packed sketch ("" unless
# the text is an original), digest of the tagger versions of that event]; entries written
# before tagger versions existed have no fifth element (their versions count as "").
Entry = list[Any]


@dataclass(frozen=True)
class Decision:
    emit: bool
    revision: int
    previous_event_id: str | None
    duplicate_of: str | None
    supersedes: str | None = None

    @property
    def outcome(self) -> str:
        if not self.emit:
            return "duplicate"
        if self.supersedes:
            return "retag"
        return "near_duplicate" if self.duplicate_of else "ok"


def pack_sketch(sketch: list[int]) -> str:
    """The sketch as base64 text of 64-bit values: compact, and JSON for the changelog."""
    return base64.b64encode(struct.pack(f">{len(sketch)}Q", *sketch)).decode("ascii")


def unpack_sketch(text: str) -> list[int]:
    raw = base64.b64decode(text)
    return list(struct.unpack(f">{len(raw) // 8}Q", raw))


def is_entry(value: Any) -> TypeGuard[Entry]:
    return isinstance(value, list) and len(value) in (4, 5) and isinstance(value[0], list)


def entry_versions(entry: Entry) -> str:
    return str(entry[4]) if len(entry) > 4 else ""


class Deduplicator:
    def __init__(
        self,
        seen: MutableMapping[str, Any],
        capacity: int,
        forget: Callable[[str], None] | None = None,
        remember: Callable[[str, Entry], None] | None = None,
    ) -> None:
        self.seen = seen  # canonical URL -> Entry; in the worker, writes go to the changelog
        self.capacity = capacity
        self._forget_locally = forget or (lambda url: seen.pop(url, None))
        self._remember = remember or (lambda url, entry: None)
        self._index: dict[int, str] = {}  # one of a sketch's smallest values -> original's URL
        self._proposed: dict[str, Entry] = {}  # decided, not yet confirmed (published)

    def decide(
        self, url: str, text_hash: str, sketch: list[int], event_id: str, versions: str = ""
    ) -> Decision:
        """Propose and confirm at once (for callers that publish before deciding again)."""
        decision = self.propose(url, text_hash, sketch, event_id, versions)
        if decision.emit:
            self.confirm(url)
        return decision

    def propose(
        self, url: str, text_hash: str, sketch: list[int], event_id: str, versions: str = ""
    ) -> Decision:
        """Decide, remembering the entry in memory only (later decisions see it); `versions`:
        a digest of the tagger versions that made `event_id`."""
        text_hash = text_hash[:HASH_CHARS]
        previous = self._entry(url)
        if not is_entry(previous):
            previous = None
        if previous and text_hash in previous[0]:
            if text_hash == previous[0][-1] and entry_versions(previous) != versions:
                return self._retag(url, previous, sketch, event_id, versions)
            return Decision(False, previous[2], previous[1], None)
        revision = previous[2] + 1 if previous else 1
        duplicate_of = self._first_similar(url, sketch)
        original = bool(sketch) and duplicate_of is None
        hashes = [*(previous[0] if previous else []), text_hash][-KNOWN_TEXTS:]
        entry = [hashes, event_id, revision, pack_sketch(sketch) if original else "", versions]
        self._write(url, entry)
        return Decision(True, revision, previous[1] if previous else None, duplicate_of)

    def _retag(
        self, url: str, previous: Entry, sketch: list[int], event_id: str, versions: str
    ) -> Decision:
        """The URL's latest text under new tagger versions: same revision, a new event."""
        self._write(url, [previous[0], event_id, previous[2], previous[3], versions])
        duplicate_of = None if previous[3] else self._first_similar(url, sketch)
        return Decision(True, previous[2], None, duplicate_of, supersedes=str(previous[1]))

    def _write(self, url: str, entry: Entry) -> None:
        self._proposed[url] = entry
        self.observe(url, entry)

    def confirm(self, url: str) -> None:
        """The proposed entry's article is published: write it to the table."""
        entry = self._proposed.pop(url, None)
        if entry is not None:
            self.seen[url] = entry
            self._remember(url, entry)
            self.trim()

    def restore(self, kept: Mapping[str, Entry], put: Callable[[str, Entry], None]) -> int:
        """Put back the kept entries of the URLs the table lacks, with `put` (locally: no
        changelog record), and index them; returns how many. The table's own entries win:
        they are at least as new."""
        missing = [(url, entry) for url, entry in kept.items() if url not in self.seen]
        for url, entry in missing:
            put(url, entry)
            self.observe(url, entry)
        self.trim()
        return len(missing)

    def withdraw(self, url: str) -> None:
        """The proposed entry's article could not be published: forget the proposal."""
        entry = self._proposed.pop(url, None)
        if is_entry(entry) and entry[3]:
            self._unindex(url, entry[3])

    def _entry(self, url: str) -> Any:
        proposed = self._proposed.get(url)
        return proposed if proposed is not None else self.seen.get(url)

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
            known = self._entry(candidate)
            if (
                is_entry(known)
                and known[3]
                and resemblance(sketch, unpack_sketch(known[3])) >= NEAR_DUPLICATE
            ):
                return str(known[1])
        return None
