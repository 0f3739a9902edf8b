"""The default tagger: companies, topics and sentiment from the registry, taxonomy and lexicon.

The title and the body are analysed as one text (title, newline, body), cut into sentences and
words once; company offsets in the output are offsets in the body.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.company import CompanyMatcher, Mention
from pipeline.tagging.patterns import tokenize
from pipeline.tagging.registry import DATA_DIR, default_companies
from pipeline.tagging.sentiment import SentimentScorer, default_sentiment_scorer
from pipeline.tagging.text import Sentence, split_sentences
from pipeline.tagging.topic import TopicTagger, default_topic_tagger

LEAD_CHARS = 400
# The data each part of the default tagger loads: its version is a hash of their contents.
DATA_FILES = {
    "companies": (
        "companies.yaml",
        "companies_generated.json.gz",
        "companies_private.yaml",
        "company_parents.yaml",
        "alias_denylist.yaml",
        "traps.yaml",
        "first_names.txt",
    ),
    "topics": ("topics.yaml", "topic_model.json"),
    "sentiment": ("sentiment.yaml",),
}
VERSION_CHARS = 16


def content_version(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:VERSION_CHARS]


@cache
def default_versions() -> dict[str, str]:
    """The default tagger's versions: its registry, taxonomy and lexicon data, and its code
    (the modules of this package), each as a content hash. Any change gives a new version, so
    `newswire replay` re-tags under it and subscribers get new events that supersede the old."""
    versions = {
        part: content_version([DATA_DIR / name for name in names])
        for part, names in DATA_FILES.items()
    }
    versions["code"] = content_version(sorted(Path(__file__).parent.glob("*.py")))
    return versions


class DefaultTagger:
    def __init__(
        self,
        companies: CompanyMatcher,
        topics: TopicTagger,
        sentiment: SentimentScorer,
        versions: Mapping[str, str] | None = None,
    ) -> None:
        self.companies = companies
        self.topics = topics
        self.sentiment = sentiment
        self._versions = dict(versions or {"tagger": "custom"})

    def versions(self) -> dict[str, str]:
        """What made this tagger's output, part by part (the enriched events' tagger_versions)."""
        return dict(self._versions)

    def tag(self, article: TaggingInput) -> dict[str, Any]:
        title = (article.title or "").replace("\n", " ")
        shift = len(title) + 1 if title else 0
        text = f"{title}\n{article.text}" if title else article.text
        sentences = split_sentences(text)
        tokens = tokenize(text)
        mentions = self.companies.find(text, sentences)
        names = [(m.start, m.end) for m in mentions]
        scores = self.sentiment.score_sentences(tokens, sentences, article.language, names)
        in_title = [s for s in sentences if s.start < shift]
        title_score = self._title_score(in_title, scores, sentences)
        body = [(s, score) for s, score in zip(sentences, scores, strict=True) if s.start >= shift]
        return {
            "companies": self._companies(mentions, shift, body, title_score),
            "topics": [
                t.as_dict()
                for t in self.topics.tag(
                    text,
                    article.language,
                    sentences,
                    tokens=tokens,
                    title_end=shift,
                    companies=names,
                )
            ],
            "sentiment": self.sentiment.document(
                title_score, [score for _, score in body]
            ).as_dict(),
        }

    @staticmethod
    def _title_score(
        in_title: list[Sentence], scores: Sequence[float], sentences: Sequence[Sentence]
    ) -> float:
        values = [scores[sentences.index(s)] for s in in_title]
        return sum(values) / len(values) if values else 0.0

    def _companies(
        self,
        mentions: list[Mention],
        shift: int,
        body: list[tuple[Sentence, float]],
        title_score: float,
    ) -> list[dict[str, Any]]:
        by_company: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_company[mention.company_id].append(mention)
        total = len(mentions) or 1
        result = []
        for company_id, found in by_company.items():
            company = self.companies.companies[company_id]
            in_body = [m for m in found if m.start >= shift]
            in_title = len(in_body) < len(found)
            own = [
                score
                for sentence, score in body
                if any(sentence.start <= m.start < sentence.end for m in in_body)
            ]
            result.append(
                {
                    **company.public(),
                    "mentions": {
                        "count": len(found),
                        "offsets": [[m.start - shift, m.end - shift] for m in in_body],
                        "aliases": sorted({m.alias for m in found}),
                    },
                    "salience": {
                        "in_title": in_title,
                        "in_lead": any(m.start - shift < LEAD_CHARS for m in in_body),
                        "share": round(len(found) / total, 3),
                    },
                    "sentiment": self.sentiment.document(
                        title_score if in_title else 0.0, own
                    ).as_dict(),
                }
            )
        result.sort(key=lambda c: (-c["salience"]["in_title"], -c["mentions"]["count"], c["id"]))
        return result


@cache
def default_tagger() -> DefaultTagger:
    return DefaultTagger(
        CompanyMatcher(default_companies()),
        default_topic_tagger(),
        default_sentiment_scorer(),
        default_versions(),
    )
