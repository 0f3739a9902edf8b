"""What the article-level sentiment models read: features of an article, or of one company in
it, from the sentence model's class probabilities, the lexicon's score and the general-news
event words (`news_events.py`).

Real news is mostly general news, long and mixed; the sentence model was trained on financial
sentences. Beside the weighted mean of the sentence scores the document model therefore reads
the share of sentences that are plainly negative or positive, the event words (war, killed,
Anschlag; record, rescued, Sieg) in the headline, the lead and the whole text, and the
article's length. A company is read from the sentences that name it (target-aware scores),
with where and how often it is named. Briefs (a few sentences: wire items, the project's
labelled articles) keep a model of their own over the sentence tone alone.
"""

from __future__ import annotations

import numpy as np

TITLE_WEIGHT = 4.0
LEAD_WEIGHT = 2.0
LEAD_SENTENCES = 3  # body sentences whose event words count as the lead's
PLAIN = 0.3  # polarity (positive minus negative probability) of a plainly toned sentence
TONE_FEATURES = 7
DOCUMENT_FEATURES = TONE_FEATURES + 11
COMPANY_FEATURES = TONE_FEATURES + 3
# A brief (a headline and at most this many sentences in all: a wire item, a short notice) is
# read by its sentences' tone alone: the brief model reads the first TONE_FEATURES features.
BRIEF_SENTENCES = 8


def is_brief(features: tuple[float, ...]) -> bool:
    """Whether document features are those of a brief (their last one is log1p(sentences))."""
    return features[-1] <= float(np.log1p(BRIEF_SENTENCES))


def tone_features(title: np.ndarray, body: np.ndarray, lexicon_score: float) -> list[float]:
    """From the sentences' class probabilities (rows of the headline's and the body's
    sentences): their weighted mean (headline four times, the lead twice) as polarity, negative
    and neutral share, the extremes of polarity, the headline's own polarity and the lexicon's
    score."""
    if not len(title) and not len(body):
        return [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, lexicon_score]
    probs = np.concatenate([title.reshape(-1, 3), body.reshape(-1, 3)])
    weights = np.ones(len(probs))
    weights[: len(title)] = TITLE_WEIGHT
    if len(body):
        weights[len(title)] = LEAD_WEIGHT
    mean = weights @ probs / weights.sum()
    polarity = probs[:, 2] - probs[:, 0]
    heading = float(polarity[: len(title)].mean()) if len(title) else 0.0
    return [
        float(mean[2] - mean[0]),
        float(mean[0]),
        float(mean[1]),
        float(polarity.max()),
        float(polarity.min()),
        heading,
        lexicon_score,
    ]


def document_features(
    title: np.ndarray, body: np.ndarray, lexicon_score: float, events: np.ndarray
) -> tuple[float, ...]:
    """The document model's input. `events` holds (negative, positive) event-word counts per
    sentence, the headline's sentences first, in the order of `title` and `body`."""
    tone = tone_features(title, body, lexicon_score)
    events = events.reshape(-1, 2)
    count = len(events)
    if not count:
        return (*tone, *([0.0] * (DOCUMENT_FEATURES - TONE_FEATURES)))
    probs = np.concatenate([title.reshape(-1, 3), body.reshape(-1, 3)])
    polarity = probs[:, 2] - probs[:, 0]
    heading = events[: len(title)]
    lead = events[len(title) : len(title) + LEAD_SENTENCES]
    totals = events.sum(axis=0)
    return (
        *tone,
        float((events[:, 0] > 0).mean()),
        float((events[:, 1] > 0).mean()),
        float(heading[:, 0].sum() > 0),
        float(heading[:, 1].sum() > 0),
        float(lead[:, 0].sum()) / LEAD_SENTENCES,
        float(lead[:, 1].sum()) / LEAD_SENTENCES,
        float(np.log1p(totals[0])),
        float(np.log1p(totals[1])),
        float((polarity < -PLAIN).mean()),
        float((polarity > PLAIN).mean()),
        float(np.log1p(count)),
    )


def company_features(
    title: np.ndarray, body: np.ndarray, lexicon_score: float, mentions: int, share: float
) -> tuple[float, ...]:
    """The per-company model's input: the tone of the sentences naming the company (their
    target-aware scores; headline rows when it is named there), whether the headline names it,
    how often it is named and its share of all company mentions."""
    tone = tone_features(title, body, lexicon_score)
    return (*tone, float(len(title) > 0), float(np.log1p(mentions)), share)
