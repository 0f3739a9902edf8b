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
