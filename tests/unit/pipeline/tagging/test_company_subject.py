"""The article's subject takes the article's sentiment; other companies keep the company model's,
and the threshold is read from the model file and chosen by cross-validation."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.company_subject import MENTIONS, company_sentiment, is_subject
from pipeline.tagging.sentiment import Sentiment
from pipeline.tagging.sentiment_document import (
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
    company_features,
)
from pipeline.tagging.sentiment_features import FeatureConfig
from pipeline.tagging.sentiment_model import (
    DocumentModel,
    SentenceModel,
    SentimentModel,
    load_model,
    write_model,
)
from pipeline.tools.evaluation.subject_choice import choose_subject, subject_accuracy


def features(mentions: int) -> tuple[float, ...]:
    none = np.zeros((0, 3))
    return company_features(none, np.asarray([[0.1, 0.8, 0.1]]), 0.0, mentions, 0.5)


def test_the_mentions_feature_is_the_count_that_company_features_write() -> None:
    assert features(4)[MENTIONS] == pytest.approx(math.log1p(4))


def test_a_company_named_more_than_the_threshold_is_the_subject() -> None:
    assert is_subject(features(4), 3)
    assert not is_subject(features(3), 3)
    assert not is_subject(features(50), 0), "0 turns the rule off"


def neutral_model(subject_mentions: int) -> SentimentModel:
    """A model whose company model always says neutral (a large neutral bias)."""
    config = FeatureConfig(bits=4, char_ngrams=(), window=2)
    sentences = SentenceModel(config, np.zeros((16, 3), np.float32), np.zeros((5, 3)), np.zeros(3))
    bias = np.asarray([0.0, 5.0, 0.0])
    return SentimentModel(
        {"en": sentences},
        DocumentModel(np.zeros((DOCUMENT_FEATURES, 3)), bias, DOCUMENT_FEATURES),
        DocumentModel(np.zeros((TONE_FEATURES, 3)), bias, TONE_FEATURES),
        DocumentModel(np.zeros((COMPANY_FEATURES, 3)), bias, COMPANY_FEATURES),
        "test",
        subject_mentions,
    )


def test_the_subject_takes_the_document_sentiment_and_others_keep_their_own() -> None:
    bad = Sentiment("negative", -0.6)
    model = neutral_model(3)
    assert company_sentiment(model, features(5), bad) == bad
    assert company_sentiment(model, features(2), bad).label == "neutral"
    assert company_sentiment(replace(model, subject_mentions=0), features(5), bad).label == (
        "neutral"
    )


def test_the_threshold_is_written_and_read_back(tmp_path: Path) -> None:
    model = neutral_model(0)
    write_model(tmp_path, model.languages, model.documents, model.briefs, model.companies, {}, 6)
    assert load_model(tmp_path).subject_mentions == 6
    meta = json.loads((tmp_path / "model.json").read_text("utf-8"))
    meta["company"]["subject_mentions"] = -1
    (tmp_path / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ConfigError, match="subject_mentions"):
        load_model(tmp_path)


def test_the_choice_takes_the_threshold_that_is_right_most_often() -> None:
    mentions = np.asarray([1, 2, 6, 7, 9])
    company = np.ones(5, dtype=int)  # always neutral
    document = np.asarray([0, 2, 2, 0, 2])
    labels = np.asarray([1, 1, 2, 0, 1])
    assert subject_accuracy(mentions, company, document, labels, 0) == 0.6
    assert subject_accuracy(mentions, company, document, labels, 5) == 0.8
    chosen, grid = choose_subject(mentions, company, document, labels, (0, 2, 5, 6))
    assert chosen == 5 and grid["5"] == 0.8
    tied = np.asarray([1, 1, 2, 1, 0])  # the document is right once on the subjects, so is neutral
    assert subject_accuracy(mentions, company, document, tied, 5) == 0.6
    assert subject_accuracy(mentions, company, document, tied, 0) == 0.6
    assert choose_subject(mentions, company, document, tied, (0, 5))[0] == 0, "a tie keeps it off"


def test_the_tagger_gives_the_subject_the_document_sentiment() -> None:
    from pipeline.tagging.base import TaggingInput
    from pipeline.tagging.tagger import DefaultTagger, default_tagger

    article = TaggingInput(
        "BASF shares rose after strong orders. Siemens said little. "
        "BASF raised its outlook, and BASF analysts praised the plan.",
        "BASF gains",
        "en",
    )
    base = default_tagger()
    assert base.model is not None

    def tagged(threshold: int) -> dict[str, object]:
        model = replace(base.model, subject_mentions=threshold) if base.model else None
        return DefaultTagger(base.companies, base.topics, base.sentiment, model).tag(article)

    on, off = tagged(2), tagged(0)
    company = {c["id"]: c["sentiment"] for c in on["companies"]}  # type: ignore[attr-defined]
    plain = {c["id"]: c["sentiment"] for c in off["companies"]}  # type: ignore[attr-defined]
    assert company["basf"] == on["sentiment"], "named 4 times: the subject"
    assert company["basf"] != plain["basf"], "without the rule the company model reads it"
    assert company["siemens"] == plain["siemens"], "named once: its own reading"
