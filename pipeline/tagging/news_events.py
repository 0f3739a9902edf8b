"""General-news event polarity: how many words of a sentence tell of war, disasters, crime and
losses, or of records, rescues and successes (`data/news_events.yaml`).

The sentiment model's sentence weights come from financial sets, which hardly speak of war or
floods; the document model reads these counts beside the sentence scores. English entries match
whole words; German entries are stems matched anywhere inside a word, so compounds count
(Terroranschlag, Todesopfer). A word's counts are kept per process by vocabulary id
(`vocabulary.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.vocabulary import WordIds, WordValues

EVENTS_FILE = DATA_DIR / "news_events.yaml"
_NOTHING = re.compile(r"(?!)")


@dataclass
class EventWords:
    """The event words of one language: `(negative, positive)` hits of a word."""

    substring: bool
    negative: frozenset[str]
    positive: frozenset[str]
    exceptions: frozenset[str] = frozenset()  # parts of words cut out before stems are sought

    def __post_init__(self) -> None:
        self._patterns = tuple(
            _alternatives(words) for words in (self.negative, self.positive, self.exceptions)
        )
        self._codes = WordValues(self.code, np.int64)  # by vocabulary id

    def code(self, word: str) -> int:
        """1 for a negative word, 2 for a positive one, 3 for both ("unglücklich"), else 0."""
        if self.substring:
            rest = self._patterns[2].sub(" ", word) if self.exceptions else word
            bad = self._patterns[0].search(rest) is not None
            good = self._patterns[1].search(rest) is not None
        else:
            bad, good = word in self.negative, word in self.positive
        return int(bad) + 2 * int(good)

    def hits(self, word: str) -> tuple[int, int]:
        """1 or 0 for negative and for positive."""
        code = self.code(word)
        return code & 1, code >> 1

    def counts(self, words: Sequence[str]) -> tuple[int, int]:
        """How many of the (lower-case) words are negative and how many positive."""
        found = self.span_counts(words, [(0, len(words))])[0]
        return int(found[0]), int(found[1])

    def span_counts(
        self, words: Sequence[str], spans: Sequence[tuple[int, int]], ids: WordIds | None = None
    ) -> np.ndarray:
        """(negative, positive) counts of the words[first:last] of each span, one row each:
        the words' codes by vocabulary id (`ids`: the words' ids, when known) and one
        cumulative sum for all spans."""
        values = self._codes.of(words, ids)
        table = np.zeros((len(values) + 1, 2), dtype=np.int64)
        np.cumsum(values & 1, out=table[1:, 0])
        np.cumsum(values >> 1, out=table[1:, 1])
        where = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        return table[where[:, 1]] - table[where[:, 0]]


def _alternatives(words: frozenset[str]) -> re.Pattern[str]:
    """One pattern for the words, longest first (so a longer word is cut out whole); for no
    words one that matches nothing (an empty alternation would match every word)."""
    if not words:
        return _NOTHING
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


@dataclass(frozen=True)
class EventLexicon:
    languages: dict[str, EventWords]

    def words(self, language: str) -> EventWords:
        """The language's words; English stands in for others."""
        return self.languages.get(language) or self.languages["en"]


def load_event_lexicon(path: Path = EVENTS_FILE) -> EventLexicon:
    document = load_data_file(path, "news_events")
    languages: dict[str, EventWords] = {}
    for language, entry in document["languages"].items():
        negative, positive = frozenset(entry["negative"]), frozenset(entry["positive"])
        both = sorted(negative & positive)
        if both:
            raise ConfigError(f"{path}: {language}: words both negative and positive: {both}")
        exceptions = frozenset(entry.get("exceptions", {}))
        if exceptions and entry["match"] != "substring":
            raise ConfigError(f"{path}: {language}: exceptions are for substring matching only")
        languages[language] = EventWords(
            entry["match"] == "substring", negative, positive, exceptions
        )
    return EventLexicon(languages)


@cache
def default_event_lexicon() -> EventLexicon:
    return load_event_lexicon(EVENTS_FILE)
