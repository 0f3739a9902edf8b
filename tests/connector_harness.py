"""Build a connector runner for tests: real HTTP client and gate, in-memory sinks and state."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry

from connectors.addresses import AddressPolicy, parse_networks
from connectors.base import SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import HttpClient, HttpLimits
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from connectors.runner import ConnectorRunner, RunnerOptions
from connectors.schedule import ScheduleLimits
from connectors.sink import ListSink
from connectors.state import MemoryStateStore, StateStore
from pipeline.core.metrics import ConnectorMetrics

LOOPBACK = AddressPolicy(parse_networks("127.0.0.1/32"))


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
    specs: list[SourceSpec],
    store: StateStore | None = None,
    limits: HttpLimits | None = None,
    max_page_attempts: int = 3,
) -> Harness:
    registry = CollectorRegistry()
    metrics = ConnectorMetrics.create(registry)
    http = HttpClient(limits or HttpLimits(total_timeout_s=3.0, read_timeout_s=2.0), LOOPBACK)
    gate = HostGate(max_concurrent=4, min_delay_s=0.0)
    fetcher = Fetcher(http, gate, RobotsCache(http, gate, "newswire-test"), metrics)
    raw, dead = ListSink(), ListSink()
    store = store if store is not None else MemoryStateStore()
    options = RunnerOptions(
        schedule=ScheduleLimits(min_interval_s=60, max_interval_s=600),
        page_workers=4,
        max_page_attempts=max_page_attempts,
    )
    runner = ConnectorRunner(specs, fetcher, raw, dead, store, metrics, options)
    return Harness(runner, raw, dead, store, registry)
