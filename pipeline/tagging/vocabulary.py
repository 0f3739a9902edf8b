"""One vocabulary for all the taggers of a process: an integer id per word seen, and each
tagger's per-word values (a lexicon weight, an event code, whether a cue index has work at the
word, the sentence model's sums) in numpy arrays indexed by that id.

A text's words are looked up once, in one table (the ids of the last word list are kept, so
every tagger that reads the same tokens shares them), and each tagger gathers its values by id
at C speed. Before, every tagger probed its own large dictionary with every word of the text,
each probe cold in cache when a page comes. A value is computed once per word, on first sight;
the vocabulary is bounded: when full it starts again (a new generation), and every table then
forgets its values, which do not change, and computes them anew.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# words per process. Tagging 200,000 new words (in both languages) grew a process by 109 MB,
# with the caches that remain per tagger; 108 MB before the vocabulary (2026-12-02).
WORDS_LIMIT = 200_000


@dataclass(frozen=True)
class WordIds:
    """The ids of a list of words in `vocabulary`, valid while it keeps `generation`; every id
    is below `size`."""

    ids: np.ndarray
    generation: int
    vocabulary: Vocabulary
    size: int

    def valid_in(self, vocabulary: Vocabulary) -> bool:
        return self.vocabulary is vocabulary and self.generation == vocabulary.generation


class Vocabulary:
    def __init__(self, limit: int = WORDS_LIMIT) -> None:
        self._ids: dict[str, int] = {}
        self.limit = limit
        self.generation = 0
        self._last: tuple[Sequence[str], int, WordIds] | None = None
        self._lock = threading.Lock()  # taggers may share a process's vocabulary across threads

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self, words: Sequence[str], remember: bool = True) -> WordIds:
        """The ids of the words; the same list object asked again gets the same answer (the
        last list asked with `remember`: a text's tokens, not a few words looked up between)."""
        with self._lock:
            return self._ids_of(words, remember)

    def _ids_of(self, words: Sequence[str], remember: bool) -> WordIds:
        last = self._last
        if (
            last is not None
            and last[0] is words
            and last[1] == len(words)
            and last[2].valid_in(self)
        ):
            return last[2]
        table = self._ids
        found: list[int | None] = list(map(table.get, words))
        if None in found:
            if len(table) + len(words) > self.limit:  # full: start again
                table = self._ids = {}
                self.generation += 1
                found = [None] * len(words)
            found = [
                table.setdefault(w, len(table)) if i is None else i
                for i, w in zip(found, words, strict=True)
            ]
        result = WordIds(np.asarray(found, dtype=np.intp), self.generation, self, len(table))
        if remember:
            self._last = (words, len(words), result)
        return result


VOCABULARY = Vocabulary()


class WordValues:
    """A function of a word (a number, or a row of `width` numbers), kept by vocabulary id and
    computed on the first sight of each word."""

    def __init__(
        self,
        compute: Callable[[str], Any],
        dtype: type | np.dtype[Any],
        width: int = 0,
        vocabulary: Vocabulary = VOCABULARY,
    ) -> None:
        self._compute = compute
        self._dtype = np.dtype(dtype)
        self._shape: tuple[int, ...] = (width,) if width else ()
        self.vocabulary = vocabulary
        self._generation = vocabulary.generation
        self._values = np.zeros((0, *self._shape), dtype=self._dtype)
        self._known = np.zeros(0, dtype=bool)
        self._lock = threading.Lock()

    def of(self, words: Sequence[str], ids: WordIds | None = None) -> np.ndarray:
        """The values of the words, one row each (`ids`: their ids, when known)."""
        if ids is None or not ids.valid_in(self.vocabulary):
            ids = self.vocabulary.ids(words)
        with self._lock:  # the arrays and their generation change together
            return self._of(words, ids)

    def _of(self, words: Sequence[str], ids: WordIds) -> np.ndarray:
        vocabulary = self.vocabulary
        index = ids.ids
        values, known = self._values, self._known
        if ids.generation != self._generation:  # the vocabulary started again
            values, known = values[:0], known[:0]
            self._generation = ids.generation
        need = ids.size
        if need > len(known):
            size = max(need, min(2 * len(known), vocabulary.limit))
            grown = np.zeros((size, *self._shape), dtype=self._dtype)
            grown[: len(values)] = values
            flags = np.zeros(size, dtype=bool)
            flags[: len(known)] = known
            values, known = grown, flags
        self._values, self._known = values, known
        seen = known[index]
        if not seen.all():
            compute = self._compute
            for position in np.flatnonzero(~seen).tolist():
                word_id = index[position]
                if not known[word_id]:
                    values[word_id] = compute(words[position])
                    known[word_id] = True
        found: np.ndarray = values[index]
        return found
