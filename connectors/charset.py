"""Bytes to text, surviving wrong or missing charset declarations."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode_body(body: bytes, declared: str | None) -> str:
    """Valid UTF-8 is almost never an accident, so it is tried first; then the charset the
    document declares itself, then the header's; then charset-normalizer's guess."""
    if not body:
        return ""
    for charset in ("utf-8", _sniff_charset(body), declared):
        if not charset:
            continue
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    guess = from_bytes(body[:200_000]).best()
    if guess is not None:
        return body.decode(guess.encoding, errors="replace")
    return body.decode("cp1252", errors="replace")


def _sniff_charset(body: bytes) -> str | None:
    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None
