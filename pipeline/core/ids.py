"""Deterministic identifiers: the same input always gives the same id."""

from __future__ import annotations

import hashlib


def stable_id(prefix: str, *parts: str) -> str:
    """A short, stable id such as `raw-3f2a...`, from the parts joined without ambiguity."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:32]}"


def content_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()
