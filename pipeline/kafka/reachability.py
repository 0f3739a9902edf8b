"""Is the broker there? One clear line, a bounded wait with back-off, then a clear error.

Kafka clients met with an unreachable broker log a connection error every few hundred
milliseconds for 30 s and then raise with a long traceback. Commands ask here first: a TCP
connection to any bootstrap address is enough to go on; the clients report anything else.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable

from pipeline.core.errors import BrokerError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 1.0
MAX_BACKOFF_S = 5.0


class BrokerUnreachable(BrokerError):
    """No bootstrap address of the broker accepts connections."""


def addresses(bootstrap: str) -> list[tuple[str, int]]:
    found = []
    for item in bootstrap.split(","):
        host, _, port = item.strip().rpartition(":")
        if host and port.isdigit():
            found.append((host.strip("[]"), int(port)))
    return found


def first_refusal(bootstrap: str) -> str | None:
    """None if some bootstrap address accepts a connection, else why the last one did not."""
    reason = f"no usable address in {bootstrap!r}"
    for host, port in addresses(bootstrap):
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
                return None
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
    return reason


def wait_for_broker(
    bootstrap: str,
    wait_s: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Return once the broker accepts connections; after `wait_s` raise BrokerUnreachable."""
    reason = first_refusal(bootstrap)
    if reason is None:
        return
    deadline = clock() + wait_s
    log.warning(
        "broker %s not reachable (%s); retrying for up to %.0fs (NEWSWIRE_BROKER_WAIT_S)",
        bootstrap,
        reason,
        wait_s,
    )
    delay = 0.5
    while clock() < deadline:
        sleep(min(delay, max(0.0, deadline - clock())))
        reason = first_refusal(bootstrap)
        if reason is None:
            log.info("broker %s reachable", bootstrap)
            return
        delay = min(delay * 2, MAX_BACKOFF_S)
    raise BrokerUnreachable(
        f"broker {bootstrap} not reachable after {wait_s:.0f}s ({reason}). Is `newswire up` "
        "or `newswire broker` running? Set NEWSWIRE_BOOTSTRAP_SERVERS for another broker."
    )
