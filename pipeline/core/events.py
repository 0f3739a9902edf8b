"""Schema ids of the event types, and the builders of the worker's events.

The connectors build their own (connectors/raw.py). Field meanings: schemas/README.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.core.clock import now_iso
from pipeline.core.errors import failure_of
from pipeline.core.ids import content_hash, stable_id

RAW_SCHEMA = {"name": "news.raw", "version": 1}
ENRICHED_SCHEMA = {"name": "news.enriched", "version": 1}
DEADLETTER_SCHEMA = {"name": "news.deadletter", "version": 1}
COMPANY_SCHEMA = {"name": "news.company", "version": 1}
# What a company in an enriched event holds besides its identifiers.
COMPANY_PARTS = ("mentions", "salience", "sentiment")
ARTICLE_FIELDS = ("source_id", "url", "title", "language", "published", "sentiment")
ARTICLE_MARKERS = ("revision", "previous_event_id", "duplicate_of", "supersedes")

Event = dict[str, Any]


def versions_digest(versions: Mapping[str, str]) -> str:
    """One short string for a tagger's versions: part of the event id and of dedup's entry."""
    return content_hash("\x1f".join(f"{k}={v}" for k, v in sorted(versions.items())))[:16]


def enriched_event(
    raw: Event, article: dict[str, Any], tags: dict[str, Any], versions: Mapping[str, str]
) -> Event:
    """The product: a clean article with its companies, topics and sentiment. Its id comes from
    the page and the tagger versions: a re-tag under other versions is a new event."""
    return {
        "schema": dict(ENRICHED_SCHEMA),
        "event_id": stable_id("art", raw["event_id"], versions_digest(versions)),
        "raw_event_id": raw["event_id"],
        "source_id": raw["source"]["id"],
        "url": raw["url"],
        **article,
        **tags,
        "tagger_versions": dict(versions),
        "fetched_at": raw["fetch"]["fetched_at"],
        "enriched_at": now_iso(),
    }


def company_record_id(article_event_id: str, company_id: str) -> str:
    """The event_id of a company's record for one article (pipeline.client computes it too)."""
    return stable_id("cmp", article_event_id, company_id)


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


def failure_fields(stage: str, error: BaseException, *reference: str) -> Event:
    """What every dead letter says about its failure: the stage, the reason of the closed set
    (`failure`) and whether it is `retriable` (the reason's), the message and the error class."""
    failure = failure_of(error)
    return {
        "schema": dict(DEADLETTER_SCHEMA),
        "event_id": stable_id("dlq", stage, *reference),
        "stage": stage,
        "failure": failure.value,
        "reason": str(error) or type(error).__name__,
        "error_class": type(error).__name__,
        "retriable": failure.retriable,
    }


def deadletter_event(raw: Event | None, stage: str, error: BaseException, payload: bytes) -> Event:
    """A failure with its reason; it keeps a reference to what failed so nothing is lost."""
    raw_id = raw.get("event_id") if raw else None
    source = raw.get("source") if raw else None
    return {
        **failure_fields(stage, error, raw_id or content_hash(payload)),
        "source_id": source.get("id") if isinstance(source, dict) else None,
        "raw_event_id": raw_id,
        "url": raw.get("url") if raw else None,
        "payload_sha256": content_hash(payload),
        "failed_at": now_iso(),
    }
