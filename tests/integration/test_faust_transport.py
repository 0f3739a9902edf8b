"""The Faust transport's two fixes, and guards that fail when Faust or aiokafka change."""

from __future__ import annotations

import inspect

import aiokafka
import faust
from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer as FaustConsumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

from pipeline.kafka import transport as faust_transport
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.offsets import confirmed_end_offsets


def test_faust_is_the_pinned_version() -> None:
    assert faust.__version__ == faust_transport.PINNED_FAUST


def test_the_driver_code_we_adjust_is_unchanged() -> None:
    create = inspect.getsource(AIOKafkaConsumerThread._create_worker_consumer)
    assert "fetch_max_wait_ms=1500" in create, "Faust changed its fetch wait: revisit"
    assert "await consumer.end_offsets(partitions)" in inspect.getsource(
        AIOKafkaConsumerThread._highwaters
    )
    assert "consumer.highwaters(" in inspect.getsource(Recovery._build_highwaters)
    # records fetched for a paused partition are dropped, and partitions with no commit are
    # not seeked back: the transport's perform_seek sends them to the beginning
    getmany = inspect.getsource(FaustConsumer.getmany)
    assert "or tp in active_partitions" in getmany, "Faust changed its getmany: revisit"
    seek = inspect.getsource(FaustConsumer.perform_seek)
    assert "if offset is not None" in seek, "Faust changed perform_seek: revisit"
    start = inspect.getsource(aiokafka.AIOKafkaConsumer.start)
    assert "fetch_max_wait_ms=self._fetch_max_wait_ms" in start, "aiokafka changed: revisit"


def test_the_newswire_scheme_selects_the_transport() -> None:
    from faust.transport import drivers

    assert drivers.by_url("newswire://127.0.0.1:9092") is faust_transport.Transport


def test_end_offsets_are_confirmed_from_the_fetch_high_watermark(broker: EmbeddedBroker) -> None:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic("hw-check", 1, 1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=50)
    for index in range(200):
        producer.send("hw-check", key=str(index).encode(), value=b"x" * 100)
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
    partition = TopicPartition("hw-check", 0)
    reported = consumer.end_offsets([partition])[partition]
    consumer.close()
    assert confirmed_end_offsets(broker.bootstrap, [partition]) == {partition: 200}
    assert reported <= 200  # on Tansu after multi-record batches: lower (the trap)
