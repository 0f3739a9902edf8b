"""RSS, Atom and RDF feeds, parsed with feedparser into feed entries."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import feedparser

from connectors.base import FeedEntry, Parsed, SourceSpec
from connectors.http import XML_TYPES, Response
from pipeline.clock import iso_utc
from pipeline.errors import FeedError

log = logging.getLogger(__name__)


class RssParser:
    accept_types = XML_TYPES | frozenset({"text/html", "text/plain", ""})

    def parse(self, spec: SourceSpec, document: Response) -> Parsed:
        parsed = _parse(spec.id, document.text, document.final_url, document.content_type)
        entries = _entries(spec.id, parsed)
        ttl = parsed.feed.get("ttl")
        return Parsed(entries, ttl_minutes=float(ttl) if ttl and str(ttl).isdigit() else None)


def parse_feed(source_id: str, document: str, base_url: str) -> list[FeedEntry]:
    """Entries with a link; raises FeedError when the document is not a readable feed."""
    return _entries(source_id, _parse(source_id, document, base_url))


def _parse(
    source_id: str, document: str, base_url: str, content_type: str = "application/xml"
) -> feedparser.FeedParserDict:
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(document, response_headers=headers)
    entries = _entries(source_id, parsed)
    if parsed.bozo and not entries:
        reason = getattr(parsed, "bozo_exception", "not a feed")
        raise FeedError(f"feed {source_id} at {base_url} is malformed: {reason}")
    if not parsed.get("version") and not entries:
        raise FeedError(f"feed {source_id} at {base_url} is not RSS, Atom or RDF")
    if parsed.bozo:
        log.warning(
            "feed %s is not well-formed (%s); kept %d entries",
            source_id,
            getattr(parsed, "bozo_exception", "?"),
            len(entries),
        )
    return parsed


def _entries(source_id: str, parsed: feedparser.FeedParserDict) -> list[FeedEntry]:
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            log.warning("feed %s: entry without a link skipped", source_id)
            continue
        entries.append(
            FeedEntry(
                source_id=source_id,
                entry_id=item.get("id") or link,
                link=link,
                title=item.get("title"),
                published=_published(item),
                updated=_updated(item),
                authors=_authors(item),
                summary=item.get("summary"),
            )
        )
    return entries


def _published(item: feedparser.FeedParserDict) -> str | None:
    return _time(item.get("published_parsed") or item.get("updated_parsed"))


def _updated(item: feedparser.FeedParserDict) -> str | None:
    """Only an explicit update time (Atom `updated`): feedparser falls back to the pubDate,
    which some feeds move on every poll, and a moved pubDate is no new revision."""
    return _time(item["updated_parsed"]) if "updated" in item else None


def _time(parsed: time.struct_time | None) -> str | None:
    return None if parsed is None else iso_utc(datetime(*parsed[:6], tzinfo=UTC))


def _authors(item: feedparser.FeedParserDict) -> tuple[str, ...]:
    names = [a.get("name") for a in item.get("authors", []) if a.get("name")]
    if not names and item.get("author"):
        names = [item["author"]]
    return tuple(names)
