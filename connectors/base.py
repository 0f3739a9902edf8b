"""What every source produces, and the protocol each source kind follows.

A source is a document newswire polls (a feed, a sitemap, a listing page, a URL list); its
kind's parser turns the fetched document into entries, each pointing at an article page. The
runner does everything else the same way for every kind: conditional requests, scheduling,
politeness, dedup, state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from connectors.http import Response


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the feed catalogue."""

    id: str
    kind: str
    url: str
    language: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """What a source says about one article before its page is fetched."""

    source_id: str
    entry_id: str
    link: str
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    updated: str | None = None  # when the source says the article last changed


@dataclass(frozen=True)
class Parsed:
    """A source document's entries, its own hint for the next poll, and documents to follow
    (the child sitemaps of a sitemap index)."""

    entries: list[FeedEntry]
    ttl_minutes: float | None = None
    follow: list[str] = field(default_factory=list)


class SourceParser(Protocol):
    accept_types: frozenset[str]

    def parse(self, spec: SourceSpec, document: Response) -> Parsed: ...
