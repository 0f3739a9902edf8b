"""General-news event words: English whole words, German stems inside compounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.news_events import EVENTS_FILE, default_event_lexicon, load_event_lexicon


def test_english_words_count_whole_words_only() -> None:
    words = default_event_lexicon().words("en")
    assert words.counts(["the", "war", "killed", "dozens"]) == (2, 0)
    assert words.counts(["warm", "warden", "skilled"]) == (0, 0), "no part of a word"
    assert words.counts(["rescued", "after", "record", "flood"]) == (1, 2)


def test_german_stems_count_inside_compounds() -> None:
    words = default_event_lexicon().words("de")
    assert words.counts(["terroranschlag", "mit", "todesopfern"]) == (2, 0)
    assert words.counts(["hochwasserlage", "verschärft"]) == (1, 0)
    assert words.counts(["weltmeistertitel", "gewonnen"]) == (0, 2)


def test_common_neutral_german_words_hold_no_event_stem() -> None:
    """Stems are found inside words: none may sit in an everyday neutral word."""
    words = default_event_lexicon().words("de")
    neutral = ["bürgermeister", "versorgung", "bestehen", "wirtschaft", "steuer", "auflösung"]
    assert [w for w in neutral if words.hits(w) != (0, 0)] == []


def test_english_stands_in_for_other_languages() -> None:
    lexicon = default_event_lexicon()
    assert lexicon.words("fr") is lexicon.words("en")


def test_a_word_in_both_lists_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "news_events.yaml"
    path.write_text(
        "version: 1\nlanguages:\n  en: {match: word, negative: [war, loss], positive: [loss]}\n"
    )
    with pytest.raises(ConfigError, match=r"both negative and positive: \['loss'\]"):
        load_event_lexicon(path)


def test_a_stem_with_upper_case_or_spaces_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "news_events.yaml"
    path.write_text(
        "version: 1\nlanguages:\n  en: {match: word, negative: [War], positive: [won]}\n"
    )
    with pytest.raises(ConfigError, match="languages/en/negative/0"):
        load_event_lexicon(path)


def test_exceptions_cut_out_a_stem_without_its_sense() -> None:
    words = default_event_lexicon().words("de")
    assert words.counts(["die", "zahlung", "erfolgt", "verfolgt", "wiederholt"]) == (0, 0)
    assert words.counts(["erfolg", "erfolgreich", "erholt"]) == (0, 3)
    assert words.hits("verfolgungsangst") == (1, 0), "the rest of the word still counts"


def test_every_exception_holds_a_stem_and_its_example_shows_it() -> None:
    document = load_data_file(EVENTS_FILE, "news_events")
    for entry in document["languages"].values():
        stems = [*entry["negative"], *entry["positive"]]
        for part, example in entry.get("exceptions", {}).items():
            assert any(stem in part for stem in stems), f"{part}: cuts out no stem"
            assert part in example.lower(), f"{part}: its example does not show it"


def test_exceptions_are_for_substring_matching_only(tmp_path: Path) -> None:
    path = tmp_path / "news_events.yaml"
    path.write_text(
        "version: 1\nlanguages:\n  en: {match: word, negative: [war], positive: [won],\n"
        "       exceptions: {award: an award}}\n"
    )
    with pytest.raises(ConfigError, match="substring matching only"):
        load_event_lexicon(path)
