"""Where topic cues do not count: a topic's exception phrases, and negated clauses."""

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import TopicTagger, default_topic_tagger

TAXONOMY = {
    "negations": {"en": ["not", "no"]},
    "topics": [
        {"id": "layoffs", "negatable": True, "cues": {"en": {"strong": ["job cuts"]}}},
        {
            "id": "subscription-plans",
            "cues": {"en": {"strong": ["monthly fee"]}},
            "except": {"en": ["checking account*"]},
        },
        {"id": "earnings", "cues": {"en": {"strong": ["profit"]}}},
    ],
}


def tagged(text: str, tagger: TopicTagger | None = None, language: str = "en") -> list[str]:
    tagger = tagger or TopicTagger(TAXONOMY)
    return sorted(t.id for t in tagger.tag(text, language, split_sentences(text)))


def test_a_negated_clause_does_not_count_for_a_negatable_topic() -> None:
    assert tagged("The bank announced job cuts.") == ["layoffs"]
    assert tagged("The bank said there would be no job cuts this year.") == []
    assert tagged("The bank announced job cuts, but not at its head office.") == ["layoffs"]


def test_negation_leaves_other_topics_alone() -> None:
    assert tagged("Profit did not meet the forecast.") == ["earnings"]


def test_an_exception_phrase_voids_its_topics_cues_in_that_sentence_only() -> None:
    assert tagged("The checking accounts carry a monthly fee of $5.") == []
    assert tagged("Checking accounts get cheaper. The streaming plan has a monthly fee.") == [
        "subscription-plans"
    ]
    assert tagged("Profit at the checking accounts unit rose.") == ["earnings"]


@pytest.mark.parametrize(
    ("text", "language", "absent"),
    [
        (
            "Einen weiteren Stellenabbau schloss Vorstandschef Carsten Knobel aus.",
            "de",
            "layoffs",
        ),
        ("Das Girokonto kostet künftig 4,50 Euro im Monat.", "de", "subscription-plans"),
        (
            "The deal is expected to close next year, subject to regulatory approvals.",
            "en",
            "legal-regulatory",
        ),
    ],
)
def test_the_default_taxonomy_knows_denials_and_passing_mentions(
    text: str, language: str, absent: str
) -> None:
    assert absent not in tagged(text, default_topic_tagger(), language)


def test_negations_must_map_languages_to_markers() -> None:
    with pytest.raises(ConfigError, match="negations"):
        TopicTagger({"negations": ["not"], "topics": []})


def test_weak_cues_count_less_in_a_long_text() -> None:
    taxonomy = {
        "weak_reference_words": 20,
        "topics": [{"id": "earnings", "cues": {"en": {"weak": ["results", "quarter"]}}}],
    }
    short = "The results for the quarter came out on Monday."
    filler = " The weather was mild and the streets were quiet." * 8
    assert tagged(short, TopicTagger(taxonomy)) == ["earnings"]
    assert tagged(short + filler, TopicTagger(taxonomy)) == []
    assert tagged(short + filler, TopicTagger({**taxonomy, "weak_reference_words": 0})) == [
        "earnings"
    ]


def test_the_weak_reference_length_must_be_a_number() -> None:
    with pytest.raises(ConfigError, match="weak_reference_words"):
        TopicTagger({"weak_reference_words": "long", "topics": []})


def test_a_pair_rule_can_ask_for_a_company_in_the_sentence() -> None:
    taxonomy = {
        "topics": [
            {"id": "mergers-acquisitions", "pairs": [{"cues": [["übernimmt"], ["$company"]]}]}
        ]
    }
    text = "Die Versicherung übernimmt die Kosten. Siemens übernimmt den Softwareanbieter Altair."
    sentences = split_sentences(text)
    siemens = text.index("Siemens")
    tagger = TopicTagger(taxonomy)
    assert tagger.tag(text, "de", sentences) == []
    (match,) = tagger.tag(text, "de", sentences, companies=[(siemens, siemens + 7)])
    assert match.evidence == ["Siemens übernimmt den Softwareanbieter Altair."]


def test_a_mask_hides_the_cues_inside_it_only() -> None:
    taxonomy = {
        "topics": [
            {
                "id": "stock-moves",
                "mask": {"en": ["per share"]},
                "pairs": [{"cues": [["share", "shares"], ["rose"]]}],
            }
        ]
    }
    tagger = TopicTagger(taxonomy)
    assert tagged("Earnings per share rose 8%.", tagger) == []
    assert tagged("The shares rose 8% as earnings per share beat estimates.", tagger) == [
        "stock-moves"
    ]


def test_complaining_in_german_is_no_legal_action() -> None:
    from pipeline.tagging.text import split_sentences
    from pipeline.tagging.topic import default_topic_tagger

    text = "Hochschulen klagen dennoch über lange Wartezeiten. Das Verfahren soll schneller werden."
    found = {t.id for t in default_topic_tagger().tag(text, "de", split_sentences(text))}
    assert "legal-regulatory" not in found
