"""General-news event polarity: how many words of a sentence tell of war, disasters, crime and
losses, or of records, rescues and successes (`data/news_events.yaml`).

The sentiment model's sentence weights come from financial sets, which hardly speak of war or
floods; the document model reads these counts beside the sentence scores. English entries match
whole words; German entries are stems matched anywhere inside a word, so compounds count
(Terroranschlag, Todesopfer). A word's counts are cached per process (bounded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.registry import DATA_DIR

EVENTS_FILE = DATA_DIR / "news_events.yaml"
_CACHE_LIMIT = 100_000  # words per language and process


@dataclass
class EventWords:
    """The event words of one language: `(negative, positive)` hits of a word."""

    substring: bool
    negative: frozenset[str]
    positive: frozenset[str]

    def __post_init__(self) -> None:
        self._patterns = tuple(
            re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
            for words in (self.negative, self.positive)
        )
        self._cache: dict[str, tuple[int, int]] = {}

    def hits(self, word: str) -> tuple[int, int]:
        """1 or 0 for negative and for positive (a word may be both: "unglücklich")."""
        found = self._cache.get(word)
        if found is not None:
            return found
        if self.substring:
            found = (
                int(self._patterns[0].search(word) is not None),
                int(self._patterns[1].search(word) is not None),
            )
        else:
            found = (int(word in self.negative), int(word in self.positive))
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = found
        return found

    def counts(self, words: Sequence[str]) -> tuple[int, int]:
        """How many of the (lower-case) words are negative and how many positive."""
        negative = positive = 0
        for word in words:
            bad, good = self.hits(word)
            negative += bad
            positive += good
        return negative, positive


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
        languages[language] = EventWords(entry["match"] == "substring", negative, positive)
    return EventLexicon(languages)


@cache
def default_event_lexicon() -> EventLexicon:
    return load_event_lexicon(EVENTS_FILE)
