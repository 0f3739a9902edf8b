"""Routing: what an enriched article becomes on the routing topics.

- `news.topic.<topic-id>.v1`: the enriched event itself, once per topic it has, keyed by its
  event_id as on news.enriched.v1;
- `news.company.v1`: one record per company the article names (news.company.v1 schema), keyed
  by the company id, so one consumer partition owns a company.

Pure functions of the enriched event; the worker's publish step sends what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.ids import stable_id

COMPANY_SCHEMA = {"name": "news.company", "version": 1}
TOPIC_TOPIC_TEMPLATE = "news.topic.{topic}.v1"
# What a company in an enriched event holds besides its identifiers.
COMPANY_PARTS = ("mentions", "salience", "sentiment")
ARTICLE_FIELDS = ("source_id", "url", "title", "language", "published", "sentiment")
ARTICLE_MARKERS = ("revision", "previous_event_id", "duplicate_of", "supersedes")

Event = dict[str, Any]


@dataclass(frozen=True)
class Route:
    topic: str
    key: bytes
    value: Event


def company_record_id(article_event_id: str, company_id: str) -> str:
    """The event_id of a company's record for one article: the client computes it too."""
    return stable_id("cmp", article_event_id, company_id)


def topic_topic(topic_id: str, template: str = TOPIC_TOPIC_TEMPLATE) -> str:
    """The routing topic of one taxonomy topic: `news.topic.earnings.v1`."""
    return template.format(topic=topic_id)


def company_record(event: Event, company: dict[str, Any]) -> Event:
    """One company of an enriched article, with what a per-company consumer needs of it."""
    article: dict[str, Any] = {"event_id": event["event_id"]}
    article.update((name, event.get(name)) for name in ARTICLE_FIELDS)
    article["topics"] = [{"id": t["id"], "score": t["score"]} for t in event.get("topics", [])]
    article.update((name, event[name]) for name in ARTICLE_MARKERS if name in event)
    return {
        "schema": dict(COMPANY_SCHEMA),
        "event_id": company_record_id(event["event_id"], company["id"]),
        "company": {k: v for k, v in company.items() if k not in COMPANY_PARTS},
        **{part: company[part] for part in COMPANY_PARTS},
        "article": article,
        "enriched_at": event["enriched_at"],
    }


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
