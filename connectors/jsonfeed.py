"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org): feedparser reads only XML feeds."""

from __future__ import annotations

import json
from typing import Any

from connectors.base import FeedEntry, Parsed
from pipeline.core.clock import parse_iso
from pipeline.core.errors import FeedError
from pipeline.core.urls import absolute_url

JSON_TYPES = frozenset({"application/feed+json", "application/json"})
_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json_feed(body: bytes, content_type: str) -> bool:
    return content_type in JSON_TYPES or body[:64].lstrip().startswith(b"{")


def parse_json_feed(source_id: str, body: bytes, base_url: str) -> Parsed:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"feed {source_id} is malformed JSON: {exc}") from exc
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        _VERSION_PREFIX
    ):
        raise FeedError(f"feed {source_id} at {base_url} is not a JSON Feed")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError(f"feed {source_id}: JSON Feed without a list of items")
    entries = [e for e in (_entry(source_id, item, base_url) for item in items) if e]
    return Parsed(entries)


def _entry(source_id: str, item: Any, base_url: str) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    link = _text(item.get("url")) or _text(item.get("external_url"))
    if not link:
        return None
    link = absolute_url(base_url, link)
    return FeedEntry(
        source_id=source_id,
        entry_id=_text(item.get("id")) or link,
        link=link,
        title=_text(item.get("title")),
        published=_time(item.get("date_published")),
        updated=_time(item.get("date_modified")),
        authors=_authors(item),
        summary=_text(item.get("summary")),
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _time(value: Any) -> str | None:
    return parse_iso(value) if isinstance(value, str) else None


def _authors(item: dict[str, Any]) -> tuple[str, ...]:
    people = item.get("authors") or ([item["author"]] if "author" in item else [])
    if not isinstance(people, list):
        return ()
    names = [_text(p.get("name")) for p in people if isinstance(p, dict)]
    return tuple(name for name in names if name)
