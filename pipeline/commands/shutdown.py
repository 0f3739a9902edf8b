"""Signal handling for the long-running commands, written once: SIGINT and SIGTERM ask the
command to stop; it then shuts down cleanly (children stopped, clients closed)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals(stop: threading.Event | None = None) -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM; the previous handlers come back on exit."""
    event = stop or threading.Event()
    with on_signals(event.set):
        yield event


@contextmanager
def on_signals(callback: Callable[[], object]) -> Iterator[None]:
    def handle(signum: int, frame: FrameType | None) -> None:
        callback()

    previous = {signum: signal.signal(signum, handle) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
