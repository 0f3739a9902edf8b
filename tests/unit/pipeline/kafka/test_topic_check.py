"""The declared topic configuration and the drift comparison, without a broker."""

from __future__ import annotations

import io

import pytest

from pipeline.commands.topics import run_ensure
from pipeline.core.settings import Settings
from pipeline.kafka.topic_check import TopicReport, compare, drift_table, same_value
from pipeline.kafka.topics import declared_topics, retention_ms


def configs(settings: Settings) -> dict[str, dict[str, str]]:
    return {spec.name: dict(spec.config) for spec in declared_topics(settings)}


def test_declared_retention_compaction_and_in_sync_replicas() -> None:
    declared = configs(Settings.of(replication_factor=3))
    assert declared["news.raw.v1"] == {
        "cleanup.policy": "delete",
        "retention.ms": str(7 * 24 * 3_600_000),
        "min.insync.replicas": "2",
    }
    assert declared["news.enriched.v1"]["retention.ms"] == str(30 * 24 * 3_600_000)
    assert declared["news.deadletter.v1"]["cleanup.policy"] == "delete"
    assert declared["newswire.connector-state.v1"]["cleanup.policy"] == "compact"
    changelog = declared["newswire-dedup-changelog"]
    assert changelog["cleanup.policy"] == "compact,delete"
    assert changelog["retention.ms"] == str(30 * 24 * 3_600_000)


@pytest.mark.parametrize(("replication", "insync"), [(1, "1"), (2, "1"), (3, "2"), (5, "4")])
def test_min_insync_defaults_to_one_less_than_the_replication(
    replication: int, insync: str
) -> None:
    for config in configs(Settings.of(replication_factor=replication)).values():
        assert config["min.insync.replicas"] == insync


def test_settings_override_retention_and_in_sync() -> None:
    declared = configs(Settings.of(raw_retention_hours=-1, min_insync_replicas=3))
    assert declared["news.raw.v1"]["retention.ms"] == "-1"
    assert declared["news.raw.v1"]["min.insync.replicas"] == "3"
    assert retention_ms(0.5) == "1800000"


def test_config_drift_against_what_apache_kafka_reports() -> None:
    settings = Settings.of(replication_factor=3)
    reported = configs(settings)
    reported["news.raw.v1"]["retention.ms"] = "604800000000"
    reported["newswire-dedup-changelog"]["cleanup.policy"] = "delete,compact"  # same set
    reported["newswire.connector-state.v1"]["cleanup.policy"] = "delete"
    report = TopicReport()
    for spec in declared_topics(settings):
        compare(report, spec, 3, (spec.partitions, 3), reported)
    assert [(d.topic, d.item, d.declared, d.actual) for d in report.drift] == [
        ("news.raw.v1", "retention.ms", "604800000", "604800000000"),
        ("newswire.connector-state.v1", "cleanup.policy", "compact", "delete"),
    ]
    assert not report.unchecked


def test_a_missing_topic_and_low_replication_are_drift() -> None:
    (spec, *_) = declared_topics(Settings.of(replication_factor=3))
    report = TopicReport()
    compare(report, spec, 3, None, {})
    assert [(d.item, d.declared, d.actual) for d in report.drift] == [
        ("partitions", "4", "0"),
        ("replication", "3", "0"),
    ]
    assert [name for _, name in report.unchecked] == [k for k, _ in spec.config]


def test_list_values_compare_as_sets() -> None:
    assert same_value("cleanup.policy", "compact,delete", "delete, compact")
    assert not same_value("retention.ms", "1", "01")


def test_the_table_aligns_its_columns() -> None:
    report = TopicReport()
    (spec, *_) = declared_topics(Settings())
    compare(report, spec, 1, (2, 1), {})
    lines = list(drift_table(report.drift))
    assert lines == [
        "topic        setting     declared  actual",
        "news.raw.v1  partitions  4         2",
    ]


def test_ensure_needs_a_bootstrap_server() -> None:
    out = io.StringIO()
    assert run_ensure(Settings(), out) == 2
    assert "NEWSWIRE_BOOTSTRAP_SERVERS" in out.getvalue()
