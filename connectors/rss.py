"""RSS, Atom and RDF feeds, parsed with feedparser into feed entries."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime

import feedparser
from lxml import etree

from connectors.base import FeedEntry, Parsed, SourceSpec
from connectors.http import XML_TYPES, Response
from connectors.jsonfeed import JSON_TYPES, looks_like_json_feed, parse_json_feed
from pipeline.core.clock import iso_utc
from pipeline.core.errors import FeedError

log = logging.getLogger(__name__)


MAX_ENTRIES = 1000
_ENTRY_TAGS = frozenset({"item", "entry"})
_DOCTYPE_SCAN_BYTES = 1_000_000
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)


class RssParser:
    """RSS, Atom and RDF through feedparser; JSON Feed by its own small reader."""

    accept_types = XML_TYPES | JSON_TYPES | frozenset({"text/html", "text/plain", ""})

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries

    def parse(self, spec: SourceSpec, document: Response) -> Parsed:
        if looks_like_json_feed(document.body, document.content_type):
            return parse_json_feed(spec.id, document.body, document.final_url)
        text = bounded(spec.id, document.body, self.max_entries) if document.body else None
        parsed = _parse(spec.id, text or document.text, document.final_url, document.content_type)
        entries = _entries(spec.id, parsed)
        ttl = parsed.feed.get("ttl")
        return Parsed(entries, ttl_minutes=float(ttl) if ttl and str(ttl).isdigit() else None)


def bounded(source_id: str, body: bytes, max_entries: int) -> bytes | None:
    """feedparser takes seconds per thousand entries and longer for deep nesting: a quick
    lxml pass refuses documents nested deeper than libxml2's limit (256) and keeps the first
    `max_entries` entries of a longer feed; entity declarations are dropped first. None: use
    the document as it is."""
    stripped = _without_entity_declarations(body)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(stripped, parser)
    except etree.XMLSyntaxError:
        return None if stripped is body else stripped
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise FeedError(f"feed {source_id} is malformed: elements nested too deeply")
    if root is None:
        return None if stripped is body else stripped
    entries = [
        element
        for element in root.iter(tag=etree.Element)
        if etree.QName(element).localname in _ENTRY_TAGS
    ]
    if len(entries) <= max_entries:
        return None if stripped is body else stripped
    log.warning(
        "feed %s lists %d entries; keeping the first %d", source_id, len(entries), max_entries
    )
    for element in entries[max_entries:]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _without_entity_declarations(body: bytes) -> bytes:
    """A DOCTYPE's internal subset removed: feeds need no entities of their own, and
    declaring them is how entity expansion attacks (billion laughs) and external entities
    begin. Returns `body` itself when there is nothing to remove."""
    head = body[:_DOCTYPE_SCAN_BYTES]
    match = _INTERNAL_SUBSET.search(head)
    if match is None:
        return body
    return body[: match.start()] + body[match.end() :]


def parse_feed(source_id: str, document: str, base_url: str) -> list[FeedEntry]:
    """Entries with a link; raises FeedError when the document is not a readable feed."""
    return _entries(source_id, _parse(source_id, document, base_url))


def _parse(
    source_id: str, document: str | bytes, base_url: str, content_type: str = "application/xml"
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
