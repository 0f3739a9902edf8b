"""The naive baselines every tagging figure is printed beside."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pipeline.tagging.registry import Company, default_companies

KEYWORD_PER_TOPIC = {
    "ai-investment": {"de": "KI", "en": "AI"},
    "earnings": {"de": "Quartal", "en": "quarter"},
    "subscription-plans": {"de": "Abo", "en": "subscription"},
    "mergers-acquisitions": {"de": "Übernahme", "en": "acquisition"},
    "layoffs": {"de": "Stellen", "en": "jobs"},
    "legal-regulatory": {"de": "Klage", "en": "lawsuit"},
    "stock-moves": {"de": "Aktie", "en": "shares"},
}
VADER_THRESHOLD = 0.05


def exact_name_companies(text: str, companies: tuple[Company, ...] | None = None) -> set[str]:
    """Companies whose name or an alias occurs verbatim: no brands, no rules, no context."""
    found = set()
    for company in companies or default_companies():
        if any(name in text for name in (company.name, *company.aliases)):
            found.add(company.id)
    return found


def one_keyword_topics(text: str, language: str) -> set[str]:
    found = set()
    for topic, keywords in KEYWORD_PER_TOPIC.items():
        keyword = keywords.get(language, keywords["en"])
        if re.search(rf"\b{re.escape(keyword)}\b", text, re.IGNORECASE):
            found.add(topic)
    return found


@cache
def vader() -> Callable[[str], float] | None:
    """Plain VADER's compound score, or None when vaderSentiment is not installed."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: float(analyzer.polarity_scores(text)["compound"])


def vader_label(text: str) -> str | None:
    score_of = vader()
    if score_of is None:
        return None
    score = score_of(text)
    if score >= VADER_THRESHOLD:
        return "positive"
    return "negative" if score <= -VADER_THRESHOLD else "neutral"
