"""Ports for the servers newswire starts itself come from below the ephemeral range, so no
client connection takes one between the look and the listen."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pipeline.kafka import embedded
from pipeline.kafka.embedded import LISTEN_PORTS, free_port


def test_a_run_of_free_ports_below_the_ephemeral_range() -> None:
    low, high = (int(p) for p in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    base = free_port(count=3)
    assert base in LISTEN_PORTS and base + 2 in LISTEN_PORTS
    assert not low <= base <= high
    servers = [socket.socket() for _ in range(3)]
    try:
        for offset, server in enumerate(servers):
            server.bind(("127.0.0.1", base + offset))
    finally:
        for server in servers:
            server.close()


def test_a_run_with_a_taken_port_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken_port = taken.getsockname()[1]
        tries = iter([taken_port - 1, taken_port + 5])
        monkeypatch.setattr(embedded.random, "randrange", lambda *_: next(tries))
        assert free_port(count=2) == taken_port + 5
