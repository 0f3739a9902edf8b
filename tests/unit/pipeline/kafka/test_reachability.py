"""The broker wait: back-off between tries, bounded, and an error that says what to do."""

from __future__ import annotations

import socket

import pytest

from pipeline.kafka.embedded import free_port
from pipeline.kafka.reachability import BrokerUnreachable, addresses, first_refusal, wait_for_broker


def test_bootstrap_addresses_are_parsed() -> None:
    assert addresses("a:9092, b:19092,[::1]:9093,bad") == [
        ("a", 9092),
        ("b", 19092),
        ("::1", 9093),
    ]


def test_a_listening_port_is_reachable() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert first_refusal(f"127.0.0.1:{server.getsockname()[1]}") is None


def test_the_wait_backs_off_and_gives_up_with_a_clear_error() -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    with pytest.raises(BrokerUnreachable, match=r"not reachable after 10s.*newswire up"):
        wait_for_broker(f"127.0.0.1:{free_port()}", 10, sleep=sleep, clock=lambda: now[0])
    assert sleeps[:4] == [0.5, 1.0, 2.0, 4.0]
    assert sum(sleeps) == pytest.approx(10.0)
