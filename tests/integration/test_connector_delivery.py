"""Connectors against the real broker: exactly once, 304s, and a restart in the middle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from connectors.assembly import build_runner
from connectors.catalog import load_catalog
from pipeline.core.metrics import ConnectorMetrics
from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.reader import iter_events
from pipeline.kafka.topics import ensure_topics
from tests.support.newssite import NewsSite

FEEDS, ITEMS = 50, 20


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(feeds=FEEDS, items=ITEMS, page_delay_s=0.005) as running:
        yield running


def settings_for(broker: EmbeddedBroker, site: NewsSite, tmp_path: Path, name: str) -> Settings:
    catalog = tmp_path / "feeds.yaml"
    catalog.write_text(
        "sources:\n"
        + "".join(
            f'  - {{id: {feed}, kind: rss, url: "{site.source_url("rss", feed)}"}}\n'
            for feed in site.feeds
        ),
        encoding="utf-8",
    )
    settings = Settings(
        bootstrap_servers=broker.bootstrap,
        idempotent_producer=False,
        feeds=catalog,
        metrics_port=0,
        health_port=0,
        raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched",
        deadletter_topic=f"{name}.deadletter",
        state_topic=f"{name}.state",
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_delay_s=0.0,
        fetch_host_concurrency=8,
        data_dir=tmp_path / "data",
    )
    ensure_topics(settings)
    return settings


def produced_urls(settings: Settings) -> Counter[str]:
    events = iter_events(settings.bootstrap, [settings.topics.raw_topic], True, timeout_s=8)
    return Counter(event["url"] for _, event in events)


def test_every_item_once_and_the_next_cycle_is_all_304(
    broker: EmbeddedBroker, site: NewsSite, tmp_path: Path
) -> None:
    settings = settings_for(broker, site, tmp_path, "once")
    runner = build_runner(
        settings,
        load_catalog(settings.connectors.feeds),
        ConnectorMetrics.create(CollectorRegistry()),
    )
    try:
        first = runner.poll_due(force=True)
        second = runner.poll_due(force=True)
    finally:
        runner.close()
        runner.raw_sink.close()
        runner.store.close()
    assert first.produced == FEEDS * ITEMS and first.failed == 0
    assert second.produced == 0 and second.not_modified == FEEDS
    feed_statuses = site.statuses("/rss/")
    assert feed_statuses[:FEEDS] == [200] * FEEDS and feed_statuses[FEEDS:] == [304] * FEEDS
    counts = produced_urls(settings)
    assert set(counts) == site.article_urls() and set(counts.values()) == {1}


def test_a_restarted_connector_neither_repeats_nor_loses(
    broker: EmbeddedBroker, site: NewsSite, tmp_path: Path
) -> None:
    settings = settings_for(broker, site, tmp_path, "restart")
    env = {**os.environ, **settings.to_env()}
    command = [sys.executable, "-m", "pipeline.cli", "connect"]
    first = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(site.statuses("/a/")) < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) == 0
    fetched_before_restart = len(site.statuses("/a/"))
    assert 300 <= fetched_before_restart < FEEDS * ITEMS, "stopped in the middle"
    second = subprocess.run(
        [*command, "--once"], env=env, timeout=180, stderr=subprocess.DEVNULL, check=False
    )
    assert second.returncode == 0
    counts = produced_urls(settings.with_values())
    assert set(counts) == site.article_urls(), "nothing lost"
    assert [url for url, n in counts.items() if n > 1] == [], "nothing repeated"


def test_submit_produces_single_urls_once(
    broker: EmbeddedBroker, site: NewsSite, tmp_path: Path
) -> None:
    import io

    from pipeline.commands.connect import run_submit

    settings = settings_for(broker, site, tmp_path, "submit")
    urls = sorted(site.article_urls("f3"))[:3]
    out = io.StringIO()
    assert run_submit(settings, [*urls, urls[0] + "?utm_source=newsletter"], out=out) == 0
    assert out.getvalue().startswith("3 produced, 0 failed, 1 already seen")
    again = io.StringIO()
    assert run_submit(settings, urls[:1], out=again) == 0
    assert again.getvalue().startswith("0 produced")
    counts = produced_urls(settings)
    assert sorted(counts) == urls and set(counts.values()) == {1}
