"""The default tagger: companies, topics and sentiment from the registry, taxonomy and lexicon."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.company import CompanyMatcher, Mention
from pipeline.tagging.registry import default_companies
from pipeline.tagging.sentiment import SentimentScorer, default_sentiment_scorer
from pipeline.tagging.text import Sentence, split_sentences
from pipeline.tagging.topic import TopicTagger, default_topic_tagger

LEAD_CHARS = 400


class DefaultTagger:
    def __init__(
        self, companies: CompanyMatcher, topics: TopicTagger, sentiment: SentimentScorer
    ) -> None:
        self.companies = companies
        self.topics = topics
        self.sentiment = sentiment

    def tag(self, article: TaggingInput) -> dict[str, Any]:
        title = article.title or ""
        sentences = split_sentences(article.text)
        title_sentences = split_sentences(title)
        lexicon = self.sentiment.lexicon(article.language)
        title_score = lexicon.score_sentence(title) if title else 0.0
        scores = self.sentiment.score_sentences(sentences, article.language)
        body_mentions = self.companies.find(article.text, sentences)
        title_mentions = self.companies.find(title, title_sentences) if title else []
        topic_text = f"{title}\n{article.text}" if title else article.text
        topic_sentences = split_sentences(topic_text)
        return {
            "companies": self._companies(
                body_mentions, title_mentions, sentences, scores, title_score
            ),
            "topics": [
                t.as_dict() for t in self.topics.tag(topic_text, article.language, topic_sentences)
            ],
            "sentiment": self.sentiment.document(title_score, scores).as_dict(),
        }

    def _companies(
        self,
        body: list[Mention],
        title: list[Mention],
        sentences: Sequence[Sentence],
        scores: Sequence[float],
        title_score: float,
    ) -> list[dict[str, Any]]:
        by_company: dict[str, list[Mention]] = defaultdict(list)
        for mention in body:
            by_company[mention.company_id].append(mention)
        in_title = {m.company_id for m in title}
        for company_id in in_title:
            by_company.setdefault(company_id, [])
        total = len(body) + len(title) or 1
        result = []
        for company_id, mentions in by_company.items():
            company = self.companies.companies[company_id]
            count = len(mentions) + sum(1 for m in title if m.company_id == company_id)
            own_scores = _scores_of(mentions, sentences, scores)
            result.append(
                {
                    **company.public(),
                    "mentions": {
                        "count": count,
                        "offsets": [[m.start, m.end] for m in mentions],
                        "aliases": sorted(
                            {m.alias for m in mentions}
                            | {m.alias for m in title if m.company_id == company_id}
                        ),
                    },
                    "salience": {
                        "in_title": company_id in in_title,
                        "in_lead": any(m.start < LEAD_CHARS for m in mentions),
                        "share": round(count / total, 3),
                    },
                    "sentiment": self.sentiment.document(
                        title_score if company_id in in_title else 0.0, own_scores
                    ).as_dict(),
                }
            )
        result.sort(key=lambda c: (-c["salience"]["in_title"], -c["mentions"]["count"], c["id"]))
        return result


def _scores_of(
    mentions: list[Mention], sentences: Sequence[Sentence], scores: Sequence[float]
) -> list[float]:
    picked = []
    for index, sentence in enumerate(sentences):
        if any(sentence.start <= m.start < sentence.end for m in mentions):
            picked.append(scores[index])
    return picked


@cache
def default_tagger() -> DefaultTagger:
    return DefaultTagger(
        CompanyMatcher(default_companies()), default_topic_tagger(), default_sentiment_scorer()
    )
