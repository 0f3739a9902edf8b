"""The wire format: UTF-8 JSON objects, no class metadata (orjson: several times faster)."""

from __future__ import annotations

from typing import Any

import orjson


def encode(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event)


def decode(payload: bytes | str) -> dict[str, Any]:
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value
