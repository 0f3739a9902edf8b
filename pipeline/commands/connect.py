"""`newswire connect` and `newswire submit`: produce raw events from sources or single URLs."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, TextIO

from pipeline.commands import Commands
from pipeline.commands.shutdown import on_signals
from pipeline.core.settings import Settings

if TYPE_CHECKING:
    from connectors.runner import ConnectorRunner
    from pipeline.core.health import HealthServer

log = logging.getLogger(__name__)
# A cycle waits at most 60 s between polls, and one slow source (fetch timeouts, many pages)
# takes minutes: the loop is stuck only after this long without a beat.
CONNECT_STALE_AFTER_S = 300.0


def register(commands: Commands) -> None:
    connect = commands.add_parser("connect", help="poll the feed catalogue, produce raw events")
    connect.add_argument("--once", action="store_true", help="poll every source once and exit")
    connect.add_argument("--sources", help="only these source ids (comma-separated)")
    connect.add_argument("--shard", help="only shard I of N of the catalogue, as I/N")
    connect.set_defaults(run=_connect)
    submit = commands.add_parser("submit", help="fetch URLs now and produce raw events")
    submit.add_argument("urls", nargs="+", metavar="URL")
    submit.add_argument("--force", action="store_true", help="produce even if already seen")
    submit.set_defaults(run=lambda args, settings: run_submit(settings, args.urls, args.force))


def _connect(args: argparse.Namespace, settings: Settings) -> int:
    return run_connect(settings, once=args.once, only=args.sources, shard=args.shard)


def run_connect(
    settings: Settings, once: bool = False, only: str | None = None, shard: str | None = None
) -> int:
    from connectors.assembly import build_runner, select_sources
    from connectors.catalog import load_catalog
    from pipeline.core.metrics import ConnectorMetrics, serve_metrics
    from pipeline.kafka.reachability import wait_for_broker
    from pipeline.kafka.topics import ensure_topics

    specs = select_sources(load_catalog(settings.connectors.feeds), only, shard)
    wait_for_broker(settings.bootstrap, settings.kafka.broker_wait_s)
    ensure_topics(settings)
    metrics = ConnectorMetrics.create()
    serve_metrics(settings.metrics.metrics_port, settings.metrics.metrics_host)
    runner = build_runner(settings, specs, metrics)
    probes = None if once else serve_probes(settings, runner)
    log.info(
        "connectors: %d sources from %s",
        len(specs),
        settings.connectors.feeds or "the bundled catalogue",
    )
    with on_signals(runner.stop_event.set):
        try:
            if once:
                log.info("poll done: %s", runner.poll_due(force=True))
            else:
                runner.run_forever()
        finally:
            _close(runner)
            if probes is not None:
                probes.close()
    return 0


def serve_probes(settings: Settings, runner: ConnectorRunner) -> HealthServer | None:
    """/healthz while the polling loop beats (per source and per cycle); ready when live."""
    from pipeline.core.health import Health, serve_health

    health = Health(CONNECT_STALE_AFTER_S)
    runner.heartbeat = health.beat
    return serve_health(health, settings.metrics.health_port, settings.metrics.metrics_host)


def run_submit(
    settings: Settings, urls: list[str], force: bool = False, out: TextIO = sys.stdout
) -> int:
    from prometheus_client import CollectorRegistry

    from connectors.assembly import build_runner
    from connectors.runner import SUBMIT_SOURCE
    from pipeline.core.metrics import ConnectorMetrics
    from pipeline.kafka.reachability import wait_for_broker
    from pipeline.kafka.topics import ensure_topics

    wait_for_broker(settings.bootstrap, settings.kafka.broker_wait_s)
    ensure_topics(settings)
    runner = build_runner(settings, [], ConnectorMetrics.create(CollectorRegistry()))
    with on_signals(runner.stop_event.set):
        try:
            report = runner.submit(SUBMIT_SOURCE, urls, force=force)
        finally:
            _close(runner)
    skipped = len(urls) - report.produced - report.pages_failed
    out.write(f"{report.produced} produced, {report.pages_failed} failed, {skipped} already seen\n")
    return 0 if report.pages_failed == 0 else 1


def _close(runner: ConnectorRunner) -> None:
    runner.close()
    runner.raw_sink.close()
    runner.dead_sink.close()
    runner.store.close()
