"""ArticleFilter (pipeline.client) and the registry look-up `tail --company` uses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.client import EnrichedEvent
from pipeline.client.filters import ArticleFilter
from pipeline.tagging.registry import find_companies
from tests.conftest import SCHEMAS


def article(**changes: Any) -> EnrichedEvent:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    data.update(changes)
    return EnrichedEvent.from_dict(data)


# The example: Amazon (share 0.789, neutral), Alphabet (0.105, neutral), OpenAI; German;
# article sentiment neutral; topics earnings, ai-investment, stock-moves, subscription-plans.
EXAMPLE = article()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (ArticleFilter(), True),
        (ArticleFilter(company_ids=frozenset({"amazon"})), True),
        (ArticleFilter(company_ids=frozenset({"sap"})), False),
        (ArticleFilter(topic_ids=frozenset({"layoffs", "earnings"})), True),
        (ArticleFilter(topic_ids=frozenset({"layoffs"})), False),
        (ArticleFilter(language="de"), True),
        (ArticleFilter(language="en"), False),
        (ArticleFilter(sentiment="neutral"), True),
        (ArticleFilter(sentiment="negative"), False),
        (ArticleFilter(min_salience=0.5), True),
        (ArticleFilter(min_salience=0.9), False),
        (ArticleFilter(company_ids=frozenset({"alphabet"}), min_salience=0.5), False),
        (ArticleFilter(company_ids=frozenset({"amazon"}), min_salience=0.5), True),
    ],
)
def test_each_condition_filters(rule: ArticleFilter, expected: bool) -> None:
    assert rule.matches(EXAMPLE) is expected


def test_sentiment_with_a_company_is_that_companys() -> None:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    data["companies"][1]["sentiment"] = {"label": "negative", "score": -0.4}
    event = EnrichedEvent.from_dict(data)
    assert ArticleFilter(company_ids=frozenset({"alphabet"}), sentiment="negative").matches(event)
    assert not ArticleFilter(company_ids=frozenset({"amazon"}), sentiment="negative").matches(event)
    assert not ArticleFilter(sentiment="negative").matches(event), "the article is neutral"


def test_bad_filter_values_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="sentiment is one of"):
        ArticleFilter(sentiment="bullish")
    with pytest.raises(ValueError, match="between 0 and 1"):
        ArticleFilter(min_salience=3)


@pytest.mark.parametrize(
    ("query", "company_id"),
    [
        ("Siemens Energy", "siemens-energy"),
        ("siemens energy", "siemens-energy"),
        ("ENR", "siemens-energy"),
        ("AWS", "amazon"),
        ("US0231351067", "amazon"),
        ("Amazon.com, Inc.", "amazon"),
        ("alphabet", "alphabet"),
    ],
)
def test_a_company_is_found_by_any_of_its_names(query: str, company_id: str) -> None:
    assert company_id in [c.id for c in find_companies(query)]


def test_an_unknown_company_finds_nothing() -> None:
    assert find_companies("Ganz Sicher Keine Firma AG") == []
    assert find_companies("  ") == []
