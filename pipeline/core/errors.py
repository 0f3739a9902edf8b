"""One exception tree for newswire, and the closed set of failure reasons (`Failure`).

`retriable` says whether trying again may help."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum


class NewswireError(Exception):
    """Base of every error newswire raises on purpose."""

    retriable: bool = False


class ConfigError(NewswireError):
    """A setting or a data file is invalid; the message names what and where."""


class PortInUse(ConfigError):
    """A server of newswire (metrics, health probes) could not listen on its port."""

    def __init__(self, what: str, host: str, port: int, setting: str, cause: OSError) -> None:
        super().__init__(
            f"{what} cannot listen on {host}:{port} ({cause.strerror or cause}): another "
            f"process has that port; choose another with {setting}, or 0 to turn it off"
        )


class BrokerError(NewswireError):
    """The Kafka broker could not be started or reached."""

    retriable = True


class FetchError(NewswireError):
    """A document could not be fetched over HTTP."""

    retriable = True


class FeedError(NewswireError):
    """A feed could not be parsed."""


class ExtractionError(NewswireError):
    """A page could not be turned into a clean article."""


class Failure(StrEnum):
    """Why something failed: a closed set, used as metric label, in logs and in dead letters.

    Each reason says whether trying again may help; the connector runner retries a page only
    for a retriable reason, and the dead letter's `retriable` is the reason's."""

    # fetching a document
    NETWORK = "network"
    TIMEOUT = "timeout"
    HTTP_403 = "http_403"
    HTTP_429 = "http_429"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_ENCODING = "bad_encoding"
    FORBIDDEN_ADDRESS = "forbidden_address"
    ROBOTS = "robots"
    TOO_LARGE = "too_large"
    BAD_URL = "bad_url"
    BINARY_BODY = "binary_body"  # labelled as text, but binary
    PAUSED = "paused"  # the host asked for a pause (Retry-After): put off, not failed
    STOPPED = "stopped"  # the connectors are stopping
    SEND_FAILED = "send_failed"  # the broker did not take the event
    # a source as a whole
    MALFORMED = "malformed"
    UNREACHABLE = "unreachable"
    # the worker's stages
    UNDECODABLE = "undecodable"
    NOT_EXTRACTABLE = "not_extractable"
    CRASHED = "crashed"  # an unexpected exception (a bug): kept, never lost
    POOL_DIED = "pool_died"  # the process running the page died
    ERROR = "error"

    @property
    def retriable(self) -> bool:
        return self not in _PERMANENT


_PERMANENT = frozenset(
    {
        Failure.FORBIDDEN_ADDRESS,
        Failure.ROBOTS,
        Failure.TOO_LARGE,
        Failure.BAD_URL,
        Failure.BINARY_BODY,
        Failure.TOO_MANY_REDIRECTS,
        Failure.MALFORMED,
        Failure.UNDECODABLE,
        Failure.NOT_EXTRACTABLE,
        Failure.CRASHED,
    }
)


def failure_of(error: BaseException) -> Failure:
    """The reason an error carries, else one by its kind."""
    named = getattr(error, "failure", None)
    if isinstance(named, Failure):
        return named
    if isinstance(error, BrokenProcessPool):
        return Failure.POOL_DIED
    if isinstance(error, FeedError):
        return Failure.MALFORMED
    if isinstance(error, ExtractionError):
        return Failure.NOT_EXTRACTABLE
    if isinstance(error, FetchError):
        return Failure.UNREACHABLE
    if isinstance(error, (ValueError, UnicodeDecodeError)):
        return Failure.UNDECODABLE
    return Failure.CRASHED
