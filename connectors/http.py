"""The one HTTP client every fetch goes through.

Each hop of a request (redirects included) resolves the host, refuses internal addresses that
the allow-list does not name, and connects to exactly the address it checked. Connect, read and
total timeouts; the body is capped while streaming, before and after decompression; a limited
number of redirects; conditional requests with ETag and Last-Modified; charset repair.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import brotli
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from connectors.addresses import AddressPolicy
from connectors.charset import decode_body, looks_binary
from connectors.deadline import DeadlineWatch, watched_pool_manager
from connectors.politeness import Interrupted
from pipeline.core.clock import now_iso, utc_now
from pipeline.core.errors import Failure, FetchError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
    }
)
_CHUNK = 64 * 1024
_DISCARD_LIMIT = 256 * 1024  # a redirect or skipped body beyond this closes the connection
ACCEPT_ENCODING = "gzip, deflate, br"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchFailure(FetchError):
    """A fetch that failed for a reason of the closed set `Failure` (retriable or not)."""

    def __init__(self, failure: Failure, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.failure = failure
        self.reason = failure.value
        self.retriable = failure.retriable
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class HttpLimits:
    """Built from the settings (connectors/assembly.py), which hold the defaults."""

    connect_timeout_s: float
    read_timeout_s: float
    total_timeout_s: float
    max_bytes: int
    max_redirects: int
    max_retry_after_s: float
    user_agent: str


@dataclass(frozen=True)
class Response:
    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    text: str
    fetched_at: str
    headers: dict[str, str] = field(default_factory=dict)
    skipped: bool = False

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def byte_count(self) -> int:
        return len(self.body)


class HttpClient:
    """Thread-safe; one instance serves every fetch of a process."""

    def __init__(self, limits: HttpLimits, policy: AddressPolicy | None = None) -> None:
        self.limits = limits
        self.policy = policy or AddressPolicy()
        self._pools = watched_pool_manager(num_pools=64, maxsize=4, retries=False)
        self.watch = DeadlineWatch()

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept_types: frozenset[str] | None = None,
    ) -> Response:
        """GET with redirects. With `accept_types`, a body of another type is not downloaded:
        the response comes back `skipped` with an empty body."""
        deadline = time.monotonic() + self.limits.total_timeout_s
        headers = {"User-Agent": self.limits.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self.watch.guard(deadline) as guard:
            try:
                response = self._follow(url, headers, deadline, accept_types)
            except FetchFailure as failure:
                if guard.stopped:
                    raise Interrupted(f"stopped while fetching {url}") from failure
                if guard.expired and failure.failure is not Failure.TIMEOUT:
                    raise self._timed_out(url) from failure
                raise
            if guard.stopped:
                raise Interrupted(f"stopped while fetching {url}")
            if guard.expired:  # the watchdog cut the socket: what was read is truncated
                raise self._timed_out(url)
            return response

    def _follow(
        self,
        url: str,
        headers: dict[str, str],
        deadline: float,
        accept_types: frozenset[str] | None,
    ) -> Response:
        current = url
        visited = {url}
        for _ in range(self.limits.max_redirects + 1):
            response = self._open(current, headers, deadline)
            complete = False
            try:
                if response.status in _REDIRECTS and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    complete = _discard_body(response)
                    if current in visited:
                        raise FetchFailure(Failure.TOO_MANY_REDIRECTS, f"redirect loop from {url}")
                    visited.add(current)
                    continue
                result = self._finish(url, current, response, deadline, accept_types)
                complete = not result.skipped or _discard_body(response)
                return result
            finally:
                if not complete:  # half-read: never back into the pool
                    response.close()
                response.release_conn()
        raise FetchFailure(
            Failure.TOO_MANY_REDIRECTS,
            f"more than {self.limits.max_redirects} redirects from {url}",
        )

    def _timed_out(self, url: str) -> FetchFailure:
        return FetchFailure(
            Failure.TIMEOUT, f"{url} not complete within {self.limits.total_timeout_s}s"
        )

    def _open(self, url: str, headers: dict[str, str], deadline: float) -> urllib3.BaseHTTPResponse:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchFailure(Failure.BAD_URL, f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self.policy.resolve(parts.hostname, port)
        remaining = max(0.1, deadline - time.monotonic())
        timeout = urllib3.Timeout(
            connect=min(self.limits.connect_timeout_s, remaining),
            read=min(self.limits.read_timeout_s, remaining),
        )
        pool_kwargs: dict[str, object] = {}
        if parts.scheme == "https":
            pool_kwargs = {"server_hostname": parts.hostname, "assert_hostname": parts.hostname}
        pool = self._pools.connection_from_host(
            address, port, parts.scheme, pool_kwargs=pool_kwargs
        )
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        host_header = f"{host}:{parts.port}" if parts.port else host
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            return pool.urlopen(
                "GET",
                path,
                headers={**headers, "Host": host_header},
                redirect=False,
                retries=False,
                timeout=timeout,
                preload_content=False,
                decode_content=False,
            )
        except NewConnectionError as exc:  # a subclass of the timeout error: check it first
            raise FetchFailure(Failure.NETWORK, f"cannot connect to {url}: {exc}") from exc
        except Urllib3Timeout as exc:
            raise FetchFailure(Failure.TIMEOUT, f"timed out fetching {url}") from exc
        except (Urllib3Error, OSError) as exc:
            raise FetchFailure(Failure.NETWORK, f"cannot fetch {url}: {exc}") from exc

    def _finish(
        self,
        url: str,
        final_url: str,
        response: urllib3.BaseHTTPResponse,
        deadline: float,
        accept_types: frozenset[str] | None,
    ) -> Response:
        status = response.status
        message = Message()
        for name, value in response.headers.items():
            message[name] = value
        content_type = message.get_content_type() if message.get("Content-Type") else ""
        headers = {k.lower(): v for k, v in response.headers.items()}
        if status >= 400:
            raise _status_failure(url, status, headers, self.limits.max_retry_after_s)
        skipped = status == 304 or bool(accept_types and content_type not in accept_types)
        body = b"" if skipped else self._read(response, deadline, headers)
        text = decode_body(body, message.get_content_charset())
        if content_type in HTML_TYPES and looks_binary(text):
            raise FetchFailure(
                Failure.BINARY_BODY, f"{url} is labelled {content_type} but is binary"
            )
        return Response(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            body=body,
            text=text,
            fetched_at=now_iso(),
            headers=headers,
            skipped=skipped,
        )

    def _read(
        self, response: urllib3.BaseHTTPResponse, deadline: float, headers: dict[str, str]
    ) -> bytes:
        encoding = headers.get("content-encoding", "").strip().lower()
        decompressor = _decompressor(encoding)
        chunks: list[bytes] = []
        raw_total = body_total = 0
        try:
            while chunk := response.read1(_CHUNK):
                if time.monotonic() > deadline:
                    raise FetchFailure(
                        Failure.TIMEOUT, f"body not complete within {self.limits.total_timeout_s}s"
                    )
                raw_total += len(chunk)
                if decompressor is not None:
                    chunk = decompressor.decompress(chunk, self.limits.max_bytes + 1 - body_total)
                    if not decompressor.can_take_more:
                        raise self._too_large()
                body_total += len(chunk)
                if raw_total > self.limits.max_bytes or body_total > self.limits.max_bytes:
                    raise self._too_large()
                chunks.append(chunk)
        except (zlib.error, brotli.error) as exc:
            raise FetchFailure(Failure.BAD_ENCODING, f"corrupt {encoding} body: {exc}") from exc
        except Urllib3Timeout as exc:
            raise FetchFailure(Failure.TIMEOUT, "timed out reading the body") from exc
        except (Urllib3Error, OSError) as exc:
            raise FetchFailure(Failure.NETWORK, f"body read failed: {exc}") from exc
        announced = headers.get("content-length", "")
        if announced.isdigit() and raw_total < int(announced):
            raise FetchFailure(
                Failure.NETWORK, f"body ended after {raw_total} of {announced} bytes"
            )
        return b"".join(chunks)

    def _too_large(self) -> FetchFailure:
        return FetchFailure(Failure.TOO_LARGE, f"body larger than {self.limits.max_bytes} bytes")


def _discard_body(response: urllib3.BaseHTTPResponse) -> bool:
    """Read and drop a small unwanted body (a redirect's, a skipped page's) so the connection
    can serve the next request; False when it is too large or broken (close it instead)."""
    total = 0
    try:
        while chunk := response.read1(_CHUNK):
            total += len(chunk)
            if total > _DISCARD_LIMIT:
                return False
    except (Urllib3Error, OSError):
        return False
    return True


class _Decompressor(Protocol):
    def decompress(self, data: bytes, max_length: int) -> bytes: ...

    @property
    def can_take_more(self) -> bool: ...


class _Zlib:
    def __init__(self) -> None:
        self._inner = zlib.decompressobj(zlib.MAX_WBITS | 32)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return self._inner.decompress(data, max(1, max_length))

    @property
    def can_take_more(self) -> bool:
        return not self._inner.unconsumed_tail


class _Brotli:
    def __init__(self) -> None:
        self._inner = brotli.Decompressor()

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return bytes(self._inner.process(data, output_buffer_limit=max(1, max_length)))

    @property
    def can_take_more(self) -> bool:
        return bool(self._inner.can_accept_more_data())


def _decompressor(encoding: str) -> _Decompressor | None:
    if encoding in {"gzip", "x-gzip", "deflate"}:
        return _Zlib()
    if encoding == "br":
        return _Brotli()
    if encoding in {"", "identity"}:
        return None
    raise FetchFailure(Failure.BAD_ENCODING, f"unsupported content encoding {encoding!r}")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - utc_now()).total_seconds())
    except (TypeError, ValueError):
        return None


def _status_failure(
    url: str, status: int, headers: dict[str, str], max_retry_after_s: float
) -> FetchFailure:
    retry_after = retry_after_seconds(headers.get("retry-after")) if status in {429, 503} else None
    if retry_after is not None:
        retry_after = min(retry_after, max_retry_after_s)
    if status in {403, 429}:
        failure = Failure(f"http_{status}")
    elif status >= 500:
        failure = Failure.HTTP_5XX
    else:
        failure = Failure.HTTP_4XX
    return FetchFailure(failure, f"HTTP {status} for {url}", retry_after)
