"""The benchmark: bare trafilatura in a loop against the whole pipeline, in one run.

- baseline: `trafilatura.extract(html, url)` with default options, one process;
- pipeline: embedded broker, a worker (process pool sized to the cores), extraction, tagging,
  publishing; raw events produced as fast as they are taken, timed from the first raw event
  produced to the last enriched event received; every copy of a page has its own URL, so none
  is dropped as a duplicate; raw events carry a feed title and date, as RSS entries do;
- latency: raw produced → enriched received, at 60% of the measured capacity;
- tagging: mean time of the default tagger per article of the corpus, after one warm-up pass
  (a long-running worker's caches are warm), also as a share of one bare extraction;
- peak RSS of the worker and its pool processes;
- optionally a soak: `soak_load` (default half) of the capacity measured above, held for
  `soak_s`, sampling the RSS and open file descriptors of the worker and its pool processes,
  then timing how long the worker's backlog takes to drain.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import count, islice
from pathlib import Path
from typing import Any

import trafilatura
from kafka import KafkaProducer, TopicPartition

from connectors.base import FeedEntry, SourceSpec
from connectors.raw import Fetched, raw_event
from pipeline.cleaning.extract import clean_page
from pipeline.core.codec import decode, encode
from pipeline.core.settings import Settings
from pipeline.kafka import clients
from pipeline.kafka.embedded import free_port
from pipeline.kafka.lag import group_lag
from pipeline.supervisor import running_pipeline
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import default_tagger
from pipeline.tools.demo.articles import load_articles
from pipeline.tools.demo.render import render_page
from pipeline.tools.process_memory import memory_mb, process_tree
from pipeline.tools.soak import SoakResult, soak

SOURCE = SourceSpec("bench", "rss", "https://bench.invalid/rss")
_RAW_ID = re.compile(rb'"raw_event_id":"(raw-[0-9a-f]{32})"')
Progress = Callable[[str], None]


@dataclass(frozen=True)
class CorpusPage:
    url: str
    html: str


@dataclass(frozen=True)
class BenchResult:
    pages: int
    cores: int
    baseline_pages_per_s: float
    pipeline_articles_per_s: float
    ratio: float
    latency_p50_ms: float
    latency_p99_ms: float
    tagging_ms_mean: float
    worker_peak_rss_mb: float
    soak: SoakResult | None = None  # not among `as_dict`'s figures: the command adds it

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline_pages_per_s": round(self.baseline_pages_per_s, 1),
            "pipeline_articles_per_s": round(self.pipeline_articles_per_s, 1),
            "ratio": round(self.ratio, 3),
            "latency_p50_ms": round(self.latency_p50_ms, 1),
            "latency_p99_ms": round(self.latency_p99_ms, 1),
            "tagging_ms_mean": round(self.tagging_ms_mean, 3),
            "worker_peak_rss_mb": round(self.worker_peak_rss_mb, 1),
        }


def load_corpus(directory: Path | None) -> list[CorpusPage]:
    """`*.html` and `*.html.gz` under a directory (or its `html/`); default: the sample site."""
    if directory is None:
        return [
            CorpusPage(
                f"https://rheinblick.example{a.path}",
                render_page(a, [], "https://rheinblick.example"),
            )
            for a in load_articles()
        ]
    folder = directory / "html" if (directory / "html").is_dir() else directory
    pages = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".html.gz"):
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        elif path.name.endswith(".html"):
            html = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        pages.append(CorpusPage(f"https://bench.invalid/{path.name.split('.')[0]}", html))
    if not pages:
        raise ValueError(f"no *.html or *.html.gz pages in {folder}")
    return pages


def baseline(pages: list[CorpusPage], min_seconds: float = 5.0) -> float:
    """Pages per second of bare trafilatura.extract, one process, default options."""
    done, started = 0, time.perf_counter()
    while True:
        for page in pages:
            trafilatura.extract(page.html, url=page.url)
            done += 1
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def tagging_ms(pages: list[CorpusPage]) -> float:
    tagger = default_tagger()
    articles = []
    for page in pages:
        try:
            articles.append(clean_page(page.html, page.url))
        except Exception:  # a page the cleaner refuses is not part of the tagging figure
            continue
    inputs = [TaggingInput(a.text, a.title, a.language) for a in articles]
    for item in inputs:  # warm-up: a long-running worker's word caches are warm
        tagger.tag(item)
    started = time.perf_counter()
    for item in inputs:
        tagger.tag(item)
    return (time.perf_counter() - started) * 1000 / max(1, len(inputs))


def raw_events(pages: list[CorpusPage], copies: int, run: str) -> list[dict[str, Any]]:
    return list(islice(endless_raw_events(pages, run), copies * len(pages)))


def endless_raw_events(pages: list[CorpusPage], run: str) -> Iterator[dict[str, Any]]:
    """The corpus over and over, each copy of a page under its own URL."""
    for copy in count():
        for index, page in enumerate(pages):
            url = f"{page.url}?bench={run}-{copy}"
            entry = FeedEntry(
                SOURCE.id,
                url,
                url,
                title=f"Bench article {index}",
                published="2026-01-01T00:00:00Z",
                authors=("Bench",),
            )
            yield raw_event(SOURCE, entry, Fetched(page.html, "2026-01-01T00:00:00Z"))


class EnrichedCollector:
    """Receives enriched events in a thread and notes when each raw event came out."""

    def __init__(self, bootstrap: clients.Target, topic: str, fetch_wait_ms: int) -> None:
        self.received: dict[str, float] = {}
        self._consumer = clients.consumer(
            bootstrap, "newswire-bench", fetch_max_wait_ms=fetch_wait_ms, check_crcs=False
        )
        partitions = [
            TopicPartition(topic, p)
            for p in sorted(self._consumer.partitions_for_topic(topic) or ())
        ]
        self._consumer.assign(partitions)
        self._consumer.seek_to_end(*partitions)
        for tp in partitions:
            self._consumer.position(tp)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for records in self._consumer.poll(timeout_ms=50).values():
                now = time.perf_counter()
                for record in records:
                    match = _RAW_ID.search(record.value)
                    raw_id = (
                        match.group(1).decode() if match else decode(record.value)["raw_event_id"]
                    )
                    self.received.setdefault(raw_id, now)

    def wait(self, ids: set[str], timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if ids <= self.received.keys():
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._consumer.close()


def throughput(
    producer: KafkaProducer, collector: EnrichedCollector, topic: str, events: list[dict[str, Any]]
) -> float:
    payloads = [(e["event_id"], encode(e)) for e in events]
    started = time.perf_counter()
    for event_id, payload in payloads:
        producer.send(topic, key=event_id.encode(), value=payload)
    producer.flush()
    ids = {event_id for event_id, _ in payloads}
    if not collector.wait(ids, timeout_s=600):
        raise RuntimeError(f"only {len(ids & collector.received.keys())} of {len(ids)} enriched")
    return len(ids) / (max(collector.received[i] for i in ids) - started)


def latencies(
    producer: KafkaProducer,
    collector: EnrichedCollector,
    topic: str,
    events: list[dict[str, Any]],
    rate: float,
) -> list[float]:
    sent: dict[str, float] = {}
    started = time.perf_counter()
    for index, event in enumerate(events):
        due = started + index / rate
        while (wait := due - time.perf_counter()) > 0:
            time.sleep(min(wait, 0.005))
        producer.send(topic, key=event["event_id"].encode(), value=encode(event))
        producer.flush()
        sent[event["event_id"]] = time.perf_counter()
    if not collector.wait(set(sent), timeout_s=300):
        raise RuntimeError("latency run did not complete")
    return [(collector.received[i] - t) * 1000 for i, t in sent.items()]


def run_bench(
    settings: Settings,
    pages: list[CorpusPage],
    progress: Progress,
    min_articles: int = 600,
    latency_events: int = 300,
    soak_s: float = 0.0,
    soak_load: float = 0.5,
) -> BenchResult:
    cores = os.cpu_count() or 1
    progress(f"corpus: {len(pages)} pages; cores: {cores}")
    base = baseline(pages)
    progress(f"baseline: {base:.1f} pages/s (bare trafilatura.extract, one process)")
    tag_ms = tagging_ms(pages)
    share = tag_ms * base / 1000  # of one bare extraction: comparable across machines and days
    progress(f"tagging: {tag_ms:.2f} ms per article ({share:.2f} of one bare extraction)")
    with tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp:
        bench_settings = settings.with_values(
            app_id="newswire-bench",
            raw_topic="bench.raw",
            enriched_topic="bench.enriched",
            deadletter_topic="bench.deadletter",
            state_topic="bench.state",
            data_dir=Path(tmp),
            metrics_port=0,
        )
        port = None if settings.kafka.bootstrap_servers else free_port(settings.kafka.embedded_host)
        with running_pipeline(bench_settings, parts=("worker",), broker_port=port) as sup:
            live = sup.settings
            kafka = clients.connection_for(live)
            producer = clients.producer(kafka, "newswire-bench", linger_ms=5)
            try:
                # Throughput: long fetch waits keep the collector's own CPU use small (it shares
                # the machine); the end time can only come late by one wait (pessimistic).
                with closing(EnrichedCollector(kafka, live.topics.enriched_topic, 100)) as bulk:
                    progress("warming up the worker")
                    throughput(producer, bulk, live.topics.raw_topic, raw_events(pages, 1, "warm"))
                    copies = max(1, -(-min_articles // len(pages)))
                    events = raw_events(pages, copies, "run")
                    speed = throughput(producer, bulk, live.topics.raw_topic, events)
                progress(f"pipeline: {speed:.1f} articles/s over {len(events)} articles")
                offered = 0.6 * speed
                events = raw_events(pages, max(1, -(-latency_events // len(pages))), "lat")
                with closing(EnrichedCollector(kafka, live.topics.enriched_topic, 5)) as timer:
                    measured = latencies(
                        producer, timer, live.topics.raw_topic, events[:latency_events], offered
                    )
                progress(f"latency at {offered:.1f} articles/s: done")
                worker = sup.children[0].process.pid
                rss = memory_mb(process_tree(worker), "VmHWM")
                soaked = None
                if soak_s > 0:
                    held = soak_load * speed
                    group = (live.worker.app_id, live.topics.raw_topic)
                    progress(
                        f"soak: {soak_s:.0f} s at {held:.1f} articles/s, {soak_load:.0%} of the "
                        f"{speed:.1f} articles/s measured above"
                    )
                    soaked = soak(
                        producer,
                        live.topics.raw_topic,
                        endless_raw_events(pages, "soak"),
                        held,
                        soak_s,
                        lambda: process_tree(worker),
                        progress,
                        capacity=speed,
                        backlog=lambda: sum(group_lag(kafka, *group).values()),
                    )
            finally:
                producer.close()
    quantiles = statistics.quantiles(measured, n=100)
    return BenchResult(
        len(pages),
        cores,
        base,
        speed,
        speed / (base * cores),
        statistics.median(measured),
        quantiles[98],
        tag_ms,
        rss,
        soaked,
    )
