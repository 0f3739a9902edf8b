"""Deduplication decisions over one mapping of canonical URL -> what was last emitted for it.

- Same canonical URL, a text it already had (one of its last `KNOWN_TEXTS`): not emitted again,
  so a replayed old version is not taken for a new revision.
- Same canonical URL, changed text: emitted as the next `revision`, with `previous_event_id`.
- Another URL whose text closely resembles an earlier article (syndicated wire copy): emitted
  with `duplicate_of` naming that article's event, so consumers can choose. The original is the
  article seen first (`fetched_at`), not the one decided first: one seen first but decided
  later is emitted as the original, and the other (with the copies that named it) is emitted
  again as its copy (a correction that `supersedes` its first event; first_sight.py).
- Same canonical URL, its latest text, tagged under other tagger versions (a replay after a
  registry, taxonomy or lexicon change): emitted as a re-tag, same revision, with `supersedes`
  naming the event it replaces. An older text of the URL is not re-tagged: its revision was
  replaced already.

In the worker the mapping is a Faust global table (one changelog record per emitted article);
the near-duplicate index is derived from it here, in memory, from this worker's writes and the
changelog records of every worker (`observe`). The table also reads back this worker's own
writes, late and in batches: until the record of its latest write for a URL is applied
(`applied`), an older write read back would set the URL back (a demoted original an original
again), so this worker's latest write wins over what the table holds, and older writes of its
own read back are not indexed. Memory is bounded: beyond `capacity` URLs the
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
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeGuard

from pipeline.cleaning.fingerprint import INDEX_KEYS, resemblance
from pipeline.worker.first_sight import Recent, correction, earliest, seen_before, sight_order

NEAR_DUPLICATE = 0.7
KNOWN_TEXTS = 4
READ_BACK_WAIT_S = 120.0  # an own write not read back by then is taken as lost
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
    corrections: tuple[Event, ...] = ()  # an earlier original and its copies, now copies

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
    # at least 4: a later release may add elements, and this one must still read its entries
    return isinstance(value, list) and len(value) >= 4 and isinstance(value[0], list)


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
        remember: Callable[[str, Entry], None] | None = None,
        recent: Recent | None = None,
        reads_back: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seen = seen  # canonical URL -> Entry; in the worker, writes go to the changelog
        self.capacity = capacity
        self._forget_locally = forget or (lambda url: seen.pop(url, None))
        self._remember = remember or (lambda url, entry: None)
        # one of a sketch's smallest values -> the URLs of the originals that have it (one,
        # nearly always: only in arbitrary read orders do two originals of a story meet here)
        self._index: dict[int, tuple[str, ...]] = {}
        self._proposed: dict[str, Entry] = {}  # decided, not yet confirmed (published)
        self.recent = recent if recent is not None else Recent()  # events published last
        self._published: dict[str, Event] = {}  # proposed URL -> its event, kept once confirmed
        self._demoting: dict[str, list[str]] = {}  # proposed URL -> the URLs it demotes
        # `reads_back`: the table reads this worker's writes back late (Faust's global table)
        self._reads_back = reads_back
        self._written: dict[str, Entry] = {}  # latest entry of a URL, not yet in the table
        self._read_back: set[str] = set()  # of those, the URLs whose record was read back
        self._written_at: dict[str, float] = {}  # when each was written, oldest first
        self._clock = clock

    def decide(
        self, url: str, text_hash: str, sketch: list[int], event_id: str, versions: str = ""
    ) -> Decision:
        """Propose and confirm at once (for callers that publish before deciding again)."""
        decision = self.propose(url, text_hash, sketch, event_id, versions)
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
        fetched this text (`fetched_at`); `event`: the enriched event, kept once published, so
        that an article seen earlier can demote it (and correct its copies)."""
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
        fixes = self._demote(url, first_seen, similar, event_id) if similar else ()
        duplicate_of = str(similar[1][1]) if similar and not fixes else None
        original = bool(sketch) and duplicate_of is None
        hashes = [*(previous[0] if previous else []), text_hash][-KNOWN_TEXTS:]
        packed = pack_sketch(sketch) if original else ""
        self._write(url, [hashes, event_id, revision, packed, versions, first_seen])
        previous_id = previous[1] if previous else None
        decision = Decision(True, revision, previous_id, duplicate_of, corrections=fixes)
        if event is not None:
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
        if event is not None:
            self._published[url] = decision.apply(event)
        return decision

    def _demote(
        self, url: str, first_seen: str, similar: tuple[str, Entry], event_id: str
    ) -> tuple[Event, ...]:
        """If `url` was seen before the original it resembles, and that original's event is
        at hand: propose it, and the copies at hand that name it, as copies of `event_id`;
        return their corrected events (none: no demotion)."""
        other_url, other = similar
        if not seen_before(url, first_seen, other_url, entry_first_seen(other)):
            return ()
        published = self.recent.get(other_url, str(other[1]))
        if published is None:
            return ()
        self._unindex(other_url, other[3])
        demoted = [(other_url, published)]
        for copy_url, copy in self.recent.copies_of(str(other[1])):
            entry = self._entry(copy_url)
            if copy_url != url and is_entry(entry) and entry[1] == copy["event_id"]:
                demoted.append((copy_url, copy))
        fixes = tuple(correction(event, event_id) for _, event in demoted)
        for (demoted_url, _), fixed in zip(demoted, fixes, strict=True):
            entry = self._entry(demoted_url)
            self._proposed[demoted_url] = [entry[0], fixed["event_id"], *entry[2:]]
            self._proposed[demoted_url][3] = ""  # a copy is no candidate
            self._published[demoted_url] = fixed
        self._demoting[url] = [u for u, _ in demoted]
        return fixes

    def _write(self, url: str, entry: Entry) -> None:
        self._proposed[url] = entry
        self._index_sketch(url, entry)

    def confirm(self, url: str) -> None:
        """The proposed entry's article is published (with the corrections it proposed):
        write it to the table, and keep the published events."""
        for confirmed in [*self._demoting.pop(url, []), url]:
            entry = self._proposed.pop(confirmed, None)
            published = self._published.pop(confirmed, None)
            if entry is None:
                continue
            self.seen[confirmed] = entry
            if self._reads_back:
                self._written[confirmed] = entry
                self._read_back.discard(confirmed)
                self._written_at.pop(confirmed, None)
                self._written_at[confirmed] = self._clock()
            self._remember(confirmed, entry)
            if published is not None:
                self.recent.keep(confirmed, published)
            else:
                self.recent.drop(confirmed)
        self.trim()

    def restore(self, kept: Mapping[str, Entry], put: Callable[[str, Entry], None]) -> int:
        """Put back the kept entries of the URLs the table lacks, with `put` (locally: no
        changelog record), and index them; returns how many. The table's own entries win:
        they are at least as new."""
        missing = [(url, entry) for url, entry in kept.items() if url not in self.seen]
        for url, entry in missing:
            put(url, entry)
            self._index_sketch(url, entry)
        self.trim()
        return len(missing)

    def withdraw(self, url: str) -> None:
        """The proposed entry's article could not be published: forget the proposal (and
        the corrections it proposed)."""
        entry = self._proposed.pop(url, None)
        self._published.pop(url, None)
        if is_entry(entry) and entry[3]:
            self._unindex(url, entry[3])
        for demoted in self._demoting.pop(url, []):
            self._proposed.pop(demoted, None)
            self._published.pop(demoted, None)
            self._index_sketch(demoted, self._entry(demoted))

    def _entry(self, url: str) -> Any:
        for layer in (self._proposed, self._written):
            if (entry := layer.get(url)) is not None:
                return entry
        return self.seen.get(url)

    def observe(self, url: str, entry: Any) -> None:
        """A changelog record, read before the table applies it: index the entry. This
        worker's own writes read back change nothing (they were indexed when written, and may
        have been demoted since), nor do older ones read back after a newer one; a URL that is
        no longer an original leaves the index."""
        mine = self._written.get(url)
        if mine is not None:
            if url not in self._read_back:
                if entry == mine:
                    self._read_back.add(url)
                return
            if entry == mine:
                return
            self._written[url] = entry  # a later write, by another worker: it wins
        previous = self.seen.get(url) if mine is None else mine
        if is_entry(entry) and not entry[3] and is_entry(previous) and previous[3]:
            self._unindex(url, previous[3])
        self._index_sketch(url, entry)

    def _index_sketch(self, url: str, entry: Any) -> None:
        if not is_entry(entry) or not entry[3]:
            return
        for key in unpack_sketch(entry[3])[:INDEX_KEYS]:
            urls = self._index.get(key, ())
            if url not in urls:
                self._index[key] = (*urls, url)

    def index_table(self) -> None:
        """Index every entry the table holds (a table filled before this dedup existed)."""
        for url, entry in self.seen.items():
            self._index_sketch(url, entry)

    def applied(self, url: str, entry: Any) -> None:
        """The table has applied a changelog record of `url`: once it is the latest write
        read back, the table holds it, and it needs no keeping here."""
        if url in self._read_back and self._written.get(url) == entry:
            self._settle(url)

    def _settle(self, url: str) -> None:
        self._written.pop(url, None)
        self._read_back.discard(url)
        self._written_at.pop(url, None)

    def _give_up_waiting(self) -> None:
        """Own writes not read back within `READ_BACK_WAIT_S` are taken as lost (their
        changelog record never came): what the table holds counts again."""
        deadline = self._clock() - READ_BACK_WAIT_S
        for url, written_at in list(self._written_at.items()):
            if written_at > deadline:
                break
            self._settle(url)

    def trim(self) -> None:
        """Forget the URLs first seen longest ago, beyond the capacity (locally only); not yet
        one whose latest write the table has still to apply (its older record read back would
        bring it back)."""
        self._give_up_waiting()
        excess = len(self.seen) - self.capacity
        if excess <= 0:
            return
        settled = (url for url in self.seen if url not in self._written)
        for url in list(islice(settled, excess)):
            entry = self.seen.get(url)
            self._forget_locally(url)
            if is_entry(entry) and entry[3]:
                self._unindex(url, entry[3])

    @property
    def indexed_keys(self) -> int:
        return len(self._index)

    def _unindex(self, url: str, packed: str) -> None:
        for key in unpack_sketch(packed)[:INDEX_KEYS]:
            urls = self._index.get(key, ())
            if url in urls:
                others = tuple(u for u in urls if u != url)
                if others:
                    self._index[key] = others
                else:
                    del self._index[key]

    def _similar(self, url: str, sketch: list[int]) -> tuple[str, Entry] | None:
        """The indexed original that `sketch` nearly duplicates, its URL and entry: of two,
        the one seen first."""
        if not sketch:
            return None
        candidates = dict.fromkeys(
            u for key in sketch[:INDEX_KEYS] for u in self._index.get(key, ())
        )
        found: list[tuple[str, Entry]] = []
        for candidate in candidates:
            if candidate == url:
                continue
            known = self._entry(candidate)
            if (
                is_entry(known)
                and known[3]
                and resemblance(sketch, unpack_sketch(known[3])) >= NEAR_DUPLICATE
            ):
                found.append((candidate, known))
        if len(found) > 1:
            found.sort(key=lambda item: sight_order(entry_first_seen(item[1]), item[0]))
        return found[0] if found else None
