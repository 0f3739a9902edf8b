"""Helpers for the fault suite: a raw backlog, newswire processes run as a user runs them (the
real CLI, in its own process group), kill -9 at chosen moments, and a count of what came out.

Used by tests/integration/test_faults.py (a small seeded sample) and scripts/faults (the full
runs, printing a table).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import TopicPartition

from connectors.base import FeedEntry, SourceSpec
from connectors.raw import Fetched, raw_event
from pipeline.core.codec import decode, encode
from pipeline.core.orphans import child_setup
from pipeline.core.settings import Settings
from pipeline.kafka import clients

READY_LINE = "[^Worker]: Ready"
SOURCE = SourceSpec("fault-test", "rss", "https://feeds.test/rss")
WORDS = (
    "Umsatz Gewinn Quartal Aktie Konzern Anleger Markt Prognose Wachstum Investition Kunden "
    "Rechenzentrum Cloud Software Halbleiter Produktion Werk Mitarbeiter Vorstand Strategie "
    "revenue growth market shares investors outlook chips factory cloud customers board plan"
).split()


def article_html(seed: int) -> str:
    """A distinct article: random words, so no two are near-duplicates of each other."""
    rng = random.Random(seed)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(70)) + "." for _ in range(4)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><article><h1>Artikel {seed}</h1>{body}</article></body></html>"


def raw_events(count: int, seed: int = 0, prefix: str = "https://a.test/story") -> list[Any]:
    events = []
    for index in range(count):
        url = f"{prefix}-{seed}-{index}"
        html = article_html(seed * 1_000_003 + index)
        entry = FeedEntry(SOURCE.id, url, url, title=f"Artikel {index}")
        events.append(raw_event(SOURCE, entry, Fetched(html, "2026-11-25T08:00:00Z")))
    return events


def produce(settings: Settings, events: Iterable[dict[str, Any]]) -> int:
    producer = clients.producer(settings.bootstrap, "fault-test", linger_ms=5)
    sent = 0
    try:
        for event in events:
            producer.send(
                settings.topics.raw_topic, key=event["event_id"].encode(), value=encode(event)
            )
            sent += 1
        producer.flush()
    finally:
        producer.close()
    return sent


def read_all(bootstrap: str, topic: str, timeout_s: float = 30.0) -> list[dict[str, Any]]:
    """Every event of `topic` up to its high-watermarks at the time of the call."""
    consumer = clients.consumer(bootstrap, "fault-test", fetch_max_wait_ms=100)
    try:
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        events: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout_s
        quiet = 0
        while time.monotonic() < deadline and quiet < 3:
            batch = consumer.poll(timeout_ms=300)
            quiet = 0 if batch else quiet + 1
            for records in batch.values():
                events.extend(decode(r.value) for r in records)
            if all(
                consumer.highwater(tp) is not None
                and consumer.position(tp) >= (consumer.highwater(tp) or 0)
                for tp in partitions
            ):
                break
        return events
    finally:
        consumer.close()


@dataclass
class Count:
    """What came out for a set of expected raw events."""

    expected: set[str]
    enriched: Counter[str] = field(default_factory=Counter)
    conflicting: list[str] = field(default_factory=list)  # an event id out twice, different text

    @property
    def missing(self) -> set[str]:
        return self.expected - set(self.enriched)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.enriched.values() if n > 1)


def count_enriched(settings: Settings, raw: list[dict[str, Any]]) -> Count:
    """Enriched events by raw event id; a duplicate must be the same article (same event id,
    same text): at-least-once delivery, deduplicated by event id downstream."""
    count = Count({e["event_id"] for e in raw})
    texts: dict[str, str] = {}
    for event in read_all(settings.bootstrap, settings.topics.enriched_topic):
        raw_id = event.get("raw_event_id")
        if raw_id not in count.expected:
            continue
        count.enriched[raw_id] += 1
        key = event["event_id"]
        if key in texts and texts[key] != event.get("text"):
            count.conflicting.append(key)
        texts.setdefault(key, event.get("text", ""))
    return count


def wait_until_enriched(
    settings: Settings, raw: list[dict[str, Any]], timeout_s: float, alive: Any = None
) -> Count:
    deadline = time.monotonic() + timeout_s
    while True:
        count = count_enriched(settings, raw)
        if not count.missing or time.monotonic() > deadline:
            return count
        if alive is not None and not alive():
            return count
        time.sleep(1.0)


class Cli:
    """`python -m pipeline.cli <args>` in its own process group, stderr to a file."""

    def __init__(self, args: list[str], settings: Settings, log: Path, **env: str) -> None:
        self.args = args
        self.log = log
        self.env = {**os.environ, **settings.to_env(), "MALLOC_ARENA_MAX": "2", **env}
        self.process: subprocess.Popen[bytes] | None = None
        self._log_start = 0

    def start(self) -> Cli:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_start = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", *self.args],
                env=self.env,
                stdout=out,
                stderr=out,
                start_new_session=True,
                preexec_fn=child_setup(),  # a test that dies takes its processes with it
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def output(self) -> str:
        """What this run (since the last start) wrote."""
        with self.log.open("rb") as handle:
            handle.seek(self._log_start)
            return handle.read().decode("utf-8", "replace")

    def wait_for_line(self, text: str, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if text in self.output():
                return True
            if self.process is not None and self.process.poll() is not None:
                return text in self.output()
            time.sleep(0.05)
        return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        """SIGKILL to the main process only, as `kill -9 PID` does."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            assert self.process is not None
            self.process.wait()

    def stop(self, timeout_s: float = 60.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def kill_group(self) -> None:
        """Clean up after a test: every process left in the group."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait()


def isolated_settings(bootstrap: str, data_dir: Path, name: str) -> Settings:
    """Settings with topics, group and data folder of their own, so runs do not mix."""
    return Settings.of(
        bootstrap_servers=bootstrap,
        app_id=f"{name}-app",
        raw_topic=f"{name}.raw",
        enriched_topic=f"{name}.enriched",
        deadletter_topic=f"{name}.dead",
        state_topic=f"{name}.state",
        data_dir=data_dir,
        metrics_port=0,
        health_port=0,
        idempotent_producer=False,  # the embedded broker keeps no producer ids
        process_pool_size=2,
        lag_interval_s=2.0,
    )


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0]


def descendants(pid: int) -> dict[int, str]:
    """Every living process below `pid`, with its command line."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] != "Z":
                parents.setdefault(stat[0], []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found[child] = cmdline.strip()
        todo.extend(parents.get(child, []))
    return found


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[1] != "Z"


def wait_gone(pids: Iterable[int], timeout_s: float) -> set[int]:
    """Wait until none of `pids` lives; returns those still alive at the timeout."""
    deadline = time.monotonic() + timeout_s
    left = set(pids)
    while left and time.monotonic() < deadline:
        left = {pid for pid in left if alive(pid)}
        if left:
            time.sleep(0.2)
    return left


def kill_all(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
