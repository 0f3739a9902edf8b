"""The bounded-gap phrase operator shared by the cue indexes (and usable for particle verbs)."""

from __future__ import annotations

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.gaps import Gap, match, parse_phrase
from pipeline.tagging.patterns import CueIndex, tokenize


def exact(word: str):
    return word.__eq__


def words(text: str) -> list[str]:
    return text.lower().split()


def test_a_gap_takes_zero_to_n_words() -> None:
    steps = parse_phrase("schloss ~3 aus", exact)
    assert isinstance(steps[1], Gap) and steps[1].words == 3
    assert match(steps, words("schloss aus"), 0) == 1
    assert match(steps, words("schloss einen stellenabbau aus"), 0) == 3
    assert match(steps, words("schloss das für dieses jahr aus"), 0) is None  # four words between


def test_the_shortest_match_wins_and_the_limit_bounds_it() -> None:
    steps = parse_phrase("gab ~4 nach", exact)
    text = words("gab nach und gab dann nach")
    assert match(steps, text, 0) == 1
    assert match(steps, text, 3) == 5
    assert match(steps, text, 3, limit=5) is None


def test_end_anchors_the_last_word_as_a_particle_at_the_clause_end() -> None:
    steps = parse_phrase("gab ~5 nach", exact)
    text = words("die aktie gab um zwei prozent nach")
    assert match(steps, text, 2, end=6) == 6
    assert match(steps, words("die aktie gab nach und stieg dann"), 2, end=6) is None


@pytest.mark.parametrize(
    "phrase", ["~2 aus", "schloss ~2", "schloss ~2 ~2 aus", "a ~0 b", "a ~99 b"]
)
def test_a_malformed_gap_is_a_clear_error(phrase: str) -> None:
    with pytest.raises(ConfigError):
        parse_phrase(phrase, exact)


def test_cue_index_matches_gapped_cues_with_wildcards_around_them() -> None:
    index = CueIndex(["steigt ~3 bei ~2 ein", "klagen ~2 über"])
    text = "Der Fonds steigt mit zehn Prozent bei Covestro ein. Händler klagen laut über Preise."
    found = [(index.cues[h.cue], text[h.start : h.end]) for h in index.find(tokenize(text))]
    assert found == [
        ("steigt ~3 bei ~2 ein", "steigt mit zehn Prozent bei Covestro ein"),
        ("klagen ~2 über", "klagen laut über"),
    ]
