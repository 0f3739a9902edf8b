"""Stops with a reason and a deadline; restarts within a budget."""

from __future__ import annotations

import pytest

from pipeline.core import lifecycle
from pipeline.core.lifecycle import EXIT_RESTART_LOOP, RESTARTS_VARIABLE, Shutdown


def test_the_first_reason_wins_and_sets_the_exit_status(monkeypatch: pytest.MonkeyPatch) -> None:
    signals: list[int] = []
    monkeypatch.setattr(lifecycle.os, "kill", lambda pid, signum: signals.append(signum))
    shutdown = Shutdown()
    shutdown.request(1, "could not publish")
    shutdown.request(7, "something else")
    assert shutdown.finish(0) == 1
    assert len(signals) == 1


def test_a_restart_execs_the_same_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RESTARTS_VARIABLE, "")  # restored (removed) after the test
    calls: list[tuple[str, list[str]]] = []
    wiped: list[bool] = []
    monkeypatch.setattr(lifecycle.os, "execv", lambda exe, argv: calls.append((exe, argv)))
    monkeypatch.setattr(lifecycle.sys, "orig_argv", ["python", "-m", "pipeline.cli", "worker"])
    shutdown = Shutdown(before_restart=lambda: wiped.append(True))
    shutdown.request_without_signal(1, "broker reset", restart=True)
    shutdown.finish(0)
    assert calls and calls[0][1] == ["python", "-m", "pipeline.cli", "worker"]
    assert wiped == [True]
    assert lifecycle.os.environ[RESTARTS_VARIABLE]


def test_too_many_restarts_give_up(monkeypatch: pytest.MonkeyPatch) -> None:
    now = lifecycle.time.time()
    monkeypatch.setenv(RESTARTS_VARIABLE, ",".join(str(now - s) for s in (5, 50, 500)))
    monkeypatch.setattr(lifecycle.os, "execv", lambda *a: pytest.fail("must not exec"))
    shutdown = Shutdown()
    shutdown.request_without_signal(1, "stalled", restart=True)
    assert shutdown.finish(0) == EXIT_RESTART_LOOP
