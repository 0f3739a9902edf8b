"""Feed → enriched → routing topics, then replay under new tagger versions, on the embedded
broker with the sample site: news.company.v1 and news.topic.*.v1 hold what the enriched
events say; a replay re-tags every article with a new event_id that supersedes the old one,
a second replay under the same versions sends nothing, and the example subscriber ends with
exactly one current row per article."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from kafka import TopicPartition

from pipeline.core.codec import decode
from pipeline.core.events import company_record_id
from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.offsets import confirmed_end_offsets
from tests.conftest import ROOT, assert_valid
from tests.examples import load_example
from tests.integration.conftest import PipelineRun

sink = load_example("sqlite_sink")
RETAGGER = "tests.support.pluggable_tagger:retagger"


def records(settings: Settings, topic: str) -> list[tuple[bytes, dict[str, Any]]]:
    """Every (key, value) of a topic, from the start to its end now."""
    consumer = clients.consumer(settings.bootstrap, "test-reader", fetch_max_wait_ms=100)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        ends = confirmed_end_offsets(settings.bootstrap, partitions)
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        found: list[tuple[bytes, dict[str, Any]]] = []
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            for batch in consumer.poll(timeout_ms=500).values():
                found.extend((r.key, decode(r.value)) for r in batch)
        return found
    finally:
        consumer.close()


def enriched_by_url(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    by_url = defaultdict(list)
    for _, event in records(settings, settings.topics.enriched_topic):
        by_url[event["url"]].append(event)
    return by_url


def test_company_and_topic_topics_hold_what_the_articles_say(pipeline_run: PipelineRun) -> None:
    settings = pipeline_run.settings
    articles = list(pipeline_run.enriched.values())
    expected = {(c["id"], a["event_id"]): (a, c) for a in articles for c in a["companies"]}
    assert len({a["event_id"] for a, _ in expected.values()}) >= 5, "several articles"
    companies = records(settings, settings.topics.company_topic)
    assert len(companies) == len(expected)
    for key, record in companies:
        assert_valid("news.company.v1", record)
        article, company = expected[(key.decode(), record["article"]["event_id"])]
        assert record["company"]["id"] == company["id"] == key.decode()
        assert record["company"]["ticker"] == company["ticker"]
        assert record["event_id"] == company_record_id(article["event_id"], company["id"])
        assert (record["mentions"], record["salience"], record["sentiment"]) == (
            company["mentions"],
            company["salience"],
            company["sentiment"],
        )
        assert record["article"]["title"] == article["title"]
        assert record["article"]["url"] == article["url"]
        assert record["article"]["language"] == article["language"]
        assert record["article"]["published"] == article["published"]
        assert [t["id"] for t in record["article"]["topics"]] == [
            t["id"] for t in article["topics"]
        ]

    earnings = records(settings, "news.topic.earnings.v1")
    with_earnings = {
        a["event_id"] for a in articles if "earnings" in [t["id"] for t in a["topics"]]
    }
    assert len(with_earnings) >= 3
    assert {key.decode() for key, _ in earnings} == with_earnings
    for _key, event in earnings:
        assert_valid("news.enriched.v1", event)
        assert event == pipeline_run.enriched[event["url"]]
    for topic_id in settings.topics.routed_topic_ids:  # each created up front, routed or not
        records(settings, f"news.topic.{topic_id}.v1")


def replay(settings: Settings, *args: str) -> dict[str, int]:
    """`newswire replay` as a person runs it; its summary line as numbers."""
    env = {**os.environ, **settings.to_env(), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "replay", "--report-every", "1", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replay: " in result.stderr, "progress is reported while it runs"
    (summary,) = result.stdout.splitlines()
    numbers = dict(
        (name, int(count))
        for count, name in re.findall(r"(\d+) (re-tagged|new|unchanged|dead letters)", summary)
    )
    read, total = re.search(r"(\d+)/(\d+) raw events read", summary).groups()  # type: ignore[union-attr]
    selected = re.search(r"(\d+) in the window", summary).group(1)  # type: ignore[union-attr]
    return {**numbers, "read": int(read), "total": int(total), "selected": int(selected)}


def test_replay_under_new_versions_supersedes_every_article(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    settings = pipeline_run.settings
    before = {url: event for url, event in pipeline_run.enriched.items()}
    assert not replay(settings, "--source", "no-such-source")["selected"]

    progress = replay(settings.with_values(tagger=RETAGGER))
    assert progress["re-tagged"] == len(before) and progress["new"] == 0
    assert progress["read"] == progress["total"] >= len(before)
    after = enriched_by_url(settings)
    for url, old in before.items():
        (retag,) = [e for e in after[url] if e.get("supersedes")]
        assert_valid("news.enriched.v1", retag)
        assert retag["supersedes"] == old["event_id"] != retag["event_id"]
        assert retag["raw_event_id"] == old["raw_event_id"]
        assert retag["tagger_versions"]["topics"] == "retag-test"
        assert retag["revision"] == old["revision"]
    retagged_companies = [
        r
        for _, r in records(settings, settings.topics.company_topic)
        if r["article"].get("supersedes")
    ]
    assert len(retagged_companies) == sum(len(e["companies"]) for e in before.values())

    again = replay(settings.with_values(tagger=RETAGGER))
    assert (again["re-tagged"], again["new"]) == (0, 0)
    assert again["unchanged"] == progress["re-tagged"]

    db = tmp_path / "news.db"
    sink.run(settings.bootstrap, "replay-sink", db, idle_s=3.0, session_timeout_ms=6000)
    store = sink.ArticleStore(db)
    current = {row["url"]: row["event_id"] for row in store.current()}
    assert len(store.current()) == len(current) == len(before)
    assert all(current[url] != before[url]["event_id"] for url in before)
    assert store.count() == 2 * len(before)
