"""The health endpoint: /healthz follows the heartbeat, /readyz the checks, over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from pipeline.core.health import Health, HealthServer, main, probe, serve_health


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def health(clock: FakeClock) -> Health:
    return Health(stale_after_s=30, clock=clock)


@pytest.fixture
def server(health: Health) -> Iterator[HealthServer]:
    served = HealthServer(health, port=0).start()  # an ephemeral port
    try:
        yield served
    finally:
        served.close()


def get(server: HealthServer, path: str) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{server.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_liveness_follows_the_heartbeat(
    health: Health, clock: FakeClock, server: HealthServer
) -> None:
    assert get(server, "/healthz") == (200, {"live": True})
    clock.now += 31
    assert get(server, "/healthz") == (503, {"live": False})
    health.beat()
    assert get(server, "/healthz")[0] == 200


def test_readiness_names_the_failing_checks(health: Health, server: HealthServer) -> None:
    state = {"assigned": False}
    health.add_check("broker", lambda: True)
    health.add_check("partitions_assigned", lambda: state["assigned"])
    status, body = get(server, "/readyz")
    assert status == 503
    assert body == {"ready": False, "live": True, "failing": ["partitions_assigned"]}
    state["assigned"] = True
    assert get(server, "/readyz") == (200, {"ready": True, "live": True, "failing": []})


def test_a_check_that_raises_is_not_ready_and_the_server_keeps_answering(
    health: Health, server: HealthServer
) -> None:
    def broken() -> bool:
        raise RuntimeError("broker metadata unavailable")

    health.add_check("broker", broken)
    assert get(server, "/readyz")[0] == 503
    assert get(server, "/healthz")[0] == 200


def test_a_stuck_process_is_not_ready_either(
    health: Health, clock: FakeClock, server: HealthServer
) -> None:
    clock.now += 60
    status, body = get(server, "/readyz")
    assert (status, body["live"], body["ready"]) == (503, False, False)


def test_unknown_paths_are_404_and_query_strings_are_ignored(server: HealthServer) -> None:
    assert get(server, "/metrics")[0] == 404
    assert get(server, "/healthz?verbose=1")[0] == 200


def test_a_check_name_is_registered_once(health: Health) -> None:
    health.add_check("broker", lambda: True)
    with pytest.raises(ValueError, match="broker"):
        health.add_check("broker", lambda: True)


def test_port_zero_turns_the_endpoint_off(health: Health) -> None:
    assert serve_health(health, port=0) is None


def test_stale_after_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Health(stale_after_s=0)


def test_the_probe_command_exits_with_the_probe_result(
    health: Health, clock: FakeClock, server: HealthServer
) -> None:
    url = f"http://127.0.0.1:{server.port}/healthz"
    assert probe(url) is True
    assert main([url]) == 0
    clock.now += 31
    assert main([url]) == 1
    server.close()
    assert probe(url, timeout_s=1) is False, "a closed port is unhealthy, not an exception"
    assert main([]) == 2


@pytest.mark.parametrize("server_kind", ["health", "metrics"])
def test_a_port_in_use_is_a_clear_error_that_names_the_setting(
    health: Health, server_kind: str
) -> None:
    import socket

    from prometheus_client import CollectorRegistry

    from pipeline.core.errors import ConfigError
    from pipeline.core.metrics import serve_metrics

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError) as error:
            if server_kind == "health":
                serve_health(health, port)
            else:
                serve_metrics(port, registry=CollectorRegistry())
    setting = "NEWSWIRE_HEALTH_PORT" if server_kind == "health" else "NEWSWIRE_METRICS_PORT"
    assert f"127.0.0.1:{port}" in str(error.value) and setting in str(error.value)
