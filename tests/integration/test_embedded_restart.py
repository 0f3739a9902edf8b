"""Issue 13, symptom 11: `newswire up` on the embedded broker, honestly. It says at start that
the broker keeps everything in memory; a restart neither publishes the old articles again (the
connector state is on disk, under NEWSWIRE_DATA_DIR) nor loses the new ones. Before, every
feed item was fetched and published again after a restart."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import free_port
from tests.support.faults import Cli
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


def test_a_restart_neither_repeats_nor_loses_articles(site: NewsSite, tmp_path: Path) -> None:
    urls = article_urls(site)
    settings = Settings.of(
        bootstrap_servers="",
        embedded_port=free_port(),
        feeds=catalog(site, tmp_path),
        data_dir=tmp_path / "data",
        metrics_port=0,
        process_pool_size=1,
        **LOCAL_POLLING,
    )
    up = Cli(["up"], settings, tmp_path / "up.log").start()
    try:
        first = {urls[i] for i in FIRST}
        assert first <= set(wait_enriched(settings, first, 240, up))
        assert "keeps everything in memory" in up.output()
        assert up.process is not None
        up.process.send_signal(signal.SIGTERM)
        assert up.process.wait(timeout=120) == 0, up.output()[-3000:]
        site.hidden.clear()
        up.start()  # a new, empty embedded broker
        later = {urls[i] for i in LATER}
        seen = wait_enriched(settings, later, 240, up)
        assert later <= set(seen), f"lost: {sorted(later - set(seen))}"
        assert not first & set(seen), "old articles were published again"
        assert (tmp_path / "data" / "connector-state.jsonl").exists()
    finally:
        up.kill_group()
