"""The Faust application: one place that turns settings into a configured app."""

from __future__ import annotations

import signal
from typing import Any

import faust

from pipeline.core.lifecycle import Shutdown
from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka import transport as faust_transport
from pipeline.kafka.commit_gate import CommitGate
from pipeline.kafka.topics import stories_topic


def create_app(settings: Settings) -> faust.App:
    """A Faust app that moves raw bytes (our own JSON codec), at least once, no web server."""
    connection = clients.connection_for(settings)
    app = faust.App(
        settings.worker.app_id,
        broker=f"{faust_transport.SCHEME}://{settings.bootstrap}",
        datadir=str(settings.worker.data_dir / "worker"),
        key_serializer="raw",
        value_serializer="raw",
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.kafka.session_timeout_s,
        broker_heartbeat_interval=settings.kafka.heartbeat_interval_s,
        consumer_auto_offset_reset="earliest",
        topic_allow_declare=False,
        topic_disable_leader=True,
        topic_partitions=settings.topics.raw_partitions,
        producer_linger_ms=settings.kafka.linger_ms,
        **clients.faust_settings(connection),
        web_enabled=False,
        web_bind="127.0.0.1",
    )
    setattr(app, faust_transport.FETCH_WAIT_ATTRIBUTE, settings.kafka.fetch_wait_ms)
    setattr(app, faust_transport.CONNECTION_ATTRIBUTE, connection)
    gate = CommitGate(frozenset({settings.topics.raw_topic, stories_topic(settings)}))
    setattr(app, faust_transport.GATE_ATTRIBUTE, gate)
    return app


class Worker(faust.Worker):
    """Faust's worker, whose stop (SIGTERM, SIGINT, or a requested one) has a deadline."""

    def __init__(self, app: faust.App, shutdown: Shutdown, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.shutdown = shutdown

    def _schedule_shutdown(self, signal: signal.Signals) -> None:
        self.shutdown.arm_deadline()
        super()._schedule_shutdown(signal)
