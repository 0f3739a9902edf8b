"""`newswire worker`: the Faust worker that cleans, tags and publishes articles."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.core.lifecycle import Shutdown
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser("worker", help="run the Faust worker (clean, tag, publish)")
    parser.set_defaults(run=lambda args, settings: run_worker(settings))


def run_worker(settings: Settings) -> int:
    from faust.exceptions import ConsistencyError
    from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
    from prometheus_client import REGISTRY

    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.core.health import Health, serve_health
    from pipeline.core.metrics import PipelineMetrics, serve_metrics
    from pipeline.kafka import clients
    from pipeline.kafka.app import Worker, create_app
    from pipeline.kafka.lag import LagMonitor
    from pipeline.kafka.reachability import wait_for_broker
    from pipeline.kafka.topic_identity import TopicIdentityWatch
    from pipeline.kafka.topics import ensure_topics
    from pipeline.kafka.transport import ASSIGNED_CHECK_ATTRIBUTE, commit_gate
    from pipeline.worker.agent import register_enrich_agent
    from pipeline.worker.liveness import STALE_AFTER_S, watch_worker
    from pipeline.worker.pool import ProcessingPool
    from pipeline.worker.pool_metrics import PoolProcessCollector
    from pipeline.worker.stall import StallWatch

    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    wait_for_broker(settings.bootstrap, settings.kafka.broker_wait_s)
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
    shutdown = Shutdown(before_restart=lambda: wipe_local_state(settings))
    gate = commit_gate(app)
    assert gate is not None, "create_app sets the commit gate"
    gate.on_halt = lambda why: restart_after_reset(shutdown, why)
    stall = StallWatch(
        metrics.last_published,
        metrics.stalled_seconds,
        restart_after_s=settings.worker.stall_restart_s,
        on_stall=lambda why: shutdown.request(1, f"{why}; restarting", restart=True),
    )
    register_enrich_agent(
        app,
        settings,
        pool,
        metrics,
        gate,
        stall.progress,
        fatal=lambda reason: shutdown.request(1, f"{reason}; restarting the worker", restart=True),
    )
    watch_worker(app, health)
    probes = serve_health(health, settings.metrics.health_port, settings.metrics.metrics_host)
    lag = LagMonitor(
        clients.connection_for(settings),
        settings.worker.app_id,
        settings.topics.raw_topic,
        metrics.consumer_lag,
        settings.worker.lag_interval_s,
        on_measure=stall.observe,
    ).start()
    topic_watch = TopicIdentityWatch(
        clients.connection_for(settings),
        worker_topics(settings),
        on_change=gate.halt,  # commits and produces nothing more, then restarts
        interval_s=settings.worker.topic_watch_interval_s,
    ).start()
    setattr(app, ASSIGNED_CHECK_ATTRIBUTE, topic_watch.check)
    log.info("worker consuming %s with %d pool processes", settings.topics.raw_topic, pool.size)
    code = 0
    worker = Worker(
        app, shutdown, loglevel=logging.getLogger().level or logging.INFO, redirect_stdouts=False
    )
    try:
        worker.execute_from_commandline()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    except ConsistencyError:
        code = 1
    finally:
        lag.stop()
        topic_watch.stop()
        pool.close()
        if probes is not None:
            probes.close()
    if isinstance(worker.crash_reason, ConsistencyError):
        restart_after_reset(shutdown, "table state ahead of its changelog", signal=False)
    return shutdown.finish(code)


def worker_topics(settings: Settings) -> list[str]:
    """The topics the worker reads and the ones it writes first (routing topics are shared
    by every pipeline on the broker, so they are not watched)."""
    from pipeline.kafka.topics import stories_topic

    topics = settings.topics
    return [
        topics.raw_topic,
        stories_topic(settings),
        topics.enriched_topic,
        topics.deadletter_topic,
    ]


def restart_after_reset(shutdown: Shutdown, why: str, signal: bool = True) -> None:
    """The broker lost what this worker had read (Tansu restarted: it keeps nothing), or a topic
    was recreated. Faust cannot go on: its table state and read positions point past the new
    logs (a ConsistencyError, or new records silently skipped). So: wipe the local state, run
    the worker again from scratch; commits stop at once, nothing is skipped. A dedup file
    (NEWSWIRE_DEDUP_FILE) is not part of that state and stays: on embedded `up` a new broker is
    the normal restart, and the entries are put back into the new table."""
    reason = f"broker reset detected ({why}); restarting the worker with empty local state"
    if signal:
        shutdown.request(1, reason, restart=True)
    else:
        shutdown.request_without_signal(1, reason, restart=True)


def wipe_local_state(settings: Settings) -> None:
    import shutil

    shutil.rmtree(settings.worker.data_dir / "worker", ignore_errors=True)
