"""`newswire demo`: the whole pipeline, offline, on the bundled sample news site."""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.commands import Commands
from pipeline.commands.shutdown import stop_on_signals
from pipeline.commands.tail import summary_line
from pipeline.core.settings import Settings

if TYPE_CHECKING:
    from pipeline.supervisor import Supervisor

log = logging.getLogger(__name__)


@dataclass
class DemoResult:
    enriched: dict[str, dict[str, Any]] = field(default_factory=dict)
    deadletters: list[dict[str, Any]] = field(default_factory=list)


def register(commands: Commands) -> None:
    demo = commands.add_parser("demo", help="offline demo on a bundled sample news site")
    demo.add_argument("--json", action="store_true", help="print enriched events as JSON lines")
    demo.add_argument("--timeout", type=float, default=180.0, help="seconds to wait (180)")
    demo.set_defaults(run=lambda args, settings: run_demo(settings, args.json, args.timeout))


def run_demo(
    settings: Settings, as_json: bool = False, timeout_s: float = 180.0, out: TextIO = sys.stdout
) -> int:
    from pipeline.kafka.embedded import free_port
    from pipeline.supervisor import running_pipeline
    from pipeline.tools.demo.site import SampleSite

    with (
        stop_on_signals() as stop,
        SampleSite() as site,
        tempfile.TemporaryDirectory(prefix="newswire-demo-") as tmp,
    ):
        catalog = Path(tmp) / "feeds.yaml"
        catalog.write_text(site.catalog_yaml(), encoding="utf-8")
        demo_settings = settings.with_values(
            feeds=catalog,
            data_dir=Path(tmp) / "data",
            fetch_allow_networks="127.0.0.1/32",
            fetch_host_delay_s=0.0,
        )
        port = None if settings.kafka.bootstrap_servers else free_port(settings.kafka.embedded_host)
        expected = site.article_urls()
        log.info("sample site on %s with %d articles", site.base_url, len(expected))
        with running_pipeline(demo_settings, broker_port=port) as supervisor:
            result = collect(supervisor, expected, site.deadletter_urls(), timeout_s, stop)
            died = [c.name for c in supervisor.children if c.process.poll() is not None]
    missing = expected - set(result.enriched)
    report(result, as_json, out)
    if missing:
        why = f"{', '.join(died)} exited" if died else f"not done within {timeout_s}s"
        log.error("%d articles not enriched (%s): %s", len(missing), why, sorted(missing))
        return 1
    return 0


def collect(
    supervisor: Supervisor,
    expected: set[str],
    expected_dead: set[str],
    timeout_s: float,
    stop: threading.Event,
) -> DemoResult:
    """Read enriched and dead-letter events until every expected URL is enriched and every
    expected dead letter arrived (articles come out in any order)."""
    from pipeline.kafka import clients
    from pipeline.kafka.reader import iter_events

    settings = supervisor.settings
    result = DemoResult()
    topics = [settings.topics.enriched_topic, settings.topics.deadletter_topic]

    def keep_going() -> bool:
        return (
            not stop.is_set()
            and not (
                expected <= set(result.enriched)
                and expected_dead <= {d.get("url") for d in result.deadletters}
            )
            and all(c.process.poll() is None for c in supervisor.children)
        )

    for topic, event in iter_events(
        clients.connection_for(settings), topics, True, timeout_s, keep_going
    ):
        if topic == settings.topics.deadletter_topic:
            result.deadletters.append(event)
            log.warning("dead letter: %s (%s)", event.get("url"), event.get("reason"))
        elif event.get("url") in expected:
            result.enriched[event["url"]] = event
    return result


def report(result: DemoResult, as_json: bool, out: TextIO) -> None:
    events = sorted(result.enriched.values(), key=lambda e: e["url"])
    if as_json:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
        return
    out.write(f"{len(events)} articles enriched, {len(result.deadletters)} dead letters\n\n")
    for event in events:
        out.write(summary_line(event) + "\n\n")
    for dead in result.deadletters:
        out.write(
            f"dead letter: {dead.get('url')}\n    stage {dead.get('stage')}: {dead.get('reason')}\n"
        )
