"""Routing: what an enriched article becomes on the routing topics.

- `news.topic.<topic-id>.v1`: the enriched event itself, once per topic it has, keyed by its
  event_id as on news.enriched.v1;
- `news.company.v1`: one record per company the article names (news.company.v1 schema), keyed
  by the company id, so one consumer partition owns a company.

Pure functions of the enriched event; the worker's publish step sends what they return.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.events import Event, company_record

TOPIC_TOPIC_TEMPLATE = "news.topic.{topic}.v1"


@dataclass(frozen=True)
class Route:
    topic: str
    key: bytes
    value: Event


def topic_topic(topic_id: str, template: str = TOPIC_TOPIC_TEMPLATE) -> str:
    """The routing topic of one taxonomy topic: `news.topic.earnings.v1`."""
    return template.format(topic=topic_id)


def company_routes(event: Event, company_topic: str) -> list[Route]:
    return [
        Route(company_topic, str(company["id"]).encode(), company_record(event, company))
        for company in event.get("companies", [])
    ]


def topic_routes(
    event: Event, known: frozenset[str], template: str = TOPIC_TOPIC_TEMPLATE
) -> list[Route]:
    """Only topics of the taxonomy have a routing topic (created up front); a topic another
    tagger invents stays on news.enriched.v1."""
    key = str(event["event_id"]).encode()
    return [
        Route(topic_topic(t["id"], template), key, event)
        for t in event.get("topics", [])
        if t["id"] in known
    ]


def routes(
    event: Event,
    company_topic: str,
    known_topics: frozenset[str],
    template: str = TOPIC_TOPIC_TEMPLATE,
) -> list[Route]:
    """Everything one enriched article is routed to, besides news.enriched.v1 itself."""
    return topic_routes(event, known_topics, template) + company_routes(event, company_topic)
