"""What a subscriber has already handled: idempotency by event_id, and `supersedes`.

newswire delivers at least once, and a replay re-tags pages under new tagger versions: an event
can come twice (same event_id), and an event can come after the one that replaces it (a late
copy of the old tagging, a redelivery after a rebalance). The ledger tells the three apart:

- `NEW`: handle it;
- `DUPLICATE`: this event_id was handled already;
- `STALE`: a handled event named this one in `supersedes` (or as its previous revision), so it
  is out of date on arrival.

Memory is bounded (`capacity` ids of each kind, the oldest forgotten first); a subscriber that
must survive restarts exactly keeps the same facts in its own store, as examples/sqlite_sink.py
does, and uses the ledger for redeliveries within one run.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from typing import Protocol

DEFAULT_CAPACITY = 100_000


class Verdict(enum.Enum):
    NEW = "new"
    DUPLICATE = "duplicate"
    STALE = "stale"


class Replacing(Protocol):
    """What the ledger needs of an event: its id and the ids it replaces."""

    @property
    def event_id(self) -> str: ...

    @property
    def replaces(self) -> tuple[str, ...]: ...


class BoundedMap:
    """A mapping that forgets its oldest keys beyond `capacity`."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._items: OrderedDict[str, str] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> str | None:
        return self._items.get(key)

    def put(self, key: str, value: str) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


class Ledger:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._handled = BoundedMap(capacity)  # event_id -> event_id
        self._replaced = BoundedMap(capacity)  # replaced event_id -> the event that replaced it

    def verdict(self, event: Replacing) -> Verdict:
        if event.event_id in self._handled:
            return Verdict.DUPLICATE
        if event.event_id in self._replaced:
            return Verdict.STALE
        return Verdict.NEW

    def replaced_by(self, event_id: str) -> str | None:
        return self._replaced.get(event_id)

    def record(self, event: Replacing) -> None:
        """Mark an event handled, and the events it replaces as out of date."""
        self._handled.put(event.event_id, event.event_id)
        for old in event.replaces:
            self._replaced.put(old, event.event_id)
