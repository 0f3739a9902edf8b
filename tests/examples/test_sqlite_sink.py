"""examples/sqlite_sink.py without a broker: upserts, and one current row per article in any
order of delivery."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from pipeline.client import EnrichedEvent
from tests.conftest import SCHEMAS
from tests.examples import load_example

sink = load_example("sqlite_sink")


def event(n: int, url: str, **changes: Any) -> EnrichedEvent:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    data.update(event_id=f"art-{n:032x}", url=url, **changes)
    return EnrichedEvent.from_dict(data)


def ids(rows: list[Any]) -> set[str]:
    return {r["event_id"] for r in rows}


A1 = event(1, "https://a.example/1", revision=1)
A2 = event(2, "https://a.example/1", revision=2, previous_event_id=A1.event_id)
A2_RETAGGED = event(3, "https://a.example/1", revision=2, supersedes=A2.event_id)
B1 = event(4, "https://b.example/1")
B1_RETAGGED = event(5, "https://b.example/1", supersedes=B1.event_id)


def test_upsert_by_event_id_is_idempotent(tmp_path: Path) -> None:
    store = sink.ArticleStore(tmp_path / "news.db")
    store.upsert(A1)
    store.upsert(A1)
    assert store.count() == 1
    rows = store.current()
    assert [r["url"] for r in rows] == ["https://a.example/1"]
    assert json.loads(rows[0]["companies"])[0] == {
        "id": "amazon",
        "ticker": "AMZN",
        "sentiment": "neutral",
    }
    assert "earnings" in json.loads(rows[0]["topics"])


def test_one_current_row_per_article_in_every_order() -> None:
    events = [A1, A2, A2_RETAGGED, B1, B1_RETAGGED]
    for order in itertools.permutations(events):
        store = sink.ArticleStore(":memory:")
        for item in order:
            store.upsert(item)
        store.upsert(order[0])  # a redelivery changes nothing
        current = store.current()
        assert ids(current) == {A2_RETAGGED.event_id, B1_RETAGGED.event_id}, order
        assert len({r["url"] for r in current}) == len(current)
        store.close()


def test_the_store_survives_a_restart(tmp_path: Path) -> None:
    store = sink.ArticleStore(tmp_path / "news.db")
    store.upsert(B1)
    store.close()
    store = sink.ArticleStore(tmp_path / "news.db")
    store.upsert(B1_RETAGGED)
    assert ids(store.current()) == {B1_RETAGGED.event_id}
    assert store.count() == 2
