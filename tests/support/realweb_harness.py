"""A connector runner for realistic tests: the real HTTP client, gate, robots and runner; the
whole loopback network allowed (servers on 127.0.0.1 and 127.0.0.2 are two hosts); in-memory
state; sinks that refuse what Kafka refuses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry

from connectors.addresses import AddressPolicy, parse_networks
from connectors.base import SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import HttpClient, HttpLimits
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from connectors.runner import ConnectorRunner
from connectors.sink import Delivery, ListSink
from connectors.state import MemoryStateStore
from pipeline.core.metrics import ConnectorMetrics
from tests.support.connector_harness import OPEN, limits_for_tests, options_for_tests

LOOPBACK_NET = AddressPolicy(parse_networks("127.0.0.0/8"))


class BrokerRefuses(Exception):
    """What a failed asynchronous send reports (a Kafka timeout, a lost leader)."""


@dataclass
class FailedDelivery:
    error_value: BaseException

    def error(self) -> BaseException | None:
        return self.error_value


class FlakySink(ListSink):
    """Like Kafka after a broker hiccup: the first `failures` sends fail asynchronously."""

    def __init__(self, failures: int, max_event_bytes: int | None = None) -> None:
        super().__init__(max_event_bytes)
        self.failures = failures

    def send(self, event: dict[str, Any]) -> Delivery:
        if self.failures > 0:
            self.failures -= 1
            return FailedDelivery(BrokerRefuses("KafkaTimeoutError: batch expired"))
        return super().send(event)


@dataclass
class RealHarness:
    runner: ConnectorRunner
    raw: ListSink
    dead: ListSink
    store: MemoryStateStore
    registry: CollectorRegistry

    def urls(self) -> list[str]:
        return [event["url"] for event in self.raw.events]

    def metric(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0

    def dead_reasons(self) -> list[str]:
        return [str(event["failure"]) for event in self.dead.events]


def real_harness(
    specs: Iterable[SourceSpec],
    limits: HttpLimits | None = None,
    raw: ListSink | None = None,
    max_event_bytes: int | None = None,
    **options: Any,
) -> RealHarness:
    registry = CollectorRegistry()
    metrics = ConnectorMetrics.create(registry)
    http = HttpClient(limits or limits_for_tests(), LOOPBACK_NET)
    gate = HostGate(max_concurrent=2, min_delay_s=0.0)
    fetcher = Fetcher(http, gate, RobotsCache(http, gate, "newswire-test"), metrics)
    raw = raw if raw is not None else ListSink(max_event_bytes)
    dead = ListSink()
    store = MemoryStateStore()
    runner = ConnectorRunner(
        list(specs), fetcher, raw, dead, store, metrics, options_for_tests(**options)
    )
    OPEN.append(runner)
    return RealHarness(runner, raw, dead, store, registry)
