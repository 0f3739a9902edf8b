"""Per-host politeness: a concurrency limit, a minimum delay between requests, back-off."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pipeline.core.errors import Failure, FetchError

PAUSE_WAIT_S = 5.0  # a host paused for longer is skipped for now, not waited for


class HostPaused(FetchError):
    """The host asked for a pause (Retry-After); the fetch is put off, not failed."""

    failure = Failure.PAUSED
    reason = failure.value

    def __init__(self, host: str, seconds: float) -> None:
        super().__init__(f"host {host} paused for another {seconds:.0f}s (Retry-After)")
        self.retry_after_s = seconds


class Interrupted(FetchError):
    """The connectors are stopping."""

    failure = Failure.STOPPED
    reason = failure.value


@dataclass
class _HostState:
    semaphore: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0
    delay_s: float | None = None


class HostGate:
    """`with gate.slot(host):` waits for a free slot and for the host's delay to pass."""

    def __init__(self, max_concurrent: int = 2, min_delay_s: float = 1.0) -> None:
        self.max_concurrent = max_concurrent
        self.min_delay_s = min_delay_s
        self.stop = threading.Event()  # set: every wait ends with Interrupted
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    def _state(self, host: str) -> _HostState:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = _HostState(threading.Semaphore(self.max_concurrent))
            return self._hosts[host]

    def set_delay(self, host: str, delay_s: float) -> None:
        """A host-specific delay, e.g. robots.txt's crawl-delay; never below the default."""
        self._state(host).delay_s = max(self.min_delay_s, delay_s)

    def back_off(self, host: str, seconds: float) -> None:
        """No request to host for `seconds` (429 or 503 with Retry-After)."""
        state = self._state(host)
        with state.lock:
            state.next_allowed = max(state.next_allowed, time.monotonic() + seconds)

    def blocked_for(self, host: str) -> float:
        return max(0.0, self._state(host).next_allowed - time.monotonic())

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Waits for the host's delay (short), never for a long pause: a host paused for more
        than PAUSE_WAIT_S raises HostPaused, so one host's pause holds no one else."""
        state = self._state(host)
        while not state.semaphore.acquire(timeout=0.5):
            self._check(host)
        try:
            while True:
                self._check(host)
                with state.lock:
                    wait = state.next_allowed - time.monotonic()
                    if wait <= 0:
                        delay = state.delay_s if state.delay_s is not None else self.min_delay_s
                        state.next_allowed = time.monotonic() + delay
                        break
                self.stop.wait(min(wait, 0.5))
            yield
        finally:
            state.semaphore.release()

    def _check(self, host: str) -> None:
        if self.stop.is_set():
            raise Interrupted("stopping")
        paused = self.blocked_for(host)
        if paused > max(PAUSE_WAIT_S, self._delay(host)):
            raise HostPaused(host, paused)

    def _delay(self, host: str) -> float:
        delay = self._state(host).delay_s
        return self.min_delay_s if delay is None else delay
