"""Issue 13, symptom 5 (last part): the embedded broker killed and restarted on the same port.

Before: the connectors never produced again (an idempotent producer retrying
UnknownProducerIdError eight times a second) and the worker exited on a ConsistencyError, so
articles published after the restart were never enriched. Now the connectors carry on, and the
worker notices the reset, wipes its local table state and runs again from scratch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.topics import ensure_topics
from tests.support.faults import Cli, isolated_settings, read_all
from tests.support.newssite import NewsSite

pytestmark = pytest.mark.integration

FIRST, LATER = range(0, 4), range(4, 8)


def enriched_urls(settings: Settings) -> set[str]:
    try:
        return {e["url"] for e in read_all(settings.bootstrap, settings.topics.enriched_topic)}
    except (ValueError, KeyError):  # the topic is not there (yet) on a fresh broker
        return set()


def wait_enriched(settings: Settings, urls: set[str], timeout_s: float, *clis: Cli) -> set[str]:
    deadline = time.monotonic() + timeout_s
    seen: set[str] = set()
    while time.monotonic() < deadline and not urls <= seen:
        for cli in clis:
            assert cli.alive(), cli.output()[-3000:]
        time.sleep(2)
        seen = enriched_urls(settings)
    return seen


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(feeds=1, items=8) as running:
        yield running


def test_everything_recovers_from_a_broker_restart(site: NewsSite, tmp_path: Path) -> None:
    urls = [site.base + site.article_path("f0", i) for i in range(8)]
    site.hidden.update(urls[i] for i in LATER)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"sources:\n  - id: f0\n    kind: rss\n    url: {site.source_url('rss', 'f0')}\n"
    )
    broker = EmbeddedBroker("127.0.0.1", free_port(), tmp_path / "broker.log")
    broker.start()
    settings = isolated_settings(broker.bootstrap, tmp_path / "data", "restart").with_values(
        feeds=feeds,
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_delay_s=0.0,
        poll_interval_s=2,
        poll_min_interval_s=2,
        poll_max_interval_s=4,
    )
    ensure_topics(settings)
    worker = Cli(["worker"], settings, tmp_path / "worker.log").start()
    connect = Cli(["connect"], settings, tmp_path / "connect.log").start()
    try:
        first = {urls[i] for i in FIRST}
        assert first <= wait_enriched(settings, first, 180, worker, connect)
        broker.kill()
        broker.start()  # same port, empty: Tansu keeps nothing
        connect_lines = len(connect.output().splitlines())
        site.hidden.clear()
        later = {urls[i] for i in LATER}
        seen = wait_enriched(settings, later, 240, worker, connect)
        assert later <= seen, f"not enriched after the restart: {sorted(later - seen)}"
        assert "broker reset detected" in worker.output()
        noise = connect.output().splitlines()[connect_lines:]
        assert len(noise) < 200, noise[-20:]
        assert not [line for line in noise if "UnknownProducerId" in line]
    finally:
        worker.kill_group()
        connect.kill_group()
        broker.stop()
