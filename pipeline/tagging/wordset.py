"""A set of words given as exact forms and `stem*` prefixes; for German, also the compounds that
end in one of its exact forms (Kaffeepreise ends in preise)."""

from __future__ import annotations

from collections.abc import Iterable

MIN_COMPOUND_HEAD = 4  # letters: the shortest head a German compound is scored by
_CACHE_LIMIT = 50_000


class WordSet:
    def __init__(self, patterns: Iterable[str], compounds: bool = False) -> None:
        listed = [str(p).lower() for p in patterns]
        self.exact = frozenset(p for p in listed if not p.endswith("*"))
        self.stems = tuple(sorted({p[:-1] for p in listed if p.endswith("*")}))
        self.compounds = compounds
        self._cache: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        cached = self._cache.get(word)
        if cached is None:
            cached = self._test(word)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[word] = cached
        return cached

    def _test(self, word: str) -> bool:
        if word in self.exact or word.startswith(self.stems):
            return True
        if self.compounds:
            tail = word.rsplit("-", 1)[-1]
            return any(
                tail[start:] in self.exact for start in range(1, len(tail) - MIN_COMPOUND_HEAD + 1)
            )
        return False
