"""pipeline.client without a broker: typed events, validation, the ledger, the subscriber loop."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata

from pipeline.client import (
    COMPANY,
    ENRICHED,
    CompanyRecord,
    EnrichedEvent,
    InvalidEventError,
    InvalidRecord,
    InvalidRecordError,
    Ledger,
    SchemaSet,
    Subscriber,
    Verdict,
    raise_invalid,
    topic_topics,
)
from pipeline.core.events import company_record, company_record_id
from tests.conftest import SCHEMAS

TOPIC = "news.enriched.v1"


def example(name: str) -> dict[str, Any]:
    loaded = json.loads((SCHEMAS / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def article(n: int, **changes: Any) -> dict[str, Any]:
    """The enriched example as article n (its own ids and URL)."""
    event = example("news.enriched.v1")
    event["event_id"] = f"art-{n:032x}"
    event["url"] = f"https://news.example/{n}.html"
    event.update(changes)
    return event


def test_enriched_event_is_typed() -> None:
    event = EnrichedEvent.from_dict(example("news.enriched.v1"))
    assert event.companies[0].id == "amazon"
    assert event.companies[0].ticker == "AMZN"
    assert event.companies[0].mentions.count == len(event.companies[0].mentions.offsets) + 1
    assert event.companies[0].sentiment.label in {"positive", "negative", "neutral"}
    assert event.published == datetime(2024, 8, 1, 20, 41, tzinfo=UTC)
    assert "earnings" in event.topic_ids
    assert event.company("openai") is not None and event.company("nobody") is None
    assert event.replaces == ()


def test_replaces_names_the_re_tagged_event_and_the_previous_revision() -> None:
    event = EnrichedEvent.from_dict(
        article(2, supersedes=f"art-{1:032x}", previous_event_id=f"art-{0:032x}")
    )
    assert event.replaces == (f"art-{1:032x}", f"art-{0:032x}")


def test_registry_identifiers_are_typed_and_later_ones_kept() -> None:
    data = article(1)
    data["companies"][0].update(exchange="XNAS", lei="ZXTILKJKG63JELOEG630", figi="BBG000BVPV84")
    company = EnrichedEvent.from_dict(data).companies[0].company
    assert (company.exchange, company.lei, company.parent) == ("XNAS", "ZXTILKJKG63JELOEG630", None)
    assert company.extra == {"figi": "BBG000BVPV84"}


def test_company_record_is_typed_and_replaces_its_own_records() -> None:
    data = article(2, supersedes=f"art-{1:032x}")
    record = CompanyRecord.from_dict(company_record(data, data["companies"][0]))
    assert record.company.id == "amazon"
    assert record.article.event_id == data["event_id"]
    assert [t.id for t in record.article.topics] == [t["id"] for t in data["topics"]]
    assert record.replaces == (company_record_id(f"art-{1:032x}", "amazon"),)
    assert record.event_id == company_record_id(data["event_id"], "amazon")


def test_validation_names_the_field() -> None:
    schemas = SchemaSet(SCHEMAS)
    bad = article(1)
    bad["companies"][0]["sentiment"]["label"] = "bullish"
    with pytest.raises(InvalidEventError, match="companies/0/sentiment/label"):
        schemas.check("news.enriched.v1", bad)
    record = company_record(article(1), article(1)["companies"][0])
    record["article"]["published"] = "2026-11-25 09:30"
    with pytest.raises(InvalidEventError, match="article/published"):
        schemas.check("news.company.v1", record)


def test_validation_messages_stay_short() -> None:
    bad = article(1, text=12345, title=["x" * 5000])
    errors = SchemaSet(SCHEMAS).errors("news.enriched.v1", bad)
    assert len(errors) == 2 and all(len(e) < 260 for e in errors)


@dataclass(frozen=True)
class Ids:
    event_id: str
    replaces: tuple[str, ...] = ()


def test_ledger_tells_new_duplicate_and_stale_apart() -> None:
    ledger = Ledger()
    assert ledger.verdict(Ids("b", ("a",))) is Verdict.NEW
    ledger.record(Ids("b", ("a",)))
    assert ledger.verdict(Ids("b", ("a",))) is Verdict.DUPLICATE
    assert ledger.verdict(Ids("a")) is Verdict.STALE
    assert ledger.replaced_by("a") == "b"
    assert ledger.verdict(Ids("c")) is Verdict.NEW


def test_ledger_forgets_the_oldest_beyond_its_capacity() -> None:
    ledger = Ledger(capacity=2)
    for name in "xyz":
        ledger.record(Ids(name))
    assert ledger.verdict(Ids("x")) is Verdict.NEW
    assert ledger.verdict(Ids("z")) is Verdict.DUPLICATE
    with pytest.raises(ValueError, match="capacity"):
        Ledger(capacity=0)


@dataclass
class Record:
    offset: int
    value: bytes | None
    key: bytes | None = None


class FakeConsumer:
    """kafka-python's consumer as the subscriber uses it: batches in, commits and seeks out."""

    def __init__(self, values: list[bytes | None], batch: int = 3) -> None:
        self.records = [Record(i, v) for i, v in enumerate(values)]
        self.tp = TopicPartition(TOPIC, 0)
        self.position = 0
        self.batch = batch
        self.committed: list[int] = []
        self.subscribed: list[str] = []
        self.closed = False

    def subscribe(self, topics: list[str], listener: Any) -> None:
        self.subscribed = topics

    def poll(self, timeout_ms: int, max_records: int | None) -> Mapping[TopicPartition, Any]:
        size = min(self.batch, max_records or self.batch)
        taken = self.records[self.position : self.position + size]
        self.position += len(taken)
        return {self.tp: taken} if taken else {}

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.position = offset

    def assignment(self) -> set[TopicPartition]:
        return {self.tp}

    def commit(self, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None:
        self.committed.append(offsets[self.tp].offset)

    def close(self) -> None:
        self.closed = True


def encoded(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def subscriber(consumer: FakeConsumer, **options: Any) -> Subscriber[EnrichedEvent]:
    return Subscriber(consumer, ENRICHED, [TOPIC], schemas=SchemaSet(SCHEMAS), **options)


def test_iterator_yields_new_events_and_commits_what_was_handled() -> None:
    values = [encoded(article(n)) for n in range(5)]
    consumer = FakeConsumer(values)
    sub = subscriber(consumer)
    seen = [e.event_id for e in sub.events(idle_s=0)]
    assert seen == [f"art-{n:032x}" for n in range(5)]
    assert consumer.committed[-1] == 5
    assert consumer.subscribed == [TOPIC]


def test_duplicates_and_superseded_events_are_skipped_but_committed() -> None:
    old, new = article(1), article(2, supersedes=f"art-{1:032x}")
    consumer = FakeConsumer([encoded(new), encoded(new), encoded(old), encoded(article(3))])
    sub = subscriber(consumer)
    assert [e.event_id for e in sub.events(idle_s=0)] == [new["event_id"], f"art-{3:032x}"]
    assert (sub.stats.duplicates, sub.stats.stale, sub.stats.delivered) == (1, 1, 2)
    assert consumer.committed[-1] == 4


def test_include_stale_delivers_late_events_marked() -> None:
    a1 = article(1)
    a2 = article(2, previous_event_id=a1["event_id"])
    a3 = article(3, previous_event_id=a2["event_id"])
    consumer = FakeConsumer([encoded(a3), encoded(a2), encoded(a1)])
    sub = subscriber(consumer, include_stale=True)
    got = [(d.event.event_id[-1], d.stale) for d in sub.deliveries(idle_s=0)]
    assert got == [("3", False), ("2", True), ("1", True)]
    assert (sub.stats.delivered, sub.stats.stale) == (1, 2)


def test_a_handler_that_raises_leaves_its_record_uncommitted() -> None:
    consumer = FakeConsumer([encoded(article(n)) for n in range(4)], batch=4)
    sub = subscriber(consumer)
    handled: list[str] = []

    def handler(event: EnrichedEvent) -> None:
        if event.event_id.endswith("2"):
            raise RuntimeError("database down")
        handled.append(event.event_id)

    with pytest.raises(RuntimeError):
        sub.run(handler, idle_s=0)
    assert len(handled) == 2
    assert consumer.committed[-1] == 2  # offsets 0 and 1 were handled
    assert consumer.position == 2  # the same subscriber reads record 2 again
    assert [e.event_id for e in sub.events(idle_s=0)] == [f"art-{n:032x}" for n in (2, 3)]


def test_break_mid_batch_rewinds_to_the_first_record_not_handled() -> None:
    consumer = FakeConsumer([encoded(article(n)) for n in range(6)], batch=6)
    sub = subscriber(consumer)
    for event in sub.events():
        if event.event_id.endswith("1"):
            break
    assert consumer.committed[-1] == 1  # record 0 handled; record 1 was being handled
    assert consumer.position == 1


def test_max_events_stops_without_losing_the_rest() -> None:
    consumer = FakeConsumer([encoded(article(n)) for n in range(5)], batch=5)
    sub = subscriber(consumer)
    assert len(list(sub.events(max_events=2))) == 2
    assert consumer.committed[-1] == 2
    assert [e.event_id[-1] for e in sub.events(max_events=2)] == ["2", "3"]
    assert [e.event_id[-1] for e in sub.events(idle_s=0)] == ["4"]


def test_invalid_records_are_reported_with_their_place_and_skipped() -> None:
    bad = article(2)
    del bad["text"]
    consumer = FakeConsumer([b"not json", encoded(bad), None, encoded(article(3))])
    reported: list[InvalidRecord] = []
    sub = subscriber(consumer, on_invalid=reported.append)
    assert [e.event_id for e in sub.events(idle_s=0)] == [f"art-{3:032x}"]
    assert [(r.offset, r.topic) for r in reported] == [(0, TOPIC), (1, TOPIC), (2, TOPIC)]
    assert "not JSON" in reported[0].error and "text" in reported[1].error
    assert "tombstone" in reported[2].error
    assert sub.stats.invalid == 3 and consumer.committed[-1] == 4


def test_raise_invalid_stops_before_committing_the_bad_record() -> None:
    consumer = FakeConsumer([encoded(article(1)), b"[1, 2]"])
    sub = subscriber(consumer, on_invalid=raise_invalid)
    with pytest.raises(InvalidRecordError, match=r"news.enriched.v1\[0\]@1"):
        list(sub.events(idle_s=0))
    assert consumer.committed[-1] == 1


def test_company_records_parse_as_their_kind() -> None:
    data = article(1)
    records = [encoded(company_record(data, c)) for c in data["companies"]]
    consumer = FakeConsumer(records)
    sub = Subscriber(consumer, COMPANY, ["news.company.v1"], schemas=SchemaSet(SCHEMAS))
    got = list(sub.events(idle_s=0))
    assert [r.company.id for r in got] == [c["id"] for c in data["companies"]]
    assert all(isinstance(r, CompanyRecord) for r in got)


def test_close_ends_the_loop_commits_what_was_handled_and_closes() -> None:
    consumer = FakeConsumer([encoded(article(n)) for n in range(3)], batch=3)
    with subscriber(consumer) as sub:
        events = iter(sub)
        next(events)
        next(events)
    assert consumer.committed == [1]  # the first was handled, the second was in hand
    assert consumer.position == 1 and consumer.closed


def test_topic_topics_names_the_routing_topics() -> None:
    assert topic_topics(["earnings", "layoffs"]) == [
        "news.topic.earnings.v1",
        "news.topic.layoffs.v1",
    ]


class EndingSubscriber(Subscriber[EnrichedEvent]):
    """Iterates until its records run out, so a README loop ends."""

    def __iter__(self) -> Any:
        return self.events(idle_s=0)


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    readme = (SCHEMAS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Subscribing") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n\n")]
    consumer = FakeConsumer([encoded(article(1))])
    fake = EndingSubscriber(consumer, ENRICHED, [TOPIC], schemas=SchemaSet(SCHEMAS))
    monkeypatch.setattr("pipeline.client.subscribe", lambda *args, **kwargs: fake)
    exec(compile(code, "README.md", "exec"), {})
    assert "Amazon" in capsys.readouterr().out and consumer.closed
