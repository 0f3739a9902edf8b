"""The article-level features of the document and per-company sentiment models."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.sentiment_document import (
    BRIEF_SENTENCES,
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
    company_features,
    document_features,
    is_brief,
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


EN_ARTICLE = (
    "Three people were killed and five injured in a knife attack at the central station on "
    "Friday evening. The attacker stabbed travellers on a crowded platform. Police arrested a "
    "suspect after a short chase. Two of the wounded are in a critical condition. Witnesses "
    "described scenes of panic as people fled. The station was closed for several hours. The "
    "mayor said the city was in shock. Investigators are examining the suspect's motive. A "
    "vigil for the victims is planned for Sunday. Trains resumed late at night."
)
DE_ARTICLE = (
    "Bei einem Anschlag in der Innenstadt sind am Abend drei Menschen getötet worden. Mehrere "
    "Passanten wurden schwer verletzt. Die Polizei nahm einen Verdächtigen fest. Der Täter "
    "hatte mit einem Messer auf Menschen eingestochen. Zeugen berichteten von Panik auf dem "
    "Platz. Die Ermittler prüfen einen terroristischen Hintergrund. Der Bürgermeister zeigte "
    "sich erschüttert. Am Sonntag ist eine Trauerfeier für die Opfer geplant. Die Straßen "
    "rund um den Tatort blieben bis in die Nacht gesperrt."
)


@pytest.mark.parametrize(
    ("title", "text", "language"),
    [
        ("Three killed in knife attack at station", EN_ARTICLE, "en"),
        ("Tote bei Anschlag in der Innenstadt", DE_ARTICLE, "de"),
    ],
)
def test_general_news_of_violence_is_bad_news(title: str, text: str, language: str) -> None:
    """An article (not a brief) of violence: the financial sentence model alone hardly knows
    these words; the document model reads the event words."""
    parsed = default_tagger().parse(TaggingInput(text, title, language))
    assert len(parsed.sentences) > BRIEF_SENTENCES
    tags = default_tagger().tag(TaggingInput(text, title, language))
    assert tags["sentiment"]["label"] == "negative"


def test_briefs_and_articles_go_to_their_own_document_models() -> None:
    model = default_tagger().model
    assert model is not None
    neutral = np.asarray([NEUTRAL])
    brief = document_features(neutral, np.repeat(neutral, 3, axis=0), 0.0, np.zeros((4, 2)))
    article = document_features(neutral, np.repeat(neutral, 30, axis=0), 0.0, np.zeros((31, 2)))
    assert is_brief(brief) and not is_brief(article)
    chosen, read = model.document(brief)
    assert chosen is model.briefs and read == brief[:TONE_FEATURES]
    chosen, read = model.document(article)
    assert chosen is model.documents and read == article
    edge = document_features(
        neutral,
        np.repeat(neutral, BRIEF_SENTENCES - 1, axis=0),
        0.0,
        np.zeros((BRIEF_SENTENCES, 2)),
    )
    assert is_brief(edge), "a headline and BRIEF_SENTENCES - 1 more is still a brief"
