"""Every Kafka topic newswire uses, declared once, and created up front with the admin client."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from pipeline.core.settings import Settings
from pipeline.kafka import clients

log = logging.getLogger(__name__)


DEDUP_TABLE = "dedup"
TOPIC_TOPIC = "news.topic.{topic}.v1"


def topic_topic(topic_id: str) -> str:
    """The routing topic of one taxonomy topic: `news.topic.earnings.v1`."""
    return TOPIC_TOPIC.format(topic=topic_id)


HOUR_MS = 3_600_000


def changelog_topic(settings: Settings, table: str) -> str:
    """Faust's name for a table's changelog topic; created here, up front, compacted."""
    return f"{settings.worker.app_id}-{table}-changelog"


def stories_topic(settings: Settings) -> str:
    """The worker's internal topic: cleaned articles keyed by story, for the dedup decision."""
    return f"{settings.worker.app_id}-stories"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    purpose: str
    config: tuple[tuple[str, str], ...] = ()


def declared_topics(settings: Settings) -> list[TopicSpec]:
    """Every topic with its partitions and the configuration `newswire topics ensure` checks."""
    topics = settings.topics
    return [
        TopicSpec(
            topics.raw_topic,
            topics.raw_partitions,
            "fetched pages",
            deleted_after(settings, topics.raw_retention_hours),
        ),
        TopicSpec(
            topics.enriched_topic,
            topics.enriched_partitions,
            "enriched articles",
            deleted_after(settings, topics.enriched_retention_hours),
        ),
        TopicSpec(
            topics.deadletter_topic,
            topics.deadletter_partitions,
            "failures",
            deleted_after(settings, topics.deadletter_retention_hours),
        ),
        TopicSpec(
            stories_topic(settings),
            topics.raw_partitions,
            "cleaned and tagged articles keyed by story, so one worker decides each story",
            deleted_after(settings, topics.raw_retention_hours),
        ),
        TopicSpec(
            topics.state_topic,
            1,
            "connector state",
            (("cleanup.policy", "compact"), in_sync(settings)),
        ),
        TopicSpec(
            changelog_topic(settings, DEDUP_TABLE),
            topics.raw_partitions,
            "changelog of the worker's dedup table (one record per URL once compacted; no"
            " tombstones for forgotten URLs, so old records are also deleted after a retention)",
            (
                ("cleanup.policy", "compact,delete"),
                ("retention.ms", retention_ms(topics.changelog_retention_hours)),
                in_sync(settings),
            ),
        ),
        *routing_topics(settings),
    ]


def routing_topics(settings: Settings) -> list[TopicSpec]:
    """The topics the worker's publish step routes to, unless routing is off."""
    if not settings.worker.routing:
        return []
    topics = settings.topics
    return [
        TopicSpec(
            topics.company_topic,
            topics.company_partitions,
            "one record per company",
            deleted_after(settings, topics.enriched_retention_hours),
        ),
        *(
            TopicSpec(
                topic_topic(topic_id),
                topics.topic_partitions,
                f"articles on {topic_id}",
                deleted_after(settings, topics.enriched_retention_hours),
            )
            for topic_id in topics.routed_topic_ids
        ),
    ]


def deleted_after(settings: Settings, hours: float) -> tuple[tuple[str, str], ...]:
    return (("cleanup.policy", "delete"), ("retention.ms", retention_ms(hours)), in_sync(settings))


def retention_ms(hours: float) -> str:
    """Kafka's retention.ms for a retention in hours; a negative one keeps for ever (-1)."""
    return "-1" if hours < 0 else str(round(hours * HOUR_MS))


def in_sync(settings: Settings) -> tuple[str, str]:
    """min.insync.replicas: the setting, else one less than the replication factor (>= 1)."""
    declared = settings.topics.min_insync_replicas
    return ("min.insync.replicas", str(declared or max(1, settings.kafka.replication_factor - 1)))


def ensure_topics(settings: Settings) -> list[str]:
    """Create the declared topics that do not exist yet; returns the names it created."""
    admin = clients.admin(clients.connection_for(settings), "newswire-admin")
    try:
        existing = set(admin.list_topics())
        missing = [spec for spec in declared_topics(settings) if spec.name not in existing]
        if not missing:
            return []
        new = [
            NewTopic(
                spec.name,
                spec.partitions,
                settings.kafka.replication_factor,
                topic_configs=dict(spec.config),
            )
            for spec in missing
        ]
        try:
            admin.create_topics(new)
        except TopicAlreadyExistsError:
            log.info("topics were created concurrently by another process")
        created = [spec.name for spec in missing]
        log.info("created topics %s", created)
        return created
    finally:
        admin.close()
