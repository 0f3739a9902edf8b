"""The default tagger: companies, topics and sentiment from the registry, the taxonomy and the
learned sentiment model (the lexicon's scores among its features); without a model, sentiment
comes from the lexicon alone (the baseline `newswire eval tagging` prints beside it).

The title and the body are analysed as one text (title, newline, body), cut into sentences and
words once; company offsets in the output are offsets in the body.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.company import CompanyMatcher, Mention
from pipeline.tagging.company_subject import company_sentiment
from pipeline.tagging.model_sentiment import ArticleScores, analyse, sentiment_of
from pipeline.tagging.patterns import Tokens, tokenize
from pipeline.tagging.registry import DATA_DIR, default_companies
from pipeline.tagging.sentiment import Sentiment, SentimentScorer, default_sentiment_scorer
from pipeline.tagging.sentiment_model import SentimentModel, default_sentiment_model
from pipeline.tagging.text import Sentence, split_sentences
from pipeline.tagging.topic import TopicMatch, TopicTagger, default_topic_tagger

LEAD_CHARS = 400
# The data each part of the default tagger loads: its version is a hash of their contents.
DATA_FILES = {
    "companies": (
        "companies.yaml",
        "companies_generated.json.gz",
        "companies_private.yaml",
        "company_parents.yaml",
        "company_names.yaml",
        "alias_denylist.yaml",
        "traps.yaml",
        "first_names.txt",
    ),
    "topics": ("topics.yaml", "topic_model.json"),
    "sentiment": ("sentiment.yaml", "news_events.yaml"),
}
VERSION_CHARS = 16


def content_version(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:VERSION_CHARS]


def versions_of(model: SentimentModel | None) -> dict[str, str]:
    """The versions of a tagger built from the data files: the registry, taxonomy (with the
    topic model) and lexicon data and the code (the modules of this package), each as a content
    hash, and the learned sentiment model's version (a hash of its files; absent for the
    lexicon tagger). Any change gives a new version, so `newswire replay` re-tags under it and
    subscribers get new events that supersede the old."""
    versions = {
        part: content_version([DATA_DIR / name for name in names])
        for part, names in DATA_FILES.items()
    }
    versions["code"] = content_version(sorted(Path(__file__).parent.glob("*.py")))
    if model is not None:
        versions["sentiment_model"] = model.version
    return versions


@dataclass(frozen=True)
class Parsed:
    """An article cut once: the joined text, where the body starts, sentences, words, company
    mentions and the lexicon's score of each sentence."""

    text: str
    shift: int
    language: str
    sentences: list[Sentence]
    tokens: Tokens
    mentions: list[Mention]
    scores: list[float]


