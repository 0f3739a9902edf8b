"""How a long-running command stops: for a reason it states once, and within a deadline.

A stop is requested with SIGTERM to the process itself, so it takes the same graceful path as
an operator's SIGTERM (in the worker: Faust stops its agents and commits what was published).
Whatever the cause, the process is gone `deadline_s` after the stop began: a graceful stop
that waits on a dead broker must not hang (the parent-death signal of `up`'s children relies
on it, and so does `up`'s own stop).

A stop can ask for a restart: the process then runs itself again with `exec` (same pid, so a
supervisor keeps watching it, fresh state), after `before_restart` (the worker wipes its local
table state there). At most `MAX_RESTARTS` in `RESTART_WINDOW_S`; beyond that it exits.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

STOP_DEADLINE_S = 20.0
EXIT_STOP_TIMEOUT = 4
EXIT_RESTART_LOOP = 5
RESTARTS_VARIABLE = "_NEWSWIRE_RESTARTS"  # start times of the recent restarts (not a setting)
MAX_RESTARTS = 3
RESTART_WINDOW_S = 600.0


class Shutdown:
    def __init__(
        self,
        deadline_s: float = STOP_DEADLINE_S,
        before_restart: Callable[[], None] = lambda: None,
    ) -> None:
        self.deadline_s = deadline_s
        self.before_restart = before_restart
        self.code: int | None = None
        self.restart = False
        self._lock = threading.Lock()
        self._armed = False

    def request(self, code: int, reason: str, restart: bool = False) -> None:
        """Stop the process (once) with exit status `code`; `restart`: exec it again after."""
        if self.request_without_signal(code, reason, restart):
            os.kill(os.getpid(), signal.SIGTERM)

    def request_without_signal(self, code: int, reason: str, restart: bool = False) -> bool:
        """Record why the process stops (when it is already stopping); False if it was known."""
        with self._lock:
            if self.code is not None:
                return False
            self.code = code
            self.restart = restart
        log.error("%s", reason)
        return True

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
        self.finish(self.code or EXIT_STOP_TIMEOUT)
        logging.shutdown()
        os._exit(self.code or EXIT_STOP_TIMEOUT)

    def finish(self, code: int) -> int:
        """At the end of the stop: exec the process again if a restart was asked for (and
        the restart budget allows it), else the exit status."""
        if not self.restart:
            return self.code if self.code is not None else code
        recent = recent_restarts()
        if len(recent) >= MAX_RESTARTS:
            log.error(
                "restarted %d times in %.0f s; giving up (exit %d)",
                len(recent),
                RESTART_WINDOW_S,
                EXIT_RESTART_LOOP,
            )
            return EXIT_RESTART_LOOP
        self.before_restart()
        os.environ[RESTARTS_VARIABLE] = ",".join(f"{t:.0f}" for t in [*recent, time.time()])
        log.warning("restarting: %s", " ".join(sys.orig_argv))
        logging.shutdown()
        os.execv(sys.executable, sys.orig_argv)
        return code  # not reached


def recent_restarts(now: float | None = None) -> list[float]:
    now = time.time() if now is None else now
    raw = os.environ.get(RESTARTS_VARIABLE, "")
    times = [float(t) for t in raw.split(",") if t.strip()]
    return [t for t in times if now - t < RESTART_WINDOW_S]
