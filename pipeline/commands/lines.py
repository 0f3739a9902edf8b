"""Shared by `tag` and `extract`: JSON lines in, JSON lines out, one per input, in order."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TextIO

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def map_json_lines(source: TextIO, sink: TextIO, handler: Handler) -> int:
    """Apply `handler` to each input object. A bad line gives `{"id", "error"}` and exit 1."""
    failed = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        item_id: Any = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            item_id = item.get("id")
            result = handler(item)
        except Exception as exc:  # report and go on: one bad line must not stop the rest
            failed += 1
            log.warning("line %d: %s", number, exc)
            result = {"error": f"{type(exc).__name__}: {exc}"}
        if item_id is not None:
            result = {"id": item_id, **result}
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
        sink.flush()
    return 1 if failed else 0
