"""`newswire connect` and `newswire submit` as processes, on the real broker, against servers
that behave like the worst real ones (issue 13, symptoms 2, 3 and 4 as a user meets them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.reader import iter_events
from pipeline.kafka.topics import ensure_topics
from tests.support.realweb_server import RealWebServer, respond, retry_after, slowloris, wait_until

ARTICLE = (
    b"<html><head><title>Meldung</title></head><body><article><h1>Meldung</h1>"
    + b"<p>Der Konzern meldete am Freitag einen deutlich hoeheren Gewinn. </p>" * 20
    + b"</article></body></html>"
)
RSS = "application/rss+xml"
COMMAND = [sys.executable, "-m", "pipeline.cli"]


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><guid>{link}</guid><link>{link}</link><title>T</title></item>" for link in links
    )
    channel = f"<channel><title>t</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.fixture
def web() -> Iterator[RealWebServer]:
    with RealWebServer() as server:
        yield server


@pytest.fixture
def other() -> Iterator[RealWebServer]:
    with RealWebServer(host="127.0.0.2") as server:
        yield server


@pytest.fixture
def third() -> Iterator[RealWebServer]:
    with RealWebServer(host="127.0.0.3") as server:
        yield server


def settings_for(
    broker: EmbeddedBroker,
    tmp_path: Path,
    name: str,
    sources: list[tuple[str, str]],
    **extra: object,
) -> Settings:
    catalog = tmp_path / "feeds.yaml"
    catalog.write_text(
        "sources:\n"
        + "".join(f'  - {{id: {sid}, kind: rss, url: "{url}"}}\n' for sid, url in sources),
        encoding="utf-8",
    )
    settings = Settings.of(
        bootstrap_servers=broker.bootstrap,
        feeds=catalog,
        metrics_port=0,
        raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched",
        deadletter_topic=f"{name}.deadletter",
        state_topic=f"{name}.state",
        fetch_allow_networks="127.0.0.0/8",
        fetch_host_delay_s=0.0,
        data_dir=tmp_path / "data",
        **extra,
    )
    ensure_topics(settings)
    return settings


def events(settings: Settings, topic: str) -> list[dict[str, object]]:
    return [event for _, event in iter_events(settings.bootstrap, [topic], True, timeout_s=6)]


def test_connect_stops_at_once_on_sigterm_behind_a_pause_and_a_slow_host(
    broker: EmbeddedBroker,
    web: RealWebServer,
    other: RealWebServer,
    third: RealWebServer,
    tmp_path: Path,
) -> None:
    web.routes["/feed"] = slowloris(rss(web.url("/a")), interval_s=1.0, content_type=RSS)
    other.routes["/feed"] = respond(rss(other.url("/paused"), other.url("/b")), content_type=RSS)
    other.routes["/paused"] = retry_after("150")
    other.routes["/b"] = respond(ARTICLE)
    third.routes["/feed"] = respond(rss(third.url("/c")), content_type=RSS)
    third.routes["/c"] = respond(ARTICLE)
    sources = [
        ("slow", web.url("/feed")),
        ("paused", other.url("/feed")),
        ("next", third.url("/feed")),
    ]
    settings = settings_for(broker, tmp_path, "sigterm", sources, fetch_host_concurrency=1)
    log = (tmp_path / "connect.log").open("w")
    process = subprocess.Popen(
        [*COMMAND, "connect"], env={**os.environ, **settings.to_env()}, stderr=log
    )
    try:
        # The pause on 127.0.0.2 and the slow feed on 127.0.0.1 hold neither each other nor
        # the source on a third host.
        assert wait_until(lambda: third.hits("/c") == 1 and other.hits("/paused") == 1, 30), (
            web.requests,
            other.requests,
            third.requests,
        )
        assert web.hits("/feed") == 1  # the slow feed is still trickling
        stopped = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - stopped < 6
    finally:
        if process.poll() is None:
            process.kill()
    produced = {event["url"] for event in events(settings, settings.topics.raw_topic)}
    assert third.url("/c") in produced and other.url("/paused") not in produced


def test_submit_of_a_slowloris_page_ends_at_the_total_timeout(
    broker: EmbeddedBroker, web: RealWebServer, tmp_path: Path
) -> None:
    web.routes["/slow"] = slowloris(ARTICLE, interval_s=0.5, stage="headers")
    settings = settings_for(broker, tmp_path, "slowsubmit", [], fetch_total_timeout_s=3.0)
    started = time.monotonic()
    result = subprocess.run(
        [*COMMAND, "submit", web.url("/slow")],
        env={**os.environ, **settings.to_env()},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1 and result.stdout.startswith("0 produced, 1 failed")
    assert web.hits("/slow") == 1 and elapsed < 25  # 3 s fetch, the rest is start-up


def test_a_page_that_escapes_past_the_broker_limit_is_dead_lettered_not_fatal(
    broker: EmbeddedBroker, web: RealWebServer, tmp_path: Path
) -> None:
    quotes = b"<html><body><p>" + b'"' * 4_800_000 + b"</p></body></html>"  # under the 5 MB cap
    web.routes["/feed"] = respond(rss(web.url("/quotes"), web.url("/ok")), content_type=RSS)
    web.routes["/quotes"] = respond(quotes)
    web.routes["/ok"] = respond(ARTICLE)
    settings = settings_for(broker, tmp_path, "quotes", [("q", web.url("/feed"))])
    env = {**os.environ, **settings.to_env()}
    for _ in range(2):  # the second run finds the page handled: no crash loop, no refetch
        result = subprocess.run(
            [*COMMAND, "connect", "--once"], env=env, capture_output=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
    assert web.hits("/quotes") == 1
    assert [event["url"] for event in events(settings, settings.topics.raw_topic)] == [
        web.url("/ok")
    ]
    dead = events(settings, settings.topics.deadletter_topic)
    assert [event["failure"] for event in dead] == ["too_large"]
