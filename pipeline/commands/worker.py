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
    import faust
    from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
    from prometheus_client import REGISTRY

    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.core.health import Health, serve_health
    from pipeline.core.metrics import PipelineMetrics, serve_metrics
    from pipeline.kafka import clients
    from pipeline.kafka.app import create_app
    from pipeline.kafka.lag import LagMonitor
    from pipeline.kafka.topics import ensure_topics
    from pipeline.worker.agent import register_enrich_agent
    from pipeline.worker.liveness import STALE_AFTER_S, watch_worker
    from pipeline.worker.pool import ProcessingPool
    from pipeline.worker.pool_metrics import PoolProcessCollector

    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_topics(settings)
    watchlist = frozenset(
        c.strip() for c in settings.metrics.metrics_companies.split(",") if c.strip()
    )
    metrics = PipelineMetrics.create(REGISTRY, watchlist)
    metrics.create_series()
    REGISTRY.register(PoolProcessCollector())
    serve_metrics(settings.metrics.metrics_port, settings.metrics.metrics_host)
    health = Health(STALE_AFTER_S)
    extraction = ExtractionOptions(
        mode=settings.worker.extraction_mode,
        adaptive_min_chars=settings.worker.extraction_retry_chars,
    )  # a wrong mode fails here, before any process starts
    pool = ProcessingPool(settings.pool_size, settings.worker.tagger, extraction)
    app = create_app(settings)
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(REGISTRY, "newswire_faust"))
    register_enrich_agent(app, settings, pool, metrics)
    watch_worker(app, health)
    probes = serve_health(health, settings.metrics.health_port, settings.metrics.metrics_host)
    lag = LagMonitor(
        clients.connection_for(settings),
        settings.worker.app_id,
        settings.topics.raw_topic,
        metrics.consumer_lag,
        settings.worker.lag_interval_s,
    ).start()
    log.info("worker consuming %s with %d pool processes", settings.topics.raw_topic, pool.size)
    try:
        faust.Worker(
            app, loglevel=logging.getLogger().level or logging.INFO, redirect_stdouts=False
        ).execute_from_commandline()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        lag.stop()
        pool.close()
        if probes is not None:
            probes.close()
    return 0
