"""The one place kafka-python clients (and the Faust app's producer and credentials) are made.

Every producer, consumer and admin client in newswire is built here, so the request-size limit,
the compression mapping, `acks=all`, the idempotent producer (Faust's too, through
pipeline/kafka/transport.py) and the security settings (protocol, SASL, TLS) are written once.
Callers name a client id and only the options that are theirs (linger, fetch waits).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from pipeline.core.settings import Settings

MAX_REQUEST_BYTES = 8_000_000  # above the largest raw page (fetch cap 5 MB) with its envelope
COMPRESSIONS = frozenset({"none", "gzip", "snappy", "lz4", "zstd"})


@dataclass(frozen=True)
class KafkaConnection:
    """How to reach the cluster: address, compression and security (secrets as plain strings
    here; the settings keep them as SecretStr and never print them)."""

    bootstrap: str
    compression: str = "lz4"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    ssl_password: str | None = None
    idempotent: bool = False  # the idempotent producer; never on the embedded broker

    @property
    def compression_type(self) -> str | None:
        """kafka-python's and Faust's spelling: None for no compression."""
        return None if self.compression == "none" else self.compression

    def security(self) -> dict[str, Any]:
        """The security options of a kafka-python client; empty for PLAINTEXT."""
        options: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.sasl_mechanism:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.sasl_password
        if self.uses_tls:
            options["ssl_cafile"] = self.ssl_cafile
            options["ssl_certfile"] = self.ssl_certfile
            options["ssl_keyfile"] = self.ssl_keyfile
            options["ssl_password"] = self.ssl_password
        return options

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in {"SSL", "SASL_SSL"}

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context Faust's clients use, built from the same files."""
        if not self.uses_tls:
            return None
        context = ssl.create_default_context(cafile=self.ssl_cafile)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile, self.ssl_password)
        return context


Target = str | KafkaConnection


def connection(target: Target) -> KafkaConnection:
    """A bare bootstrap address means a plaintext cluster with the default compression."""
    return target if isinstance(target, KafkaConnection) else KafkaConnection(target)


def producer(target: Target, client_id: str, **options: Any) -> KafkaProducer:
    """A producer that waits for all in-sync replicas, compresses as configured and is
    idempotent when the connection says so."""
    conn = connection(target)
    config: dict[str, Any] = {
        "acks": "all",
        # kafka-python 3 makes producers idempotent by default. Against a broker that lost its
        # state (the embedded one restarted) such a producer retries UnknownProducerIdError
        # forever, eight times a second, and never produces again, so idempotence is on only
        # where the connection says the broker keeps producer state (Apache Kafka).
        "enable_idempotence": conn.idempotent,
        "compression_type": conn.compression_type,
        "max_request_size": MAX_REQUEST_BYTES,
        **options,
    }
    return KafkaProducer(
        bootstrap_servers=conn.bootstrap, client_id=client_id, **conn.security(), **config
    )


def consumer(target: Target, client_id: str, **options: Any) -> KafkaConsumer:
    """A consumer that never commits unless a caller asks for it."""
    conn = connection(target)
    config: dict[str, Any] = {"enable_auto_commit": False, **options}
    return KafkaConsumer(
        bootstrap_servers=conn.bootstrap, client_id=client_id, **conn.security(), **config
    )


def admin(target: Target, client_id: str, **options: Any) -> KafkaAdminClient:
    conn = connection(target)
    return KafkaAdminClient(
        bootstrap_servers=conn.bootstrap, client_id=client_id, **conn.security(), **options
    )


def faust_settings(conn: KafkaConnection) -> dict[str, Any]:
    """The Faust app's producer and credential settings, from the same rules as above."""
    return {
        "producer_acks": -1,
        "producer_compression_type": conn.compression_type,
        "producer_max_request_size": MAX_REQUEST_BYTES,
        "broker_credentials": faust_credentials(conn),
    }


def faust_credentials(conn: KafkaConnection) -> Any:
    import faust  # here, so that kafka-python users do not pay for importing Faust

    if conn.sasl_mechanism:
        return faust.SASLCredentials(
            username=conn.sasl_username,
            password=conn.sasl_password,
            ssl_context=conn.ssl_context(),
            mechanism=conn.sasl_mechanism,
        )
    context = conn.ssl_context()
    return faust.SSLCredentials(context) if context else None


def connection_for(settings: Settings) -> KafkaConnection:
    """The connection the settings describe."""
    return KafkaConnection(
        bootstrap=settings.bootstrap,
        compression=settings.kafka.compression,
        security_protocol=settings.kafka.security_protocol,
        sasl_mechanism=settings.kafka.sasl_mechanism or None,
        sasl_username=settings.kafka.sasl_username or None,
        sasl_password=settings.kafka.sasl_password.get_secret_value() or None,
        ssl_cafile=settings.kafka.ssl_cafile or None,
        ssl_certfile=settings.kafka.ssl_certfile or None,
        ssl_keyfile=settings.kafka.ssl_keyfile or None,
        ssl_password=settings.kafka.ssl_password.get_secret_value() or None,
        idempotent=settings.kafka.idempotent_producer and not settings.uses_embedded_broker,
    )
