"""Typed views of the events a subscriber reads: news.enriched.v1 and news.company.v1.

Each class is built from the decoded JSON (`from_dict`) and keeps it (`data`), so fields added
later in a compatible schema change stay reachable before this library knows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipeline.core.events import company_record_id


def parse_time(value: str | None) -> datetime | None:
    """`2026-11-25T09:30:00Z` as an aware UTC datetime; None stays None."""
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def required_time(data: Mapping[str, Any], name: str) -> datetime:
    value = parse_time(data.get(name))
    if value is None:
        raise ValueError(f"{name} is missing")
    return value


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str
    score: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sentiment:
        return cls(str(data["label"]), float(data["score"]))


@dataclass(frozen=True, slots=True)
class Mentions:
    count: int
    offsets: tuple[tuple[int, int], ...]
    aliases: tuple[str, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mentions:
        return cls(
            int(data["count"]),
            tuple((int(start), int(end)) for start, end in data["offsets"]),
            tuple(data["aliases"]),
        )


@dataclass(frozen=True, slots=True)
class Salience:
    in_title: bool
    in_lead: bool
    share: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Salience:
        return cls(bool(data["in_title"]), bool(data["in_lead"]), float(data["share"]))


@dataclass(frozen=True, slots=True)
class CompanyId:
    """A company's identifiers (`exchange` is an ISO 10383 MIC, `parent` the id of the listed
    parent of a separately listed subsidiary); `extra` holds any a later registry adds."""

    id: str
    name: str
    ticker: str | None
    isin: str | None
    exchange: str | None = None
    lei: str | None = None
    wikidata: str | None = None
    parent: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], skip: tuple[str, ...] = ()) -> CompanyId:
        typed = ("ticker", "isin", "exchange", "lei", "wikidata", "parent")
        known = ("id", "name", *typed, *skip)
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            extra={k: v for k, v in data.items() if k not in known},
            **{name: data.get(name) for name in typed},
        )


@dataclass(frozen=True, slots=True)
class CompanyMention:
    """One company in an enriched article."""

    company: CompanyId
    mentions: Mentions
    salience: Salience
    sentiment: Sentiment

    @property
    def id(self) -> str:
        return self.company.id

    @property
    def ticker(self) -> str | None:
        return self.company.ticker

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompanyMention:
        return cls(
            CompanyId.from_dict(data, skip=("mentions", "salience", "sentiment")),
            Mentions.from_dict(data["mentions"]),
            Salience.from_dict(data["salience"]),
            Sentiment.from_dict(data["sentiment"]),
        )


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    score: float
    evidence: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Topic:
        return cls(str(data["id"]), float(data["score"]), tuple(data.get("evidence") or ()))


@dataclass(frozen=True, slots=True)
class EnrichedEvent:
    """An article from news.enriched.v1 (or a news.topic.*.v1 routing topic)."""

    event_id: str
    raw_event_id: str
    source_id: str
    url: str
    title: str | None
    text: str
    language: str
    published: datetime | None
    companies: tuple[CompanyMention, ...]
    topics: tuple[Topic, ...]
    sentiment: Sentiment
    fetched_at: datetime
    enriched_at: datetime
    partial: bool = False
    revision: int = 1
    previous_event_id: str | None = None
    duplicate_of: str | None = None
    supersedes: str | None = None
    tagger_versions: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def replaces(self) -> tuple[str, ...]:
        """The events of the same article this one replaces: the one it re-tags
        (`supersedes`) and the previous revision of the URL (`previous_event_id`)."""
        return tuple(i for i in (self.supersedes, self.previous_event_id) if i)

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)

    def company(self, company_id: str) -> CompanyMention | None:
        return next((c for c in self.companies if c.id == company_id), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EnrichedEvent:
        return cls(
            event_id=str(data["event_id"]),
            raw_event_id=str(data["raw_event_id"]),
            source_id=str(data["source_id"]),
            url=str(data["url"]),
            title=data.get("title"),
            text=str(data["text"]),
            language=str(data["language"]),
            published=parse_time(data.get("published")),
            companies=tuple(CompanyMention.from_dict(c) for c in data["companies"]),
            topics=tuple(Topic.from_dict(t) for t in data["topics"]),
            sentiment=Sentiment.from_dict(data["sentiment"]),
            fetched_at=required_time(data, "fetched_at"),
            enriched_at=required_time(data, "enriched_at"),
            partial=bool(data.get("partial", False)),
            revision=int(data.get("revision") or 1),
            previous_event_id=data.get("previous_event_id"),
            duplicate_of=data.get("duplicate_of"),
            supersedes=data.get("supersedes"),
            tagger_versions=dict(data.get("tagger_versions") or {}),
            data=data,
        )


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The article a company record comes from."""

    event_id: str
    source_id: str
    url: str
    title: str | None
    language: str
    published: datetime | None
    topics: tuple[Topic, ...]
    sentiment: Sentiment
    revision: int = 1
    previous_event_id: str | None = None
    duplicate_of: str | None = None
    supersedes: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleRef:
        return cls(
            event_id=str(data["event_id"]),
            source_id=str(data["source_id"]),
            url=str(data["url"]),
            title=data.get("title"),
            language=str(data["language"]),
            published=parse_time(data.get("published")),
            topics=tuple(Topic.from_dict(t) for t in data["topics"]),
            sentiment=Sentiment.from_dict(data["sentiment"]),
            revision=int(data.get("revision") or 1),
            previous_event_id=data.get("previous_event_id"),
            duplicate_of=data.get("duplicate_of"),
            supersedes=data.get("supersedes"),
        )


@dataclass(frozen=True, slots=True)
class CompanyRecord:
    """One company in one article, from news.company.v1 (keyed by the company id)."""

    event_id: str
    company: CompanyId
    mentions: Mentions
    salience: Salience
    sentiment: Sentiment
    article: ArticleRef
    enriched_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def replaces(self) -> tuple[str, ...]:
        """This company's records for the article events this article replaces."""
        return tuple(
            company_record_id(article, self.company.id)
            for article in (self.article.supersedes, self.article.previous_event_id)
            if article
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompanyRecord:
        return cls(
            event_id=str(data["event_id"]),
            company=CompanyId.from_dict(data["company"]),
            mentions=Mentions.from_dict(data["mentions"]),
            salience=Salience.from_dict(data["salience"]),
            sentiment=Sentiment.from_dict(data["sentiment"]),
            article=ArticleRef.from_dict(data["article"]),
            enriched_at=required_time(data, "enriched_at"),
            data=data,
        )


Event = EnrichedEvent | CompanyRecord
