"""The one HTTP client every fetch goes through: timeouts, size caps, redirects, charsets."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message

from connectors.base import FetchedDocument
from pipeline.clock import now_iso
from pipeline.errors import FetchError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HttpLimits:
    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "newswire/0.1"


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, max_redirects: int) -> None:
        self.max_redirections = max_redirects
        self.max_repeats = 2


class HttpClient:
    """Fetches one URL at a time; raises FetchError with the reason on every failure."""

    def __init__(self, limits: HttpLimits) -> None:
        self.limits = limits
        self._opener = urllib.request.build_opener(_LimitedRedirects(limits.max_redirects))

    def get(self, url: str) -> FetchedDocument:
        request = urllib.request.Request(
            url,
            headers={"User-Agent": self.limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        try:
            with self._opener.open(request, timeout=self.limits.timeout_s) as response:
                raw = self._read_capped(response)
                headers: Message = response.headers
                status = response.status
                final_url = response.geturl()
        except urllib.error.HTTPError as exc:
            raise FetchError(f"HTTP {exc.code} for {url}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FetchError(f"cannot fetch {url}: {exc}") from exc
        body = self._decompress(raw, headers.get("Content-Encoding", ""))
        content_type = headers.get_content_type()
        return FetchedDocument(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            text=decode_body(body, headers.get_content_charset()),
            byte_count=len(body),
            fetched_at=now_iso(),
            headers={k.lower(): v for k, v in headers.items()},
        )

    def _read_capped(self, response: urllib.response.addinfourl) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while chunk := response.read(_CHUNK):
            total += len(chunk)
            if total > self.limits.max_bytes:
                raise FetchError(f"body larger than {self.limits.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _decompress(self, raw: bytes, encoding: str) -> bytes:
        encoding = encoding.strip().lower()
        if encoding not in {"gzip", "deflate"}:
            return raw
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        try:
            body = decompressor.decompress(raw, self.limits.max_bytes + 1)
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise FetchError(f"corrupt {encoding} body: {exc}") from exc
        if len(body) > self.limits.max_bytes or decompressor.unconsumed_tail:
            raise FetchError(f"decompressed body larger than {self.limits.max_bytes} bytes")
        return body


def decode_body(body: bytes, declared: str | None) -> str:
    """Decode bytes to text, surviving wrong headers.

    Valid UTF-8 is almost never an accident, so it is tried first; then the charset the
    document declares itself, then the header's, then cp1252 (which accepts nearly anything).
    """
    candidates = ["utf-8", _sniff_charset(body), declared, "cp1252"]
    for charset in candidates:
        if not charset:
            continue
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def _sniff_charset(body: bytes) -> str | None:
    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None
