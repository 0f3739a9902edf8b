"""Issue 13, symptom 5 (last part): the embedded broker killed and restarted on the same port.

Before: the connectors never produced again (an idempotent producer retrying
UnknownProducerIdError eight times a second) and the worker exited on a ConsistencyError, so
articles published after the restart were never enriched. Now the connectors carry on, and the
worker notices the reset, wipes its local table state and runs again from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.topics import ensure_topics
from tests.support.faults import Cli, isolated_settings
from tests.support.newssite import NewsSite
from tests.support.one_feed_site import (
    FIRST,
    LATER,
    LOCAL_POLLING,
    article_urls,
    catalog,
    one_feed_site,
    wait_enriched,
)

pytestmark = pytest.mark.integration

site = pytest.fixture(one_feed_site, name="site")


def test_everything_recovers_from_a_broker_restart(site: NewsSite, tmp_path: Path) -> None:
    urls = article_urls(site)
    broker = EmbeddedBroker("127.0.0.1", free_port(), tmp_path / "broker.log")
    broker.start()
    settings = isolated_settings(broker.bootstrap, tmp_path / "data", "restart").with_values(
        feeds=catalog(site, tmp_path), **LOCAL_POLLING
    )
    ensure_topics(settings)
    worker = Cli(["worker"], settings, tmp_path / "worker.log").start()
    connect = Cli(["connect"], settings, tmp_path / "connect.log").start()
    try:
        first = {urls[i] for i in FIRST}
        assert first <= set(wait_enriched(settings, first, 180, worker, connect))
        broker.kill()
        broker.start()  # same port, empty: Tansu keeps nothing
        connect_lines = len(connect.output().splitlines())
        site.hidden.clear()
        later = {urls[i] for i in LATER}
        seen = set(wait_enriched(settings, later, 240, worker, connect))
        assert later <= seen, f"not enriched after the restart: {sorted(later - seen)}"
        assert "broker reset detected" in worker.output()
        noise = connect.output().splitlines()[connect_lines:]
        assert len(noise) < 200, noise[-20:]
        assert not [line for line in noise if "UnknownProducerId" in line]
    finally:
        worker.kill_group()
        connect.kill_group()
        broker.stop()
