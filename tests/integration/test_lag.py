"""Consumer lag is right on the embedded broker, even after multi-record batches."""

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from prometheus_client import CollectorRegistry

from pipeline.core.metrics import PipelineMetrics
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.lag import LagMonitor, group_lag


def test_lag_counts_what_the_group_has_not_committed(broker: EmbeddedBroker) -> None:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic("lag-check", 2, 1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=20)
    for index in range(10):
        producer.send("lag-check", value=b"x", partition=index % 2)
    producer.flush()
    producer.close()
    assert set(group_lag(broker.bootstrap, "lag-group", "lag-check").values()) == {5}
    consumer = KafkaConsumer(
        "lag-check",
        bootstrap_servers=broker.bootstrap,
        group_id="lag-group",
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
        max_poll_records=3,
    )
    received = 0
    while received < 3:
        received += sum(len(records) for records in consumer.poll(1000).values())
    consumer.commit()
    consumer.close()
    lag = group_lag(broker.bootstrap, "lag-group", "lag-check")
    assert sum(lag.values()) == 7
    registry = CollectorRegistry()
    metrics = PipelineMetrics.create(registry)
    LagMonitor(broker.bootstrap, "lag-group", "lag-check", metrics.consumer_lag).measure()
    for tp in (TopicPartition("lag-check", 0), TopicPartition("lag-check", 1)):
        assert (
            registry.get_sample_value(
                "newswire_consumer_lag", {"topic": tp.topic, "partition": str(tp.partition)}
            )
            == lag[tp]
        )
