"""Address safety: resolve a host and refuse internal addresses unless an allow-list names them."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from pipeline.core.errors import Failure, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ForbiddenAddress(FetchError):
    """The host resolves to an address newswire must not fetch from."""

    failure = Failure.FORBIDDEN_ADDRESS
    reason = failure.value
    retriable = failure.retriable


def parse_networks(spec: str) -> tuple[IPNetwork, ...]:
    """`127.0.0.1/32,10.1.0.0/16` → networks; an empty string allows nothing extra."""
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in spec.split(",")
            if part.strip()
        )
    except ValueError as exc:
        raise ValueError(f"not a list of CIDR networks: {spec!r} ({exc})") from exc


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return is_public(address.ipv4_mapped)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


class AddressPolicy:
    def __init__(self, allow: Iterable[IPNetwork] = ()) -> None:
        self.allow = tuple(allow)

    def permits(self, address: IPAddress) -> bool:
        return is_public(address) or any(address in network for network in self.allow)

    def resolve(self, host: str, port: int) -> str:
        """The first permitted address of host; ForbiddenAddress if any address is forbidden."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        forbidden = [a for a in addresses if not self.permits(a)]
        if forbidden or not addresses:
            raise ForbiddenAddress(
                f"{host} resolves to forbidden address {forbidden[0]}"
                if forbidden
                else f"{host} has no address"
            )
        return str(addresses[0])
