import pytest

from connectors.rss import parse_feed
from pipeline.core.errors import FeedError

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
<item><title>Erste Meldung</title><link>https://news.test/a</link>
<guid isPermaLink="false">id-a</guid>
<pubDate>Tue, 24 Nov 2026 10:00:00 +0100</pubDate><dc:creator>Eva Lang</dc:creator>
<description>&lt;p&gt;Kurz&lt;/p&gt;</description></item>
<item><title>Ohne Link</title><guid isPermaLink="false">id-b</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>x</id><updated>2026-11-24T10:00:00Z</updated>
<entry><title>First</title><link rel="alternate" href="https://news.test/en/1"/><id>tag:1</id>
<updated>2026-11-24T09:00:00Z</updated><author><name>Sam Poe</name></author></entry></feed>"""


def test_rss_entries_carry_metadata_in_utc() -> None:
    entries = parse_feed("src", RSS, "https://news.test/rss")
    assert len(entries) == 1, "an entry without a link is skipped"
    entry = entries[0]
    assert (entry.entry_id, entry.link, entry.title) == (
        "id-a",
        "https://news.test/a",
        "Erste Meldung",
    )
    assert entry.published == "2026-11-24T09:00:00Z"
    assert entry.authors == ("Eva Lang",)
    assert entry.summary == "<p>Kurz</p>"


def test_atom_entries_are_read() -> None:
    (entry,) = parse_feed("src", ATOM, "https://news.test/atom")
    assert entry.link == "https://news.test/en/1" and entry.authors == ("Sam Poe",)
    assert entry.published == "2026-11-24T09:00:00Z"


@pytest.mark.parametrize(
    "document", ["<html><body>not a feed</body></html>", "<rss><channel><item>", "plain text"]
)
def test_malformed_feed_raises_feed_error(document: str) -> None:
    with pytest.raises(FeedError, match="src"):
        parse_feed("src", document, "https://news.test/rss")
