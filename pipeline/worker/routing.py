"""Routing: what an enriched article becomes on the routing topics.

- `news.topic.<topic-id>.v1`: the enriched event itself, once per topic it has, keyed by its
  event_id as on news.enriched.v1; only topics declared (and so created up front) are routed,
  a topic another tagger invents stays on news.enriched.v1;
- `news.company.v1`: one record per company the article names (news.company.v1 schema), keyed
  by the company id, so one consumer partition owns a company.

Pure: the worker's publish step (and replay) send what `Router.routes` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.events import Event, company_record
from pipeline.core.settings import Settings
from pipeline.kafka.topics import topic_topic


@dataclass(frozen=True)
class Route:
    topic: str
    key: bytes
    value: Event
    kind: str  # enriched, company or topic: the metrics label


@dataclass(frozen=True)
class Router:
    company_topic: str
    topic_ids: frozenset[str]

    @classmethod
    def of(cls, settings: Settings) -> Router | None:
        """The router of these settings; None when routing is off."""
        if not settings.worker.routing:
            return None
        topics = settings.topics
        return cls(topics.company_topic, frozenset(topics.routed_topic_ids))

    def topic_names(self) -> list[str]:
        return [self.company_topic, *(topic_topic(t) for t in sorted(self.topic_ids))]

    def routes(self, event: Event) -> list[Route]:
        """Everything one enriched article is routed to, besides news.enriched.v1 itself."""
        return self.topic_routes(event) + self.company_routes(event)

    def topic_routes(self, event: Event) -> list[Route]:
        key = str(event["event_id"]).encode()
        return [
            Route(topic_topic(t["id"]), key, event, "topic")
            for t in event.get("topics", [])
            if t["id"] in self.topic_ids
        ]

    def company_routes(self, event: Event) -> list[Route]:
        return [
            Route(self.company_topic, str(c["id"]).encode(), company_record(event, c), "company")
            for c in event.get("companies", [])
        ]
