"""Which articles a subscriber wants: by company, topic, sentiment, language and salience."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.client.models import CompanyMention, EnrichedEvent

SENTIMENTS = ("positive", "negative", "neutral")


@dataclass(frozen=True)
class ArticleFilter:
    """Every condition given must hold. The company conditions (`min_salience`, and
    `sentiment` when companies are named) hold for one company of the article:

    - `company_ids`: the article names one of them;
    - `topic_ids`: it has one of these topics;
    - `sentiment`: that company's sentiment when `company_ids` are given, else the article's;
    - `language`: the article's language;
    - `min_salience`: that company's share of the company mentions is at least this.
    """

    company_ids: frozenset[str] = frozenset()
    topic_ids: frozenset[str] = frozenset()
    sentiment: str | None = None
    language: str | None = None
    min_salience: float | None = None

    def __post_init__(self) -> None:
        if self.sentiment is not None and self.sentiment not in SENTIMENTS:
            raise ValueError(f"sentiment is one of {', '.join(SENTIMENTS)}, not {self.sentiment!r}")
        if self.min_salience is not None and not 0 <= self.min_salience <= 1:
            raise ValueError(f"min_salience is between 0 and 1, not {self.min_salience}")

    def matches(self, event: EnrichedEvent) -> bool:
        if self.language and event.language != self.language:
            return False
        if self.topic_ids and not self.topic_ids & set(event.topic_ids):
            return False
        if self.sentiment and not self.company_ids and event.sentiment.label != self.sentiment:
            return False
        if not self.company_ids and self.min_salience is None:
            return True
        return any(self._company_matches(c) for c in event.companies)

    def _company_matches(self, company: CompanyMention) -> bool:
        if self.company_ids and company.id not in self.company_ids:
            return False
        if self.min_salience is not None and company.salience.share < self.min_salience:
            return False
        return not (self.company_ids and self.sentiment) or company.sentiment.label == (
            self.sentiment
        )
