"""One total deadline per fetch: connect, status line, headers and body together.

Socket timeouts bound each read, not the whole response: a server that sends one byte of its
status line every two seconds never trips a 15 s read timeout. A watchdog thread therefore
shuts down the socket of every fetch still running at its deadline, wherever it is blocked.
The connection classes below tell the watchdog which socket a fetch is using.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

_local = threading.local()


@dataclass
class Guard:
    """A fetch under watch: its deadline and the connection it is using."""

    deadline: float
    connection: HTTPConnection | None = None
    expired: bool = False
    stopped: bool = False  # expired because the connectors are stopping, not by its deadline
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire(self) -> None:
        with self.lock:
            if self.done:
                return
            self.expired = True
            sock = getattr(self.connection, "sock", None)
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class DeadlineWatch:
    """One daemon thread for all fetches of one HTTP client."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Guard]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextmanager
    def guard(self, deadline: float) -> Iterator[Guard]:
        guard = Guard(deadline)
        previous = getattr(_local, "guard", None)
        _local.guard = guard
        with self._cond:
            heapq.heappush(self._heap, (deadline, next(self._counter), guard))
            self._start()
            self._cond.notify()
        try:
            yield guard
        finally:
            with guard.lock:
                guard.done = True
            _local.guard = previous
            with self._cond:  # the watchdog drops finished guards, and ends when none is left
                self._cond.notify()

    def expire_all(self) -> None:
        """End every fetch in flight now (the connectors are stopping)."""
        with self._cond:
            guards = [guard for _, _, guard in self._heap]
        for guard in guards:
            guard.stopped = True
            guard.expire()

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, daemon=True, name="fetch-deadline")
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:  # idle: end; the next fetch starts a new watchdog
                    self._thread = None
                    return
                deadline, _, guard = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            guard.expire()


def _attach(connection: HTTPConnection) -> None:
    guard: Guard | None = getattr(_local, "guard", None)
    if guard is not None:
        with guard.lock:
            guard.connection = connection
        if guard.expired:  # expired before this connection was known
            guard.expire()


class WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


def watched_pool_manager(**kwargs: Any) -> urllib3.PoolManager:
    manager = urllib3.PoolManager(**kwargs)
    manager.pool_classes_by_scheme = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}
    return manager
