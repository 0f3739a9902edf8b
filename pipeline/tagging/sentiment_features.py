"""Hashed features of a sentence and of the words around a target, shared by training and tagging.

A sentence's features are its words, word bigrams and the character n-grams of its words
(German compounds: Gewinn*einbruch*), each hashed (CRC-32) into a fixed number of buckets, so no
vocabulary ships with the model. Company names are masked as one token, so a name carries no
tone. A target's features are the words within a window around its mentions, by side. Each
group's values are 1/sqrt(its feature count), so a linear model's score of a group is a sum of
weight rows, which tagging computes with one gather and one reduction.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

ENTITY = "<e>"  # every company mention, masked
_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class FeatureConfig:
    bits: int = 18
    char_ngrams: tuple[int, ...] = (4,)
    window: int = 4

    def as_dict(self) -> dict[str, object]:
        return {"bits": self.bits, "char_ngrams": list(self.char_ngrams), "window": self.window}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureConfig:
        bits = data["bits"]
        ngrams = data["char_ngrams"]
        window = data["window"]
        if not isinstance(bits, int) or not isinstance(window, int):
            raise ValueError("feature config: bits and window must be integers")
        if not isinstance(ngrams, list) or not all(isinstance(n, int) for n in ngrams):
            raise ValueError("feature config: char_ngrams must be a list of integers")
        return cls(bits, tuple(ngrams), window)


_DIGITS = str.maketrans("123456789", "000000000")
_MIX = 0x9E3779B1  # odd constant: a bigram's id mixes the hashes of its two words
_FULL = 0xFFFFFFFF


def _normal(word: str) -> str:
    """Digits collapse to 0 (3,9 Milliarden and 2,5 Milliarden look alike)."""
    return word.translate(_DIGITS)


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


class Featurizer:
    """Feature ids (bucket numbers) of words, sentences and target windows."""

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config
        self._mask = (1 << config.bits) - 1
        # word -> (hash of its normal form, ids of the word and its character n-grams)
        self._words: dict[str, tuple[int, tuple[int, ...]]] = {}

    def _id(self, feature: str) -> int:
        return _hash(feature) & self._mask

    def word_features(self, word: str) -> tuple[int, tuple[int, ...]]:
        """The hash of the word's normal form (for bigrams) and its feature ids."""
        return self._word(word)

    def bigram_id(self, previous: int, value: int) -> int:
        return (((previous * _MIX) & _FULL) ^ value) & self._mask

    def _word(self, word: str) -> tuple[int, tuple[int, ...]]:
        cached = self._words.get(word)
        if cached is not None:
            return cached
        normal = _normal(word)
        ids = [self._id("u" + normal)]
        if normal != ENTITY:
            marked = f"<{normal}>"
            for n in self.config.char_ngrams:
                ids += [self._id(f"c{marked[i : i + n]}") for i in range(len(marked) - n + 1)]
        found = (_hash(normal), tuple(ids))
        if len(self._words) < _CACHE_LIMIT:
            self._words[word] = found
        return found

    def word_ids(self, word: str) -> tuple[int, ...]:
        """The word itself and its character n-grams (with boundary marks), cached per word."""
        return self._word(word)[1]

    def sentence_ids(self, words: Sequence[str]) -> list[int]:
        """Each word's ids, and one id per bigram (from the hashes of its two words)."""
        ids: list[int] = []
        mask = self._mask
        previous = _START
        for word in words:
            value, own = self._word(word)
            ids += own
            ids.append((((previous * _MIX) & _FULL) ^ value) & mask)
            previous = value
        return ids

    def window_ids(self, words: Sequence[str], targets: Sequence[int]) -> list[int]:
        """Words within the window on each side of the target positions, and the words right
        before and after the target ("<e> beats", "cuts <e>")."""
        width = self.config.window
        ids: list[int] = []
        for position in targets:
            for offset in range(1, width + 1):
                if position - offset >= 0:
                    ids.append(self._id(f"l{_normal(words[position - offset])}"))
                if position + offset < len(words):
                    ids.append(self._id(f"r{_normal(words[position + offset])}"))
            before = _normal(words[position - 1]) if position > 0 else "<s>"
            after = _normal(words[position + 1]) if position + 1 < len(words) else "</s>"
            ids.append(self._id(f"p{before}"))
            ids.append(self._id(f"n{after}"))
        return ids


_START = _hash("<s>")
START_HASH = _START
MIX = _MIX
FULL = _FULL


def masked_words(
    words: Sequence[str], starts: Sequence[int], spans: Sequence[tuple[int, int]]
) -> tuple[list[str], list[int]]:
    """The words with the words of each (start, end) character span replaced by one ENTITY
    token, and for each span the position of its token in the result (-1: it covers no word;
    a span overlapping an earlier one shares its token)."""
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    positions = [-1] * len(spans)
    result: list[str] = []
    index = 0
    for k in order:
        start, end = spans[k]
        while index < len(words) and starts[index] < start:
            result.append(words[index])
            index += 1
        if index < len(words) and starts[index] < end:
            result.append(ENTITY)
            while index < len(words) and starts[index] < end:
                index += 1
        elif result and result[-1] == ENTITY and index > 0 and starts[index - 1] < end:
            pass  # overlaps the span before: same token
        else:
            continue
        positions[k] = len(result) - 1
    result += words[index:]
    return result, positions
