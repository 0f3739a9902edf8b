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

SEED_SLUG = "amazon-ki-investitionen"
SEED = "\n".join(next(a for a in load_articles() if a.slug == SEED_SLUG).paragraphs)
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


def test_in_order_of_first_sight_nothing_is_corrected() -> None:
    dedup = Deduplicator({}, 1000)
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    enriched(publish(dedup, earlier))
    (copy,) = enriched(publish(dedup, later))
    assert copy["duplicate_of"] == earlier.event["event_id"] and copy["supersedes"] is None


def test_a_tie_in_first_sight_goes_to_the_smaller_canonical_url() -> None:
    same = "2026-11-25T09:00:00Z"
    for order in ((1, 0), (0, 1)):
        dedup = Deduplicator({}, 1000)
        items = [
            outcome("https://a.test/amazon", SEED, same, 1),
            outcome("https://b.test/wire/amazon", COPY, same, 2),
        ]
        published = [enriched(publish(dedup, items[i])) for i in order]
        current = {e["url"]: e for events in published for e in events}
        assert current["https://a.test/amazon"]["duplicate_of"] is None, order
        assert current["https://b.test/wire/amazon"]["duplicate_of"] == items[0].event["event_id"]


def test_fractional_seconds_are_compared_as_times_not_text() -> None:
    dedup = Deduplicator({}, 1000)
    later = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:01Z", 1)
    earlier = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T09:00:00.500Z", 2)
    enriched(publish(dedup, later))
    events = enriched(publish(dedup, earlier))
    assert [e["duplicate_of"] for e in events] == [None, earlier.event["event_id"]]


def test_an_original_no_longer_at_hand_is_not_demoted() -> None:
    """Published by another owner (or before a restart): the older one is marked its copy."""
    table: dict[str, Any] = {}
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    publish(Deduplicator(table, 1000), later)
    other_owner = Deduplicator(table, 1000)
    other_owner.observe(later.canonical_url, table[later.canonical_url])
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    (event,) = enriched(publish(other_owner, earlier))
    assert event["duplicate_of"] == later.event["event_id"]


def test_an_entry_from_before_first_sight_is_not_demoted() -> None:
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    publish(dedup, later)
    table[later.canonical_url] = table[later.canonical_url][:5]  # as written before
    # a worker that read it from the table, with the published event at hand
    restarted = Deduplicator(table, 1000, recent=dedup.recent)
    restarted.observe(later.canonical_url, table[later.canonical_url])
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    (event,) = enriched(publish(restarted, earlier))
    assert event["duplicate_of"] == later.event["event_id"]


def test_after_a_demotion_the_table_and_later_copies_follow_the_original() -> None:
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    publish(dedup, later)
    corrected = enriched(publish(dedup, earlier))[1]
    demoted = table[later.canonical_url]
    assert demoted[1] == corrected["event_id"] and demoted[3] == "", "a copy is no candidate"
    assert demoted[5] == "2026-11-25T10:00:00Z" and table[earlier.canonical_url][3]
    assert publish(dedup, later) == [], "the copy's page again: nothing new"
    third = outcome("https://c.test/amazon", COPY + " Ende.", "2026-11-25T11:00:00Z", 3)
    (event,) = enriched(publish(dedup, third))
    assert event["duplicate_of"] == earlier.event["event_id"]


def test_a_url_keeps_the_first_sight_of_its_first_revision() -> None:
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000)
    url = "https://a.test/amazon"
    publish(dedup, outcome(url, SEED, "2026-11-25T09:00:00Z", 1))
    publish(dedup, outcome(url, SEED + "\nUpdate: bestätigt.", "2026-11-25T12:00:00Z", 2))
    assert table[url][2] == 2 and table[url][5] == "2026-11-25T09:00:00Z"
    copy = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 3)
    (event,) = enriched(publish(dedup, copy))
    assert event["duplicate_of"] == table[url][1], "seen at 09:00, though revised at 12:00"


def test_a_withdrawn_demotion_leaves_the_original_as_it_was() -> None:
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    publish(dedup, later)
    before = list(table[later.canonical_url])
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    assert propose(dedup, earlier).corrections
    dedup.withdraw(earlier.canonical_url)  # the broker refused: nothing went out
    assert table[later.canonical_url] == before and earlier.canonical_url not in table
    retry = enriched(publish(dedup, earlier))
    assert [e["duplicate_of"] for e in retry] == [None, earlier.event["event_id"]]


