"""A learned decision over the topic cues: one logistic regression per topic whose features are
what the cues found (how many, how strong, where: headline, lead, beside a company, in a
sentence about the past or a mere threat) and whose evidence is the cue matches themselves.
The model reviews what the rule thresholds take and drops the topics it finds improbable
(a passing mention, a word in another sense, a topic in general news): it adds no topic the
rules would not take, so every topic keeps the cues that made it as its evidence.

The weights are package data (`topic_model.json`), written by `scripts/train_topic_model.py`;
a topic without weights there is decided by its rule threshold.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError
from pipeline.tagging.topic_evidence import DocumentEvidence, TopicEvidence, TopicMatch

MAX_EVIDENCE = 5
LEAD_SENTENCES = 3  # body sentences after the headline that count as the lead
REFERENCE_WORDS = 200

_NONE: frozenset[int] = frozenset()

Feature = Callable[[TopicEvidence, DocumentEvidence], float]


def _share(part: frozenset[int], whole: frozenset[int]) -> float:
    return len(part & whole) / len(whole) if whole else 0.0


def _lead(topic: TopicEvidence, doc: DocumentEvidence) -> float:
    last = doc.title_sentences + LEAD_SENTENCES
    return float(any(index < last for index in topic.sentences))


def _business(topic: TopicEvidence, doc: DocumentEvidence) -> float:
    """How much the other topics found: business news, or general news with a stray cue."""
    return math.log1p(sum(t.total for t in doc.topics if t.topic != topic.topic))


FEATURES: dict[str, Feature] = {
    "total": lambda t, d: math.log1p(t.total),
    "strong": lambda t, d: math.log1p(t.strong),
    "weak": lambda t, d: math.log1p(t.weak),
    "pairs": lambda t, d: float(t.pairs),
    "title": lambda t, d: float(t.in_title),
    "lead": _lead,
    "sentences": lambda t, d: math.log1p(len(t.sentences)),
    "spread": lambda t, d: len(t.sentences) / max(1, d.sentences),
    "beside_company": lambda t, d: _share(d.company_sentences, t.sentences),
    "beside_firm": lambda t, d: _share(
        d.company_sentences | d.marked.get("firm", _NONE), t.sentences
    ),
    "hedged": lambda t, d: _share(d.marked.get("hedge", _NONE), t.sentences),
    "past": lambda t, d: _share(d.marked.get("past", _NONE), t.sentences),
    "length": lambda t, d: math.log(max(d.words, REFERENCE_WORDS) / REFERENCE_WORDS),
    "companies": lambda t, d: math.log1p(d.company_mentions),
    "business": _business,
    "firm_share": lambda t, d: (
        len(d.company_sentences | d.marked.get("firm", _NONE)) / max(1, d.sentences)
    ),
}


def features(topic: TopicEvidence, doc: DocumentEvidence) -> list[float]:
    """The feature vector of `topic` in `doc`, in the order of FEATURES."""
    return [feature(topic, doc) for feature in FEATURES.values()]


class TopicModel:
    def __init__(self, document: Any, origin: str = "topic model") -> None:
        self.version, self.weights = _parse(document, origin)
        keep = document.get("keep", 0.5)
        if not isinstance(keep, int | float) or not 0 <= keep <= 1:
            raise ConfigError(f"{origin}: keep must be a probability, got {keep!r}")
        self.keep = float(keep)

    def probability(self, topic: TopicEvidence, doc: DocumentEvidence) -> float | None:
        """The model's probability that the document is about `topic`; None without weights."""
        model = self.weights.get(topic.topic)
        if model is None:
            return None
        weights, bias = model
        z = bias + sum(w * x for w, x in zip(weights, features(topic, doc), strict=True))
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0

    def decide(self, found: DocumentEvidence) -> list[TopicMatch]:
        """The topics the rule thresholds take and the model keeps (probability of at least
        its `keep` level), scored by that probability; a topic without weights as the rule
        scores it."""
        matches = []
        for topic in found.topics:
            if topic.total < topic.threshold:
                continue
            p = self.probability(topic, found)
            if p is None:
                p = 1 - math.exp(-topic.total)
            elif p < self.keep:
                continue
            matches.append(TopicMatch(topic.topic, round(p, 3), topic.evidence[:MAX_EVIDENCE]))
        return matches


def load_topic_model(path: Path) -> TopicModel:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"topic model {path} cannot be read: {exc}") from exc
    return TopicModel(document, str(path))


def _parse(document: Any, origin: str) -> tuple[str, dict[str, tuple[list[float], float]]]:
    if not isinstance(document, dict) or not isinstance(document.get("topics"), dict):
        raise ConfigError(f"{origin}: expected a mapping with 'features' and 'topics'")
    names = document.get("features")
    if names != list(FEATURES):
        raise ConfigError(f"{origin}: features {names!r} are not this code's {list(FEATURES)!r}")
    weights = {}
    for topic, entry in document["topics"].items():
        try:
            vector = [float(entry["weights"][name]) for name in FEATURES]
            bias = float(entry["bias"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: topic {topic!r} needs a bias and every weight") from exc
        weights[str(topic)] = (vector, bias)
    return str(document.get("version", "")), weights
