"""The article-level features of the document and per-company sentiment models."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.sentiment_document import (
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
    company_features,
    document_features,
)
from pipeline.tagging.tagger import default_tagger

NEUTRAL = [0.1, 0.8, 0.1]
NEGATIVE = [0.9, 0.05, 0.05]
POSITIVE = [0.05, 0.05, 0.9]


def _named(values: tuple[float, ...]) -> dict[str, float]:
    names = [
        "negative_share",
        "positive_share",
        "title_negative",
        "title_positive",
        "lead_negative",
        "lead_positive",
        "negative_words",
        "positive_words",
        "plain_negative",
        "plain_positive",
        "length",
    ]
    assert len(values) == DOCUMENT_FEATURES
    return dict(zip(names, values[TONE_FEATURES:], strict=True))


def test_event_words_of_headline_lead_and_text_are_read_apart() -> None:
    title = np.asarray([NEUTRAL])
    body = np.asarray([NEUTRAL, NEGATIVE, NEUTRAL, NEUTRAL])
    events = np.asarray([[1, 0], [0, 0], [2, 0], [0, 0], [0, 1]])
    named = _named(document_features(title, body, 0.0, events))
    assert named["negative_share"] == pytest.approx(2 / 5)
    assert named["positive_share"] == pytest.approx(1 / 5)
    assert (named["title_negative"], named["title_positive"]) == (1.0, 0.0)
    assert named["lead_negative"] == pytest.approx(2 / 3), "the three body sentences after it"
    assert named["lead_positive"] == 0.0, "the fourth body sentence is past the lead"
    assert named["negative_words"] == pytest.approx(np.log1p(3))
    assert named["plain_negative"] == pytest.approx(1 / 5)
    assert named["plain_positive"] == 0.0
    assert named["length"] == pytest.approx(np.log1p(5))


def test_an_empty_article_has_neutral_features() -> None:
    none = np.zeros((0, 3))
    features = document_features(none, none, 0.0, np.zeros((0, 2)))
    assert len(features) == DOCUMENT_FEATURES
    assert features[2] == 1.0, "all neutral"
    assert sum(abs(v) for i, v in enumerate(features) if i != 2) == 0.0


def test_a_company_named_in_the_headline_says_so() -> None:
    row = np.asarray([POSITIVE])
    in_title = company_features(row, np.zeros((0, 3)), 0.2, 3, 0.75)
    in_body = company_features(np.zeros((0, 3)), row, 0.2, 1, 0.25)
    assert len(in_title) == len(in_body) == COMPANY_FEATURES
    assert in_title[TONE_FEATURES:] == pytest.approx((1.0, np.log1p(3), 0.75))
    assert in_body[TONE_FEATURES:] == pytest.approx((0.0, np.log1p(1), 0.25))
    assert in_title[0] == in_body[0] > 0.8, "the same tone either way"


@pytest.mark.parametrize(
    ("title", "text", "language", "expected"),
    [
        (
            "Three killed in knife attack at station",
            "Three people were killed and five injured in a knife attack. Police arrested a "
            "suspect after the attack. The victims' families are in shock.",
            "en",
            "negative",
        ),
        (
            "Tote bei Terroranschlag in der Innenstadt",
            "Bei einem Anschlag sind am Abend mehrere Menschen getötet und verletzt worden. "
            "Die Polizei nahm einen Verdächtigen fest.",
            "de",
            "negative",
        ),
    ],
)
def test_general_news_of_violence_is_bad_news(
    title: str, text: str, language: str, expected: str
) -> None:
    """The financial sentence model alone hardly knows these words; the event words do."""
    tags = default_tagger().tag(TaggingInput(text, title, language))
    assert tags["sentiment"]["label"] == expected