def test_the_correction_goes_to_every_routed_topic_and_is_counted() -> None:
    from prometheus_client import CollectorRegistry

    from pipeline.core.metrics import PipelineMetrics
    from pipeline.worker.publish import record_enriched

    dedup = Deduplicator({}, 1000)
    later = outcome("https://b.test/wire/amazon", COPY, "2026-11-25T10:00:00Z", 2)
    first = publish(dedup, later)
    earlier = outcome("https://a.test/amazon", SEED, "2026-11-25T09:00:00Z", 1)
    decision = propose(dedup, earlier)
    records = Publisher.of(Settings()).records(earlier, decision)
    assert [r.kind for r in records] == [r.kind for r in first] * 2
    for route in records[len(first) :]:
        name = "news.company.v1" if route.kind == "company" else "news.enriched.v1"
        assert_valid(name, route.value)
        if route.kind == "company":
            assert route.value["article"]["duplicate_of"] == earlier.event["event_id"]
    metrics = PipelineMetrics.create(CollectorRegistry())
    record_enriched(metrics, earlier, decision)
    assert metrics.articles.labels("publish", "demoted")._value.get() == 1
    assert metrics.articles.labels("publish", "ok")._value.get() == 1


def test_the_kept_originals_are_bounded_and_only_current_events_count() -> None:
    from pipeline.worker.first_sight import Recent

    kept = Recent(capacity=2)
    for n in range(3):
        kept.keep(f"https://a.test/{n}", {"event_id": f"art-{n}"})
    assert len(kept) == 2 and kept.get("https://a.test/0", "art-0") is None
    assert kept.get("https://a.test/2", "art-2") == {"event_id": "art-2"}
    assert kept.get("https://a.test/2", "art-older") is None, "another revision: not current"


def current(published: list[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each URL's event that no later event supersedes."""
    events = [e for batch in published for e in batch]
    replaced = {e["supersedes"] for e in events if e["supersedes"]}
    latest = {e["url"]: e for e in events if e["event_id"] not in replaced}
    assert len(latest) == len({e["url"] for e in events}), "one current event per URL"
    return latest


def test_the_copies_of_a_demoted_original_are_corrected_too() -> None:
    dedup = Deduplicator({}, 1000)
    items = [
        outcome(f"https://site{n}.test/amazon", COPY + " Ende." * n, f"2026-11-25T0{n}:00:00Z", n)
        for n in range(1, 5)
    ]
    # processed newest first: each one demotes the story's original so far
    published = [enriched(publish(dedup, items[i])) for i in (3, 2, 1, 0)]
    assert [len(batch) for batch in published] == [1, 2, 3, 4]
    latest = current(published)
    first = items[0].event["event_id"]
    assert latest[items[0].canonical_url]["duplicate_of"] is None
    assert {latest[i.canonical_url]["duplicate_of"] for i in items[1:]} == {first}
    later = outcome("https://site9.test/amazon", COPY + " Ende.", "2026-11-25T09:00:00Z", 9)
    (copy,) = enriched(publish(dedup, later))
    assert copy["duplicate_of"] == first


def story_copy(n: int, text: str = COPY) -> Enriched:
    return outcome(f"https://site{n}.test/amazon", text, f"2026-11-25T0{n}:00:00Z", n)


def assert_one_original(
    latest: dict[str, dict[str, Any]], first: Enriched, *copies: Enriched
) -> None:
    original = first.event["event_id"]
    assert latest[first.canonical_url]["duplicate_of"] is None
    assert [latest[c.canonical_url]["duplicate_of"] for c in copies] == [original] * len(copies)


def read_back(dedup: Deduplicator, table: dict[str, Any], url: str, entry: list[Any]) -> None:
    """As Faust's global table does with a changelog record, this worker's own writes too:
    the record is heard (`observe`), then applied to the table in a later batch."""
    dedup.observe(url, json.loads(json.dumps(entry)))
    table[url] = json.loads(json.dumps(entry))


def test_an_older_write_read_back_late_does_not_undo_a_demotion() -> None:
    """The original at 03:00 is demoted by a copy seen at 02:00; the table then reads back the
    03:00 original's first record (a stale batch) before the copy seen at 01:00 is decided:
    that copy still demotes the 02:00 original, and the 03:00 one is not an original again."""
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000, reads_back=True)
    third, second, first = (story_copy(n) for n in (3, 2, 1))
    publish(dedup, third)
    stale = list(table[third.canonical_url])
    published = [enriched(publish(dedup, second))]
    read_back(dedup, table, third.canonical_url, stale)
    published.append(enriched(publish(dedup, first)))
    latest = current([*published, enriched(publish(dedup, third))])
    assert_one_original(latest, first, second, third)


def test_once_the_latest_write_is_applied_the_table_is_read_again() -> None:
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000, reads_back=True)
    second, first = (story_copy(n) for n in (2, 1))
    publish(dedup, second)
    older = list(table[second.canonical_url])
    publish(dedup, first)
    latest = list(table[second.canonical_url])
    for entry in (older, latest):
        read_back(dedup, table, second.canonical_url, entry)
        dedup.applied(second.canonical_url, table[second.canonical_url])
    # the table holds the latest write now; a later write by another worker is what counts
    by_another = [latest[0], "art-other", latest[2], "", latest[4], latest[5]]
    read_back(dedup, table, second.canonical_url, by_another)
    assert table[second.canonical_url][1] == "art-other"
    third = outcome("https://site3.test/amazon", COPY + " Ende.", "2026-11-25T03:00:00Z", 3)
    (event,) = enriched(publish(dedup, third))
    assert event["duplicate_of"] == first.event["event_id"]


