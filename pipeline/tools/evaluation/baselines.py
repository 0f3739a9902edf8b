"""The naive baselines every tagging figure is printed beside."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import ahocorasick

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
    automaton = _names(companies or default_companies())
    return {company_id for _, ids in automaton.iter(text) for company_id in ids}


_AUTOMATA: dict[int, tuple[tuple[Company, ...], Any]] = {}


def _names(companies: tuple[Company, ...]) -> Any:
    """One automaton over every name and alias (a scan per company is slow at registry scale),
    kept per registry object: hashing 30,000 companies on every call would cost as much."""
    kept = _AUTOMATA.get(id(companies))
    if kept is None or kept[0] is not companies:
        kept = _AUTOMATA[id(companies)] = (companies, _automaton(companies))
    return kept[1]


def _automaton(companies: tuple[Company, ...]) -> Any:
    by_name: dict[str, set[str]] = {}
    for company in companies:
        for name in (company.name, *company.aliases):
            by_name.setdefault(name, set()).add(company.id)
    automaton = ahocorasick.Automaton()
    for name, ids in by_name.items():
        automaton.add_word(name, frozenset(ids))
    automaton.make_automaton()
    return automaton


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
