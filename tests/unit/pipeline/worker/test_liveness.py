"""The worker's probes follow its partition assignment and a Faust timer's beat."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from pipeline.core.health import Health
from pipeline.core.settings import Settings
from pipeline.kafka.app import create_app
from pipeline.worker.liveness import CHECK, watch_worker


def test_ready_after_a_completed_rebalance_not_while_one_runs(tmp_path: Path) -> None:
    app = create_app(Settings.of(data_dir=tmp_path))
    health = Health(60)
    assignment = watch_worker(app, health)

    async def rebalance(assigned: set[object]) -> None:
        await app.on_partitions_revoked.send(set())
        assert health.failing_checks() == [CHECK]
        await app.on_partitions_assigned.send(assigned)
        assert health.failing_checks() == [CHECK]  # recovering the tables
        await app.on_rebalance_complete.send()

    assert health.report("/readyz")[0] == 503  # before the first assignment
    asyncio.run(rebalance({"p0", "p1"}))
    assert health.report("/readyz") == (200, {"ready": True, "live": True, "failing": []})
    assert assignment.partitions == 2
    asyncio.run(rebalance(set()))  # a worker beyond the partition count: idle, still a member
    assert health.report("/readyz")[0] == 200 and assignment.partitions == 0


def test_the_beat_comes_from_an_app_timer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(Settings.of(data_dir=tmp_path))
    timers: list[tuple[float, Callable[[], Awaitable[None]]]] = []
    monkeypatch.setattr(
        app, "timer", lambda interval: lambda fun: timers.append((interval, fun)) or fun
    )
    now = [0.0]
    health = Health(10, clock=lambda: now[0])
    watch_worker(app, health, interval_s=2.5)
    ((interval, beat),) = timers
    assert interval == 2.5
    now[0] = 11.0
    assert not health.live()
    asyncio.run(beat())
    assert health.live()
