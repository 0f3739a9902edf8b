"""Lexicon sentiment for German and English financial news, scored sentence by sentence.

Cost is linear in the text: the words are cut once, phrases are matched once, and each sentence
is scored from its own words; the document score is the mean of the sentences that carry
sentiment (the title counts twice).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.tagging.patterns import CueIndex, Tokens, tokenize
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.text import Sentence

NEGATION_FACTOR = -0.74
NEGATION_WINDOW = 3
NORMALISER = 15.0
LABEL_THRESHOLD = 0.1
_CACHE_LIMIT = 200_000
MIN_COMPOUND_HEAD = 4


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


def squash(total: float) -> float:
    return total / math.sqrt(total * total + NORMALISER) if total else 0.0


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
        self.compounds = bool(entry.get("compounds"))
        self.final_negation = bool(entry.get("final_negation"))
        self._weights: dict[str, float] = {}

    def word_weight(self, word: str) -> float:
        cached = self._weights.get(word)
        if cached is not None:
            return cached
        weight = self._lookup(word)
        if not weight and self.compounds:
            # German puts the meaning at the end: Heimsieg, Gewinneinbruch, Kursrutsch.
            for start in range(1, len(word) - MIN_COMPOUND_HEAD + 1):
                weight = self._lookup(word[start:])
                if weight:
                    break
        if len(self._weights) < _CACHE_LIMIT:
            self._weights[word] = weight
        return weight

    def _lookup(self, word: str) -> float:
        weight = self.exact.get(word, 0.0)
        if weight:
            return weight
        for length in self._stem_lengths:
            if length <= len(word) and word[:length] in self.stems:
                return self.stems[word[:length]]
        return 0.0

    def score_spans(
        self,
        tokens: Tokens,
        spans: Sequence[tuple[int, int]],
        names: Sequence[tuple[int, int]] = (),
    ) -> list[float]:
        """A score in [-1, 1] for each (start, end) character span of the tokenised text; words
        inside `names` (company mentions: Warner is no warning) do not count."""
        phrase_hits = self.phrases.find(tokens)
        covered = _inside(tokens, names)
        phrase_totals = [0.0] * len(spans)
        span_starts = [start for start, _ in spans]
        for hit in phrase_hits:
            index = bisect_left(span_starts, hit.start + 1) - 1
            if index < 0 or hit.start >= spans[index][1]:
                continue
            weight = self._modified(
                self.phrase_weights[hit.cue],
                tokens.words,
                hit.token,
                _first_token(tokens, spans[index][0]),
            )
            phrase_totals[index] += weight
            position = hit.token
            while position < len(tokens.words) and tokens.starts[position] < hit.end:
                covered[position] = True
                position += 1
        scores = []
        for index, (start, end) in enumerate(spans):
            first, last = _first_token(tokens, start), _first_token(tokens, end)
            total = phrase_totals[index]
            final = self._final_negator(tokens.words, first, last)
            for position in range(first, last):
                if covered[position]:
                    continue
                weight = self.word_weight(tokens.words[position])
                if weight:
                    weight = self._modified(weight, tokens.words, position, first)
                    if final is not None and position < final:
                        weight *= NEGATION_FACTOR
                    total += weight
            scores.append(squash(total))
        return scores

    def _final_negator(self, words: list[str], first: int, last: int) -> int | None:
        """Where a sentence-final negator stands ("Einen Stellenabbau plant der Konzern nicht"),
        for a language whose verbs come last; it negates the whole sentence before it."""
        if not self.final_negation:
            return None
        for position in range(max(first, last - 2), last):
            if words[position] in self.negators:
                return position
        return None

    def score_sentence(self, sentence: str) -> float:
        return self.score_spans(tokenize(sentence), [(0, len(sentence))])[0]

    def _modified(self, weight: float, words: list[str], index: int, floor: int) -> float:
        window = words[max(floor, index - NEGATION_WINDOW) : index]
        if window and window[-1] in self.intensifiers:
            weight *= self.intensifiers[window[-1]]
        if any(w in self.negators or w.endswith(("n't", "n’t")) for w in window):
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

    def score_sentences(
        self,
        tokens: Tokens,
        sentences: Sequence[Sentence],
        language: str,
        names: Sequence[tuple[int, int]] = (),
    ) -> list[float]:
        spans = [(s.start, s.end) for s in sentences]
        return self.lexicon(language).score_spans(tokens, spans, names)

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


def _inside(tokens: Tokens, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each word, whether it lies in one of the character spans."""
    inside = [False] * len(tokens.words)
    for start, end in spans:
        position = _first_token(tokens, start)
        while position < len(tokens.words) and tokens.starts[position] < end:
            inside[position] = True
            position += 1
    return inside


def _first_token(tokens: Tokens, offset: int) -> int:
    return bisect_left(tokens.starts, offset)
