"""The conformance suite every source kind runs, against a local news site."""

from __future__ import annotations

import gzip
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from connectors.base import SourceSpec
from pipeline.core.errors import Failure
from tests.conftest import assert_valid
from tests.support.connector_harness import harness
from tests.support.httpserver import Reply
from tests.support.newssite import NewsSite

KINDS = ["rss", "sitemap", "listing", "urls"]


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(feeds=2, items=8) as running:
        yield running


def spec(site: NewsSite, kind: str, feed: str = "f0", source_id: str | None = None) -> SourceSpec:
    return SourceSpec(source_id or f"{kind}-{feed}", kind, site.source_url(kind, feed))


@pytest.mark.parametrize("kind", KINDS)
def test_every_item_once_then_conditional_requests(site: NewsSite, kind: str) -> None:
    h = harness([spec(site, kind, "f0"), spec(site, kind, "f1")])
    first = h.runner.poll_due(force=True)
    assert sorted(h.produced_urls()) == sorted(site.article_urls())
    assert first.produced == 16 and first.failed == 0
    second = h.runner.poll_due(force=True)
    assert second.produced == 0 and second.not_modified == 2
    assert site.statuses(site.source_url(kind, "f0").removeprefix(site.base)) == [200, 304]
    assert h.metric("newswire_feed_polls_total", source=f"{kind}-f0", outcome="not_modified") == 1
    for event in h.raw.events:
        assert event["source"]["kind"] == kind and event["fetch"]["status"] == 200


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_article_in_two_sources_is_produced_once(site: NewsSite, kind: str) -> None:
    h = harness([spec(site, kind, "f0", "first"), spec(site, kind, "f0", "second")])
    h.runner.poll_due(force=True)
    assert Counter(h.produced_urls()) == Counter(site.article_urls("f0"))


