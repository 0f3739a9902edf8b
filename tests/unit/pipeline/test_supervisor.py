"""The supervisor's children get the allocator setting that keeps the worker's RSS flat."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from pipeline.core.settings import Settings
from pipeline.supervisor import Supervisor


class FakeProcess:
    pid = 4242


def started_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    seen: dict[str, Any] = {}

    def popen(args: list[str], env: dict[str, str], **kwargs: Any) -> FakeProcess:
        seen.update(env)
        return FakeProcess()

    monkeypatch.setattr(subprocess, "Popen", popen)
    Supervisor(Settings.of(metrics_port=0), ("worker",)).start()
    return seen


def test_children_get_two_malloc_arenas_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert started_env(monkeypatch)["MALLOC_ARENA_MAX"] == "2"


def test_the_operators_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert started_env(monkeypatch)["MALLOC_ARENA_MAX"] == "4"


def test_each_child_gets_its_own_metrics_and_health_port(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, str]] = []

    def popen(args: list[str], env: dict[str, str], **kwargs: Any) -> FakeProcess:
        seen.append(env)
        return FakeProcess()

    monkeypatch.setattr(subprocess, "Popen", popen)
    settings = Settings.of(metrics_port=9000, health_port=9100)
    Supervisor(settings, ("worker", "connect")).start()
    ports = [(env["NEWSWIRE_METRICS_PORT"], env["NEWSWIRE_HEALTH_PORT"]) for env in seen]
    assert ports == [("9000", "9100"), ("9001", "9101")]


def test_a_port_turned_off_stays_off() -> None:
    supervisor = Supervisor(Settings.of(metrics_port=9000, health_port=0), ("worker", "connect"))
    assert supervisor._ports(1) == {"NEWSWIRE_METRICS_PORT": "9001"}
