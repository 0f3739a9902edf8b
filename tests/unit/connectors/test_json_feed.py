"""JSON Feed (https://jsonfeed.org/version/1.1) read by the rss source kind."""

from __future__ import annotations

import json

import pytest

from connectors.base import SourceSpec
from connectors.http import Response
from connectors.rss import RssParser
from pipeline.core.errors import FeedError

SPEC = SourceSpec("j", "rss", "https://news.test/feed.json")


def document(body: bytes, content_type: str = "application/feed+json") -> Response:
    return Response(
        SPEC.url, SPEC.url, 200, content_type, body, body.decode(errors="replace"),
        "2026-11-30T10:00:00Z",
    )  # fmt: skip


FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "News",
    "items": [
        {
            "id": "1",
            "url": "https://news.test/a?utm_source=x",
            "title": "Erste Meldung",
            "date_published": "2026-11-30T10:00:00+01:00",
            "date_modified": "2026-11-30T12:00:00+01:00",
            "authors": [{"name": "Anna Autorin"}],
            "summary": "Kurz",
        },
        {"id": "2", "external_url": "/b", "title": "Zweite"},
        {"id": "3", "content_text": "no link"},
    ],
}


def test_json_feed_entries() -> None:
    parsed = RssParser().parse(SPEC, document(json.dumps(FEED).encode()))
    first, second = parsed.entries
    assert (first.entry_id, first.link, first.title) == (
        "1",
        FEED["items"][0]["url"],
        "Erste Meldung",
    )
    assert first.published == "2026-11-30T09:00:00Z" and first.updated == "2026-11-30T11:00:00Z"
    assert first.authors == ("Anna Autorin",) and first.summary == "Kurz"
    assert second.link == "https://news.test/b" and second.published is None


def test_json_feed_without_a_content_type_is_recognised() -> None:
    parsed = RssParser().parse(SPEC, document(json.dumps(FEED).encode(), content_type=""))
    assert len(parsed.entries) == 2


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"version": "x"}', b'{"items": 3}', b"[]", b'"text"']
)
def test_broken_json_feed_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        RssParser().parse(SPEC, document(body))
