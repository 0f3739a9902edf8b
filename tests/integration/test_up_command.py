"""`newswire up`, the README's first command, as a newcomer runs it: embedded broker, worker and
connectors come up, serve their metrics, and stop cleanly on SIGTERM. Offline, the catalogue's
real feeds fail; that is logged and counted while everything keeps running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pipeline.broker import free_port

WORKER_JOIN_S = 15


def metrics_text(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def test_up_starts_everything_and_stops_on_sigterm(tmp_path: Path) -> None:
    worker_port = free_port()
    env = {
        **os.environ,
        "NEWSWIRE_BOOTSTRAP_SERVERS": "",
        "NEWSWIRE_EMBEDDED_PORT": str(free_port()),
        "NEWSWIRE_METRICS_PORT": str(worker_port),
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        worker = connectors = ""
        while time.monotonic() < deadline and not (
            "newswire_stage_seconds" in worker and "newswire_feed_polls" in connectors
        ):
            assert process.poll() is None, "newswire up exited early"
            time.sleep(1)
            worker, connectors = metrics_text(worker_port), metrics_text(worker_port + 1)
        assert "newswire_stage_seconds" in worker, "the worker serves its metrics"
        assert "newswire_feed_polls" in connectors, "the connectors serve theirs"
        time.sleep(WORKER_JOIN_S)  # long enough for the worker to join its consumer group
        assert process.poll() is None, "newswire up keeps running"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=90)
    assert process.returncode == 0, stderr[-3000:]
    assert "[^Worker]: Ready" in stderr, "the Faust worker came up"
    assert "failed" in stderr, "offline, the real feeds fail and that is logged"
