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
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kafka.errors import KafkaError

from pipeline.kafka import clients
from pipeline.kafka.reachability import first_refusal

log = logging.getLogger(__name__)

UNKNOWN_TOPIC = 3  # UNKNOWN_TOPIC_OR_PARTITION: the broker does not know the topic
NO_ID = "00000000-0000-0000-0000-000000000000"  # brokers before topic ids answer this (or none)
GONE = "is gone from the broker"


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
            return f"topic {name} {GONE}"
        if old and new and new != old:
            return f"topic {name} was created again (id {old} is now {new})"
    return None


class TopicIdentityWatch:
    """Calls `on_change(reason)` once when one of `names` is gone or was created again.

    A topic id that changed is proof on one look. A topic reported missing is looked at again
    `confirm_after_s` later: one broker of a cluster that has just restarted can answer
    UNKNOWN_TOPIC for a moment (Apache Kafka), and a false alarm costs a restart."""

    def __init__(
        self,
        target: clients.Target,
        names: Iterable[str],
        on_change: Callable[[str], None],
        interval_s: float = 10.0,
        confirm_after_s: float = 2.0,
    ) -> None:
        self.target = target
        self.names = sorted(set(names))
        self.on_change = on_change
        self.interval_s = interval_s
        self.confirm_after_s = confirm_after_s
        self.baseline: dict[str, str | None] = {}
        self._admin: Any = None
        self._lock = threading.Lock()  # the watch thread and the worker's rebalances both look
        self._changed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="topic-watch", daemon=True)

    def start(self) -> TopicIdentityWatch:
        """Take the baseline now (the topics exist: the caller has just ensured them), then
        watch in the background (not with `interval_s` 0: then only `check` calls look)."""
        self.baseline = self.look() or {}
        if self.interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)  # a daemon: a look stuck on a dead broker is left
        with self._lock:
            self._close_admin()

    def look(self) -> dict[str, str | None] | None:
        """The topics' ids now, or None when the broker could not be asked."""
        bootstrap = self.target if isinstance(self.target, str) else self.target.bootstrap
        if first_refusal(bootstrap) is not None:
            return None  # a client built now would leak its network thread (kafka-python)
        try:
            if self._admin is None:
                self._admin = clients.admin(self.target, "newswire-topic-watch")
            return topic_ids(self._admin, self.names)
        except KafkaError as exc:
            log.debug("topic ids not read: %s", exc)
            self._close_admin()
            return None

    def check(self) -> str | None:
        """One look (a second one to confirm a topic gone); the reason, also given once to
        `on_change`, when a topic changed. Never raises: a look that fails proves nothing."""
        try:
            with self._lock:
                return self._check()
        except Exception:
            log.exception("the topic watch could not look at the topics")
            return None

    def _check(self) -> str | None:
        if self._changed:
            return None
        now = self.look()
        if now is None:
            return None
        if not self.baseline:  # the look at start failed: this one is the baseline
            self.baseline = now
            return None
        reason = difference(self.baseline, now)
        if reason is not None and reason.endswith(GONE):
            time.sleep(self.confirm_after_s)
            again = self.look()
            reason = difference(self.baseline, again) if again is not None else None
        if reason is not None:
            self._changed = True
            self.on_change(reason)
        return reason

    def _close_admin(self) -> None:
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:  # closing a client of a broker that is gone
                log.debug("topic watch admin client not closed cleanly", exc_info=True)
            self._admin = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            if self.check() is not None:
                return