@pytest.mark.parametrize("kind", KINDS)
def test_entries_that_disappear_and_come_back_are_not_repeated(site: NewsSite, kind: str) -> None:
    h = harness([spec(site, kind)])
    gone = site.base + site.article_path("f0", 3)
    site.hidden.add(gone)
    h.runner.poll_due(force=True)
    assert gone not in h.produced_urls() and len(h.produced_urls()) == 7
    site.hidden.discard(gone)
    h.runner.poll_due(force=True)
    site.hidden.add(site.base + site.article_path("f0", 1))
    h.runner.poll_due(force=True)
    site.hidden.clear()
    h.runner.poll_due(force=True)
    assert Counter(h.produced_urls()) == Counter(site.article_urls("f0"))


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_pages_are_refused_counted_and_the_rest_delivered(
    site: NewsSite, kind: str
) -> None:
    def path(i: int) -> str:
        return site.article_path("f0", i)

    def endless() -> Iterator[bytes]:
        while True:
            yield b"<p>more</p>" * 1000

    def slow() -> Iterator[bytes]:
        for _ in range(40):
            time.sleep(0.2)
            yield b"<p>drip</p>"

    site.overrides[path(0)] = Reply(chunks=endless, headers={"Content-Type": "text/html"})
    site.overrides[path(1)] = Reply(
        body=gzip.compress(b" " * 20_000_000),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )
    site.overrides[path(2)] = Reply(status=302, headers={"Location": path(2)})
    site.overrides[path(3)] = Reply(status=302, headers={"Location": "http://169.254.169.254/"})
    site.overrides[path(4)] = Reply(chunks=slow, headers={"Content-Type": "text/html"})
    site.overrides[path(5)] = Reply(
        body="<html><body><p>Bürger zahlen höhere Gebühren für Strom.</p></body></html>".encode(
            "cp1252"
        ),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    site.robots = f"User-agent: *\nDisallow: {path(6)}\n"
    h = harness([spec(site, kind)], max_page_attempts=1)
    report = h.runner.poll_due(force=True)
    produced = {u.removeprefix(site.base) for u in h.produced_urls()}
    assert produced == {path(5), path(7)}
    (wrong_charset,) = [e for e in h.raw.events if e["url"].endswith(path(5))]
    assert "Bürger zahlen höhere Gebühren" in wrong_charset["html"]
    source = f"{kind}-f0"
    failures = [
        ("too_large", 2),
        ("too_many_redirects", 1),
        ("forbidden_address", 1),
        ("timeout", 1),
        ("robots", 1),
    ]
    for reason, count in failures:
        assert h.metric("newswire_fetch_errors_total", source=source, reason=reason) == count
    assert report.pages_failed == 6
    dead = {d["url"].removeprefix(site.base): d for d in h.dead.events}
    assert set(dead) == {path(i) for i in range(5)} | {path(6)}
    assert all(d["stage"] == "fetch" and d["reason"] for d in dead.values())
    assert {d["failure"] for d in dead.values()} == {reason for reason, _ in failures}
    for dead_letter in dead.values():
        assert dead_letter["retriable"] is Failure(dead_letter["failure"]).retriable
        assert_valid("news.deadletter.v1", dead_letter)


@pytest.mark.parametrize("kind", KINDS)
def test_a_robots_refused_page_is_given_up_at_once_and_not_retriable(
    site: NewsSite, kind: str
) -> None:
    refused = site.article_path("f0", 1)
    site.robots = f"User-agent: *\nDisallow: {refused}\n"
    h = harness([spec(site, kind)], max_page_attempts=3)
    h.runner.poll_due(force=True)
    (dead,) = h.dead.events
    assert dead["url"].endswith(refused)
    assert dead["failure"] == "robots"
    assert dead["retriable"] is False
    assert h.metric("newswire_deadletters_total", stage="fetch", reason="robots") == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_failing_once_is_retried_on_the_next_poll(site: NewsSite, kind: str) -> None:
    flaky = site.article_path("f0", 2)
    site.overrides[flaky] = Reply(status=503, body=b"busy")
    h = harness([spec(site, kind)])
    h.runner.poll_due(force=True)
    assert len(h.produced_urls()) == 7 and h.dead.events == []
    del site.overrides[flaky]
    h.runner.poll_due(force=True)
    assert Counter(h.produced_urls()) == Counter(site.article_urls("f0"))
    # The failed page was kept as pending: the source kept its validators (issue 13).
    assert site.statuses(site.source_url(kind, "f0").removeprefix(site.base)) == [200, 304]


@pytest.mark.parametrize("kind", KINDS)
def test_malformed_source_is_counted_and_others_go_on(site: NewsSite, kind: str) -> None:
    broken = site.source_url(kind, "f1").removeprefix(site.base)
    garbage = {
        "rss": b"<rss><channel><item><title>x",
        "sitemap": b"<urlset><url><loc>",
        "listing": b"",
        "urls": b"\x00\x01\x02",
    }[kind]
    site.overrides[broken] = Reply(body=garbage, headers={"Content-Type": "application/xml"})
    h = harness([spec(site, kind, "f1"), spec(site, kind, "f0")])
    report = h.runner.poll_due(force=True)
    assert sorted(h.produced_urls()) == sorted(site.article_urls("f0"))
    if kind in {"rss", "sitemap"}:
        assert report.failed == 1
        state = h.store.source(f"{kind}-f1")
        assert state.consecutive_errors == 1 and state.last_error
        assert h.metric("newswire_feed_polls_total", source=f"{kind}-f1", outcome="error") == 1


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_on_the_source_delays_the_next_poll(site: NewsSite, kind: str) -> None:
    path = site.source_url(kind, "f0").removeprefix(site.base)
    site.overrides[path] = Reply(status=429, body=b"slow down", headers={"Retry-After": "600"})
    h = harness([spec(site, kind)])
    before = time.time()
    report = h.runner.poll_due(force=True)
    state = h.store.source(f"{kind}-f0")
    assert report.failed == 1 and state.next_poll_at >= before + 600
    assert state.last_error.startswith("http_429")
    del site.overrides[path]
    assert h.runner.poll_due().polled == 0, "not due yet"


def test_poll_schedule_follows_feed_signals(site: NewsSite) -> None:
    h = harness([spec(site, "rss")])
    before = time.time()
    h.runner.poll_due(force=True)
    state = h.store.source("rss-f0")
    # the feed says ttl 5 minutes and max-age 60 s: never before 300 s
    assert state.interval_s is not None and state.interval_s >= 300
    assert state.next_poll_at >= before + 300 and state.last_success_at is not None


def test_empty_and_non_html_pages_are_counted_and_still_reach_cleaning(site: NewsSite) -> None:
    site.overrides[site.article_path("f0", 0)] = Reply(
        body=b"", headers={"Content-Type": "text/html"}
    )
    site.overrides[site.article_path("f0", 1)] = Reply(
        body=b"%PDF-1.4" * 500, headers={"Content-Type": "application/pdf"}
    )
    h = harness([spec(site, "rss")])
    h.runner.poll_due(force=True)
    assert h.metric("newswire_fetch_errors_total", source="rss-f0", reason="empty") == 1
    assert h.metric("newswire_fetch_errors_total", source="rss-f0", reason="not_html") == 1
    (pdf,) = [e for e in h.raw.events if e["url"].endswith(site.article_path("f0", 1))]
    assert pdf["html"] == "" and pdf["fetch"]["content_type"] == "application/pdf"


@pytest.mark.parametrize("kind", ["rss", "sitemap"])
def test_an_article_the_source_marks_updated_is_fetched_again(site: NewsSite, kind: str) -> None:
    h = harness([spec(site, kind)])
    h.runner.poll_due(force=True)
    site.revisions[2] = 1
    h.runner.poll_due(force=True)
    h.runner.poll_due(force=True)
    updated_url = site.base + site.article_path("f0", 2)
    pages = [e["html"] for e in h.raw.events if e["url"] == updated_url]
    assert len(pages) == 2 and "Revision 1." in pages[1]
    assert len(h.raw.events) == 9, "only the updated article came again, once"


def test_connector_metrics_count_fetches_dead_letters_and_health(site: NewsSite) -> None:
    site.overrides[site.article_path("f0", 0)] = Reply(
        status=302, headers={"Location": "http://169.254.169.254/"}
    )
    h = harness([spec(site, "rss"), spec(site, "rss", "f1")])
    assert h.metric("newswire_feed_polls_total", source="rss-f0", outcome="error") == 0, (
        "every series exists before the first poll"
    )
    h.runner.poll_due(force=True)
    assert h.metric("newswire_articles_total", stage="fetch", outcome="ok") == 15
    assert h.metric("newswire_articles_total", stage="fetch", outcome="deadletter") == 1
    assert h.metric("newswire_deadletters_total", stage="fetch", reason="forbidden_address") == 1
    assert h.metric("newswire_items_discovered_total", source="rss-f0") == 8
    assert h.metric("newswire_feed_consecutive_errors", source="rss-f0") == 0
    assert h.metric("newswire_feed_last_success_timestamp_seconds", source="rss-f0") > 0
    assert h.metric("newswire_fetch_seconds_count") >= 16
    assert h.metric("newswire_fetch_bytes_total") > 0
