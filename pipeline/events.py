"""Build the three event types newswire puts on the wire. Field meanings: schemas/README.md."""

from __future__ import annotations

from typing import Any

from connectors.base import FeedEntry, SourceSpec
from connectors.http import Response
from pipeline.clock import now_iso
from pipeline.ids import content_hash, stable_id

RAW_SCHEMA = {"name": "news.raw", "version": 1}
ENRICHED_SCHEMA = {"name": "news.enriched", "version": 1}
DEADLETTER_SCHEMA = {"name": "news.deadletter", "version": 1}

Event = dict[str, Any]


def raw_event(source: SourceSpec, entry: FeedEntry, page: Response) -> Event:
    """A fetched page; its id changes only when the URL or the page's text changes.

    A page of a type that is not HTML is not downloaded: its `html` is empty and the cleaning
    stage dead-letters it with the content type as the reason."""
    return {
        "schema": dict(RAW_SCHEMA),
        "event_id": stable_id("raw", source.id, entry.link, content_hash(page.text)),
        "source": {
            "id": source.id,
            "kind": source.kind,
            "url": source.url,
            "language": source.language,
        },
        "url": entry.link,
        "entry": {
            "id": entry.entry_id,
            "title": entry.title,
            "published": entry.published,
            "authors": list(entry.authors),
            "summary": entry.summary,
        },
        "fetch": {
            "status": page.status,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "bytes": page.byte_count,
            "fetched_at": page.fetched_at,
        },
        "html": page.text,
        "produced_at": now_iso(),
    }


def enriched_event(raw: Event, article: dict[str, Any], tags: dict[str, Any]) -> Event:
    """The product: a clean article with its companies, topics and sentiment."""
    return {
        "schema": dict(ENRICHED_SCHEMA),
        "event_id": stable_id("art", raw["event_id"]),
        "raw_event_id": raw["event_id"],
        "source_id": raw["source"]["id"],
        "url": raw["url"],
        **article,
        **tags,
        "fetched_at": raw["fetch"]["fetched_at"],
        "enriched_at": now_iso(),
    }


def fetch_deadletter_event(source: SourceSpec, entry: FeedEntry, error: BaseException) -> Event:
    """A page the connectors gave up on after repeated failures."""
    return {
        "schema": dict(DEADLETTER_SCHEMA),
        "event_id": stable_id("dlq", "fetch", source.id, entry.link),
        "stage": "fetch",
        "reason": str(error) or type(error).__name__,
        "error_class": type(error).__name__,
        "retriable": bool(getattr(error, "retriable", False)),
        "source_id": source.id,
        "raw_event_id": None,
        "url": entry.link,
        "payload_sha256": content_hash(entry.link),
        "failed_at": now_iso(),
    }


def deadletter_event(raw: Event | None, stage: str, error: BaseException, payload: bytes) -> Event:
    """A failure with its reason; it keeps a reference to what failed so nothing is lost."""
    raw_id = raw.get("event_id") if raw else None
    reference = raw_id or content_hash(payload)
    source = raw.get("source") if raw else None
    return {
        "schema": dict(DEADLETTER_SCHEMA),
        "event_id": stable_id("dlq", stage, reference),
        "stage": stage,
        "reason": str(error) or type(error).__name__,
        "error_class": type(error).__name__,
        "retriable": bool(getattr(error, "retriable", False)),
        "source_id": source.get("id") if isinstance(source, dict) else None,
        "raw_event_id": raw_id,
        "url": raw.get("url") if raw else None,
        "payload_sha256": content_hash(payload),
        "failed_at": now_iso(),
    }
