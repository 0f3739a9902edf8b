"""The real-news labelled set: real pages from ../shared/data, labelled blind, scored by id.

The labels live in the repository (`tests/eval/real_news.yaml`); the texts do not (they are
publishers' content): each article names its dataset and file, and its text is rebuilt here from
the data folder, with a SHA-256 of the text the labeller read, so that a drift is seen.

Gold companies are labelled by name and a hint (country, ticker, ISIN), never by registry id, so
that the labels do not depend on the registry they measure. They are resolved to registry ids
here: by ISIN, then by a name or alias that only one company has, then by ticker among the
companies that share the name. A notable company the registry does not know stays as
`unlinked:<name>` and counts as a miss; a company labelled not notable is neither a hit nor a
false hit.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.errors import ConfigError
from pipeline.tagging.registry import Company
from pipeline.tools.evaluation.metrics import Counts, accuracy, company_figures, macro_f1

TEXT_LIMIT = 6000
SENTIMENTS = frozenset({"positive", "negative", "neutral"})
_LEGAL_WORDS = re.compile(
    r"\b(inc|corp|corporation|co|company|ltd|plc|ag|se|gmbh|kgaa|sa|nv|spa|group|gruppe"
    r"|holdings?|limited|llc|the)\b\.?"
)
_ISIN = re.compile(r"\b([A-Z]{2}[A-Z0-9]{9}\d)\b")
_TICKER = re.compile(r"[A-Z]+:([A-Z0-9.\-]+)")


@dataclass(frozen=True)
class GoldCompany:
    name: str
    hint: str
    sentiment: str
    notable: bool


@dataclass(frozen=True)
class RealNewsArticle:
    id: str
    source: str
    file: str
    lang: str
    split: str
    text_sha256: str
    companies: tuple[GoldCompany, ...]
    topics: frozenset[str]
    sentiment: str
    title: str = ""
    text: str = ""


def clip(body: str) -> str:
    """The first TEXT_LIMIT characters, cut at a paragraph end when one is past half of it."""
    if len(body) <= TEXT_LIMIT:
        return body
    cut = body.rfind("\n", 0, TEXT_LIMIT)
    return body[: cut if cut > TEXT_LIMIT // 2 else TEXT_LIMIT]


def text_sha256(title: str, body: str) -> str:
    return hashlib.sha256(joined(title, body).encode("utf-8")).hexdigest()


def joined(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title else body


def load_labels(path: Path) -> list[RealNewsArticle]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"real-news labels {path} cannot be read: {exc}") from exc
    return [_article(entry, f"{path}: {i}") for i, entry in enumerate(document["articles"])]


def with_texts(
    articles: Iterable[RealNewsArticle], data: Path
) -> tuple[list[RealNewsArticle], int]:
    """The articles with their texts rebuilt from `data`, and how many texts drifted."""
    rebuilt, drifted = [], 0
    for article in articles:
        title, body = page_text(data, article.source, article.file)
        drifted += text_sha256(title, body) != article.text_sha256
        rebuilt.append(_replace_text(article, title, body))
    return rebuilt, drifted


def page_text(data: Path, source: str, file: str) -> tuple[str, str]:
    """(title, body) of one page as the labeller read it."""
    if source == "fundus-news":
        row = _fundus_index(data)[file]
        return row["title"], clip(row["body"])
    if source == "scrapinghub":
        return "", clip(_zyte_truth(data)[file]["articleBody"])
    if source == "trafilatura-eval":
        return "", clip(_extracted(data, file))
    raise ConfigError(f"unknown real-news source {source!r}")


class Resolver:
    """Gold company names to registry ids (see the module docstring)."""

    def __init__(self, companies: Iterable[Company]) -> None:
        self.by_isin: dict[str, str] = {}
        self.by_ticker: dict[str, set[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        for c in companies:
            if c.isin:
                self.by_isin[c.isin] = c.id
            if c.ticker:
                self.by_ticker.setdefault(_bare_ticker(c.ticker), set()).add(c.id)
            for name in {c.name, *c.aliases, *c.brands}:
                self.by_name.setdefault(normalised(name), set()).add(c.id)

    def resolve(self, company: GoldCompany) -> str | None:
        isin = _ISIN.search(company.hint)
        if isin and isin.group(1) in self.by_isin:
            return self.by_isin[isin.group(1)]
        named = self.by_name.get(normalised(company.name), set())
        if len(named) == 1:
            return next(iter(named))
        ticker = _TICKER.search(company.hint)
        if ticker:
            listed = self.by_ticker.get(_bare_ticker(ticker.group(1)), set())
            both = listed & named if named else listed
            if len(both) == 1:
                return next(iter(both))
        return min(named) if named else None


def normalised(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    return re.sub(r"[^\w]+", " ", _LEGAL_WORDS.sub(" ", folded)).strip()


@dataclass
class RealNewsReport:
    """One system's figures on one part of the real-news set."""

    system: str
    part: str
    articles: int = 0
    companies: Counts = field(default_factory=Counts)
    per_topic: dict[str, Counts] = field(default_factory=dict)
    sentiment_gold: list[str] = field(default_factory=list)
    sentiment_predicted: list[str] = field(default_factory=list)
    company_sentiment_gold: list[str] = field(default_factory=list)
    company_sentiment_predicted: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        found = [
            (g, p)
            for g, p in zip(
                self.company_sentiment_gold, self.company_sentiment_predicted, strict=True
            )
            if p != "missed"
        ]
        return {
            "system": self.system,
            "part": self.part,
            "articles": self.articles,
            **company_figures(self.companies),
            "topic_macro_f1": round(macro_f1(self.per_topic), 3),
            "topic_support": sum(c.support for c in self.per_topic.values()),
            "sentiment_accuracy": round(accuracy(self.sentiment_gold, self.sentiment_predicted), 3),
            "company_sentiment_accuracy": round(
                accuracy(self.company_sentiment_gold, self.company_sentiment_predicted), 3
            ),
            "company_sentiment_accuracy_found": round(
                accuracy([g for g, _ in found], [p for _, p in found]), 3
            ),
        }


