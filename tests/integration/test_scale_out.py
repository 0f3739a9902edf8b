"""Three workers on the embedded broker (and one of them killed with SIGKILL mid-stream: the
others take over its partitions): every article is enriched, duplicates carry only identical
event ids, and a story served on several URLs has one original. The workers' /readyz and
/healthz are what the test waits on."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.topics import ensure_topics
from pipeline.supervisor import Supervisor
from tests.integration.test_dedup_restart import Pipeline, article_html, raw

WORKERS = 3
STORIES = 8
COPIES = 6  # URLs per story: half sent before the kill, half after
READY_TIMEOUT_S = 120.0


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def wait_ready(ports: list[int], timeout_s: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    pending = set(ports)
    while pending and time.monotonic() < deadline:
        pending = {p for p in pending if status(f"http://127.0.0.1:{p}/readyz") != 200}
        time.sleep(0.5)
    assert not pending, f"workers on health ports {sorted(pending)} never became ready"


@pytest.fixture
def workers(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[tuple[Supervisor, list[int]]]:
    base = free_port(count=WORKERS)
    settings = Settings(
        bootstrap_servers=broker.bootstrap,
        idempotent_producer=False,
        app_id="scale-test",
        raw_topic="so.raw",
        enriched_topic="so.enriched",
        deadletter_topic="so.dead",
        state_topic="so.state",
        raw_partitions=6,
        metrics_port=0,
        health_port=base,
        process_pool_size=1,
        data_dir=tmp_path / "data",
    )
    ensure_topics(settings)
    supervisor = Supervisor(settings, ("worker",) * WORKERS)
    supervisor.start()
    try:
        yield supervisor, [base + i for i in range(WORKERS)]
    finally:
        supervisor.stop()


def stories() -> list[list[dict[str, Any]]]:
    """Each story's copies: one text on COPIES URLs of different sites."""
    return [
        [
            raw(f"https://site{c}.test/{s}/story", article_html(100 + s), f"Story {s}")
            for c in range(COPIES)
        ]
        for s in range(STORIES)
    ]


@pytest.mark.parametrize("kill", [False, True], ids=["three-workers", "one-killed"])
def test_every_article_once_and_one_original_per_story(
    workers: tuple[Supervisor, list[int]], kill: bool
) -> None:
    if kill:
        # Faust's own commit path loses records a SIGKILLed worker had in flight (out-of-order
        # acks of concurrent actors; skipped records acked): the commit gate of the delivery
        # work fixes it (docs/delivery.md there). Until it is merged this case would be flaky.
        pytest.importorskip("pipeline.kafka.commit_gate", reason="needs the raw commit gate")
    supervisor, health_ports = workers
    wait_ready(health_ports)
    assert all(status(f"http://127.0.0.1:{p}/healthz") == 200 for p in health_ports)
    pipeline = Pipeline(supervisor.settings)
    by_story = stories()
    half = COPIES // 2
    try:
        pipeline.send(*[copy for story in by_story for copy in story[:half]])
        if kill:
            time.sleep(3)  # mid-stream: the workers are deciding the first half
            victim = supervisor.children[1].process
            os.killpg(victim.pid, signal.SIGKILL)  # the worker and its pool, as a node dies
            victim.wait()
        pipeline.send(*[copy for story in by_story for copy in story[half:]])
        try:
            pipeline.wait_for(
                {copy["url"] for story in by_story for copy in story},
                settled=lambda seen: all(len(originals(seen, story)) == 1 for story in by_story),
            )
        except AssertionError as timed_out:
            raise AssertionError(f"{timed_out}: {unsettled(pipeline.seen, by_story)}") from None
    finally:
        pipeline.producer.close()
    assert_exactly_once_by_event_id(pipeline.seen)
    assert_one_original_per_story(pipeline.seen, by_story)
    if kill:
        survivors = [p for i, p in enumerate(health_ports) if i != 1]
        wait_ready(survivors, 30)  # they took over after the rebalance
        assert status(f"http://127.0.0.1:{health_ports[1]}/healthz") == 0


def current_events(seen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events no other event supersedes: a copy published as the original before the copy
    seen first was decided is published again, as a copy, superseding its first event."""
    replaced = {e["supersedes"] for e in seen if e.get("supersedes")}
    return [e for e in seen if e["event_id"] not in replaced]


def assert_exactly_once_by_event_id(seen: list[dict[str, Any]]) -> None:
    ids: dict[str, set[str]] = defaultdict(set)
    for event in current_events(seen):
        ids[event["url"]].add(event["event_id"])
    assert {url: found for url, found in ids.items() if len(found) > 1} == {}


def assert_one_original_per_story(
    seen: list[dict[str, Any]], by_story: list[list[dict[str, Any]]]
) -> None:
    for story in by_story:
        found = originals(seen, story)
        assert len(found) == 1, f"{story[0]['url']}: originals {sorted(found)}"
        copies = {e["duplicate_of"] for e in story_events(seen, story) if e["duplicate_of"]}
        assert copies == found, "every other copy names the one original"


def story_events(seen: list[dict[str, Any]], story: list[dict[str, Any]]) -> list[dict[str, Any]]:
    urls = {copy["url"] for copy in story}
    return [e for e in current_events(seen) if e["url"] in urls]


def originals(seen: list[dict[str, Any]], story: list[dict[str, Any]]) -> set[str]:
    return {e["event_id"] for e in story_events(seen, story) if e["duplicate_of"] is None}


def unsettled(seen: list[dict[str, Any]], by_story: list[list[dict[str, Any]]]) -> str:
    """What the wait saw of each story without exactly one original, for the failure."""
    lines = []
    for story in by_story:
        if len(originals(seen, story)) != 1:
            urls = {copy["url"] for copy in story}
            events = [
                f"{e['url']} {e['event_id']} duplicate_of={e['duplicate_of']} "
                f"supersedes={e.get('supersedes')}"
                for e in seen
                if e["url"] in urls
            ]
            lines.append("\n  ".join([story[0]["url"], *events]))
    return "stories with other than one original:\n" + "\n".join(lines)
