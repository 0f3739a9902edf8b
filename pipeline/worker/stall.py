"""A stalled worker made visible: seconds without progress while raw events wait.

Faust users' most common complaint is a consumer that stops without a word. The lag monitor
reports the group's lag here after each measurement; with lag and no raw event published for
`warn_after_s`, the worker logs one warning (and one line when it moves again), and the gauge
`newswire_worker_stalled_seconds` carries the figure for the alert `NewswireWorkerStalled`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from prometheus_client import Gauge

log = logging.getLogger(__name__)

WARN_AFTER_S = 60.0


class StallWatch:
    def __init__(
        self,
        last_published: Gauge,
        stalled_seconds: Gauge,
        warn_after_s: float = WARN_AFTER_S,
        clock: Callable[[], float] = time.time,
        restart_after_s: float = 0.0,
        on_stall: Callable[[str], None] | None = None,
    ) -> None:
        self.last_published = last_published
        self.stalled_seconds = stalled_seconds
        self.warn_after_s = warn_after_s
        self.clock = clock
        self.restart_after_s = restart_after_s  # 0: never
        self.on_stall = on_stall
        self._lag_since: float | None = None
        self._last_progress = 0.0
        self._warned = False

    def progress(self) -> None:
        """Raw events were published just now."""
        self._last_progress = self.clock()
        self.last_published.set(self._last_progress)

    def observe(self, lag: int) -> float:
        """Record a lag measurement; returns the seconds the worker has been stalled."""
        now = self.clock()
        if lag <= 0:
            self._lag_since = None
            stalled = 0.0
        else:
            if self._lag_since is None:
                self._lag_since = now
            progress = max(self._lag_since, self._last_progress)
            stalled = max(0.0, now - progress)
        self.stalled_seconds.set(stalled)
        if stalled >= self.warn_after_s and not self._warned:
            self._warned = True
            log.warning(
                "worker stalled: nothing published for %.0fs while %d raw events wait", stalled, lag
            )
        elif stalled < self.warn_after_s and self._warned:
            self._warned = False
            log.info("worker moving again (lag %d)", lag)
        if self.on_stall and 0 < self.restart_after_s <= stalled:
            self.on_stall(f"worker stalled for {stalled:.0f}s with {lag} raw events waiting")
            self.on_stall = None
        return stalled
