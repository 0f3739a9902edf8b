"""Which of two near-duplicate articles is the original: the one newswire saw first.

First sight is the raw event's `fetch.fetched_at` (carried into the enriched event as
`fetched_at`): the moment a connector downloaded that text. It is set by newswire, on every
page of every source kind, and it does not depend on processing order. The feed's `published`
is the publisher's claim (absent for sitemaps, URL lists and `submit`, and it moves between
polls on some feeds), and `produced_at` is only when the raw event was written. A URL's first
sight is the earliest `fetched_at` of its revisions. Ties (one poll, one second) go to the
smaller canonical URL, which, unlike an event id, stays the same across revisions and re-tags,
so the order of two stories never flips.

When a later-processed article turns out to have been seen first, the story's owner publishes
it as the original and publishes the former original again: the same article with
`duplicate_of` naming the original and `supersedes` naming the event it replaces; so too every
copy that named the former original, so all copies of the story name the one seen first. That
needs their published events, so the owner keeps the events it published last, up to
`RECENT_KEPT` (`Recent`, memory only). An original not at hand (published by another owner,
before a restart, or longer ago) is not demoted: the older article is then marked as its copy,
in processing order, as before; a copy not at hand keeps naming the former original's first
event, whose correction (via `supersedes`) names the original.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from pipeline.core.clock import now_iso
from pipeline.core.ids import stable_id

RECENT_KEPT = 1000  # events; about 10 MB of typical articles

Event = dict[str, Any]
SightKey = tuple[datetime, str]


def parse_sight(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def earliest(*times: str) -> str:
    """The earliest of the times that parse ("" if none does)."""
    known = [(moment, text) for text in times if (moment := parse_sight(text)) is not None]
    return min(known)[1] if known else ""


def sight_key(first_seen: str, url: str) -> SightKey | None:
    """The order of originals: first sight, then canonical URL; None when the time is unknown."""
    moment = parse_sight(first_seen)
    return None if moment is None else (moment, url)


def sight_order(first_seen: str, url: str) -> tuple[bool, SightKey | tuple[()]]:
    """A sort key: known first sights in order, then the unknown ones."""
    key = sight_key(first_seen, url)
    return (False, key) if key is not None else (True, ())


def seen_before(url: str, first_seen: str, other_url: str, other_first_seen: str) -> bool:
    """Whether `url` was seen strictly before `other_url` (False when either time is unknown)."""
    mine, theirs = sight_key(first_seen, url), sight_key(other_first_seen, other_url)
    return mine is not None and theirs is not None and mine < theirs


def correction(published: Event, original_id: str) -> Event:
    """The copy published again as the copy of `original_id`; a new event that replaces it."""
    replaced = str(published["event_id"])
    return {
        **published,
        "event_id": stable_id("art", replaced, "duplicate_of", original_id),
        "duplicate_of": original_id,
        "supersedes": replaced,
        "enriched_at": now_iso(),
    }


class Recent:
    """The events published last, by canonical URL (bounded, least recently kept first out)."""

    def __init__(self, capacity: int = RECENT_KEPT) -> None:
        self.capacity = capacity
        self._events: OrderedDict[str, Event] = OrderedDict()

    def keep(self, url: str, event: Event) -> None:
        self._events[url] = event
        self._events.move_to_end(url)
        while len(self._events) > self.capacity:
            self._events.popitem(last=False)

    def get(self, url: str, event_id: str) -> Event | None:
        """The URL's published event if it is still `event_id` (its current one)."""
        event = self._events.get(url)
        return event if event is not None and event.get("event_id") == event_id else None

    def copies_of(self, event_id: str) -> list[tuple[str, Event]]:
        """The kept events that name `event_id` as their original."""
        return [(u, e) for u, e in self._events.items() if e.get("duplicate_of") == event_id]

    def drop(self, url: str) -> None:
        self._events.pop(url, None)

    def __len__(self) -> int:
        return len(self._events)
