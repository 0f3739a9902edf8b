"""Issue 13, symptom 10: with the broker unreachable, `tail`, `submit` and `worker` print one
clear line, wait a bounded time with back-off, then exit with status 3 and one more line; no
30 s of connection errors, no traceback. Run through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import EXIT_NO_BROKER
from pipeline.kafka.embedded import EmbeddedBroker, free_port

pytestmark = pytest.mark.integration

COMMANDS = [["tail", "--timeout", "5"], ["submit", "http://127.0.0.1:9/x"], ["worker"]]


def run_cli(args: list[str], port: int, tmp_path: Path, wait_s: float) -> tuple[int, str, float]:
    env = {
        **os.environ,
        "NEWSWIRE_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "NEWSWIRE_BROKER_WAIT_S": str(wait_s),
        "NEWSWIRE_METRICS_PORT": "0",
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr, time.monotonic() - started


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_an_unreachable_broker_gives_one_line_and_status_3(args: list[str], tmp_path: Path) -> None:
    code, stderr, _ = run_cli(args, free_port(), tmp_path, wait_s=2)
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == EXIT_NO_BROKER, stderr
    assert "Traceback" not in stderr
    assert len(lines) == 2, lines  # "not reachable; retrying…" and "still not reachable"
    assert "not reachable" in lines[0] and "not reachable after 2s" in lines[1]


def test_a_broker_that_comes_up_during_the_wait_is_used(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "NEWSWIRE_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "NEWSWIRE_BROKER_WAIT_S": "90",
        "NEWSWIRE_METRICS_PORT": "0",
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "submit", "http://127.0.0.1:9/x"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # blocks until the command says the broker is missing
    with EmbeddedBroker("127.0.0.1", port):
        stdout, rest = process.communicate(timeout=120)
    stderr = first + rest
    assert "not reachable (" in first, stderr
    assert "Traceback" not in stderr and "not reachable after" not in stderr
    assert process.returncode == 1, stderr  # it ran: the URL failed (a forbidden address)
    assert "0 produced, 1 failed" in stdout
