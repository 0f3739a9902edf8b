"""Issue 13, symptom 12: nothing outlives its parent. `up` killed with SIGKILL takes its broker,
worker (with its pool processes and resource tracker) and connectors with it; a worker killed
with SIGKILL leaves no pool process behind; `up` and `newswire broker` notice their broker dying
and exit with a clear line. Before the fix every one of these processes kept running."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker, free_port
from pipeline.kafka.topics import ensure_topics
from pipeline.tools.demo.site import SampleSite
from tests.support.faults import (
    READY_LINE,
    Cli,
    descendants,
    isolated_settings,
    kill_all,
    produce,
    raw_events,
    wait_gone,
    wait_until_enriched,
)

pytestmark = pytest.mark.integration

POOL = "multiprocessing.spawn"
TRACKER = "multiprocessing.resource_tracker"


def wait_for(cli: Cli, marker: str, timeout_s: float) -> dict[int, str]:
    """Descendants of `cli` once one of them has `marker` in its command line."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        below = descendants(cli.pid)
        if any(marker in cmd for cmd in below.values()):
            return below
        assert cli.alive(), cli.output()[-3000:]
        time.sleep(0.5)
    pytest.fail(f"no {marker!r} below {cli.args} after {timeout_s}s: {cli.output()[-3000:]}")


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Cli]:
    with SampleSite() as site:
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(site.catalog_yaml(), encoding="utf-8")
        settings = Settings.of(
            bootstrap_servers="",
            embedded_port=free_port(),
            feeds=feeds,
            data_dir=tmp_path / "data",
            metrics_port=0,
            process_pool_size=2,
            fetch_allow_networks="127.0.0.1/32",
            fetch_host_delay_s=0.0,
        )
        cli = Cli(["up"], settings, tmp_path / "up.log").start()
        try:
            yield cli
        finally:
            kill_all(descendants(cli.pid))
            cli.kill_group()


def test_up_killed_by_sigkill_leaves_nothing_running(up: Cli) -> None:
    below = wait_for(up, POOL, 180)  # the worker has processed articles: its pool runs
    assert any("tansu" in cmd for cmd in below.values())
    assert any("pipeline.cli connect" in cmd for cmd in below.values())
    up.kill9()
    left = wait_gone(below, 45)  # the worker stops gracefully, within its 20 s stop deadline
    assert not left, {pid: below[pid] for pid in left}


def test_up_notices_its_broker_dying(up: Cli) -> None:
    assert up.wait_for_line("newswire is up", 120), up.output()[-3000:]
    (broker,) = [pid for pid, cmd in descendants(up.pid).items() if "tansu" in cmd]
    os.kill(broker, signal.SIGKILL)
    assert up.process is not None
    code = up.process.wait(timeout=90)
    assert code != 0
    assert "embedded broker exited" in up.output()


def test_a_worker_killed_by_sigkill_leaves_no_pool_processes(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    settings = isolated_settings(broker.bootstrap, tmp_path / "data", "orphans")
    ensure_topics(settings)
    raw = raw_events(8, seed=12)
    produce(settings, raw)
    worker = Cli(["worker"], settings, tmp_path / "worker.log").start()
    try:
        assert worker.wait_for_line(READY_LINE, 120), worker.output()[-3000:]
        assert not wait_until_enriched(settings, raw, 120, worker.alive).missing
        below = descendants(worker.pid)
        assert any(POOL in cmd for cmd in below.values()), below
        assert any(TRACKER in cmd for cmd in below.values()), below
        worker.kill9()
        left = wait_gone(below, 30)
        assert not left, {pid: below[pid] for pid in left}
    finally:
        kill_all(descendants(worker.pid))
        worker.kill_group()


def test_the_broker_command_notices_its_broker_dying(tmp_path: Path) -> None:
    settings = Settings.of(embedded_port=free_port(), metrics_port=0)
    cli = Cli(["broker"], settings, tmp_path / "broker.log").start()
    try:
        assert cli.wait_for_line("Ctrl-C stops it", 60), cli.output()
        (tansu,) = descendants(cli.pid)
        os.kill(tansu, signal.SIGKILL)
        assert cli.process is not None
        assert cli.process.wait(timeout=30) != 0
        assert "embedded broker exited" in cli.output()
    finally:
        cli.kill_group()
