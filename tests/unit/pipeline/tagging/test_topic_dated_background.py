"""A dated background marker is a year or a decade, never a count: "in 18 countries" and
"in den 18 Filialen" leave a layoff the news, "in 2014" and "in the 1880s" make it background."""

from __future__ import annotations

import pytest

from pipeline.tagging.patterns import CueIndex, tokenize
from tests.unit.pipeline.tagging.test_topic_senses import rule_topics


@pytest.mark.parametrize(
    ("word", "matches"),
    [
        ("1995", True),
        ("1880", False),
        ("1900", True),
        ("18", False),
        ("190", False),
        ("19000", False),
        ("19th", False),
        ("19ab", False),
    ],
)
def test_hash_is_exactly_one_digit(word: str, matches: bool) -> None:
    index = CueIndex(["in 19##"])
    assert bool(index.find(tokenize(f"in {word}"))) is matches


def test_hash_in_a_first_word_and_beside_a_star() -> None:
    index = CueIndex(["19##er*", "19##s"])
    text = "die 1990er und 1990ern, the 1880s, 190er 1990"
    found = [index.cues[h.cue] for h in index.find(tokenize(text))]
    assert found == ["19##er*", "19##er*"]
    assert [index.cues[h.cue] for h in index.find(tokenize("the 1990s and 19s"))] == ["19##s"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Amazon cut 500 jobs in 18 countries.", "en"),
        ("Amazon cut 500 jobs in 200 stores.", "en"),
        ("Amazon cut 500 jobs in 201 warehouses.", "en"),
        ("Der Konzern streicht 300 Stellen in den 18 Filialen.", "de"),
        ("Der Konzern streicht 300 Stellen in den 19 Werken.", "de"),
    ],
)
def test_a_count_after_in_is_no_dated_background(text: str, language: str) -> None:
    assert "layoffs" in rule_topics(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Amazon cut 500 jobs in 2014.", "en"),
        ("Amazon cut 500 jobs in 1998.", "en"),
        ("Amazon cut 500 jobs in the 1880s.", "en"),
        ("Amazon cut 500 jobs in the 1990s.", "en"),
        ("Im Jahr 1995 gab es beim Konzern einen Stellenabbau.", "de"),
        ("In den 1990er Jahren gab es beim Konzern einen Stellenabbau.", "de"),
        ("Schon 2008 gab es beim Konzern einen Stellenabbau.", "de"),
    ],
)
def test_a_year_or_decade_stays_background(text: str, language: str) -> None:
    assert "layoffs" not in rule_topics(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Amazon cut 500 jobs in 2025.", "en"),
        ("Im Jahr 2025 gab es beim Konzern einen Stellenabbau.", "de"),
    ],
)
def test_the_layoff_sentences_are_layoffs_without_a_date(text: str, language: str) -> None:
    """The background sentences above hold a layoff cue: only their date takes the topic."""
    assert "layoffs" in rule_topics(text, language)
