"""Lexicon sentiment for German and English financial news, scored sentence by sentence.

Cost is linear in the text: the words are cut once, phrases are matched once, and each sentence
is scored from its own words; the document score is a weighted mean of the sentences that carry
sentiment (the headline and the lead weigh more), pulled towards neutral by a prior.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, repeat
from typing import Any

import numpy as np

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.particles import ParticleVerbs
from pipeline.tagging.patterns import CueIndex, Tokens, tokenize
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.text import Sentence, clause_breaks
from pipeline.tagging.vocabulary import WordValues
from pipeline.tagging.wordset import MIN_COMPOUND_HEAD, WordSet

NEGATION_FACTOR = -0.74
NEGATION_WINDOW = 3
COST_FACTOR = -0.5  # a word of direction in a clause about costs: "costs rose"
NORMALISER = 15.0
LABEL_THRESHOLD = 0.1
TITLE_WEIGHT = 4.0  # the headline, as four sentences
LEAD_WEIGHT = 2.0  # the first sentence after it
NEUTRAL_PRIOR_WEIGHT = 1.0  # one untoned sentence, added to every mean


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
        self.phrase_keys = [str(k).lower() for k in phrases]
        particle_verbs = entry.get("particle_verbs") or {}
        if not isinstance(particle_verbs, dict):
            raise ConfigError(f"{where}: particle_verbs must map 'verb particle' to a weight")
        self.particles = ParticleVerbs(particle_verbs, where)
        self.conjunctions = frozenset(_words(entry, "conjunctions", where))
        self._conjunctions = WordValues(self.conjunctions.__contains__, np.bool_)  # by id
        self.cost_subjects = WordSet(_words(entry, "cost_subjects", where), self.compounds)
        directions = _words(entry, "directions", where)
        self.directions = WordSet([d for d in directions if " " not in d])
        self.direction_keys = frozenset(d for d in directions if " " in d)
        self._weights = WordValues(self.word_weight, np.float64)  # by vocabulary id

    def word_weight(self, word: str) -> float:
        weight = self._lookup(word)
        if not weight and self.compounds:
            # German puts the meaning at the end: Heimsieg, Gewinneinbruch, Kursrutsch.
            for start in range(1, len(word) - MIN_COMPOUND_HEAD + 1):
                weight = self._lookup(word[start:])
                if weight:
                    break
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
        breaks: Sequence[int] = (),
    ) -> list[float]:
        """A score in [-1, 1] for each (start, end) character span of the tokenised text; words
        inside `names` (company mentions: Warner is no warning) do not count. `breaks` are the
        offsets where clauses end (particle verbs close a clause; see `_CostClauses`)."""
        words = tokens.words
        covered = _inside(tokens, names)
        # each span's first word and the word after its last (`_first_token` of its ends)
        firsts = list(map(bisect_left, repeat(tokens.starts), [start for start, _ in spans]))
        lasts = list(map(bisect_left, repeat(tokens.starts), [end for _, end in spans]))
        clauses = self._clauses(tokens, firsts, lasts, breaks)
        costs = _CostClauses(words, clauses, self.cost_subjects)
        totals = [0.0] * len(spans)
        span_starts = [start for start, _ in spans]
        for hit in self.phrases.find(tokens):
            index = bisect_left(span_starts, hit.start + 1) - 1
            if index < 0 or hit.start >= spans[index][1]:
                continue
            weight = self._modified(self.phrase_weights[hit.cue], words, hit.token, firsts[index])
            key = self.phrase_keys[hit.cue]
            totals[index] += _directed(weight, key in self.direction_keys, costs, hit.token)
            position = hit.token
            while position < len(words) and tokens.starts[position] < hit.end:
                covered[position] = True
                position += 1
        for index, (span_clauses, first) in enumerate(zip(clauses, firsts, strict=True)):
            for particle in self.particles.find(words, span_clauses):
                if covered[particle.verb]:
                    continue
                weight = self._modified(particle.weight, words, particle.verb, first)
                is_direction = particle.key.lower() in self.direction_keys
                totals[index] += _directed(weight, is_direction, costs, particle.verb)
                for position in (particle.verb, *range(particle.particle, particle.end)):
                    covered[position] = True
        weights = self._weights.of(words)
        weighted = np.flatnonzero(weights)
        toned = [
            (i, w)
            for i, w in zip(weighted.tolist(), weights[weighted].tolist(), strict=True)
            if not covered[i]
        ]
        toned_positions = [i for i, _ in toned]
        scores = []
        for index, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
            total = totals[index]
            final = self._final_negator(words, first, last)
            low, high = bisect_left(toned_positions, first), bisect_left(toned_positions, last)
            for position, weight in toned[low:high]:
                weight = self._modified(weight, words, position, first)
                if final is not None and position < final:
                    weight *= NEGATION_FACTOR
                is_direction = words[position] in self.directions
                total += _directed(weight, is_direction, costs, position)
            scores.append(squash(total))
        return scores

    def _clauses(
        self, tokens: Tokens, firsts: list[int], lasts: list[int], breaks: Sequence[int]
    ) -> list[list[tuple[int, int]]]:
        """For each span, given by its first word and the word after its last, the (first, end)
        word indices of its clauses: cut at the breaks and before a conjunction ("und", "but").
        One pass over the words, whatever the spans."""
        conjunctions = np.flatnonzero(self._conjunctions.of(tokens.words)).tolist()
        at_breaks = map(bisect_left, repeat(tokens.starts), breaks)  # _first_token of each
        cut_words = sorted(set(at_breaks).union(conjunctions))
        result = []
        for first, last in zip(firsts, lasts, strict=True):
            inner = cut_words[bisect_right(cut_words, first) : bisect_left(cut_words, last)]
            result.append(list(pairwise([first, *inner, last])))
        return result

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
        breaks = clause_breaks(Sentence(0, len(sentence), sentence))
        return self.score_spans(tokenize(sentence), [(0, len(sentence))], (), breaks)[0]

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
        breaks = [offset for sentence in sentences for offset in clause_breaks(sentence)]
        return self.lexicon(language).score_spans(tokens, spans, names, breaks)

    def document(self, title_score: float, sentence_scores: Sequence[float]) -> Sentiment:
        """The weighted mean of the headline, the lead and the other sentences that carry
        sentiment, pulled towards neutral by a prior of one untoned sentence: news states its
        tone up front, and one weakly toned sentence is not enough for a label."""
        weighted = [(title_score, TITLE_WEIGHT)] if title_score else []
        weighted += [
            (score, LEAD_WEIGHT if index == 0 else 1.0)
            for index, score in enumerate(sentence_scores)
            if score
        ]
        if not weighted:
            return NEUTRAL
        total_weight = sum(w for _, w in weighted) + NEUTRAL_PRIOR_WEIGHT
        return label_for(sum(s * w for s, w in weighted) / total_weight)


class _CostClauses:
    """Whether a word stands in a clause about a price, cost, fee or debt: there a word of
    direction means the opposite, and less (costs rose, Kaffeepreise auf Rekordhoch). A clause
    is looked at only when a word of direction in it carries sentiment, and once."""

    def __init__(
        self, words: list[str], clauses: Sequence[Sequence[tuple[int, int]]], subjects: WordSet
    ) -> None:
        self._words = words
        self._clauses = [clause for span_clauses in clauses for clause in span_clauses]
        self._starts = [start for start, _ in self._clauses]
        self._subjects = subjects
        self._known: dict[int, bool] = {}

    def near(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        if index < 0 or position >= self._clauses[index][1]:
            return False
        found = self._known.get(index)
        if found is None:
            start, end = self._clauses[index]
            found = any(word in self._subjects for word in self._words[start:end])
            self._known[index] = found
        return found


def _directed(weight: float, is_direction: bool, costs: _CostClauses, position: int) -> float:
    return weight * COST_FACTOR if is_direction and costs.near(position) else weight


SENTIMENT_FILE = DATA_DIR / "sentiment.yaml"


@cache
def default_sentiment_scorer() -> SentimentScorer:
    return SentimentScorer(load_data_file(SENTIMENT_FILE, "sentiment"), str(SENTIMENT_FILE))


def _words(entry: dict[str, Any], key: str, where: str) -> list[str]:
    listed = entry.get(key) or []
    if not isinstance(listed, list):
        raise ConfigError(f"{where}: {key} must be a list of words")
    return [str(word).lower() for word in listed]


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
