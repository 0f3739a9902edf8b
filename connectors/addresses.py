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


# Not globally routable although `is_global` says so, or forms that embed an IPv4 address.
_DENIED: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",  # shared address space (carrier-grade NAT, cloud metadata services)
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "2001::/23",  # IETF protocol assignments, Teredo
        "2001:db8::/32",  # documentation
        "64:ff9b:1::/48",  # local-use NAT64
    )
)
_6TO4 = ipaddress.ip_network("2002::/16")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries: mapped, compatible, 6to4 or NAT64."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _V4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable, with no forbidden IPv4 address inside an IPv6 form."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
        if address in _6TO4:
            return False
    if any(address in network for network in _DENIED):
        return False
    return address.is_global and not address.is_multicast


class AddressPolicy:
    def __init__(self, allow: Iterable[IPNetwork] = ()) -> None:
        self.allow = tuple(allow)

    def permits(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
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
