"""Leak guards: no thread, asyncio task, child process or environment change outlives a test.

Things a module- or session-scoped fixture owns (the embedded broker, a running pipeline) are
started before a test's snapshot and stopped after it, so they do not count."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

GRACE_S = 5.0  # a stopped server's threads and a terminated child take a moment to go
PYTEST_OWN = "PYTEST_CURRENT_TEST"  # pytest sets it per phase of each test


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != PYTEST_OWN}


def child_pids() -> set[int]:
    """This process's live children (Linux /proc; empty elsewhere)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        try:
            found.update(int(pid) for pid in task.read_text().split())
        except OSError:
            continue
    return {pid for pid in found if _alive(pid)}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _settle(leaked: Any) -> Any:
    deadline = time.monotonic() + GRACE_S
    while (found := leaked()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@contextmanager
def tracked_tasks() -> Iterator[weakref.WeakSet[asyncio.Task[Any]]]:
    """Every asyncio task created while inside, on any event loop."""
    tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
    original = asyncio.BaseEventLoop.create_task

    def create_task(loop: asyncio.BaseEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        task = original(loop, coro, **kwargs)
        tasks.add(task)
        return task

    asyncio.BaseEventLoop.create_task = create_task  # type: ignore[method-assign,assignment]
    try:
        yield tasks
    finally:
        asyncio.BaseEventLoop.create_task = original  # type: ignore[method-assign]


@contextmanager
def no_leaks() -> Iterator[None]:
    environ = _environment()
    threads = set(threading.enumerate())
    children = child_pids()
    with tracked_tasks() as tasks:
        yield
    problems = []
    if (now := _environment()) != environ:
        changed = sorted(set(now.items()) ^ set(environ.items()))
        for key in set(now) - set(environ):
            del os.environ[key]
        os.environ.update(environ)
        problems.append(f"os.environ changed: {sorted({k for k, _ in changed})}")
    if pending := [t for t in tasks if not t.done()]:
        problems.append(f"asyncio tasks still pending: {pending}")
    if alive := _settle(lambda: [t for t in threading.enumerate() if t not in threads]):
        problems.append(f"threads still running: {[t.name for t in alive]}")
    if left := _settle(lambda: child_pids() - children):
        problems.append(f"child processes still running: {sorted(left)}")
    assert not problems, "; ".join(problems)
