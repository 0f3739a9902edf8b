"""Deduplication decisions over one mapping of canonical URL -> what was last emitted for it.

- Same canonical URL, a text it already had (one of its last `KNOWN_TEXTS`): not emitted again,
  so a replayed old version is not taken for a new revision.
- Same canonical URL, changed text: emitted as the next `revision`, with `previous_event_id`.
- Another URL whose text closely resembles an earlier article (syndicated wire copy): emitted
  with `duplicate_of` naming that article's event, so consumers can choose. The original is the
  article seen first (`fetched_at`), not the one decided first: one seen first but decided
  later is emitted as the original, and the other is emitted again as its copy (a
  `correction` that `supersedes` its first event; pipeline/worker/first_sight.py).
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
of an article that never went out. `decide` does both at once.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeGuard

from pipeline.cleaning.fingerprint import INDEX_KEYS, resemblance
from pipeline.worker.first_sight import Originals, correction, earliest, seen_before

NEAR_DUPLICATE = 0.7
KNOWN_TEXTS = 4
HASH_CHARS = 16  # 64 bits of the text hash: plenty to tell the versions of one URL apart

# An entry: [recent text hashes (latest last), event id, revision, packed sketch ("" unless
# the text is an original), digest of the tagger versions of that event, first sight of the
# URL (its earliest `fetched_at`)]; entries written before tagger versions existed have no
# fifth element (their versions count as ""), before first sight no sixth ("": unknown).
Entry = list[Any]
Event = dict[str, Any]


@dataclass(frozen=True)
class Decision:
    emit: bool
    revision: int
    previous_event_id: str | None
    duplicate_of: str | None
    supersedes: str | None = None
    correction: Event | None = None  # an earlier original, now the copy of this one

    def apply(self, event: Event) -> Event:
        """The event as published under this decision."""
        return {
            **event,
            "revision": self.revision,
            "previous_event_id": self.previous_event_id,
            "duplicate_of": self.duplicate_of,
            "supersedes": self.supersedes,
        }

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
    return isinstance(value, list) and len(value) in (4, 5, 6) and isinstance(value[0], list)


def entry_versions(entry: Entry) -> str:
    return str(entry[4]) if len(entry) > 4 else ""


def entry_first_seen(entry: Entry) -> str:
    return str(entry[5]) if len(entry) > 5 else ""


class Deduplicator:
    def __init__(
        self,
        seen: MutableMapping[str, Any],
        capacity: int,
        forget: Callable[[str], None] | None = None,
        originals: Originals | None = None,
    ) -> None:
        self.seen = seen  # canonical URL -> Entry; in the worker, writes go to the changelog
        self.capacity = capacity
        self._forget_locally = forget or (lambda url: seen.pop(url, None))
        self._index: dict[int, str] = {}  # one of a sketch's smallest values -> original's URL
        self._proposed: dict[str, Entry] = {}  # decided, not yet confirmed (published)
        self.originals = originals if originals is not None else Originals()
        self._published: dict[str, Event] = {}  # proposed originals' events, for `originals`
        self._demoting: dict[str, str] = {}  # proposed URL -> the URL its proposal demotes

    def decide(
        self,
        url: str,
        text_hash: str,
        sketch: list[int],
        event_id: str,
        versions: str = "",
        first_seen: str = "",
        event: Event | None = None,
    ) -> Decision:
        """Propose and confirm at once (for callers that publish before deciding again)."""
        decision = self.propose(url, text_hash, sketch, event_id, versions, first_seen, event)
        if decision.emit:
            self.confirm(url)
        return decision

    def propose(
        self,
        url: str,
        text_hash: str,
        sketch: list[int],
        event_id: str,
        versions: str = "",
        first_seen: str = "",
        event: Event | None = None,
    ) -> Decision:
        """Decide, remembering the entry in memory only (later decisions see it); `versions`:
        a digest of the tagger versions that made `event_id`; `first_seen`: when newswire
        fetched this text (`fetched_at`); `event`: the enriched event, kept once published if
        it is an original, so that an article seen earlier can demote it."""
        text_hash = text_hash[:HASH_CHARS]
        previous = self._entry(url)
        if not is_entry(previous):
            previous = None
        if previous and text_hash in previous[0]:
            if text_hash == previous[0][-1] and entry_versions(previous) != versions:
                return self._retag(url, previous, sketch, event_id, versions, event)
            return Decision(False, previous[2], previous[1], None)
        revision = previous[2] + 1 if previous else 1
        first_seen = earliest(entry_first_seen(previous) if previous else "", first_seen)
        similar = self._similar(url, sketch)
        fixed = self._demote(url, first_seen, similar, event_id) if similar else None
        duplicate_of = str(similar[1][1]) if similar and fixed is None else None
        original = bool(sketch) and duplicate_of is None
        hashes = [*(previous[0] if previous else []), text_hash][-KNOWN_TEXTS:]
        packed = pack_sketch(sketch) if original else ""
        self._write(url, [hashes, event_id, revision, packed, versions, first_seen])
        previous_id = previous[1] if previous else None
        decision = Decision(True, revision, previous_id, duplicate_of, correction=fixed)
        if original and event is not None:
            self._published[url] = decision.apply(event)
        return decision

    def _retag(
        self,
        url: str,
        previous: Entry,
        sketch: list[int],
        event_id: str,
        versions: str,
        event: Event | None,
    ) -> Decision:
        """The URL's latest text under new tagger versions: same revision, a new event."""
        first_seen = entry_first_seen(previous)
        self._write(url, [previous[0], event_id, previous[2], previous[3], versions, first_seen])
        similar = None if previous[3] else self._similar(url, sketch)
        duplicate_of = str(similar[1][1]) if similar else None
        decision = Decision(True, previous[2], None, duplicate_of, supersedes=str(previous[1]))
        if previous[3] and event is not None:
            self._published[url] = decision.apply(event)
        return decision

    def _demote(
        self, url: str, first_seen: str, similar: tuple[str, Entry], event_id: str
    ) -> Event | None:
        """If `url` was seen before the original it resembles, and that original's event is
        at hand: propose it as the copy of `event_id`, and return its corrected event."""
        other_url, other = similar
        if not seen_before(url, first_seen, other_url, entry_first_seen(other)):
            return None
        published = self.originals.get(other_url, str(other[1]))
        if published is None:
            return None
        fixed = correction(published, event_id)
        self._unindex(other_url, other[3])
        demoted = [other[0], fixed["event_id"], other[2], "", entry_versions(other)]
        self._proposed[other_url] = [*demoted, entry_first_seen(other)]
        self._demoting[url] = other_url
        return fixed

    def _write(self, url: str, entry: Entry) -> None:
        self._proposed[url] = entry
        self.observe(url, entry)

    def confirm(self, url: str) -> None:
        """The proposed entry's article is published: write it to the table."""
        entry = self._proposed.pop(url, None)
        published = self._published.pop(url, None)
        demoted = self._demoting.pop(url, None)
        if demoted is not None:
            self.originals.drop(demoted)
            fixed = self._proposed.pop(demoted, None)
            if fixed is not None:
                self.seen[demoted] = fixed
        if entry is not None:
            self.seen[url] = entry
            if published is not None:
                self.originals.keep(url, published)
            else:
                self.originals.drop(url)
            self.trim()

    def withdraw(self, url: str) -> None:
        """The proposed entry's article could not be published: forget the proposal (and
        the demotion it proposed)."""
        entry = self._proposed.pop(url, None)
        self._published.pop(url, None)
        if is_entry(entry) and entry[3]:
            self._unindex(url, entry[3])
        demoted = self._demoting.pop(url, None)
        if demoted is not None:
            self._proposed.pop(demoted, None)
            self.observe(demoted, self.seen.get(demoted))

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

    def _similar(self, url: str, sketch: list[int]) -> tuple[str, Entry] | None:
        """The first indexed original that `sketch` nearly duplicates: its URL and entry."""
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
                return candidate, known
        return None
