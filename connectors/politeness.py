"""Per-host politeness: a concurrency limit, a minimum delay between requests, back-off."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


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
        state = self._state(host)
        with state.semaphore:
            while True:
                with state.lock:
                    wait = state.next_allowed - time.monotonic()
                    if wait <= 0:
                        delay = state.delay_s if state.delay_s is not None else self.min_delay_s
                        state.next_allowed = time.monotonic() + delay
                        break
                time.sleep(min(wait, 1.0))
            yield
