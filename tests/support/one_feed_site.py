"""The restart tests' set-up: one RSS feed of 8 articles on a local site, the last 4 hidden
until the restart, and a wait for what came out enriched."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.core.settings import Settings
from tests.support.faults import Cli, read_all
from tests.support.newssite import NewsSite

FIRST, LATER = range(0, 4), range(4, 8)

# fetch from the local site at once, poll it every 2-4 s
LOCAL_POLLING: dict[str, Any] = {
    "fetch_allow_networks": "127.0.0.1/32",
    "fetch_host_delay_s": 0.0,
    "poll_interval_s": 2,
    "poll_min_interval_s": 2,
    "poll_max_interval_s": 4,
}


def one_feed_site() -> Iterator[NewsSite]:
    with NewsSite(feeds=1, items=8) as running:
        yield running


def article_urls(site: NewsSite) -> list[str]:
    """The feed's 8 article URLs; the LATER ones are hidden until the test shows them."""
    urls = [site.base + site.article_path("f0", i) for i in range(8)]
    site.hidden.update(urls[i] for i in LATER)
    return urls


def catalog(site: NewsSite, folder: Path) -> Path:
    feeds = folder / "feeds.yaml"
    feeds.write_text(
        f"sources:\n  - id: f0\n    kind: rss\n    url: {site.source_url('rss', 'f0')}\n"
    )
    return feeds


def enriched_urls(settings: Settings) -> list[str]:
    """Every enriched event's URL, repeats included; none while the topic is not there."""
    try:
        return [e["url"] for e in read_all(settings.bootstrap, settings.topics.enriched_topic)]
    except (ValueError, KeyError, OSError):
        return []


def wait_enriched(settings: Settings, urls: set[str], timeout_s: float, *clis: Cli) -> list[str]:
    """Read the enriched topic every 2 s until `urls` are all in it; the processes must live."""
    deadline = time.monotonic() + timeout_s
    seen: list[str] = []
    while time.monotonic() < deadline and not urls <= set(seen):
        for cli in clis:
            assert cli.alive(), cli.output()[-3000:]
        time.sleep(2)
        seen = enriched_urls(settings)
    return seen
