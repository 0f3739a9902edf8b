"""Issue 13, symptom 11: `newswire up` on the embedded broker, honestly. It says at start that
the broker keeps everything in memory; a restart neither publishes the old articles again (the
connector state is on disk, under NEWSWIRE_DATA_DIR) nor loses the new ones. Before, every
feed item was fetched and published again after a restart."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import free_port
from tests.support.faults import Cli, read_all
from tests.support.newssite import NewsSite

pytestmark = pytest.mark.integration

FIRST, LATER = range(0, 4), range(4, 8)


def enriched_urls(settings: Settings) -> list[str]:
    try:
        return [e["url"] for e in read_all(settings.bootstrap, settings.topics.enriched_topic)]
    except (ValueError, KeyError, OSError):
        return []


def run_until(up: Cli, settings: Settings, urls: set[str], timeout_s: float) -> list[str]:
    deadline = time.monotonic() + timeout_s
    seen: list[str] = []
    while time.monotonic() < deadline and not urls <= set(seen):
        assert up.alive(), up.output()[-3000:]
        time.sleep(2)
        seen = enriched_urls(settings)
    return seen


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(feeds=1, items=8) as running:
        yield running


def test_a_restart_neither_repeats_nor_loses_articles(site: NewsSite, tmp_path: Path) -> None:
    urls = [site.base + site.article_path("f0", i) for i in range(8)]
    site.hidden.update(urls[i] for i in LATER)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"sources:\n  - id: f0\n    kind: rss\n    url: {site.source_url('rss', 'f0')}\n"
    )
    settings = Settings.of(
        bootstrap_servers="",
        embedded_port=free_port(),
        feeds=feeds,
        data_dir=tmp_path / "data",
        metrics_port=0,
        process_pool_size=1,
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_delay_s=0.0,
        poll_interval_s=2,
        poll_min_interval_s=2,
        poll_max_interval_s=4,
    )
    up = Cli(["up"], settings, tmp_path / "up.log").start()
    try:
        first = {urls[i] for i in FIRST}
        assert first <= set(run_until(up, settings, first, 240))
        assert "keeps everything in memory" in up.output()
        assert up.process is not None
        up.process.send_signal(signal.SIGTERM)
        assert up.process.wait(timeout=120) == 0, up.output()[-3000:]
        site.hidden.clear()
        up.start()  # a new, empty embedded broker
        later = {urls[i] for i in LATER}
        seen = run_until(up, settings, later, 240)
        assert later <= set(seen), f"lost: {sorted(later - set(seen))}"
        assert not first & set(seen), "old articles were published again"
        assert (tmp_path / "data" / "connector-state.jsonl").exists()
    finally:
        up.kill_group()
