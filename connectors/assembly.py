"""Build a connector runner from settings: the one place the connector parts are wired."""

from __future__ import annotations

import zlib

from connectors.addresses import AddressPolicy, parse_networks
from connectors.base import SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import HttpClient, HttpLimits
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from connectors.runner import ConnectorRunner, RunnerOptions
from connectors.schedule import ScheduleLimits
from connectors.sink import KafkaSink
from connectors.state import KafkaStateStore
from pipeline.errors import ConfigError
from pipeline.metrics import ConnectorMetrics
from pipeline.settings import Settings


def http_client(settings: Settings) -> HttpClient:
    try:
        allow = parse_networks(settings.fetch_allow_networks)
    except ValueError as exc:
        raise ConfigError(f"NEWSWIRE_FETCH_ALLOW_NETWORKS: {exc}") from exc
    limits = HttpLimits(
        connect_timeout_s=settings.fetch_connect_timeout_s,
        read_timeout_s=settings.fetch_read_timeout_s,
        total_timeout_s=settings.fetch_total_timeout_s,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
        max_retry_after_s=settings.fetch_max_retry_after_s,
        user_agent=settings.user_agent,
    )
    return HttpClient(limits, AddressPolicy(allow))


def build_runner(
    settings: Settings, specs: list[SourceSpec], metrics: ConnectorMetrics
) -> ConnectorRunner:
    http = http_client(settings)
    gate = HostGate(settings.fetch_host_concurrency, settings.fetch_host_delay_s)
    fetcher = Fetcher(http, gate, RobotsCache(http, gate, settings.user_agent), metrics)
    options = RunnerOptions(
        schedule=ScheduleLimits(
            min_interval_s=settings.poll_min_interval_s,
            max_interval_s=settings.poll_max_interval_s,
            default_interval_s=settings.poll_interval_s,
        ),
        page_workers=settings.fetch_page_workers,
        source_workers=settings.fetch_source_workers,
        max_items_per_poll=settings.fetch_max_items_per_poll,
        max_entries=settings.fetch_max_entries_per_source,
    )
    return ConnectorRunner(
        specs,
        fetcher,
        raw_sink=KafkaSink(
            settings.bootstrap,
            settings.raw_topic,
            settings.compression,
            max_event_bytes=settings.raw_max_event_bytes,
        ),
        dead_sink=KafkaSink(settings.bootstrap, settings.deadletter_topic, settings.compression),
        store=KafkaStateStore(settings.bootstrap, settings.state_topic),
        metrics=metrics,
        options=options,
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
