"""Which copy of a story is the original: the one newswire saw first (`fetched_at`), whatever
order the worker happened to process them in; a copy published too early as the original is
published again, as the copy, superseding its first event."""

from __future__ import annotations

import json
from typing import Any

from pipeline.cleaning.fingerprint import sketch, text_hash
from pipeline.core.ids import stable_id
from pipeline.core.settings import Settings
from pipeline.tools.demo.articles import load_articles
from pipeline.worker.dedup import Deduplicator
from pipeline.worker.processing import Enriched
from pipeline.worker.publish import Publisher, propose
from pipeline.worker.routing import Route
from tests.conftest import SCHEMAS, assert_valid

SEED = "\n".join(next(a for a in load_articles() if a.slug == "amazon-ki-investitionen").paragraphs)
COPY = "Von unserem Korrespondenten (dpa). " + SEED + "\nMehr dazu im Dossier."


def outcome(url: str, text: str, fetched_at: str, number: int) -> Enriched:
    event = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    for name in ("revision", "previous_event_id", "duplicate_of", "supersedes"):
        event.pop(name, None)
    raw_id = stable_id("raw", url, str(number))
    event.update(event_id=stable_id("art", raw_id), raw_event_id=raw_id, url=url, text=text)
    event["fetched_at"] = fetched_at
    return Enriched(event, url, text_hash("T", text), sketch(text), versions="v")


def publish(dedup: Deduplicator, item: Enriched) -> list[Route]:
    """The story owner's step: decide, publish (taken as acknowledged), confirm."""
    decision = propose(dedup, item)
    records = Publisher.of(Settings()).records(item, decision)
    if decision.emit:
        dedup.confirm(item.canonical_url)
    for route in records:
        if route.kind == "enriched":
            assert_valid("news.enriched.v1", route.value)
    return records


def enriched(records: list[Route]) -> list[dict[str, Any]]:
    return [r.value for r in records if r.kind == "enriched"]


def test_the_copy_seen_first_is_the_original_though_processed_second() -> None:
    dedup = Deduplicator({}, 1000)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    (first,) = enriched(publish(dedup, later))
    assert first["duplicate_of"] is None, "nothing older seen yet: the first original"
    events = enriched(publish(dedup, earlier))
    original = next(e for e in events if e["url"] == earlier.canonical_url)
    assert original["event_id"] == earlier.event["event_id"]
    assert original["duplicate_of"] is None, "the article seen first is no duplicate"
    (corrected,) = [e for e in events if e["url"] == later.canonical_url]
    assert corrected["duplicate_of"] == original["event_id"]
    assert corrected["supersedes"] == first["event_id"] != corrected["event_id"]
    assert corrected["revision"] == first["revision"] and corrected["text"] == COPY
