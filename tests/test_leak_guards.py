"""The leak guards themselves: each kind of leak is caught (and the environment restored)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading

import pytest

from tests.support import leaks


def test_a_changed_environment_is_caught_and_restored() -> None:
    with pytest.raises(AssertionError, match="NEWSWIRE_LEAK_PROBE"), leaks.no_leaks():
        os.environ["NEWSWIRE_LEAK_PROBE"] = "1"
    assert "NEWSWIRE_LEAK_PROBE" not in os.environ


def test_a_thread_left_running_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leaks, "GRACE_S", 0.2)
    stop = threading.Event()
    try:
        with pytest.raises(AssertionError, match="leaky-thread"), leaks.no_leaks():
            threading.Thread(target=stop.wait, name="leaky-thread", daemon=True).start()
    finally:
        stop.set()


def test_a_child_process_left_running_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leaks, "GRACE_S", 0.2)
    child = None
    try:
        with pytest.raises(AssertionError, match="child processes"), leaks.no_leaks():
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    finally:
        if child is not None:
            child.kill()
            child.wait()


def test_a_pending_asyncio_task_is_caught() -> None:
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(AssertionError, match="asyncio tasks"), leaks.no_leaks():
            task = loop.create_task(asyncio.sleep(30))
    finally:
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        loop.close()
