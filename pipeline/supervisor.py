"""Runs newswire's parts as child processes and stops them in order: connect, worker, broker."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kafka.errors import KafkaError

from pipeline.core.orphans import child_setup
from pipeline.core.settings import Settings, env_name
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.lag import group_lag
from pipeline.kafka.topics import ensure_topics

log = logging.getLogger(__name__)

CHILD_STOP_TIMEOUT_S = 30.0
DRAIN_TIMEOUT_S = 60.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


# Two malloc arenas instead of glibc's default of eight per core: with the worker's threads
# (Faust's consumer and producer, the pool's manager) and 100-KB pages passing through, the
# extra arenas fragment and RSS creeps up for good; measured flat with 2 (README, Performance).
CHILD_DEFAULTS = {"MALLOC_ARENA_MAX": "2"}


class Supervisor:
    """Starts `newswire <part>` children; if one exits, `wait` returns so everything stops."""

    def __init__(
        self, settings: Settings, parts: tuple[str, ...], broker: EmbeddedBroker | None = None
    ) -> None:
        self.settings = settings
        self.parts = parts
        self.broker = broker  # the embedded broker, watched like the children
        self.children: list[Child] = []

    def start(self) -> None:
        for offset, part in enumerate(self.parts):
            env = {**CHILD_DEFAULTS, **os.environ, **self.settings.to_env(), **self._ports(offset)}
            process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", part],
                env=env,
                start_new_session=True,
                preexec_fn=child_setup(),  # stops when `up` dies, even by SIGKILL
            )
            self.children.append(Child(part, process))
            log.info("started %s (pid %d)", part, process.pid)

    def _ports(self, offset: int) -> dict[str, str]:
        """Each child's own metrics and health ports: the configured ones + its offset."""
        metrics = self.settings.metrics
        ports = {"metrics_port": metrics.metrics_port, "health_port": metrics.health_port}
        return {env_name(name): str(port + offset) for name, port in ports.items() if port > 0}

    def wait(self, stop: threading.Event, poll_s: float = 0.5) -> int:
        """Block until `stop` is set (exit code 0) or a child exits (its exit code, or 1)."""
        while not stop.wait(poll_s):
            code = self.broker.exit_code() if self.broker is not None else None
            if code is not None:
                log.error(
                    "the embedded broker exited with %s; stopping the pipeline (everything it "
                    "held in memory is gone)",
                    code,
                )
                return code or 1
            for child in self.children:
                code = child.process.poll()
                if code is not None:
                    log.error("%s exited with %s; stopping the pipeline", child.name, code)
                    return code or 1
        return 0

    def stop(self) -> None:
        for child in reversed(self.children):
            if child.name == "worker" and self.broker is not None:
                self.drain(child)
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
                try:
                    child.process.wait(timeout=CHILD_STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    log.warning("%s did not stop in time; killing it", child.name)
                    child.process.kill()
                    child.process.wait()
            log.info("%s stopped", child.name)
        self.children.clear()

    def drain(self, worker: Child, timeout_s: float = DRAIN_TIMEOUT_S) -> None:
        """On the embedded broker, before stopping the worker: let it finish the raw events
        already produced (the connectors have stopped and marked them seen; the broker forgets
        them when it stops)."""
        deadline = time.monotonic() + timeout_s
        said = False
        while worker.process.poll() is None and time.monotonic() < deadline:
            try:
                waiting = sum(group_lag(self.settings.bootstrap, *self._group()).values())
            except KafkaError:
                return
            if waiting == 0:
                return
            if not said:
                log.info("waiting for the worker to finish %d raw events", waiting)
                said = True
            time.sleep(1.0)
        if said:
            log.warning("stopping the worker with raw events unprocessed after %.0fs", timeout_s)

    def _group(self) -> tuple[str, str]:
        return self.settings.worker.app_id, self.settings.topics.raw_topic


@contextmanager
def running_pipeline(
    settings: Settings,
    parts: tuple[str, ...] = ("worker", "connect"),
    broker_port: int | None = None,
) -> Iterator[Supervisor]:
    """The embedded broker (when no bootstrap server is set), the topics and the parts."""
    broker = None
    if settings.uses_embedded_broker:
        port = broker_port or settings.kafka.embedded_port
        broker = EmbeddedBroker(settings.kafka.embedded_host, port, log_path=_broker_log(settings))
        broker.start()
        settings = settings.with_values(
            bootstrap_servers=broker.bootstrap,
            idempotent_producer=False,
            state_file=settings.connectors.state_file or _state_file(settings),
            dedup_file=settings.worker.dedup_file or _dedup_file(settings),
        )
    supervisor = Supervisor(settings, parts, broker)
    try:
        ensure_topics(settings)
        supervisor.start()
        yield supervisor
    finally:
        supervisor.stop()
        if broker is not None:
            broker.stop()


def _state_file(settings: Settings) -> Path:
    """The connectors' state, on disk: the embedded broker forgets its state topic."""
    return settings.worker.data_dir / "connector-state.jsonl"


def _dedup_file(settings: Settings) -> Path:
    """The worker's dedup entries, on disk: the embedded broker forgets the table's changelog."""
    return settings.worker.data_dir / "dedup-state.jsonl"


def _broker_log(settings: Settings) -> Path:
    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.worker.data_dir / "broker.log"
