"""What every source produces: feed entries, fetched pages and the protocol sources follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the feed catalogue."""

    id: str
    kind: str
    url: str
    language: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """What a feed says about one article before its page is fetched."""

    source_id: str
    entry_id: str
    link: str
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None


@dataclass(frozen=True)
class FetchedDocument:
    """A page fetched over HTTP, decoded to text."""

    url: str
    final_url: str
    status: int
    content_type: str
    text: str
    byte_count: int
    fetched_at: str
    headers: dict[str, str] = field(default_factory=dict)


class Source(Protocol):
    """A source lists the entries it currently offers."""

    spec: SourceSpec

    def discover(self) -> list[FeedEntry]: ...
