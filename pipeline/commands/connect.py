"""`newswire connect`: poll the feed catalogue and produce raw events."""

from __future__ import annotations

import logging
import signal
import threading

from connectors.catalog import load_catalog
from connectors.http import HttpClient, HttpLimits
from connectors.runner import ConnectorRunner
from connectors.sink import KafkaSink
from pipeline.metrics import ConnectorMetrics, serve_metrics
from pipeline.settings import Settings
from pipeline.topics import ensure_topics

log = logging.getLogger(__name__)


def run_connect(settings: Settings, once: bool = False) -> int:
    specs = load_catalog(settings.feeds)
    ensure_topics(settings)
    metrics = ConnectorMetrics.create()
    serve_metrics(settings.metrics_port, settings.metrics_host)
    http = HttpClient(
        HttpLimits(
            settings.fetch_timeout_s, settings.fetch_max_bytes, user_agent=settings.user_agent
        )
    )
    sink = KafkaSink(settings.bootstrap, settings.raw_topic)
    runner = ConnectorRunner(specs, http, sink, metrics)
    log.info(
        "polling %d sources from %s every %ss", len(specs), settings.feeds, settings.poll_interval_s
    )
    try:
        if once:
            runner.poll_once()
        else:
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            runner.run_forever(settings.poll_interval_s, stop)
    finally:
        sink.close()
    return 0
