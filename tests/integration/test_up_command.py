"""`newswire up`, the README's first command, as a newcomer runs it: embedded broker, worker and
connectors come up, serve their metrics, and stop cleanly on SIGTERM. Offline, the catalogue's
real feeds fail; that is logged and counted while everything keeps running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline.kafka.embedded import free_port

WORKER_JOIN_S = 15


def metrics_text(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def probe_status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def free_port_pair() -> int:
    """A free port whose next port is free too: `up` gives the connectors the worker's metrics
    port plus one."""
    while True:
        port = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def test_up_starts_everything_and_stops_on_sigterm(tmp_path: Path) -> None:
    worker_port = free_port_pair()
    health_port = free_port_pair()
    while health_port in (worker_port - 1, worker_port, worker_port + 1):
        health_port = free_port_pair()
    taken = {worker_port, worker_port + 1, health_port, health_port + 1}
    broker_port = free_port()
    while broker_port in taken:
        broker_port = free_port()
    env = {
        **os.environ,
        "NEWSWIRE_BOOTSTRAP_SERVERS": "",
        "NEWSWIRE_EMBEDDED_PORT": str(broker_port),
        "NEWSWIRE_METRICS_PORT": str(worker_port),
        "NEWSWIRE_HEALTH_PORT": str(health_port),
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
    }
    log = tmp_path / "up.stderr"
    with log.open("w", encoding="utf-8") as stderr_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "up"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr_file,
        )
    try:
        deadline = time.monotonic() + 120
        worker = connectors = ""
        while time.monotonic() < deadline and not (
            "newswire_stage_seconds" in worker and "newswire_feed_polls" in connectors
        ):
            if process.poll() is not None:
                output = log.read_text(encoding="utf-8")[-3000:]
                pytest.fail(f"newswire up exited early ({process.returncode}): {output}")
            time.sleep(1)
            worker, connectors = metrics_text(worker_port), metrics_text(worker_port + 1)
        assert "newswire_stage_seconds" in worker, "the worker serves its metrics"
        assert "newswire_feed_polls" in connectors, "the connectors serve theirs"
        time.sleep(WORKER_JOIN_S)  # long enough for the worker to join its consumer group
        assert process.poll() is None, "newswire up keeps running"
        # each child serves its probes on the health port plus its offset, as for metrics
        assert probe_status(health_port, "/healthz") == 200, "the worker is live"
        assert probe_status(health_port, "/readyz") == 200, "the worker has its partitions"
        assert probe_status(health_port + 1, "/healthz") == 200, "the connectors are live"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=90)
    stderr = log.read_text(encoding="utf-8")
    assert process.returncode == 0, stderr[-3000:]
    assert "[^Worker]: Ready" in stderr, "the Faust worker came up"
    assert "failed" in stderr, "offline, the real feeds fail and that is logged"
