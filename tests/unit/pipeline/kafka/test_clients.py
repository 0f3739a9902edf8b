"""The client factory: one place for size limit, compression, acks and security."""

from __future__ import annotations

import ssl
from pathlib import Path

import faust
import pytest

from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.app import create_app


def test_plain_bootstrap_means_plaintext_with_lz4() -> None:
    conn = clients.connection("127.0.0.1:1")
    assert conn.security() == {"security_protocol": "PLAINTEXT"}
    assert conn.compression_type == "lz4"


def test_none_compression_is_spelled_none_for_the_clients() -> None:
    assert clients.KafkaConnection("h:1", compression="none").compression_type is None


def test_sasl_settings_reach_the_client_options() -> None:
    settings = Settings(
        bootstrap_servers="kafka.test:9093",
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="newswire",
        sasl_password="s3cret",
    )
    options = clients.connection_for(settings).security()
    assert options == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "newswire",
        "sasl_plain_password": "s3cret",
    }


def test_tls_files_reach_the_client_options(tmp_path: Path) -> None:
    conn = clients.KafkaConnection("h:1", security_protocol="SSL", ssl_cafile=str(tmp_path / "ca"))
    assert conn.security()["ssl_cafile"] == str(tmp_path / "ca")
    with pytest.raises((FileNotFoundError, ssl.SSLError)):
        conn.ssl_context()  # the CA file is read, so a missing one is an error at start


def test_faust_gets_acks_all_the_size_limit_and_sasl_credentials() -> None:
    conn = clients.KafkaConnection(
        "h:1", security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN", sasl_username="u"
    )
    options = clients.faust_settings(conn)
    assert options["producer_acks"] == -1
    assert options["producer_max_request_size"] == clients.MAX_REQUEST_BYTES
    assert isinstance(options["broker_credentials"], faust.SASLCredentials)


def test_the_app_is_built_from_the_factory(tmp_path: Path) -> None:
    app = create_app(Settings.of(data_dir=tmp_path, compression="none"))
    assert app.conf.producer_compression_type is None
    assert app.conf.producer_max_request_size == clients.MAX_REQUEST_BYTES
    assert app.conf.broker_credentials is None


def test_the_producer_is_built_with_acks_all_and_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(clients, "KafkaProducer", lambda **kw: seen.update(kw))
    clients.producer(clients.KafkaConnection("h:1", compression="zstd"), "test", linger_ms=3)
    assert seen["acks"] == "all"
    assert seen["compression_type"] == "zstd"
    assert seen["max_request_size"] == clients.MAX_REQUEST_BYTES
    assert seen["linger_ms"] == 3


def test_no_module_but_the_factory_builds_a_kafka_client() -> None:
    import ast

    root = Path(__file__).resolve().parents[4]
    builders = {"KafkaProducer", "KafkaConsumer", "KafkaAdminClient"}
    found = [
        f"{path.relative_to(root)}:{node.lineno}"
        for package in ("pipeline", "connectors")
        for path in (root / package).rglob("*.py")
        if path.name != "clients.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) in builders
    ]
    assert not found