Tag = Callable[[RealNewsArticle], dict[str, Any]]


def evaluate(
    articles: list[RealNewsArticle],
    tag: Tag,
    resolver: Resolver,
    system: str,
    part: str,
    topics: Iterable[str],
) -> RealNewsReport:
    report = RealNewsReport(system, part, per_topic={t: Counts() for t in topics})
    for article in articles:
        _score_one(report, article, tag(article), resolver)
    return report


def _score_one(
    report: RealNewsReport, article: RealNewsArticle, output: dict[str, Any], resolver: Resolver
) -> None:
    predicted = {c["id"]: c for c in output["companies"]}
    gold: dict[str, GoldCompany] = {}
    ignored: set[str] = set()
    for company in article.companies:
        company_id = resolver.resolve(company)
        if not company.notable:
            ignored |= {company_id} if company_id else set()
        else:
            gold[company_id or f"unlinked:{company.name}"] = company
    report.articles += 1
    report.companies.add(set(gold), set(predicted) - (ignored - set(gold)))
    for company_id, company in gold.items():
        report.company_sentiment_gold.append(company.sentiment)
        found = predicted.get(company_id)
        report.company_sentiment_predicted.append(
            found["sentiment"]["label"] if found else "missed"
        )
    topics = {t["id"] for t in output["topics"]}
    for label, counts in report.per_topic.items():
        counts.add(set(article.topics) & {label}, topics & {label})
    report.sentiment_gold.append(article.sentiment)
    report.sentiment_predicted.append(output["sentiment"]["label"])


def _article(entry: Any, where: str) -> RealNewsArticle:
    try:
        companies = tuple(
            GoldCompany(c["name"], str(c.get("hint") or ""), c["sentiment"], bool(c["notable"]))
            for c in entry["companies"]
        )
        article = RealNewsArticle(
            id=entry["id"],
            source=entry["source"],
            file=entry["file"],
            lang=entry["lang"],
            split=entry["split"],
            text_sha256=entry["text_sha256"],
            companies=companies,
            topics=frozenset(entry["topics"]),
            sentiment=entry["sentiment"],
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: malformed real-news label ({exc!r})") from exc
    wrong = {c.sentiment for c in companies} | {article.sentiment}
    if not wrong <= SENTIMENTS or article.split not in {"dev", "heldout"}:
        raise ConfigError(f"{where} ({article.id}): sentiment or split out of range")
    return article


def _replace_text(article: RealNewsArticle, title: str, body: str) -> RealNewsArticle:
    fields = {**article.__dict__, "title": title, "text": body}
    return RealNewsArticle(**fields)


def _bare_ticker(ticker: str) -> str:
    return ticker.split(".")[0].split(":")[-1].upper()


@cache
def _fundus_index(data: Path) -> dict[str, dict[str, Any]]:
    lines = (data / "fundus-news" / "index.jsonl").read_text(encoding="utf-8").splitlines()
    rows = (json.loads(line) for line in lines if line.strip())
    return {row["file"]: row for row in rows if row.get("body")}


@cache
def _zyte_truth(data: Path) -> dict[str, dict[str, Any]]:
    path = data / "scrapinghub-article-extraction-benchmark" / "ground-truth.json"
    truth: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return truth


def _extracted(data: Path, file: str) -> str:
    import trafilatura  # a tool, not the runtime: the pages of this set have no full truth

    root = data / "trafilatura-eval" / "tests"
    path = next(p for p in (root / "eval" / file, root / "cache" / file) if p.exists())
    raw = path.read_bytes()
    html = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")
    return trafilatura.extract(html, include_comments=False, deduplicate=True) or ""


def newswire_tag(tagger: Any) -> Tag:
    from pipeline.tagging.base import TaggingInput

    return lambda a: tagger.tag(TaggingInput(a.text, a.title or None, a.lang))


def baseline_tag(companies: tuple[Any, ...]) -> Tag:
    from pipeline.tools.evaluation.baselines import (
        exact_name_companies,
        one_keyword_topics,
        vader_label,
    )

    def tag(article: RealNewsArticle) -> dict[str, Any]:
        text = joined(article.title, article.text)
        label = vader_label(text) or "n/a"
        return {
            "companies": [
                {"id": i, "sentiment": {"label": label}}
                for i in exact_name_companies(text, companies)
            ],
            "topics": [{"id": t} for t in one_keyword_topics(text, article.lang)],
            "sentiment": {"label": label},
        }

    return tag


def real_news_reports(
    labels: Path, data: Path, systems: dict[str, Tag], resolver: Resolver, topics: Iterable[str]
) -> tuple[list[RealNewsReport], int]:
    """Every system on the dev part, the held-out part (when labelled) and all; and the drift."""
    articles, drifted = with_texts(load_labels(labels), data)
    parts = {
        "dev": [a for a in articles if a.split == "dev"],
        "heldout": [a for a in articles if a.split == "heldout"],
    }
    if parts["heldout"]:
        parts["all"] = articles
    reports = [
        evaluate(subset, tag, resolver, system, part, topics)
        for part, subset in parts.items()
        if subset
        for system, tag in systems.items()
    ]
    return reports, drifted
