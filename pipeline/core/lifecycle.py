"""How a long-running command stops: for a reason it states once, and within a deadline.

A stop is requested with SIGTERM to the process itself, so it takes the same graceful path as
an operator's SIGTERM (in the worker: Faust stops its agents and commits what was published).
Whatever the cause, the process is gone `deadline_s` after the stop began: a graceful stop
that waits on a dead broker must not hang (the parent-death signal of `up`'s children relies
on it, and so does `up`'s own stop).
"""

from __future__ import annotations

import logging
import os
import signal
import threading

log = logging.getLogger(__name__)

STOP_DEADLINE_S = 20.0
EXIT_STOP_TIMEOUT = 4


class Shutdown:
    def __init__(self, deadline_s: float = STOP_DEADLINE_S) -> None:
        self.deadline_s = deadline_s
        self.code: int | None = None
        self.restart = False
        self._lock = threading.Lock()
        self._armed = False

    def request(self, code: int, reason: str, restart: bool = False) -> None:
        """Stop the process (once) with exit status `code`; `restart`: exec it again after."""
        with self._lock:
            if self.code is not None:
                return
            self.code = code
            self.restart = restart
        log.error("%s", reason)
        os.kill(os.getpid(), signal.SIGTERM)

    def arm_deadline(self) -> None:
        """Called when the stop begins: after the deadline the process exits, done or not."""
        with self._lock:
            if self._armed:
                return
            self._armed = True
        timer = threading.Timer(self.deadline_s, self._expire)
        timer.daemon = True
        timer.start()

    def _expire(self) -> None:
        log.error("did not stop within %.0fs; exiting now", self.deadline_s)
        logging.shutdown()
        os._exit(self.code or EXIT_STOP_TIMEOUT)
