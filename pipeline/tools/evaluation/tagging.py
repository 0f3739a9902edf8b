"""Score the taggers on the project's labelled articles, beside naive baselines."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.errors import ConfigError
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import DefaultTagger, default_tagger
from pipeline.tools.evaluation.baselines import (
    exact_name_companies,
    one_keyword_topics,
    vader_label,
)
from pipeline.tools.evaluation.metrics import (
    Counts,
    accuracy,
    company_figures,
    label_macro_f1,
    macro_f1,
    per_label,
)

# Batches written and labelled after a round of tuning, held out as a whole (article numbers).
HELD_OUT_BATCHES = {
    "batch2": (81, 100),  # after the first tuning
    "batch5": (140, 159),  # after the fourth dev batch
    "batch7": (180, 199),  # after the sixth dev batch
    "batch10": (250, 269),  # after the ninth dev batch
    "batch11": (270, 289),  # after the tuning that followed batch 10
    "batch13": (310, 329),  # longer articles, before the tuning on batch 12
}
TOPICS = (
    "ai-investment",
    "earnings",
    "subscription-plans",
    "mergers-acquisitions",
    "layoffs",
    "legal-regulatory",
    "stock-moves",
)


@dataclass(frozen=True)
class Labelled:
    id: str
    lang: str
    title: str
    text: str
    companies: frozenset[str]
    topics: frozenset[str]
    sentiment: str

    @property
    def number(self) -> int:
        return int(self.id.rsplit("-", 1)[1])

    @property
    def holdout(self) -> bool:
        """Every fourth article, and the whole held-out batches (each written after tuning)."""
        return self.number % 4 == 0 or self.batch is not None

    @property
    def batch(self) -> str | None:
        """The held-out batch the article belongs to, if any."""
        for name, (first, last) in HELD_OUT_BATCHES.items():
            if first <= self.number <= last:
                return name
        return None


@dataclass
class Report:
    """One system's figures on one part of the labelled set."""

    system: str
    part: str
    articles: int
    companies: Counts
    per_company: dict[str, Counts]
    per_topic: dict[str, Counts]
    sentiment_gold: list[str] = field(default_factory=list)
    sentiment_predicted: list[str] = field(default_factory=list)
    ms_per_article: float = 0.0

    @property
    def topic_macro_f1(self) -> float:
        return macro_f1(self.per_topic)

    @property
    def sentiment_accuracy(self) -> float:
        return accuracy(self.sentiment_gold, self.sentiment_predicted)

    @property
    def sentiment_macro_f1(self) -> float:
        return label_macro_f1(self.sentiment_gold, self.sentiment_predicted)

    def summary(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "part": self.part,
            "articles": self.articles,
            **company_figures(self.companies),
            "topic_macro_f1": round(self.topic_macro_f1, 3),
            "sentiment_accuracy": round(self.sentiment_accuracy, 3),
            "sentiment_macro_f1": round(self.sentiment_macro_f1, 3),
            "ms_per_article": round(self.ms_per_article, 3),
        }


def load_labelled(path: Path) -> list[Labelled]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"labelled set {path} cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"labelled set {path} is not valid YAML: {exc}") from exc
    return [
        Labelled(
            a["id"],
            a["lang"],
            a["title"],
            a["text"],
            frozenset(a["companies"]),
            frozenset(a["topics"]),
            a["sentiment"],
        )
        for a in document["articles"]
    ]


def evaluate_newswire(
    articles: list[Labelled],
    part: str,
    tagger: DefaultTagger | None = None,
    system: str = "newswire",
) -> Report:
    tagger = tagger or default_tagger()
    started = time.perf_counter()
    outputs = [tagger.tag(TaggingInput(a.text, a.title, a.lang)) for a in articles]
    elapsed = (time.perf_counter() - started) * 1000 / max(1, len(articles))
    companies = [{c["id"] for c in o["companies"]} for o in outputs]
    topics = [{t["id"] for t in o["topics"]} for o in outputs]
    sentiment = [o["sentiment"]["label"] for o in outputs]
    return _report(system, part, articles, companies, topics, sentiment, elapsed)


def evaluate_baseline(articles: list[Labelled], part: str) -> Report:
    started = time.perf_counter()
    companies = [exact_name_companies(f"{a.title}\n{a.text}") for a in articles]
    topics = [one_keyword_topics(f"{a.title}\n{a.text}", a.lang) for a in articles]
    sentiment = [vader_label(f"{a.title}. {a.text}") or "n/a" for a in articles]
    elapsed = (time.perf_counter() - started) * 1000 / max(1, len(articles))
    return _report("naive baseline", part, articles, companies, topics, sentiment, elapsed)


def _report(
    system: str,
    part: str,
    articles: list[Labelled],
    companies: list[set[str]],
    topics: list[set[str]],
    sentiment: list[str],
    elapsed_ms: float,
) -> Report:
    totals = Counts()
    for article, found in zip(articles, companies, strict=True):
        totals.add(set(article.companies), found)
    labels = sorted({c for a in articles for c in a.companies} | {c for f in companies for c in f})
    return Report(
        system,
        part,
        len(articles),
        totals,
        per_label(
            ((set(a.companies), f) for a, f in zip(articles, companies, strict=True)), labels
        ),
        per_label(((set(a.topics), f) for a, f in zip(articles, topics, strict=True)), TOPICS),
        [a.sentiment for a in articles],
        sentiment,
        elapsed_ms,
    )


def parts(articles: list[Labelled]) -> dict[str, list[Labelled]]:
    return {
        "dev": [a for a in articles if not a.holdout],
        "holdout": [a for a in articles if a.holdout],
        **{name: [a for a in articles if a.batch == name] for name in HELD_OUT_BATCHES},
        "all": articles,
    }
