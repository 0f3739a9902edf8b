import pytest

from pipeline.tagging.sentiment import default_sentiment_scorer
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import default_topic_tagger


def topics(text: str, language: str) -> list[str]:
    return [t.id for t in default_topic_tagger().tag(text, language, split_sentences(text))]


@pytest.mark.parametrize(
    ("text", "language", "topic"),
    [
        (
            "Der Konzern will seine Investitionen in Künstliche Intelligenz verdoppeln.",
            "de",
            "ai-investment",
        ),
        (
            "The company will spend $10 billion on new data centers for AI this year.",
            "en",
            "ai-investment",
        ),
        ("Die Quartalszahlen lagen über den Erwartungen der Analysten.", "de", "earnings"),
        (
            "Net income rose 12% in the fiscal quarter, and the company beat estimates.",
            "en",
            "earnings",
        ),
        ("Für Alexa plant Amazon künftig eine Abogebühr.", "de", "subscription-plans"),
        (
            "Netflix expands its ad-supported tier and charges for password sharing.",
            "en",
            "subscription-plans",
        ),
    ],
)
def test_mission_topics(text: str, language: str, topic: str) -> None:
    assert topic in topics(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Apfelernte am Bodensee war in diesem Jahr gut.", "de"),
        ("The team won the final after a dramatic penalty shoot-out.", "en"),
    ],
)
def test_unrelated_text_has_no_topics(text: str, language: str) -> None:
    assert topics(text, language) == []


def test_topic_output_carries_score_and_evidence() -> None:
    text = "Quartalszahlen: Der operative Gewinn stieg deutlich."
    (match,) = [
        t
        for t in default_topic_tagger().tag(text, "de", split_sentences(text))
        if t.id == "earnings"
    ]
    assert 0 < match.score <= 1
    assert "Quartalszahlen" in match.evidence


def score(sentence: str, language: str) -> float:
    return default_sentiment_scorer().lexicon(language).score_sentence(sentence)


@pytest.mark.parametrize(
    ("sentence", "language", "sign"),
    [
        ("Der Konzern übertraf die Erwartungen deutlich.", "de", 1),
        ("Die Aktie brach ein.", "de", -1),
        ("Das Unternehmen veröffentlichte eine Gewinnwarnung.", "de", -1),
        ("The company beat estimates and raised guidance.", "en", 1),
        ("The retailer cut guidance as sales fell.", "en", -1),
        ("The board met on Tuesday in Berlin.", "en", 0),
    ],
)
def test_sentence_polarity(sentence: str, language: str, sign: int) -> None:
    value = score(sentence, language)
    assert (value > 0) - (value < 0) == sign
    assert -1 <= value <= 1


def test_negation_flips_the_sign() -> None:
    assert score("Die Zahlen waren gut.", "de") > 0
    assert score("Die Zahlen waren nicht gut.", "de") < 0
    assert score("Results were not good.", "en") < 0


def test_intensifier_strengthens() -> None:
    assert score("Der Umsatz stieg sehr stark.", "de") >= score("Der Umsatz stieg.", "de")


def test_a_sentence_final_negator_negates_the_german_sentence() -> None:
    assert score("Der Konzern plant einen Stellenabbau.", "de") < 0
    assert score("Einen Stellenabbau wie im vergangenen Jahr plant der Konzern nicht.", "de") > 0
    assert score("Entlassungen sind nach Angaben der Geschäftsführung nicht geplant.", "de") > 0


def test_words_of_a_company_name_carry_no_sentiment() -> None:
    from pipeline.tagging.patterns import tokenize

    text = "Warner Bros. Discovery launches a bundle."
    lexicon = default_sentiment_scorer().lexicon("en")
    tokens = tokenize(text)
    assert lexicon.score_spans(tokens, [(0, len(text))])[0] < 0, "warn* took Warner for a warning"
    assert lexicon.score_spans(tokens, [(0, len(text))], names=[(0, 21)]) == [0.0]


@pytest.mark.parametrize(
    ("sentence", "sign"),
    [
        ("Die Aktie gab nach Bekanntgabe der Zahlen um knapp zwei Prozent nach.", -1),
        ("Die Erlöse legten im Quartal um 19 Prozent zu.", 1),
        ("Die Rivian-Aktie schoss nachbörslich um fast 50 Prozent nach oben.", 1),
        ("Der Zulieferer baut in Deutschland 3000 Stellen ab.", -1),
    ],
)
def test_a_german_particle_verb_counts_when_its_particle_closes_the_clause(
    sentence: str, sign: int
) -> None:
    value = score(sentence, "de")
    assert (value > 0) - (value < 0) == sign


def test_a_particle_counts_only_at_the_end_of_the_verbs_clause() -> None:
    assert score("Der Konzern gab nach der Hauptversammlung eine Erklärung ab.", "de") == 0
    assert score("Die Aktie gab um zwei Prozent nach, die Anleger blieben ruhig.", "de") < 0


def test_a_rise_in_costs_or_fees_is_no_good_news() -> None:
    assert score("Der Umsatz stieg um zehn Prozent.", "de") > 0
    assert score("Die Gebühr steigt auf 250 Dollar.", "de") < 0
    assert score("Die Kaffeepreise stiegen auf ein Rekordhoch.", "de") < 0
    assert score("Revenue rose 5%.", "en") > 0
    assert score("Costs rose 5%.", "en") < 0
    # only the clause about costs is turned
    assert score("Der Umsatz stieg, die Kosten sanken.", "de") > 0


def test_word_sets_match_forms_stems_and_german_compound_heads() -> None:
    from pipeline.tagging.wordset import WordSet

    costs = WordSet(["preise", "gebühr*"], compounds=True)
    assert "preise" in costs and "gebühren" in costs and "kaffeepreise" in costs
    assert "preiswert" not in costs and "abo" not in costs
    assert "kaffeepreise" not in WordSet(["preise"])


def test_one_weakly_toned_sentence_is_not_enough_for_a_label() -> None:
    scorer = default_sentiment_scorer()
    assert scorer.document(0.0, [0.0, 0.0, 0.15]).label == "neutral"
    assert scorer.document(0.0, [0.0, 0.0, 0.2, 0.2]).label == "positive"


def test_the_headline_and_the_lead_weigh_more_than_the_rest() -> None:
    scorer = default_sentiment_scorer()
    assert scorer.document(0.0, [-0.3, 0.0, 0.3, 0.3]).label == "neutral"
    assert scorer.document(0.0, [0.3, 0.0, -0.3, 0.3]).label == "positive"
    assert scorer.document(-0.4, [0.3, 0.0, -0.3, 0.3]).label == "negative"


def test_a_comma_inside_a_number_does_not_end_the_clause() -> None:
    assert score("Die Erlöse legten um 19 Prozent auf 26,3 Milliarden Dollar zu.", "de") > 0


@pytest.mark.parametrize(
    "entry",
    [{"particle_verbs": ["gab nach"]}, {"particle_verbs": {"gab": -1.5}}, {"directions": "up"}],
)
def test_a_malformed_lexicon_section_is_a_clear_error(entry: dict) -> None:
    from pipeline.core.errors import ConfigError
    from pipeline.tagging.sentiment import SentimentScorer

    with pytest.raises(ConfigError):
        SentimentScorer({"languages": {"de": entry}}, "test lexicon")
