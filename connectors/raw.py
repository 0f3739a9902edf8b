"""The events the connectors produce: a fetched page, and a page they gave up on.

The builders take plain values, so anything (the runner, the bench, a test) can make a raw event
without an HTTP response. Field meanings: schemas/README.md."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import FeedEntry, SourceSpec
from connectors.http import Response
from pipeline.core.clock import now_iso
from pipeline.core.events import RAW_SCHEMA, Event, failure_fields
from pipeline.core.ids import content_hash, stable_id


@dataclass(frozen=True)
class Fetched:
    """What the raw event says about the fetch of a page."""

    html: str
    fetched_at: str
    final_url: str | None = None
    status: int = 200
    content_type: str = "text/html"
    byte_count: int | None = None


def raw_event(source: SourceSpec, entry: FeedEntry, fetched: Fetched) -> Event:
    """A fetched page; its id changes only when the URL or the page's text changes.

    A page of a type that is not HTML is not downloaded: its `html` is empty and the cleaning
    stage dead-letters it with the content type as the reason."""
    return {
        "schema": dict(RAW_SCHEMA),
        "event_id": stable_id("raw", source.id, entry.link, content_hash(fetched.html)),
        "source": {
            "id": source.id,
            "kind": source.kind,
            "url": source.url,
            "language": source.language,
        },
        "url": entry.link,
        "entry": _entry(entry),
        "fetch": {
            "status": fetched.status,
            "final_url": fetched.final_url or entry.link,
            "content_type": fetched.content_type,
            "bytes": _byte_count(fetched),
            "fetched_at": fetched.fetched_at,
        },
        "html": fetched.html,
        "produced_at": now_iso(),
    }


def page_event(source: SourceSpec, entry: FeedEntry, page: Response) -> Event:
    """The raw event of a page the HTTP client fetched."""
    fetched = Fetched(
        page.text, page.fetched_at, page.final_url, page.status, page.content_type, page.byte_count
    )
    return raw_event(source, entry, fetched)


def fetch_deadletter_event(source: SourceSpec, entry: FeedEntry, error: BaseException) -> Event:
    """A page the connectors gave up on after repeated failures."""
    return {
        **failure_fields("fetch", error, source.id, entry.link),
        "source_id": source.id,
        "raw_event_id": None,
        "url": entry.link,
        "payload_sha256": content_hash(entry.link),
        "failed_at": now_iso(),
    }


def _entry(entry: FeedEntry) -> dict[str, object]:
    return {
        "id": entry.entry_id,
        "title": entry.title,
        "published": entry.published,
        "authors": list(entry.authors),
        "summary": entry.summary,
    }


def _byte_count(fetched: Fetched) -> int:
    if fetched.byte_count is not None:
        return fetched.byte_count
    return len(fetched.html.encode("utf-8"))
