"""The one interface every tagger follows, so a model-based tagger can replace the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class TaggingInput:
    text: str
    title: str | None = None
    language: str = "und"


class ArticleTagger(Protocol):
    """Returns `companies`, `topics` and `sentiment` in the enriched event's shape."""

    def tag(self, article: TaggingInput) -> dict[str, Any]: ...
