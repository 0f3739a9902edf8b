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


_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\ufffd", "\x7f"}
BINARY_SHARE = 0.05


def looks_binary(text: str, sample_chars: int = 20_000) -> bool:
    """Binary data decoded as text: NUL bytes, or more than 5 % control or replacement
    characters in a sample from the start and the middle."""
    if not text:
        return False
    sample = text[:sample_chars] + text[len(text) // 2 : len(text) // 2 + sample_chars]
    if "\0" in sample:
        return True
    return sum(1 for ch in sample if ch in _CONTROL) > BINARY_SHARE * len(sample)
