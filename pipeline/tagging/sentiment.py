"""Lexicon sentiment for German and English financial news, scored sentence by sentence.

Cost is linear in the text: each sentence is scored on its own, then the document score is
the mean of the sentences that carry sentiment (the title counts twice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.tagging.patterns import CueIndex
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.text import Sentence

NEGATION_FACTOR = -0.74
NEGATION_WINDOW = 3
NORMALISER = 15.0
LABEL_THRESHOLD = 0.1
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|n't", re.UNICODE)


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score}


NEUTRAL = Sentiment("neutral", 0.0)


def label_for(score: float) -> Sentiment:
    rounded = round(max(-1.0, min(1.0, score)), 3)
    if score >= LABEL_THRESHOLD:
        return Sentiment("positive", rounded)
    if score <= -LABEL_THRESHOLD:
        return Sentiment("negative", rounded)
    return Sentiment("neutral", rounded)


class Lexicon:
    """One language's words, stems, phrases, negators and intensifiers."""

    def __init__(self, entry: dict[str, Any], where: str) -> None:
        words = entry.get("words") or {}
        phrases = entry.get("phrases") or {}
        if not isinstance(words, dict) or not isinstance(phrases, dict):
            raise ConfigError(f"{where}: words and phrases must be mappings of text to weight")
        self.exact = {k.lower(): float(v) for k, v in words.items() if not k.endswith("*")}
        self.stems = {k[:-1].lower(): float(v) for k, v in words.items() if k.endswith("*")}
        self._stem_lengths = sorted({len(s) for s in self.stems}, reverse=True)
        self.phrase_weights = [float(v) for v in phrases.values()]
        self.phrases = CueIndex([str(k) for k in phrases])
        self.negators = frozenset(str(n).lower() for n in entry.get("negators") or ())
        self.intensifiers = {
            str(k).lower(): float(v) for k, v in (entry.get("intensifiers") or {}).items()
        }

    def word_weight(self, token: str) -> float:
        if token in self.exact:
            return self.exact[token]
        for length in self._stem_lengths:
            if length <= len(token) and token[:length] in self.stems:
                return self.stems[token[:length]]
        return 0.0

    def score_sentence(self, sentence: str) -> float:
        """Sum of cue weights after negation and intensifiers, squashed into [-1, 1]."""
        total = 0.0
        covered: list[tuple[int, int]] = []
        tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(sentence)]
        for hit in self.phrases.find(sentence):
            index = _token_index(tokens, hit.start)
            total += self._modified(self.phrase_weights[hit.cue], tokens, index)
            covered.append((hit.start, hit.end))
        for index, (start, token) in enumerate(tokens):
            if any(a <= start < b for a, b in covered):
                continue
            weight = self.word_weight(token)
            if weight:
                total += self._modified(weight, tokens, index)
        return total / math.sqrt(total * total + NORMALISER) if total else 0.0

    def _modified(self, weight: float, tokens: list[tuple[int, str]], index: int) -> float:
        window = [t for _, t in tokens[max(0, index - NEGATION_WINDOW) : index]]
        if window and window[-1] in self.intensifiers:
            weight *= self.intensifiers[window[-1]]
        if any(t in self.negators for t in window):
            weight *= NEGATION_FACTOR
        return weight


class SentimentScorer:
    def __init__(self, document: dict[str, Any], origin: str = "lexicon") -> None:
        languages = document.get("languages") if isinstance(document, dict) else None
        if not isinstance(languages, dict) or not languages:
            raise ConfigError(f"{origin}: expected a mapping under 'languages'")
        self.lexicons = {
            lang: Lexicon(entry, f"{origin}: {lang}") for lang, entry in languages.items()
        }

    def lexicon(self, language: str) -> Lexicon:
        return self.lexicons.get(language) or self.lexicons["en"]

    def score_sentences(self, sentences: Sequence[Sentence], language: str) -> list[float]:
        lexicon = self.lexicon(language)
        return [lexicon.score_sentence(s.text) for s in sentences]

    def document(self, title_score: float, sentence_scores: Sequence[float]) -> Sentiment:
        weighted = [(title_score, 2.0)] if title_score else []
        weighted += [(score, 1.0) for score in sentence_scores if score]
        if not weighted:
            return NEUTRAL
        total_weight = sum(w for _, w in weighted)
        return label_for(sum(s * w for s, w in weighted) / total_weight)


@cache
def default_sentiment_scorer() -> SentimentScorer:
    path = DATA_DIR / "sentiment.yaml"
    return SentimentScorer(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def _token_index(tokens: list[tuple[int, str]], offset: int) -> int:
    for index, (start, _) in enumerate(tokens):
        if start >= offset:
            return index
    return len(tokens)
