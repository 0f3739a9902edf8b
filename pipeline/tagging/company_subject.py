"""A company that an article is about takes the article's sentiment.

On the real-news dev articles the sentences that name a company did not tell its polar tone
apart (their target-aware polarity had the sign of the gold label for 46% of the polar
companies), while a polar company and its polar article never disagreed in direction: the
companies that are good or bad news are those the article is about. A company named more than
`subject_mentions` times in an article is its subject and takes the document's sentiment;
every other company is read by the per-company model. The threshold is chosen by 5-fold
cross-validation on the real-news dev companies in `scripts/train_sentiment.py` (0: no
company is a subject).
"""

from __future__ import annotations

import math

from pipeline.tagging.model_sentiment import sentiment_of
from pipeline.tagging.sentiment import Sentiment
from pipeline.tagging.sentiment_document import TONE_FEATURES
from pipeline.tagging.sentiment_model import SentimentModel

MENTIONS = TONE_FEATURES + 1  # log1p(mentions) in `company_features`


def is_subject(features: tuple[float, ...], threshold: int) -> bool:
    """Whether the company of these company features is named more than `threshold` times."""
    return threshold > 0 and features[MENTIONS] > math.log1p(threshold) + 1e-9


def company_sentiment(
    model: SentimentModel, features: tuple[float, ...], document: Sentiment
) -> Sentiment:
    """The company's sentiment: the document's for the article's subject, else the model's."""
    if is_subject(features, model.subject_mentions):
        return document
    return sentiment_of(model.companies, features)
