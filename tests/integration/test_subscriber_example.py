"""examples/sqlite_sink.py on the embedded broker: validated, deduplicated, committed after
each row, one current row per article, and a restart goes on where it stopped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.topics import ensure_topics
from tests.conftest import SCHEMAS
from tests.examples import load_example

sink = load_example("sqlite_sink")
GROUP = "sqlite-sink-test"
FAST_JOIN = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 2000}


def article(n: int, url: str, **changes: Any) -> dict[str, Any]:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    data.update(event_id=f"art-{n:032x}", url=url, **changes)
    assert isinstance(data, dict)
    return data


def produce(bootstrap: str, topic: str, events: list[dict[str, Any] | bytes]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    for item in events:
        if isinstance(item, bytes):
            producer.send(topic, key=b"junk", value=item)
        else:
            producer.send(topic, key=item["event_id"].encode(), value=json.dumps(item).encode())
    producer.flush()
    producer.close()


def test_sqlite_sink_ends_with_one_current_row_per_article(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    settings = Settings(bootstrap_servers=broker.bootstrap)
    ensure_topics(settings)
    a1 = article(1, "https://a.example/1")
    a2 = article(2, "https://a.example/1", revision=2, previous_event_id=a1["event_id"])
    a2_retag = article(3, "https://a.example/1", revision=2, supersedes=a2["event_id"])
    b1 = article(4, "https://b.example/1")
    b1_retag = article(5, "https://b.example/1", supersedes=b1["event_id"])
    produce(
        broker.bootstrap,
        settings.topics.enriched_topic,
        [a1, b1, b1, a2, b"not json", b1_retag, a2_retag, b1],
    )
    db = tmp_path / "news.db"
    stats = sink.run(broker.bootstrap, GROUP, db, idle_s=3.0, **FAST_JOIN)
    assert stats.invalid == 1
    assert stats.delivered + stats.duplicates + stats.stale == 7
    store = sink.ArticleStore(db)
    assert {r["event_id"] for r in store.current()} == {a2_retag["event_id"], b1_retag["event_id"]}
    store.close()

    # everything was committed: a restart reads only what came since
    c1 = article(6, "https://c.example/1")
    produce(broker.bootstrap, settings.topics.enriched_topic, [c1])
    again = sink.run(broker.bootstrap, GROUP, db, idle_s=3.0, **FAST_JOIN)
    assert (again.delivered, again.duplicates, again.invalid) == (1, 0, 0)
    store = sink.ArticleStore(db)
    assert len(store.current()) == 3
    assert store.count() == 6
