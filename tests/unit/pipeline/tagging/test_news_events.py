"""General-news event words: English whole words, German stems inside compounds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.news_events import (
    EVENTS_FILE,
    EventWords,
    default_event_lexicon,
    load_event_lexicon,
)
from pipeline.tagging.patterns import tokenize


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


# Neutral words that hold a German stem (each one cut out by an exception).
_NEUTRAL_WITH_A_STEM = (
    "vermittlung arbeitsvermittlung vermittler krankenhaus krankenhäuser krankenkasse"
    " krankenversicherungen trauben drohne drohnen durchmesser hassan chassis sprachassistenten"
    " fahrassistenten fahrassistenzsystems flutlicht warnemünde totem gewaltenteilung problemlos"
    " siegel gütesiegel siegen siegfried titelseite untertitel titel rüstungstitel feierabend"
    " vorruhestandsregelungen vergleichen gleiche zufrieden unzufrieden feuerbach verlustfreier"
    " unfallversicherung messergebnisse"
).split()

# Words of the German labelled articles that hold a stem in its sense, reviewed one by one.
_REVIEWED_EVENT_WORDS = frozenset(
    """
    angeklagt angriff betrugs brände waldbrände drohen droht dürre einbruch gewinneinbruch
    entlassungen erfolg erholt ermittler vorermittlungen eröffnen eröffnet evakuiert feuer feuers
    feuerwehr gefahr gelungen gerettet gestiegen gestiegene gestiegenen gesunken gewann gewinner
    gewinnt gewonnen haftstrafen hoffnungen inflation naturkatastrophen interessenkonflikte
    krankheitsfällen krebserkrankung tumorerkrankungen gaskrise krise kriselnde kritik kritiker
    kritisieren kritisierte kritisierten kürzungen mangel missbraucht pandemie polizei probleme
    proteste auftragsrekord rekord rekordaufträgen rekordernte rekordgewinn rekordhoch
    rekordsumme rekordtief rekordumsatz rekordwert rückgang schaden schadenersatz heimsieg sieg
    dieselskandal stellenabbau streik streiks warnstreik warnstreiks tödlichen autopilot-unfall
    unfall unwetter verbessern verboten verlor verloren kontrollverlust nettoverlust verlust
    verlustzone verurteilt vorwürfe umsatzwachstum wachstum gewarnt gewinnwarnung warnen
    warnhinweise warnt warnte wächst
    """.split()
)


def _german_article_words() -> set[str]:
    path = Path(__file__).parents[4] / "tests" / "eval" / "labelled_articles.yaml"
    articles = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    german = [a for a in articles if a["lang"] == "de"]
    assert german, f"{path}: no German articles"
    return {w for a in german for w in tokenize(f"{a.get('title', '')} {a['text']}").words}


def test_german_stems_hit_only_reviewed_words_in_real_german_text() -> None:
    """Every German stem runs over the words of the German labelled articles and a list of
    neutral words known to hold a stem: a hit is either a reviewed word in the stem's sense or
    a fault (a new neutral word needs an exception, a new meaning-bearing one a review)."""
    words = default_event_lexicon().words("de")
    vocabulary = _german_article_words() | set(_NEUTRAL_WITH_A_STEM)
    hit = {w for w in vocabulary if words.hits(w) != (0, 0)}
    assert sorted(hit - _REVIEWED_EVENT_WORDS) == []
    assert [w for w in _NEUTRAL_WITH_A_STEM if words.hits(w) != (0, 0)] == []


def test_every_reviewed_word_is_an_event_word() -> None:
    """The reviewed list holds no stale entry: each still counts as an event."""
    words = default_event_lexicon().words("de")
    assert sorted(w for w in _REVIEWED_EVENT_WORDS if words.hits(w) == (0, 0)) == []


def test_the_event_senses_beside_the_exceptions_still_count() -> None:
    words = default_event_lexicon().words("de")
    bad = ["krankheit", "drohung", "hassrede", "rassisten", "messerangriff", "raub", "flut"]
    assert [w for w in bad if words.hits(w) != (1, 0)] == []
    good = ["sieg", "siegte", "meistertitel", "weltmeistertitel", "feier"]
    assert [w for w in good if words.hits(w) != (0, 1)] == []


def test_an_empty_word_list_matches_no_word() -> None:
    words = EventWords(True, frozenset({"krieg"}), frozenset())
    assert words.counts(["krieg", "frieden", "haus"]) == (1, 0)
    assert EventWords(True, frozenset(), frozenset({"sieg"})).hits("krieg") == (0, 0)
