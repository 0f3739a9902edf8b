"""The connector runner against servers that behave like real ones (issue 13, symptoms 2, 3,
6, 7 and 9): pauses, slow hosts, oversized and binary pages, failed sends, huge and restless
feeds, tracking links, every source kind against the raw schema."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from connectors.base import SourceSpec
from connectors.runner import SUBMIT_SOURCE
from tests.conftest import assert_valid
from tests.support.connector_harness import close_all, limits_for_tests
from tests.support.realweb_harness import FlakySink, real_harness
from tests.support.realweb_server import (
    Conn,
    RealWebServer,
    Request,
    respond,
    retry_after,
    slowloris,
    wait_until,
)

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "<p>Die Aktie stieg nach den Zahlen deutlich, berichtete das Unternehmen. </p>" * 20
    + "</article></body></html>"
)
RSS = "application/rss+xml"


@pytest.fixture(autouse=True)
def _close_runners() -> Iterator[None]:
    yield
    close_all()  # before the leak guard looks for page threads


def page(title: str = "Eine Meldung") -> bytes:
    return PAGE.format(title=title).encode()


def rss(items: list[tuple[str, str, str]], etag: str | None = None) -> bytes:
    """items: (guid, link, title); pubDates one minute apart."""
    start = datetime(2026, 11, 30, 10, tzinfo=UTC)
    body = "".join(
        f"<item><guid>{guid}</guid><link>{link.replace('&', '&amp;')}</link>"
        f"<title>{title}</title>"
        f"<pubDate>{format_datetime(start + timedelta(minutes=i), usegmt=True)}</pubDate></item>"
        for i, (guid, link, title) in enumerate(items)
    )
    channel = f"<channel><title>t</title>{body}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.fixture
def web() -> Iterator[RealWebServer]:
    with RealWebServer() as server:
        yield server


@pytest.fixture
def other() -> Iterator[RealWebServer]:
    with RealWebServer(host="127.0.0.2") as server:
        yield server


def feed_of(server: RealWebServer, count: int, prefix: str = "/story") -> bytes:
    items = [(f"g{i}", server.url(f"{prefix}-{i}"), f"Titel {i}") for i in range(count)]
    for i in range(count):
        server.routes[f"{prefix}-{i}"] = respond(page(f"Titel {i}"))
    return rss(items)


# --- symptom 2: a pause pauses one host, never the loop -----------------------------------


def test_retry_after_on_one_host_does_not_hold_another(
    web: RealWebServer, other: RealWebServer
) -> None:
    web.routes["/feed"] = respond(feed_of(web, 3), content_type=RSS)
    web.routes["/story-0"] = retry_after("150")
    other.routes["/feed"] = respond(feed_of(other, 2), content_type=RSS)
    h = real_harness(
        [SourceSpec("a", "rss", web.url("/feed")), SourceSpec("b", "rss", other.url("/feed"))]
    )
    started = time.monotonic()
    h.runner.poll_due(force=True)
    assert time.monotonic() - started < 5
    assert sorted(u for u in h.urls() if "127.0.0.2" in u) == sorted(
        other.url(f"/story-{i}") for i in range(2)
    )
    assert not h.dead.events  # a paused page is neither failed for good nor lost
    assert h.metric("newswire_connector_retry_after_total", source="a") == 1


def test_a_slow_host_does_not_delay_another_host(web: RealWebServer, other: RealWebServer) -> None:
    web.routes["/feed"] = slowloris(feed_of(web, 1), interval_s=0.2, content_type=RSS)
    other.routes["/feed"] = respond(feed_of(other, 1), content_type=RSS)
    limits = limits_for_tests(total_timeout_s=6.0, read_timeout_s=5.0)
    h = real_harness(
        [SourceSpec("slow", "rss", web.url("/feed")), SourceSpec("b", "rss", other.url("/feed"))],
        limits=limits,
    )
    thread = threading.Thread(target=h.runner.run_forever, daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: other.url("/story-0") in h.urls(), timeout_s=2.0)
    finally:
        h.runner.stop_event.set()
        thread.join(timeout=3)
    assert not thread.is_alive()  # stopping interrupted the slow fetch too


def test_stop_interrupts_a_host_pause(web: RealWebServer) -> None:
    web.routes["/feed"] = respond(feed_of(web, 1), content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.fetcher.gate.back_off("127.0.0.1", 150)
    thread = threading.Thread(target=h.runner.run_forever, daemon=True)
    thread.start()
    time.sleep(0.3)
    h.runner.stop_event.set()
    thread.join(timeout=2)
    assert not thread.is_alive()


def test_retry_after_is_capped(web: RealWebServer) -> None:
    web.routes["/feed"] = retry_after("3600", status=503)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    state = h.store.source("a")
    assert state.next_poll_at - time.time() <= 15 * 60 + 1
    assert h.metric("newswire_connector_retry_after_total", source="a") == 1


# --- symptom 3: one page never stops the pipeline -----------------------------------------


def test_page_that_escapes_past_the_event_limit_is_dead_lettered(web: RealWebServer) -> None:
    quotes = b"<html><body><p>" + b'"' * 600_000 + b"</p></body></html>"
    web.routes["/feed"] = respond(
        rss([("q", web.url("/quotes"), "Q"), ("ok", web.url("/ok"), "OK")]), content_type=RSS
    )
    web.routes["/quotes"] = respond(quotes)
    web.routes["/ok"] = respond(page())
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))], max_event_bytes=1_000_000)
    h.runner.poll_due(force=True)
    assert h.urls() == [web.url("/ok")]
    assert h.dead_reasons() == ["too_large"]
    h.runner.poll_due(force=True)  # handled: not fetched again
    assert web.hits("/quotes") == 1 and len(h.dead.events) == 1


def test_binary_page_labelled_html_is_dead_lettered(web: RealWebServer) -> None:
    web.routes["/feed"] = respond(rss([("b", web.url("/bin"), "B")]), content_type=RSS)
    web.routes["/bin"] = respond(bytes(range(1, 32)) * 10_000, content_type="text/html")
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    assert h.urls() == [] and h.dead_reasons() == ["binary_body"]


def test_failed_async_send_keeps_the_item_for_the_next_poll(web: RealWebServer) -> None:
    web.routes["/feed"] = respond(feed_of(web, 2), content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))], raw=FlakySink(failures=1))
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 1
    h.runner.poll_due(force=True)
    assert sorted(h.urls()) == sorted(web.url(f"/story-{i}") for i in range(2))
    assert h.metric("newswire_connector_send_failures_total", source="a") == 1


# --- symptom 7: one article, however it is linked -----------------------------------------


def test_tracking_links_later_dates_and_other_titles_are_one_item(web: RealWebServer) -> None:
    web.routes["/story"] = respond(page())
    first = rss([("g1", web.url("/story"), "Titel")])
    web.routes["/feed"] = respond(first, content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    tracked = web.url("/story?utm_source=twitter&utm_medium=social#comments")
    again = rss([("g2", tracked, "Ein anderer Titel"), ("g1", web.url("/story"), "Titel")])
    web.routes["/feed"] = respond(again.replace(b"10:00:00", b"12:00:00"), content_type=RSS)
    h.runner.poll_due(force=True)
    assert h.urls() == [web.url("/story")] and web.hits("/story") == 1


def test_event_url_has_no_tracking_or_credentials(web: RealWebServer) -> None:
    web.routes["/story"] = respond(page())
    link = web.url("/story?id=7&utm_campaign=x&fbclid=y#top").replace(
        "http://", "http://user:secret@"
    )
    web.routes["/feed"] = respond(rss([("g", link, "T")]), content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    assert h.urls() == [web.url("/story?id=7")]


# --- symptom 9: bounded work --------------------------------------------------------------


def test_huge_feed_is_capped_per_poll(web: RealWebServer) -> None:
    web.routes["/feed"] = respond(feed_of(web, 2_000), content_type=RSS)
    h = real_harness(
        [SourceSpec("a", "rss", web.url("/feed"))], max_items_per_poll=20, max_entries=100
    )
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 20
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 40


def test_moving_pub_dates_do_not_refetch(web: RealWebServer) -> None:
    web.routes["/feed"] = respond(feed_of(web, 5), content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    moved = feed_of(web, 5).replace(b"2026 10:", b"2026 14:")
    web.routes["/feed"] = respond(moved, content_type=RSS)
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 5 and sum(web.hits(f"/story-{i}") for i in range(5)) == 5


def test_one_failing_page_keeps_the_validators_and_is_retried(web: RealWebServer) -> None:
    body = feed_of(web, 3)
    web.routes["/story-1"] = respond(b"busy", status=500)

    def conditional(request: Request, conn: Conn) -> bool:
        if request.headers.get("if-none-match") == '"v1"':
            return respond(b"", status=304, headers={"ETag": '"v1"'})(request, conn)
        return respond(body, content_type=RSS, headers={"ETag": '"v1"'})(request, conn)

    web.routes["/feed"] = conditional
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))])
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 2 and h.store.source("a").etag == '"v1"'
    web.routes["/story-1"] = respond(page())
    h.runner.poll_due(force=True)
    assert web.url("/story-1") in h.urls()
    feed_bodies = [
        r for r in web.requests if r.path == "/feed" and "if-none-match" not in r.headers
    ]
    assert len(feed_bodies) == 1  # the second poll was a 304


def test_robots_fetched_once_per_host_under_concurrency(web: RealWebServer) -> None:
    web.routes["/robots.txt"] = slowloris(b"User-agent: *\nAllow: /\n", interval_s=0.01)
    web.routes["/feed"] = respond(feed_of(web, 8), content_type=RSS)
    h = real_harness([SourceSpec("a", "rss", web.url("/feed"))], page_workers=8)
    h.runner.fetcher.gate.max_concurrent = 8
    h.runner.poll_due(force=True)
    assert len(h.urls()) == 8 and web.hits("/robots.txt") == 1


# --- symptom 6: schema and content --------------------------------------------------------


def test_every_kind_of_raw_event_follows_the_schema(web: RealWebServer) -> None:
    stories = [web.url(f"/news/2026/story-number-{i}") for i in range(4)]
    for url in stories:
        web.routes[url.removeprefix(web.url(""))] = respond(page("Schlagzeile"))
    web.routes["/rss"] = respond(rss([("g0", stories[0], "Titel")]), content_type=RSS)
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{stories[1]}</loc><lastmod>2026-11-30T10:00:00Z</lastmod></url></urlset>"
    )
    web.routes["/sitemap.xml"] = respond(sitemap.encode(), content_type="application/xml")
    listing = f'<html><body><a href="{stories[2]}">Weiterlesen</a></body></html>'
    web.routes["/section"] = respond(listing.encode())
    web.routes["/urls.txt"] = respond(stories[3].encode(), content_type="text/plain")
    specs = [
        SourceSpec("r", "rss", web.url("/rss"), language="de"),
        SourceSpec("s", "sitemap", web.url("/sitemap.xml")),
        SourceSpec("l", "listing", web.url("/section")),
        SourceSpec("u", "urls", web.url("/urls.txt")),
    ]
    h = real_harness(specs)
    h.runner.poll_due(force=True)
    web.routes["/submitted"] = respond(page())
    h.runner.submit(SUBMIT_SOURCE, [web.url("/submitted")])
    events = {event["source"]["kind"]: event for event in h.raw.events}
    assert sorted(events) == ["listing", "rss", "sitemap", "submit", "urls"]
    for event in h.raw.events:
        assert_valid("news.raw.v1", event)
    assert events["listing"]["entry"]["title"] is None  # "Weiterlesen" is no headline
    assert events["sitemap"]["entry"]["published"] is None  # lastmod is not a publish date
    assert events["rss"]["source"]["language"] == "de"
