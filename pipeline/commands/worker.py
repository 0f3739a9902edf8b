"""`newswire worker`: the Faust worker that cleans, tags and publishes articles."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser("worker", help="run the Faust worker (clean, tag, publish)")
    parser.set_defaults(run=lambda args, settings: run_worker(settings))


def run_worker(settings: Settings) -> int:
    from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
    from prometheus_client import REGISTRY

    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.core.lifecycle import Shutdown
    from pipeline.core.metrics import PipelineMetrics, serve_metrics
    from pipeline.kafka import clients
    from pipeline.kafka.app import Worker, create_app
    from pipeline.kafka.lag import LagMonitor
    from pipeline.kafka.reachability import wait_for_broker
    from pipeline.kafka.topics import ensure_topics
    from pipeline.kafka.transport import commit_gate
    from pipeline.worker.agent import register_enrich_agent
    from pipeline.worker.pool import ProcessingPool
    from pipeline.worker.stall import StallWatch

    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    wait_for_broker(settings.bootstrap, settings.kafka.broker_wait_s)
    ensure_topics(settings)
    watchlist = frozenset(
        c.strip() for c in settings.metrics.metrics_companies.split(",") if c.strip()
    )
    metrics = PipelineMetrics.create(REGISTRY, watchlist)
    serve_metrics(settings.metrics.metrics_port, settings.metrics.metrics_host)
    extraction = ExtractionOptions(
        mode=settings.worker.extraction_mode,
        adaptive_min_chars=settings.worker.extraction_retry_chars,
    )  # a wrong mode fails here, before any process starts
    pool = ProcessingPool(settings.pool_size, settings.worker.tagger, extraction)
    app = create_app(settings)
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(REGISTRY, "newswire_faust"))
    shutdown = Shutdown()
    stall = StallWatch(metrics.last_published, metrics.stalled_seconds)
    register_enrich_agent(
        app,
        settings,
        pool,
        metrics,
        commit_gate(app),
        stall.progress,
        fatal=lambda reason: shutdown.request(1, reason),
    )
    lag = LagMonitor(
        clients.connection_for(settings),
        settings.worker.app_id,
        settings.topics.raw_topic,
        metrics.consumer_lag,
        settings.worker.lag_interval_s,
        on_measure=stall.observe,
    ).start()
    log.info("worker consuming %s with %d pool processes", settings.topics.raw_topic, pool.size)
    code = 0
    try:
        Worker(
            app,
            shutdown,
            loglevel=logging.getLogger().level or logging.INFO,
            redirect_stdouts=False,
        ).execute_from_commandline()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        lag.stop()
        pool.close()
    return shutdown.code if shutdown.code is not None else code
