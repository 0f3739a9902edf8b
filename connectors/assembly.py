"""Build a connector runner from settings: the one place the connector parts are wired."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from connectors.addresses import AddressPolicy, parse_networks
from connectors.base import SourceSpec
from connectors.fetcher import Fetcher
from connectors.file_state import FileStateStore
from connectors.http import HttpClient, HttpLimits
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from connectors.runner import ConnectorRunner, RunnerOptions
from connectors.schedule import ScheduleLimits
from connectors.sink import EventSink, KafkaSink
from connectors.state import KafkaStateStore, StateStore
from pipeline.core.errors import ConfigError
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.settings import Settings
from pipeline.kafka import clients


def http_limits(settings: Settings) -> HttpLimits:
    fetch = settings.connectors
    return HttpLimits(
        connect_timeout_s=fetch.fetch_connect_timeout_s,
        read_timeout_s=fetch.fetch_read_timeout_s,
        total_timeout_s=fetch.fetch_total_timeout_s,
        max_bytes=fetch.fetch_max_bytes,
        max_redirects=fetch.fetch_max_redirects,
        max_retry_after_s=fetch.fetch_max_retry_after_s,
        user_agent=fetch.user_agent,
    )


def http_client(settings: Settings) -> HttpClient:
    try:
        allow = parse_networks(settings.connectors.fetch_allow_networks)
    except ValueError as exc:
        raise ConfigError(f"NEWSWIRE_FETCH_ALLOW_NETWORKS: {exc}") from exc
    return HttpClient(http_limits(settings), AddressPolicy(allow))


def runner_options(settings: Settings, max_page_attempts: int = 3) -> RunnerOptions:
    poll = settings.connectors
    schedule = ScheduleLimits(
        min_interval_s=poll.poll_min_interval_s,
        max_interval_s=poll.poll_max_interval_s,
        default_interval_s=poll.poll_interval_s,
    )
    return RunnerOptions(
        schedule,
        page_workers=poll.fetch_page_workers,
        max_page_attempts=max_page_attempts,
        source_workers=poll.fetch_source_workers,
        max_items_per_poll=poll.fetch_max_items_per_poll,
        max_entries=poll.fetch_max_entries_per_source,
    )


@dataclass(frozen=True)
class Outputs:
    """Where a runner puts events and its state: Kafka in production, memory in tests."""

    raw_sink: EventSink
    dead_sink: EventSink
    store: StateStore


def kafka_outputs(settings: Settings) -> Outputs:
    kafka = clients.connection_for(settings)
    return Outputs(
        KafkaSink(
            kafka,
            settings.topics.raw_topic,
            max_event_bytes=settings.connectors.raw_max_event_bytes,
        ),
        KafkaSink(kafka, settings.topics.deadletter_topic),
        state_store(settings),
    )


def state_store(settings: Settings) -> StateStore:
    """The state topic; a local file when one is named (`up` on the embedded broker)."""
    if settings.connectors.state_file is not None:
        return FileStateStore(settings.connectors.state_file)
    return KafkaStateStore(clients.connection_for(settings), settings.topics.state_topic)


def build_runner(
    settings: Settings,
    specs: list[SourceSpec],
    metrics: ConnectorMetrics,
    outputs: Outputs | None = None,
    options: RunnerOptions | None = None,
) -> ConnectorRunner:
    """The runner the settings describe; `outputs` default to the Kafka topics."""
    http = http_client(settings)
    fetch = settings.connectors
    gate = HostGate(fetch.fetch_host_concurrency, fetch.fetch_host_delay_s)
    fetcher = Fetcher(http, gate, RobotsCache(http, gate, fetch.user_agent), metrics)
    out = outputs or kafka_outputs(settings)
    return ConnectorRunner(
        specs,
        fetcher,
        raw_sink=out.raw_sink,
        dead_sink=out.dead_sink,
        store=out.store,
        metrics=metrics,
        options=options or runner_options(settings),
    )


def select_sources(
    specs: list[SourceSpec], only: str | None, shard: str | None
) -> list[SourceSpec]:
    """`--sources a,b` keeps those ids; `--shard 1/3` keeps a stable third of the catalogue."""
    if only:
        wanted = {part.strip() for part in only.split(",") if part.strip()}
        unknown = wanted - {s.id for s in specs}
        if unknown:
            raise ConfigError(f"--sources names unknown sources {sorted(unknown)}")
        specs = [s for s in specs if s.id in wanted]
    if shard:
        try:
            index, count = (int(x) for x in shard.split("/"))
        except ValueError as exc:
            raise ConfigError(f"--shard {shard!r} must look like 0/3") from exc
        if not 0 <= index < count:
            raise ConfigError(f"--shard {shard!r}: the index must be in 0..{count - 1}")
        specs = [s for s in specs if zlib.crc32(s.id.encode()) % count == index]
    return specs
