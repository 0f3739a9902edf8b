"""The idempotent producer: on for Apache Kafka, off on the embedded broker (Tansu fails
InitProducerId), for kafka-python's producers and Faust's alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.app import create_app


@pytest.mark.parametrize(
    ("values", "idempotent"),
    [
        ({"bootstrap_servers": "kafka:9092"}, True),
        ({"bootstrap_servers": "kafka:9092", "idempotent_producer": "false"}, False),
        ({}, False),  # the embedded broker
        ({"idempotent_producer": "true"}, False),  # never on the embedded broker
    ],
)
def test_the_connection_is_idempotent_only_on_external_kafka(
    values: dict[str, str], idempotent: bool
) -> None:
    assert clients.connection_for(Settings.of(**values)).idempotent is idempotent


@pytest.mark.parametrize("idempotent", [True, False])
def test_the_producer_follows_the_connection(
    monkeypatch: pytest.MonkeyPatch, idempotent: bool
) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(clients, "KafkaProducer", lambda **kw: seen.update(kw))
    clients.producer(clients.KafkaConnection("h:1", idempotent=idempotent), "test")
    assert seen["enable_idempotence"] is idempotent
    assert seen["acks"] == "all"


@pytest.mark.parametrize(("bootstrap", "idempotent"), [("kafka:9092", True), ("", False)])
def test_fausts_producer_follows_the_settings(
    tmp_path: Path, bootstrap: str, idempotent: bool
) -> None:
    app = create_app(Settings.of(data_dir=tmp_path, bootstrap_servers=bootstrap))
    extra = app.producer._settings_extra()
    assert extra.get("enable_idempotence", False) is idempotent
    if idempotent:
        assert extra["acks"] == "all"
