"""`newswire topics ensure`: create the declared topics that are missing, then compare every
declared topic with what the broker reports (partitions, replication factor, configuration).

A difference is drift; a configuration the broker does not report (the embedded broker answers
describe_configs with none) is listed as unchecked, never taken for drift. Nothing is altered:
fixing drift (more partitions, a new retention) is the operator's decision.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.topics import TopicSpec, declared_topics, ensure_topics

LIST_VALUED = frozenset({"cleanup.policy"})  # comma-separated, order does not matter


@dataclass(frozen=True)
class Drift:
    topic: str
    item: str
    declared: str
    actual: str


@dataclass
class TopicReport:
    created: list[str] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (topic, config name)
    checked: int = 0  # how many items were compared

    @property
    def ok(self) -> bool:
        return not self.drift


def ensure_and_check(settings: Settings) -> TopicReport:
    """Create what is missing, then check every declared topic against the broker."""
    created = ensure_topics(settings)
    specs = declared_topics(settings)
    admin = clients.admin(clients.connection_for(settings), "newswire-topics")
    try:
        layouts = describe_layouts(admin, [spec.name for spec in specs])
        configs = describe_configs(admin, [spec.name for spec in specs])
    finally:
        admin.close()
    report = TopicReport(created=created)
    for spec in specs:
        compare(report, spec, settings.kafka.replication_factor, layouts.get(spec.name), configs)
    return report


def describe_layouts(admin: KafkaAdminClient, names: list[str]) -> dict[str, tuple[int, int]]:
    """Topic -> (partitions, replication factor: the fewest replicas of any partition)."""
    layouts = {}
    for topic in admin.describe_topics(names):
        partitions = topic.get("partitions") or []
        replicas = min((len(p.get("replica_nodes") or []) for p in partitions), default=0)
        layouts[str(topic.get("name") or topic.get("topic"))] = (len(partitions), replicas)
    return layouts


def describe_configs(admin: KafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """Topic -> config name -> value, every config the broker reports (defaults included)."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    answer: Mapping[str, Any] = admin.describe_configs(resources, config_filter="all")
    return {
        topic: {key: str(entry.get("value")) for key, entry in entries.items()}
        for topic, entries in (answer.get("topic") or {}).items()
    }


def compare(
    report: TopicReport,
    spec: TopicSpec,
    replication: int,
    layout: tuple[int, int] | None,
    configs: Mapping[str, Mapping[str, str]],
) -> None:
    partitions, replicas = layout or (0, 0)
    items = [("partitions", spec.partitions, partitions), ("replication", replication, replicas)]
    for item, declared, actual in items:
        report.checked += 1
        if declared != actual:
            report.drift.append(Drift(spec.name, item, str(declared), str(actual)))
    reported = configs.get(spec.name, {})
    for name, declared_value in spec.config:
        if name not in reported:
            report.unchecked.append((spec.name, name))
            continue
        report.checked += 1
        if not same_value(name, declared_value, reported[name]):
            report.drift.append(Drift(spec.name, name, declared_value, reported[name]))


def same_value(name: str, declared: str, actual: str) -> bool:
    if name in LIST_VALUED:
        return _items(declared) == _items(actual)
    return declared == actual


def _items(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def drift_table(drift: list[Drift]) -> Iterator[str]:
    """The drift as an aligned text table, one row per difference."""
    rows = [("topic", "setting", "declared", "actual")]
    rows += [(d.topic, d.item, d.declared, d.actual) for d in drift]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        yield "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
