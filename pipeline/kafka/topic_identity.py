"""Notice that the broker lost a topic this process depends on.

The embedded broker keeps nothing: when it restarts every topic is gone, and the first producer
that writes to one creates it again, empty, with a new topic id. Faust does not notice. Its read
positions and table state point into logs that no longer exist, and it can sit Ready fetching
nothing, or commit offsets to a topic that is gone, for ever. (Apache Kafka loses a topic only
when someone deletes it; the answer is the same.)

`TopicIdentityWatch` takes the ids of the topics when it starts and looks again every
`interval_s` seconds. A topic that is gone, or has another id, calls `on_change` once, with one
line naming it. A look that fails (the broker is away) proves nothing and is tried again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kafka.errors import KafkaError

from pipeline.kafka import clients

log = logging.getLogger(__name__)

UNKNOWN_TOPIC = 3  # UNKNOWN_TOPIC_OR_PARTITION: the broker does not know the topic
NO_ID = "00000000-0000-0000-0000-000000000000"  # brokers before topic ids answer this (or none)


def topic_ids(admin: Any, names: Iterable[str]) -> dict[str, str | None]:
    """Topic -> its id now; None for a topic the broker does not know, "" when it gives no id.
    Topics in a transient state (no leader yet) are left out: they prove nothing."""
    answer: dict[str, str | None] = {}
    for topic in admin.describe_topics(sorted(set(names))):
        name = str(topic.get("name") or topic.get("topic"))
        error = topic.get("error_code") or 0
        if error == UNKNOWN_TOPIC:
            answer[name] = None
        elif error == 0:
            found = str(topic.get("topic_id") or "")
            answer[name] = "" if found == NO_ID else found
    return answer


def difference(before: Mapping[str, str | None], now: Mapping[str, str | None]) -> str | None:
    """Why `now` is not the topics of `before` (a topic gone or made again), or None."""
    for name, old in sorted(before.items()):
        if old is None or name not in now:
            continue
        new = now[name]
        if new is None:
            return f"topic {name} is gone from the broker"
        if old and new and new != old:
            return f"topic {name} was created again (id {old} is now {new})"
    return None


class TopicIdentityWatch:
    """Calls `on_change(reason)` once when one of `names` is gone or was created again."""

    def __init__(
        self,
        target: clients.Target,
        names: Iterable[str],
        on_change: Callable[[str], None],
        interval_s: float = 10.0,
    ) -> None:
        self.target = target
        self.names = sorted(set(names))
        self.on_change = on_change
        self.interval_s = interval_s
        self.baseline: dict[str, str | None] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="topic-watch", daemon=True)

    def start(self) -> TopicIdentityWatch:
        """Take the baseline now (the topics exist: the caller has just ensured them), then
        watch in the background."""
        self.baseline = self.look() or {}
        if self.interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval_s + 15)

    def look(self) -> dict[str, str | None] | None:
        try:
            admin = clients.admin(self.target, "newswire-topic-watch")
        except KafkaError as exc:
            log.debug("topic ids not read: %s", exc)
            return None
        try:
            return topic_ids(admin, self.names)
        except KafkaError as exc:
            log.debug("topic ids not read: %s", exc)
            return None
        finally:
            admin.close()

    def check(self) -> str | None:
        """One look; the reason (also given to `on_change`) when a topic changed."""
        now = self.look()
        if now is None:
            return None
        if not self.baseline:  # the look at start failed: this one is the baseline
            self.baseline = now
            return None
        reason = difference(self.baseline, now)
        if reason is not None:
            self.on_change(reason)
        return reason

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            if self.check() is not None:
                return
