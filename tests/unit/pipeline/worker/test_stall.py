"""A stalled worker is visible: seconds without progress while there is lag, and one log line."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import CollectorRegistry

from pipeline.core.metrics import PipelineMetrics
from pipeline.worker.stall import StallWatch


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def watch(registry: CollectorRegistry, clock: Clock) -> StallWatch:
    metrics = PipelineMetrics.create(registry)
    return StallWatch(metrics.last_published, metrics.stalled_seconds, 60.0, clock)


def stalled(registry: CollectorRegistry) -> float | None:
    return registry.get_sample_value("newswire_worker_stalled_seconds")


def test_no_lag_is_no_stall_however_long_nothing_happens(registry: CollectorRegistry) -> None:
    clock = Clock()
    stall = watch(registry, clock)
    clock.now += 3600
    assert stall.observe(0) == 0.0
    assert stalled(registry) == 0.0


def test_lag_without_progress_counts_from_when_the_lag_appeared(
    registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    stall = watch(registry, clock)
    stall.progress()
    clock.now += 3600  # idle for an hour, then a backlog arrives
    assert stall.observe(283) == 0.0
    clock.now += 30
    assert stall.observe(283) == 30.0
    with caplog.at_level(logging.WARNING, logger="pipeline.stall"):
        clock.now += 45
        stall.observe(283)
        clock.now += 15
        stall.observe(283)
    assert stalled(registry) == 90.0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "283 raw events wait" in warnings[0].getMessage()


def test_progress_ends_the_stall(registry: CollectorRegistry) -> None:
    clock = Clock()
    stall = watch(registry, clock)
    stall.observe(10)
    clock.now += 100
    assert stall.observe(10) == 100.0
    stall.progress()
    clock.now += 5
    assert stall.observe(10) == 5.0
    assert registry.get_sample_value("newswire_worker_last_published_timestamp_seconds") == 1100.0
