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


def changelog_topic(settings: Settings, table: str) -> str:
    """Faust's name for a table's changelog topic; created here, up front, compacted."""
    return f"{settings.worker.app_id}-{table}-changelog"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    purpose: str
    config: tuple[tuple[str, str], ...] = ()


def declared_topics(settings: Settings) -> list[TopicSpec]:
    return [
        TopicSpec(settings.topics.raw_topic, settings.topics.raw_partitions, "fetched pages"),
        TopicSpec(
            settings.topics.enriched_topic, settings.topics.enriched_partitions, "enriched articles"
        ),
        TopicSpec(
            settings.topics.deadletter_topic, settings.topics.deadletter_partitions, "failures"
        ),
        TopicSpec(
            settings.topics.state_topic, 1, "connector state", (("cleanup.policy", "compact"),)
        ),
        TopicSpec(
            changelog_topic(settings, DEDUP_TABLE),
            settings.topics.raw_partitions,
            "changelog of the worker's dedup table (one record per URL once compacted)",
            (("cleanup.policy", "compact"),),
        ),
        *routing_topics(settings),
    ]


def routing_topics(settings: Settings) -> list[TopicSpec]:
    """The topics the worker's publish step routes to, unless routing is off."""
    if not settings.worker.routing:
        return []
    topics = settings.topics
    return [
        TopicSpec(topics.company_topic, topics.company_partitions, "one record per company"),
        *(
            TopicSpec(topic_topic(topic_id), topics.topic_partitions, f"articles on {topic_id}")
            for topic_id in topics.routed_topic_ids
        ),
    ]


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