def test_a_write_read_back_while_its_demotion_is_in_flight_stays_demoted() -> None:
    """The 03:00 original's record is read back while the copy seen at 02:00, which demotes
    it, is still being published: the copy seen at 01:00 then finds the 02:00 original."""
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000, reads_back=True)
    third, second, first = (story_copy(n) for n in (3, 2, 1))
    publish(dedup, third)
    written = json.loads(json.dumps(table[third.canonical_url]))
    decision = propose(dedup, second)
    assert decision.corrections
    dedup.observe(third.canonical_url, written)  # Faust reads the record back meanwhile
    dedup.confirm(second.canonical_url)
    published = [enriched(Publisher.of(Settings()).records(second, decision))]
    published.append(enriched(publish(dedup, first)))
    latest = current(published)
    assert_one_original(latest, first, second, third)


class Changelog(dict[str, Any]):
    """A table that keeps every write in order, as the changelog topic does."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, list[Any]]] = []

    def __setitem__(self, url: str, entry: list[Any]) -> None:
        super().__setitem__(url, entry)
        self.records.append((url, json.loads(json.dumps(entry))))


def test_a_recovery_that_reads_a_demoted_original_last_keeps_the_original() -> None:
    """Partitions are read in parallel: the 02:00 original's record may come before both
    records of the 03:00 one it demoted; a later copy still names the 02:00 one."""
    changelog = Changelog()
    owner = Deduplicator(changelog, 1000)
    publish(owner, story_copy(3))
    publish(owner, story_copy(2))
    table: dict[str, Any] = {}
    recovered = Deduplicator(table, 1000, reads_back=True)
    order = sorted(changelog.records, key=lambda record: "site3" in record[0])
    for url, entry in order:
        recovered.observe(url, entry)
    for url, entry in order:
        table[url] = entry
        recovered.applied(url, entry)
    (event,) = enriched(publish(recovered, story_copy(4, COPY + " Ende.")))
    assert event["duplicate_of"] == story_copy(2).event["event_id"]


def test_a_url_whose_latest_write_is_not_applied_yet_is_not_trimmed() -> None:
    other = "\n".join(next(a for a in load_articles() if a.slug != SEED_SLUG).paragraphs)
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 2, reads_back=True)
    publish(dedup, story_copy(3))
    stale = json.loads(json.dumps(table[story_copy(3).canonical_url]))
    publish(dedup, story_copy(2))  # demotes site3
    publish(dedup, outcome("https://x.test/other", other, "2026-11-25T05:00:00Z", 9))
    url = story_copy(3).canonical_url
    read_back(dedup, table, url, stale)  # its first record, read back only now
    dedup.applied(url, table[url])
    (event,) = enriched(publish(dedup, story_copy(4, COPY + " Ende.")))
    assert event["duplicate_of"] == story_copy(2).event["event_id"]


def test_a_table_filled_before_the_dedup_is_indexed_on_request() -> None:
    """Replay decides over a changelog it loaded: a re-tagged copy stays a copy."""
    table: dict[str, Any] = {}
    worker = Deduplicator(table, 1000)
    publish(worker, story_copy(1))
    (copy,) = enriched(publish(worker, story_copy(2, COPY + " Ende.")))
    assert copy["duplicate_of"] == story_copy(1).event["event_id"]
    replay = Deduplicator(dict(table), 1000)
    replay.index_table()
    retag = outcome(story_copy(2).canonical_url, COPY + " Ende.", "2026-11-25T02:00:00Z", 2)
    retag = Enriched(retag.event, retag.canonical_url, retag.text_hash, retag.sketch, "v2")
    (event,) = enriched(publish(replay, retag))
    assert event["supersedes"] and event["duplicate_of"] == story_copy(1).event["event_id"]


def test_an_own_write_never_read_back_stops_counting_after_a_while() -> None:
    """Its changelog record was lost: after `READ_BACK_WAIT_S` the table's entry (here a later
    write of another worker) counts again."""
    from pipeline.worker.dedup import READ_BACK_WAIT_S

    now = [0.0]
    table: dict[str, Any] = {}
    dedup = Deduplicator(table, 1000, reads_back=True, clock=lambda: now[0])
    third = story_copy(3)
    publish(dedup, third)
    own = list(table[third.canonical_url])
    by_another = [own[0], "art-by-another", own[2], "", own[4], own[5]]
    read_back(dedup, table, third.canonical_url, by_another)
    dedup.applied(third.canonical_url, table[third.canonical_url])
    assert propose(dedup, third).previous_event_id == own[1], "its own write, still awaited"
    now[0] = READ_BACK_WAIT_S + 1
    dedup.trim()
    assert propose(dedup, third).previous_event_id == "art-by-another"
