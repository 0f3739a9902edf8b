"""The publish step: the enriched event, then its routes (company records, topic topics),
counted; a duplicate publishes nothing; routing switched off leaves news.enriched.v1 alone."""

from __future__ import annotations

import json
from typing import Any

from prometheus_client import CollectorRegistry

from pipeline.core.events import company_record_id
from pipeline.core.metrics import PipelineMetrics
from pipeline.core.settings import Settings
from pipeline.worker.dedup import Decision
from pipeline.worker.processing import Enriched
from pipeline.worker.publish import Publisher, record_enriched, record_routes
from pipeline.worker.routing import Router
from tests.conftest import SCHEMAS, assert_valid


def article(**changes: Any) -> dict[str, Any]:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    for name in ("revision", "previous_event_id", "duplicate_of", "supersedes"):
        data.pop(name, None)
    data.update(changes)
    assert isinstance(data, dict)
    return data


def outcome(event: dict[str, Any]) -> Enriched:
    return Enriched(event, event["url"], "h", [], 0.01, 0.001, "v")


def test_the_enriched_event_comes_first_then_topics_then_companies() -> None:
    event = article()
    records = Publisher.of(Settings()).records(outcome(event), Decision(True, 1, None, None))
    assert [r.kind for r in records] == ["enriched"] + ["topic"] * len(event["topics"]) + [
        "company"
    ] * len(event["companies"])
    assert records[0].topic == "news.enriched.v1"
    assert records[0].key == event["event_id"].encode()
    topics = [r for r in records if r.kind == "topic"]
    assert [r.topic for r in topics] == [f"news.topic.{t['id']}.v1" for t in event["topics"]]
    assert all(r.value is records[0].value and r.key == records[0].key for r in topics)


def test_company_records_are_keyed_by_company_and_follow_their_schema() -> None:
    event = article()
    records = Publisher.of(Settings()).records(
        outcome(event), Decision(True, 2, "art-" + "1" * 32, None, supersedes="art-" + "2" * 32)
    )
    companies = [r for r in records if r.kind == "company"]
    assert [r.key.decode() for r in companies] == [c["id"] for c in event["companies"]]
    for route, company in zip(companies, event["companies"], strict=True):
        record = route.value
        assert_valid("news.company.v1", record)
        assert record["event_id"] == company_record_id(records[0].value["event_id"], company["id"])
        identifiers = ("id", "name", "ticker", "exchange", "isin", "lei", "wikidata", "parent")
        assert record["company"] == {k: company[k] for k in identifiers}
        assert record["mentions"] == company["mentions"]
        assert record["article"]["title"] == event["title"]
        assert record["article"]["supersedes"] == "art-" + "2" * 32
        assert record["article"]["revision"] == 2
        assert [t["id"] for t in record["article"]["topics"]] == [t["id"] for t in event["topics"]]


def test_registry_identifiers_beyond_the_four_reach_the_company_record() -> None:
    event = article()
    event["companies"][0]["lei"] = "ZXTILKJKG63JELOEG630"
    route = Router("news.company.v1", frozenset()).company_routes(event)[0]
    assert route.value["company"]["lei"] == "ZXTILKJKG63JELOEG630"
    assert "mentions" not in route.value["company"]


def test_a_topic_outside_the_declared_ones_is_not_routed() -> None:
    event = article(topics=[{"id": "echo", "score": 1.0, "evidence": []}])
    assert Router("news.company.v1", frozenset({"earnings"})).topic_routes(event) == []


def test_a_duplicate_publishes_nothing() -> None:
    records = Publisher.of(Settings()).records(outcome(article()), Decision(False, 1, "a", None))
    assert records == []


def test_routing_off_publishes_only_the_enriched_event() -> None:
    publisher = Publisher.of(Settings.of(routing=False))
    assert publisher.topic_names() == ["news.enriched.v1"]
    records = publisher.records(outcome(article()), Decision(True, 1, None, None))
    assert [r.kind for r in records] == ["enriched"]


def test_routes_and_re_tags_are_counted() -> None:
    registry = CollectorRegistry()
    metrics = PipelineMetrics.create(registry)
    event = article()
    decision = Decision(True, 1, None, None, supersedes="art-" + "2" * 32)
    records = Publisher.of(Settings()).records(outcome(event), decision)
    record_enriched(metrics, outcome(event), decision)
    record_routes(metrics, records)

    def value(name: str, **labels: str) -> float:
        return registry.get_sample_value(name, labels) or 0.0

    assert value("newswire_routed_records_total", kind="company") == len(event["companies"])
    assert value("newswire_routed_records_total", kind="topic") == len(event["topics"])
    assert value("newswire_articles_total", stage="publish", outcome="retag") == 1
    assert value("newswire_articles_total", stage="publish", outcome="ok") == 0


def test_the_enriched_event_is_encoded_once_for_all_its_topics() -> None:
    from pipeline.core.codec import decode
    from pipeline.worker.publish import encoded

    event = article()
    records = Publisher.of(Settings()).records(outcome(event), Decision(True, 1, None, None))
    pairs = encoded(records)
    enriched = [payload for route, payload in pairs if route.kind in {"enriched", "topic"}]
    assert len(enriched) == 1 + len(event["topics"])
    assert all(p is enriched[0] for p in enriched), "one bytes object, sent to every topic"
    assert [decode(p) for _, p in pairs] == [r.value for r in records]