class DefaultTagger:
    def __init__(
        self,
        companies: CompanyMatcher,
        topics: TopicTagger,
        sentiment: SentimentScorer,
        model: SentimentModel | None = None,
        versions: Mapping[str, str] | None = None,
    ) -> None:
        self.companies = companies
        self.topics = topics
        self.sentiment = sentiment
        self.model = model
        self._versions = dict(versions) if versions is not None else None

    def versions(self) -> dict[str, str]:
        """What made this tagger's output, part by part (the enriched events' tagger_versions):
        the given ones, else `versions_of(model)`, computed once."""
        if self._versions is None:
            self._versions = versions_of(self.model)
        return dict(self._versions)

    def parse(self, article: TaggingInput) -> Parsed:
        title = (article.title or "").replace("\n", " ")
        shift = len(title) + 1 if title else 0
        text = f"{title}\n{article.text}" if title else article.text
        sentences = split_sentences(text)
        tokens = tokenize(text)
        mentions = self.companies.find(text, sentences)
        names = [(m.start, m.end) for m in mentions]
        scores = self.sentiment.score_sentences(tokens, sentences, article.language, names)
        return Parsed(text, shift, article.language, sentences, tokens, mentions, scores)

    def tag(self, article: TaggingInput) -> dict[str, Any]:
        parsed = self.parse(article)
        document, companies = self._lexicon_sentiment(parsed)
        if self.model is not None and parsed.sentences:  # no text: no evidence, neutral
            scores = self.article_scores(parsed, document, companies)
            document = sentiment_of(*self.model.document(scores.document))
            companies = {
                c: company_sentiment(self.model, f, document) for c, f in scores.companies.items()
            }
        return {
            "companies": self._companies(parsed, companies),
            "topics": [t.as_dict() for t in self.topics_of(parsed)],
            "sentiment": document.as_dict(),
        }

    def topics_of(self, parsed: Parsed) -> list[TopicMatch]:
        """The article's topics, with the companies found as evidence of company news."""
        names = [(m.start, m.end) for m in parsed.mentions]
        return self.topics.tag(
            parsed.text,
            parsed.language,
            parsed.sentences,
            tokens=parsed.tokens,
            title_end=parsed.shift,
            companies=names,
        )

    def article_scores(
        self, parsed: Parsed, document: Sentiment, companies: dict[str, Sentiment]
    ) -> ArticleScores:
        """The learned model's document-level inputs (`scripts/train_sentiment.py` fits the
        document model on them)."""
        if self.model is None:
            raise ValueError("this tagger has no sentiment model")
        return analyse(
            self.model,
            parsed.tokens,
            parsed.sentences,
            [(m.company_id, m.start, m.end) for m in parsed.mentions],
            parsed.scores,
            parsed.shift,
            parsed.language,
            (document.score, {c: s.score for c, s in companies.items()}),
        )

    def _lexicon_sentiment(self, parsed: Parsed) -> tuple[Sentiment, dict[str, Sentiment]]:
        sentences, shift = parsed.sentences, parsed.shift
        in_title = [s for s in sentences if s.start < shift]
        title_score = self._title_score(in_title, parsed.scores, sentences)
        body = [
            (s, score)
            for s, score in zip(sentences, parsed.scores, strict=True)
            if s.start >= shift
        ]
        starts = [sentence.start for sentence, _ in body]
        companies: dict[str, Sentiment] = {}
        for company_id, found in self._by_company(parsed.mentions).items():
            in_body = [m for m in found if m.start >= shift]
            named_in_title = len(in_body) < len(found)
            naming = {
                index
                for m in in_body
                if (index := bisect_right(starts, m.start) - 1) >= 0
                and m.start < body[index][0].end
            }
            own = [body[index][1] for index in sorted(naming)]
            companies[company_id] = self.sentiment.document(
                title_score if named_in_title else 0.0, own
            )
        document = self.sentiment.document(title_score, [score for _, score in body])
        return document, companies

    @staticmethod
    def _by_company(mentions: list[Mention]) -> dict[str, list[Mention]]:
        by_company: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_company[mention.company_id].append(mention)
        return by_company

    @staticmethod
    def _title_score(
        in_title: list[Sentence], scores: Sequence[float], sentences: Sequence[Sentence]
    ) -> float:
        values = [scores[sentences.index(s)] for s in in_title]
        return sum(values) / len(values) if values else 0.0

    def _companies(self, parsed: Parsed, sentiments: dict[str, Sentiment]) -> list[dict[str, Any]]:
        shift = parsed.shift
        total = len(parsed.mentions) or 1
        result = []
        for company_id, found in self._by_company(parsed.mentions).items():
            company = self.companies.companies[company_id]
            in_body = [m for m in found if m.start >= shift]
            result.append(
                {
                    **company.public(),
                    "mentions": {
                        "count": len(found),
                        "offsets": [[m.start - shift, m.end - shift] for m in in_body],
                        "aliases": sorted({m.alias for m in found}),
                    },
                    "salience": {
                        "in_title": len(in_body) < len(found),
                        "in_lead": any(m.start - shift < LEAD_CHARS for m in in_body),
                        "share": round(len(found) / total, 3),
                    },
                    "sentiment": sentiments[company_id].as_dict(),
                }
            )
        result.sort(key=lambda c: (-c["salience"]["in_title"], -c["mentions"]["count"], c["id"]))
        return result


@cache
def lexicon_tagger() -> DefaultTagger:
    """The tagger with the lexicon's sentiment: the baseline of the learned model."""
    return DefaultTagger(
        CompanyMatcher(default_companies()), default_topic_tagger(), default_sentiment_scorer()
    )


@cache
def default_tagger() -> DefaultTagger:
    base = lexicon_tagger()
    return DefaultTagger(base.companies, base.topics, base.sentiment, default_sentiment_model())


@cache
def default_versions() -> dict[str, str]:
    """The default tagger's versions (what `pipeline.tagging.loader.tagger_versions` gives)."""
    return default_tagger().versions()
