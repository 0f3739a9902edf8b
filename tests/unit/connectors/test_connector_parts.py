import random

import pytest

from connectors.assembly import select_sources
from connectors.base import SourceSpec
from connectors.http import Response
from connectors.schedule import (
    PollSignals,
    ScheduleLimits,
    backoff_interval,
    next_interval,
    signals_from_headers,
)
from connectors.web import SitemapParser, looks_like_article
from pipeline.core.errors import ConfigError
from pipeline.core.urls import canonical_url

LIMITS = ScheduleLimits(
    min_interval_s=60,
    max_interval_s=3600,
    default_interval_s=300,
    backoff_base_s=60,
    backoff_max_s=7200,
)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example.COM:443/a/b?utm_source=x&id=3&fbclid=y#top",
            "https://news.example.com/a/b?id=3",
        ),
        ("http://news.example.com:80", "http://news.example.com/"),
        ("http://news.example.com:8080/x?utm_medium=rss", "http://news.example.com:8080/x"),
        ("https://news.example.com/x?b=2&a=1", "https://news.example.com/x?b=2&a=1"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_interval_shrinks_when_the_source_changes_and_grows_when_not() -> None:
    assert next_interval(600, True, PollSignals(), LIMITS) == 300
    assert next_interval(600, False, PollSignals(), LIMITS) == 900
    assert next_interval(3000, False, PollSignals(), LIMITS) == 3600, "capped at the maximum"
    assert next_interval(80, True, PollSignals(), LIMITS) == 60, "floored at the minimum"


def test_feed_signals_are_a_floor_and_retry_after_wins() -> None:
    assert next_interval(100, True, PollSignals(ttl_s=1200), LIMITS) == 1200
    assert next_interval(100, True, PollSignals(max_age_s=900), LIMITS) == 900
    assert next_interval(100, True, PollSignals(retry_after_s=7200), LIMITS) == 7200


def test_signals_from_headers() -> None:
    signals = signals_from_headers({"cache-control": "public, max-age=600"}, ttl_minutes=15)
    assert (signals.max_age_s, signals.ttl_s, signals.hint_s) == (600, 900, 900)


def test_backoff_grows_exponentially_with_jitter_and_respects_retry_after() -> None:
    rng = random.Random(7)
    delays = [backoff_interval(n, None, LIMITS, rng) for n in (1, 2, 3, 4)]
    for n, delay in enumerate(delays, start=1):
        ceiling = 60 * 2 ** (n - 1)
        assert ceiling / 2 <= delay <= ceiling
    assert backoff_interval(20, None, LIMITS, rng) <= 7200
    assert backoff_interval(1, 5000, LIMITS, rng) == 5000


def test_sources_can_be_selected_by_id_and_shard() -> None:
    specs = [SourceSpec(f"s{i}", "rss", f"https://x.test/{i}") for i in range(30)]
    assert [s.id for s in select_sources(specs, "s1,s2", None)] == ["s1", "s2"]
    shards = [select_sources(specs, None, f"{i}/3") for i in range(3)]
    assert sorted(s.id for shard in shards for s in shard) == sorted(s.id for s in specs)
    assert all(shards), "every shard gets some sources"
    with pytest.raises(ConfigError, match="unknown"):
        select_sources(specs, "nope", None)
    with pytest.raises(ConfigError, match="0/3"):
        select_sources(specs, None, "3")


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://news.test/wirtschaft/amazon-investiert-milliarden-in-ki.html", True),
        ("https://news.test/2026/11/24/story", True),
        ("https://www.news.test/business/markets-rally-after-fed-decision", True),
        ("https://news.test/wirtschaft/", False),
        ("https://news.test/tag/amazon-aktie-news", False),
        ("https://news.test/impressum", False),
        ("https://other.test/a/b-c-d-e.html", False),
    ],
)
def test_listing_links_that_look_like_articles(url: str, article: bool) -> None:
    assert looks_like_article(url, "https://news.test/wirtschaft/") is article


def test_sitemap_index_lists_its_newest_children() -> None:
    body = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://n.test/old.xml</loc><lastmod>2026-01-01</lastmod></sitemap>
    <sitemap><loc>https://n.test/new.xml</loc><lastmod>2026-11-24</lastmod></sitemap>
    </sitemapindex>"""
    document = Response(
        "https://n.test/s.xml",
        "https://n.test/s.xml",
        200,
        "application/xml",
        body,
        body.decode(),
        "2026-11-25T00:00:00Z",
    )
    parsed = SitemapParser().parse(SourceSpec("s", "sitemap", "https://n.test/s.xml"), document)
    assert parsed.entries == [] and parsed.follow == [
        "https://n.test/new.xml",
        "https://n.test/old.xml",
    ]


def test_sitemap_refuses_external_entities() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;</loc></url></urlset>"""
    document = Response("u", "u", 200, "application/xml", body, body.decode(), "t")
    parsed = SitemapParser().parse(SourceSpec("s", "sitemap", "https://n.test/s.xml"), document)
    assert all("root:" not in e.link for e in parsed.entries)


def test_a_source_failure_is_named_by_its_kind() -> None:
    from connectors.http import FetchFailure
    from pipeline.core.errors import Failure, FeedError, FetchError, failure_of

    assert failure_of(FeedError("feed x is malformed: no channel")) == "malformed"
    assert failure_of(FetchError("cannot resolve example.test")) == "unreachable"
    assert failure_of(FetchFailure(Failure.HTTP_4XX, "HTTP 404 for x")) == "http_4xx"
