"""The cue index skips the words that have nothing to match: whatever the kind of index (only
exact first words, or prefixes, suffixes and patterns too), and however often a text is seen,
it finds what a plain scan of every word finds."""

from __future__ import annotations

import pytest

from pipeline.tagging import patterns
from pipeline.tagging.patterns import CueIndex, tokenize

TEXT = (
    "Der KI-Chips-Hersteller meldet 2019 Rekordumsatz, die Aktie steigt. "
    "Im Jahr 1999 fiel der Umsatz; Rechenzentren und Netflix-Abo boomen, profit warning."
)


def found(index: CueIndex, text: str) -> list[tuple[str, str]]:
    return [(index.cues[h.cue], text[h.start : h.end]) for h in index.find(tokenize(text))]


def test_an_index_of_exact_first_words_finds_words_phrases_and_compound_parts() -> None:
    index = CueIndex(["ki", "aktie steigt", "profit warning", "umsatz"])
    expected = [
        ("ki", "KI"),
        ("aktie steigt", "Aktie steigt"),
        ("umsatz", "Umsatz"),
        ("profit warning", "profit warning"),
    ]
    assert found(index, TEXT) == expected
    assert found(index, TEXT) == expected, "the second time, from the caches"


def test_an_index_with_patterns_finds_the_same_from_its_caches() -> None:
    index = CueIndex(["rechenzentr*", "*-abo", "im jahr 19##", "19##", "ki", "*umsatz"])
    expected = [
        ("ki", "KI"),
        ("*umsatz", "Rekordumsatz"),
        ("im jahr 19##", "Im Jahr 1999"),
        ("19##", "1999"),
        ("*umsatz", "Umsatz"),
        ("rechenzentr*", "Rechenzentren"),
        ("*-abo", "Netflix-Abo"),
    ]
    assert found(index, TEXT) == expected
    assert found(index, TEXT) == expected, "the second time, from the caches"


def test_the_cache_of_numbers_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_NUMBERS_LIMIT", 3)
    index = CueIndex(["19##"])
    text = " ".join(str(n) for n in range(1990, 2000))
    assert [f for _, f in found(index, text)] == [str(n) for n in range(1990, 2000)]
    assert len(index._numbers) <= 3
    assert [f for _, f in found(index, text)] == [str(n) for n in range(1990, 2000)]


def test_phrases_tested_by_their_second_word_first_match_as_a_full_scan() -> None:
    """A phrase's exact second word is tested before the phrase: phrases sharing a first word,
    a wild or lone-star second word, a phrase at the last word and one longer than the text."""
    cues = ["in the red", "in the black", "in 19##", "in * stock", "in stock", "der umsatz"]
    index = CueIndex(cues)
    text = "Shares in the red, in 1999 in any stock, in stock. Nie in"
    expected = [
        ("in the red", "in the red"),
        ("in 19##", "in 1999"),
        ("in * stock", "in any stock"),
        ("in stock", "in stock"),
    ]
    assert found(index, text) == expected
    assert found(index, text) == expected, "the second time, from the caches"
    assert found(index, "Der") == []
