"""Build a connector runner for tests: real HTTP client and gate, in-memory sinks and state."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry

from connectors.assembly import Outputs, build_runner, http_limits, runner_options
from connectors.base import SourceSpec
from connectors.http import HttpLimits
from connectors.runner import ConnectorRunner, RunnerOptions
from connectors.sink import ListSink
from connectors.state import MemoryStateStore, StateStore
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.settings import Settings

TEST_SETTINGS = {
    "fetch_total_timeout_s": 3.0,
    "fetch_read_timeout_s": 2.0,
    "fetch_host_concurrency": 4,
    "fetch_host_delay_s": 0.0,
    "fetch_allow_networks": "127.0.0.1/32",
    "fetch_page_workers": 4,
    "poll_min_interval_s": 60,
    "poll_max_interval_s": 600,
    "user_agent": "newswire-test",
}


def limits_for_tests(**values: Any) -> HttpLimits:
    """The HTTP limits of the test settings, with some changed."""
    return dataclasses.replace(http_limits(Settings.of(**TEST_SETTINGS)), **values)


def options_for_tests(**values: Any) -> RunnerOptions:
    """The runner options of the test settings, with some changed."""
    return dataclasses.replace(runner_options(Settings.of(**TEST_SETTINGS)), **values)


@dataclass
class Harness:
    runner: ConnectorRunner
    raw: ListSink
    dead: ListSink
    store: StateStore
    registry: CollectorRegistry

    def produced_urls(self) -> list[str]:
        return [event["url"] for event in self.raw.events]

    def metric(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0


def harness(
    specs: list[SourceSpec], store: StateStore | None = None, max_page_attempts: int = 3
) -> Harness:
    """The production wiring (build_runner) with memory outputs and test-speed settings."""
    registry = CollectorRegistry()
    settings = Settings.of(**TEST_SETTINGS)
    raw, dead = ListSink(), ListSink()
    outputs = Outputs(raw, dead, store if store is not None else MemoryStateStore())
    options = runner_options(settings, max_page_attempts)
    metrics = ConnectorMetrics.create(registry)
    runner = build_runner(settings, specs, metrics, outputs, options)
    made = Harness(runner, raw, dead, outputs.store, registry)
    OPEN.append(runner)
    return made


OPEN: list[ConnectorRunner] = []  # every runner a harness made, real_harness too


def close_all() -> None:
    """Stop the page pools of the harnesses made so far (a fixture calls it after each test)."""
    while OPEN:
        OPEN.pop().close()
