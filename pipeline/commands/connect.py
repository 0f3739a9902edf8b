"""`newswire connect` and `newswire submit`: produce raw events from sources or single URLs."""

from __future__ import annotations

import logging
import signal
import sys
from typing import TextIO

from prometheus_client import CollectorRegistry

from connectors.assembly import build_runner, select_sources
from connectors.catalog import load_catalog
from connectors.runner import SUBMIT_SOURCE, ConnectorRunner
from pipeline.metrics import ConnectorMetrics, serve_metrics
from pipeline.settings import Settings
from pipeline.topics import ensure_topics

log = logging.getLogger(__name__)


def run_connect(
    settings: Settings, once: bool = False, only: str | None = None, shard: str | None = None
) -> int:
    specs = select_sources(load_catalog(settings.feeds), only, shard)
    ensure_topics(settings)
    metrics = ConnectorMetrics.create()
    serve_metrics(settings.metrics_port, settings.metrics_host)
    runner = build_runner(settings, specs, metrics)
    _stop_on_signals(runner)
    log.info("connectors: %d sources from %s", len(specs), settings.feeds)
    try:
        if once:
            report = runner.poll_due(force=True)
            log.info("poll done: %s", report)
        else:
            runner.run_forever()
    finally:
        _close(runner)
    return 0


def run_submit(
    settings: Settings, urls: list[str], force: bool = False, out: TextIO = sys.stdout
) -> int:
    ensure_topics(settings)
    runner = build_runner(settings, [], ConnectorMetrics.create(CollectorRegistry()))
    _stop_on_signals(runner)
    try:
        report = runner.submit(SUBMIT_SOURCE, urls, force=force)
    finally:
        _close(runner)
    skipped = len(urls) - report.produced - report.pages_failed
    out.write(f"{report.produced} produced, {report.pages_failed} failed, {skipped} already seen\n")
    return 0 if report.pages_failed == 0 else 1


def _stop_on_signals(runner: ConnectorRunner) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: runner.stop_event.set())


def _close(runner: ConnectorRunner) -> None:
    runner.close()
    runner.raw_sink.close()
    runner.dead_sink.close()
    runner.store.close()
