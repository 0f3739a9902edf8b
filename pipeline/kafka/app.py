"""The Faust application: one place that turns settings into a configured app."""

from __future__ import annotations

import faust

from pipeline.core.settings import Settings
from pipeline.kafka import transport as faust_transport


def create_app(settings: Settings) -> faust.App:
    """A Faust app that moves raw bytes (our own JSON codec), at least once, no web server."""
    app = faust.App(
        settings.app_id,
        broker=f"{faust_transport.SCHEME}://{settings.bootstrap}",
        datadir=str(settings.data_dir / "worker"),
        key_serializer="raw",
        value_serializer="raw",
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        consumer_auto_offset_reset="earliest",
        topic_allow_declare=False,
        topic_disable_leader=True,
        topic_partitions=settings.raw_partitions,
        producer_acks=-1,
        producer_compression_type=None if settings.compression == "none" else settings.compression,
        producer_linger_ms=settings.linger_ms,
        producer_max_request_size=8_000_000,
        web_enabled=False,
        web_bind="127.0.0.1",
    )
    setattr(app, faust_transport.FETCH_WAIT_ATTRIBUTE, settings.fetch_wait_ms)
    return app
