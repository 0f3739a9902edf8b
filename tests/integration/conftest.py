"""Integration fixtures: a real embedded broker, the sample site, and the pipeline's processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.reader import iter_events
from pipeline.supervisor import Supervisor, running_pipeline
from pipeline.tools.demo.site import SampleSite

PIPELINE_TIMEOUT_S = 120.0


@dataclass
class PipelineRun:
    settings: Settings
    site: SampleSite
    supervisor: Supervisor
    enriched: dict[str, dict[str, Any]] = field(default_factory=dict)
    deadletters: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker("127.0.0.1", free_port()) as running:
        yield running


def pipeline_settings(broker: EmbeddedBroker, feeds: Path, data_dir: Path) -> Settings:
    return Settings(
        bootstrap_servers=broker.bootstrap,
        idempotent_producer=False,
        feeds=feeds,
        data_dir=data_dir,
        metrics_port=0,
        health_port=0,
        process_pool_size=2,
        poll_interval_s=3600,
        poll_min_interval_s=3600,
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_delay_s=0.0,
    )


def wait_for(
    run: PipelineRun,
    urls: set[str],
    timeout_s: float = PIPELINE_TIMEOUT_S,
    dead_urls: frozenset[str] = frozenset(),
) -> None:
    """Read the enriched and dead-letter topics until every URL in `urls` was enriched and
    every URL in `dead_urls` was dead-lettered (articles may come out in any order)."""
    topics = [run.settings.topics.enriched_topic, run.settings.topics.deadletter_topic]

    def done() -> bool:
        return urls <= set(run.enriched) and dead_urls <= {d.get("url") for d in run.deadletters}

    def keep_going() -> bool:
        return all(c.process.poll() is None for c in run.supervisor.children) and not done()

    run.enriched.clear()
    run.deadletters.clear()
    for topic, event in iter_events(run.settings.bootstrap, topics, True, timeout_s, keep_going):
        if topic == run.settings.topics.deadletter_topic:
            run.deadletters.append(event)
        else:
            run.enriched[event["url"]] = event
    assert done(), (
        f"not enriched: {sorted(urls - set(run.enriched))}; not dead-lettered: "
        f"{sorted(dead_urls - {d.get('url') for d in run.deadletters})}"
    )


@pytest.fixture(scope="module")
def pipeline_run(
    broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PipelineRun]:
    tmp = tmp_path_factory.mktemp("pipeline")
    with SampleSite() as site:
        feeds = tmp / "feeds.yaml"
        feeds.write_text(site.catalog_yaml(), encoding="utf-8")
        settings = pipeline_settings(broker, feeds, tmp / "data")
        with running_pipeline(settings) as supervisor:
            run = PipelineRun(settings, site, supervisor)
            wait_for(run, site.article_urls(), dead_urls=frozenset(site.deadletter_urls()))
            yield run
