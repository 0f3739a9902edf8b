"""Dedup state in Faust tables survives a worker restart (and the embedded broker's traps), and
on the embedded broker, which forgets the changelog when it stops, a restart of both."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.base import FeedEntry, SourceSpec
from connectors.raw import Fetched, raw_event
from pipeline.core.codec import encode
from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.reader import iter_events
from pipeline.kafka.topics import ensure_topics
from pipeline.supervisor import running_pipeline
from pipeline.tools.demo.articles import load_articles
from tests.conftest import assert_valid

VOCABULARY = sorted({w for a in load_articles() for p in a.paragraphs for w in p.split()})
SOURCE = SourceSpec("dedup-test", "rss", "https://feeds.test/rss")


def article_html(seed: int, extra: str = "") -> str:
    rng = random.Random(seed)
    paragraphs = [" ".join(rng.choice(VOCABULARY) for _ in range(60)) + "." for _ in range(4)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs) + (f"<p>{extra}</p>" if extra else "")
    return (
        f"<html><body><nav>Menü</nav><article><h1>Artikel {seed}</h1>{body}</article></body></html>"
    )


def raw(url: str, html: str, title: str) -> dict[str, Any]:
    entry = FeedEntry(
        SOURCE.id, url, url, title=title, published="2026-11-25T07:00:00Z", authors=("Test",)
    )
    return raw_event(SOURCE, entry, Fetched(html, "2026-11-25T08:00:00Z"))


class Pipeline:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.producer = clients.producer(settings.bootstrap, "test-dedup")
        self.seen: list[dict[str, Any]] = []

    def send(self, *events: dict[str, Any]) -> None:
        for event in events:
            self.producer.send(
                self.settings.topics.raw_topic, key=event["event_id"].encode(), value=encode(event)
            )
        self.producer.flush()

    def wait_for(
        self, urls: set[str], settled: Callable[[list[dict[str, Any]]], bool] = lambda _: True
    ) -> None:
        """Read all enriched events until every url in `urls` has one and `settled` holds
        (corrections are produced just after the article that causes them)."""
        self.seen = []

        def done() -> bool:
            return urls <= {e["url"] for e in self.seen} and settled(self.seen)

        for _, event in iter_events(
            self.settings.bootstrap,
            [self.settings.topics.enriched_topic],
            True,
            timeout_s=120,
            keep_going=lambda: not done(),
        ):
            self.seen.append(event)
        assert done(), "timed out"

    def events_for(self, url: str) -> list[dict[str, Any]]:
        return [e for e in self.seen if e["url"] == url]

    def close(self) -> None:
        self.producer.close()


@pytest.fixture
def pipeline(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[Pipeline]:
    settings = Settings(
        bootstrap_servers=broker.bootstrap,
        idempotent_producer=False,
        app_id="dedup-test",
        raw_topic="dd.raw",
        enriched_topic="dd.enriched",
        deadletter_topic="dd.dead",
        state_topic="dd.state",
        metrics_port=0,
        health_port=0,
        process_pool_size=1,
        data_dir=tmp_path / "data",
    )
    ensure_topics(settings)
    running = Pipeline(settings)
    yield running
    running.close()


def test_dedup_state_survives_a_worker_restart(pipeline: Pipeline) -> None:
    originals = [
        raw(f"https://a.test/story-{i}", article_html(i), f"Artikel {i}") for i in range(30)
    ]
    first = originals[0]
    with running_pipeline(pipeline.settings, parts=("worker",)):
        pipeline.send(*originals)
        pipeline.wait_for({e["url"] for e in originals})
    first_event = pipeline.events_for(first["url"])[0]
    assert first_event["revision"] == 1 and first_event["previous_event_id"] is None

    changed = raw(
        first["url"], article_html(0, "Update: Die Zahlen wurden korrigiert."), "Artikel 0"
    )
    copy = raw(
        "https://b.test/wire/story-0", article_html(0, "(Agenturmeldung)"), "Agentur: Artikel 0"
    )
    marker = raw("https://a.test/marker", article_html(999), "Marker")
    with running_pipeline(pipeline.settings, parts=("worker",)):
        pipeline.send(*originals)  # a replay of everything: all known, nothing re-emitted
        pipeline.send(changed, copy, marker)
        pipeline.wait_for({marker["url"], copy["url"]})

    counts = Counter(e["url"] for e in pipeline.seen)
    replayed = [
        url
        for url, n in counts.items()
        if url.startswith("https://a.test/story-") and url != first["url"] and n > 1
    ]
    assert replayed == [], "the restarted worker recovered every table entry"
    (revision_one, revision_two) = sorted(
        pipeline.events_for(first["url"]), key=lambda e: e["revision"]
    )
    assert revision_two["revision"] == 2
    assert revision_two["previous_event_id"] == revision_one["event_id"]
    (syndicated,) = pipeline.events_for(copy["url"])
    # the original's event current when the copy was decided (either revision: parallel batches)
    assert syndicated["duplicate_of"] in {revision_one["event_id"], revision_two["event_id"]}
    for event in pipeline.seen:
        assert_valid("news.enriched.v1", event)


def embedded_run(settings: Settings, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """`up`'s set-up with a new, empty embedded broker and a worker: send, wait, stop both."""
    with running_pipeline(settings, parts=("worker",), broker_port=free_port()) as supervisor:
        run = Pipeline(supervisor.settings)
        try:
            run.send(*events)
            run.wait_for({e["url"] for e in events})
        finally:
            run.close()
    return run.seen


def test_dedup_state_survives_a_restart_of_the_embedded_broker(tmp_path: Path) -> None:
    """Issue 13, symptom 11: before, the restarted pair published the update as revision 1
    again and did not know the copy's original."""
    settings = Settings.of(
        bootstrap_servers="",
        app_id="dedup-embedded",
        metrics_port=0,
        health_port=0,
        process_pool_size=1,
        data_dir=tmp_path / "data",
    )
    originals = [raw(f"https://a.test/story-{i}", article_html(i), f"Artikel {i}") for i in (0, 1)]
    first = {e["url"]: e for e in embedded_run(settings, *originals)}

    changed = raw(originals[0]["url"], article_html(0, "Update: korrigiert."), "Artikel 0")
    copy = raw("https://b.test/wire/story-1", article_html(1, "(Agenturmeldung)"), "Agentur")
    later = {e["url"]: e for e in embedded_run(settings, changed, copy)}

    update = later[changed["url"]]
    assert update["revision"] == 2, "the dedup table was forgotten with the broker"
    assert update["previous_event_id"] == first[changed["url"]]["event_id"]
    assert later[copy["url"]]["duplicate_of"] == first[originals[1]["url"]]["event_id"]
    for event in [*first.values(), *later.values()]:
        assert_valid("news.enriched.v1", event)
