"""`newswire topics ensure` against the embedded broker: creation, and the drift it can see."""

from __future__ import annotations

import io

from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from pipeline.commands.topics import run_ensure
from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.topics import declared_topics, routing_topics


def topic_settings(broker: EmbeddedBroker, prefix: str = "te", **values: object) -> Settings:
    return Settings.of(
        bootstrap_servers=broker.bootstrap,
        idempotent_producer=False,
        app_id=prefix,
        raw_topic=f"{prefix}.raw",
        enriched_topic=f"{prefix}.enriched",
        deadletter_topic=f"{prefix}.dead",
        state_topic=f"{prefix}.state",
        **values,
    )


def ensure(settings: Settings) -> tuple[int, str]:
    out = io.StringIO()
    return run_ensure(settings, out), out.getvalue()


def test_ensure_creates_every_topic_then_finds_them_as_declared(broker: EmbeddedBroker) -> None:
    settings = topic_settings(broker, raw_partitions=3)
    code, text = ensure(settings)
    assert code == 0, text
    names = [spec.name for spec in declared_topics(settings)]
    assert [line.removeprefix("created ") for line in text.splitlines()[: len(names)]] == names
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        partitions = {t["name"]: len(t["partitions"]) for t in admin.describe_topics(names)}
    finally:
        admin.close()
    assert partitions == {
        "te.raw": 3,
        "te.enriched": 4,
        "te.dead": 1,
        "te-stories": 3,
        "te.state": 1,
        "te-dedup-changelog": 3,
    } | {spec.name: spec.partitions for spec in routing_topics(settings)}
    code, again = ensure(settings)
    assert code == 0 and "created" not in again, again
    specs = declared_topics(settings)
    checked = 2 * len(specs) + sum(len(spec.config) for spec in specs)  # layouts + configs
    assert f"topics as declared ({checked} settings checked)" in again


def test_drift_is_reported_in_a_table_and_exits_1(broker: EmbeddedBroker) -> None:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:  # made by hand before: too few partitions, a short retention; state without configs
        admin.create_topics(
            [
                NewTopic("td.raw", 2, 1, topic_configs={"retention.ms": "1000"}),
                NewTopic("td.state", 1, 1),
            ]
        )
    finally:
        admin.close()
    code, text = ensure(topic_settings(broker, "td", raw_partitions=6))
    assert code == 1, text
    assert "created td-dedup-changelog" in text and "created td.raw" not in text
    table = text.split("drift from the declared configuration (2):\n", 1)[1].splitlines()
    assert table[0].split() == ["topic", "setting", "declared", "actual"]
    assert [row.split() for row in table[1:]] == [
        ["td.raw", "partitions", "6", "2"],
        ["td.raw", "retention.ms", "604800000", "1000"],
    ]
    # Tansu reports only the configs a topic was created with: the others are unchecked
    assert "unchecked: cleanup.policy, min.insync.replicas\n" in text
