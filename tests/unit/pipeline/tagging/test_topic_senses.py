"""Words of the topic cues in another sense, intentions and dated background are no topic, each
exception with its reason and an example; the plain news beside them stays a topic. And the
topic model reads how much of the article is about companies at all."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import rule_topic_tagger
from pipeline.tagging.topic_evidence import DocumentEvidence, TopicEvidence
from pipeline.tagging.topic_model import FEATURES, features


def rule_topics(text: str, language: str, companies: Sequence[str] = ()) -> set[str]:
    """The topics the rule thresholds take, with `companies` as the mentions found."""
    spans = [(text.index(name), text.index(name) + len(name)) for name in companies]
    sentences = split_sentences(text)
    return {t.id for t in rule_topic_tagger().tag(text, language, sentences, companies=spans)}


@pytest.mark.parametrize(
    ("text", "language", "companies", "absent"),
    [
        # the verb "zukaufen" buys in supplies; the noun "Zukauf" is the deal
        (
            "Für die normalen Produkte müssen sie Fleischteile auf dem Markt zukaufen.",
            "de",
            (),
            "mergers-acquisitions",
        ),
        # taking over costs, a duty or an office is no deal
        (
            "Die Krankenkasse übernimmt die Kosten, die Übernahme der Kosten gilt ab Januar.",
            "de",
            (),
            "mergers-acquisitions",
        ),
        (
            "Sie wird im Januar den Vorsitz übernehmen; die Übernahme des Amtes ist beschlossen.",
            "de",
            (),
            "mergers-acquisitions",
        ),
        (
            "Die EnBW übernimmt nicht nur die technische Betriebsführung des Parks.",
            "de",
            ("EnBW",),
            "mergers-acquisitions",
        ),
        # a fee charged is no charge in court
        (
            "Microsoft will expand an internal fee that it has charged to its business groups.",
            "en",
            ("Microsoft",),
            "legal-regulatory",
        ),
        # a weather forecast is no company's forecast
        (
            "Wednesday is forecast to be colder, with temperatures expected to fall 5%.",
            "en",
            (),
            "earnings",
        ),
        # "erwartet" as a demand is no expectation of results ("besser als erwartet" is)
        (
            "Der Verband erwartet von allen Züchtern ein Ergebnis aus der Prüfung.",
            "de",
            (),
            "earnings",
        ),
        # members of a party, a club or an alliance are no subscribers
        (
            "Die Partei hat 400.000 Mitglieder, die Mitgliedschaft wächst.",
            "de",
            (),
            "subscription-plans",
        ),
        # a cut of pay, taxes or rates is no job cut
        (
            "Last year I took a pay cut to move from a safe, easy job.",
            "en",
            (),
            "layoffs",
        ),
        # goods for sale, and makers that sell them, are no sale of a company
        (
            "Händler boten die Gewehre zum Kauf an. Die Hersteller dürfen sie exportieren "
            "und verkaufen.",
            "de",
            (),
            "mergers-acquisitions",
        ),
        # English "fusion" is no merger (the pair lists serve both languages)
        (
            "Apple's A10 Fusion chip powers the phone.",
            "en",
            ("Apple",),
            "mergers-acquisitions",
        ),
        # a takeover by force or protest is no deal
        (
            "The video showed an activist takeover of a drone factory.",
            "en",
            (),
            "mergers-acquisitions",
        ),
        ("The military takeover of the country was condemned.", "en", (), "mergers-acquisitions"),
        # a dated decade or century is background
        (
            "In the 1880s the company acquired a rival railway.",
            "en",
            (),
            "mergers-acquisitions",
        ),
        (
            "In den 1990er Jahren kam es zur Übernahme des Konkurrenten.",
            "de",
            (),
            "mergers-acquisitions",
        ),
        # an intention to sue is no lawsuit, like a threat of one
        (
            "Einige Geschädigte wollen den Hersteller wegen der Schäden verklagen.",
            "de",
            (),
            "legal-regulatory",
        ),
        (
            "The families plan to sue the operator and said a lawsuit would follow.",
            "en",
            (),
            "legal-regulatory",
        ),
    ],
)
def test_another_sense_an_intention_or_old_background_is_no_topic(
    text: str, language: str, companies: Sequence[str], absent: str
) -> None:
    assert absent not in rule_topics(text, language, companies)


@pytest.mark.parametrize(
    ("text", "language", "companies", "present"),
    [
        (
            "Siemens kauft den Softwarehersteller Altair; der Kaufpreis liegt bei zehn Milliarden.",
            "de",
            ("Siemens",),
            "mergers-acquisitions",
        ),
        ("Die Übernahme des Konkurrenten ist abgeschlossen.", "de", (), "mergers-acquisitions"),
        ("Nach dem Zukauf wächst der Konzern.", "de", (), "mergers-acquisitions"),
        (
            "Die Fusion von Vodafone und Three ist genehmigt.",
            "de",
            ("Vodafone",),
            "mergers-acquisitions",
        ),
        (
            "The company acquired a rival railway in a hostile takeover.",
            "en",
            (),
            "mergers-acquisitions",
        ),
        (
            "The former chief executive was charged with fraud, Volta said.",
            "en",
            ("Volta",),
            "legal-regulatory",
        ),
        ("Die Mitgliedschaft kostet künftig 9 Euro im Monat.", "de", (), "subscription-plans"),
        ("Amazon raises the price of its Prime membership.", "en", (), "subscription-plans"),
        ("The company took a tax charge and will cut 500 jobs.", "en", (), "layoffs"),
        ("Der Gewinn stieg stärker als erwartet.", "de", (), "earnings"),
        ("Profit was higher than expected.", "en", (), "earnings"),
        (
            "Revenue is forecast to rise 5%, the company said.",
            "en",
            (),
            "earnings",
        ),
        (
            "Die Verbraucherzentrale hat den Hersteller verklagt.",
            "de",
            (),
            "legal-regulatory",
        ),
    ],
)
def test_the_plain_news_stays_a_topic(
    text: str, language: str, companies: Sequence[str], present: str
) -> None:
    assert present in rule_topics(text, language, companies)


def test_the_model_reads_the_share_of_sentences_about_companies() -> None:
    topic = TopicEvidence("legal-regulatory", 2.0, 1.0, 1, 1, 0, False, frozenset({0}), ["Klage"])
    doc = DocumentEvidence(
        topics=[topic],
        sentences=8,
        title_sentences=1,
        words=160,
        company_mentions=1,
        company_sentences=frozenset({0}),
        marked={"firm": frozenset({0, 3}), "hedge": frozenset(), "past": frozenset()},
    )
    share = features(topic, doc)[list(FEATURES).index("firm_share")]
    assert share == pytest.approx(2 / 8)
    general = DocumentEvidence(
        topics=[topic],
        sentences=8,
        title_sentences=1,
        words=160,
        company_mentions=0,
        company_sentences=frozenset(),
    )
    assert features(topic, general)[list(FEATURES).index("firm_share")] == 0.0
