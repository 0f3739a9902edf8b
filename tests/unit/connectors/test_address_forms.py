"""Forbidden address forms (symptom 8 of issue 13): shared space, 6to4, NAT64, mapped v4."""

from __future__ import annotations

import ipaddress

import pytest

from connectors.addresses import AddressPolicy, is_public, parse_networks

FORBIDDEN = [
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "100.100.100.200",  # a cloud metadata address inside 100.64.0.0/10
    "169.254.169.254",
    "10.0.0.1",
    "127.0.0.1",
    "0.0.0.0",
    "192.0.0.8",
    "198.18.0.1",  # benchmarking
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "2002:7f00:0001::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:6440:0001::",  # 6to4 of 100.64.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::6440:1",  # NAT64 of 100.64.0.1
    "64:ff9b:1::a00:1",  # local-use NAT64 prefix
    "2001:db8::1",  # documentation
    "2001::1",  # Teredo
    "ff02::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001::200e"]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_forbidden_forms(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_allow_list_still_admits_a_named_network() -> None:
    policy = AddressPolicy(parse_networks("100.64.0.0/10"))
    assert policy.permits(ipaddress.ip_address("100.64.3.4"))
    assert not policy.permits(ipaddress.ip_address("2002:6440:0001::"))
