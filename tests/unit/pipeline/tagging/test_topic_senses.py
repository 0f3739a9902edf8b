"""Words of the topic cues in another sense, intentions and dated background are no topic, each
exception with its reason and an example; the plain news beside them stays a topic. And the
topic model reads how much of the article is about companies at all."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache

import pytest

from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import TAXONOMY_FILE, TopicTagger, rule_topic_tagger
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


@cache
def _without(topic: str, kind: str) -> TopicTagger:
    """The shipped taxonomy with one topic's `except` or `mask` section taken out."""
    document = copy.deepcopy(load_data_file(TAXONOMY_FILE, "topics"))
    (entry,) = [t for t in document["topics"] if t["id"] == topic]
    assert entry.pop(kind), f"{topic} has no {kind}"
    return TopicTagger(document)


def _tagged(tagger: TopicTagger, text: str, language: str, companies: Sequence[str]) -> set[str]:
    spans = [(text.index(name), text.index(name) + len(name)) for name in companies]
    found = tagger.tag(text, language, split_sentences(text), companies=spans)
    return {t.id for t in found}


# Every exception (`except`: the sentence does not count) and mask (the words do not count) of
# the taxonomy, by its reason, with an example that is the topic without it and is not with it.
EXCEPTIONS = [
    # M&A: a share buyback is no acquisition
    (
        "Siemens erwirbt eigene Aktien im Rahmen eines Aktienrückkaufs.",
        "de",
        ("Siemens",),
        "mergers-acquisitions",
        "except",
    ),
    (
        "Siemens will acquire its own shares in a buyback.",
        "en",
        ("Siemens",),
        "mergers-acquisitions",
        "except",
    ),
    # M&A: taking over costs, a duty, an office or an operation
    (
        "Die Krankenkasse übernimmt die Kosten, die Übernahme der Kosten gilt ab Januar.",
        "de",
        (),
        "mergers-acquisitions",
        "mask",
    ),
    (
        "Die EnBW übernimmt nicht nur die technische Betriebsführung des Parks.",
        "de",
        ("EnBW",),
        "mergers-acquisitions",
        "mask",
    ),
    # M&A: goods for sale
    (
        "Händler boten die Gewehre zum Kauf an. "
        "Die Hersteller dürfen sie exportieren und verkaufen.",
        "de",
        (),
        "mergers-acquisitions",
        "mask",
    ),
    # M&A: English "fusion"; a takeover by force or protest
    ("Apple's A10 Fusion chip powers the phone.", "en", ("Apple",), "mergers-acquisitions", "mask"),
    (
        "The military takeover of the country was condemned.",
        "en",
        (),
        "mergers-acquisitions",
        "mask",
    ),
    # subscriptions: a bank account's, a card's or baggage fee is no subscription plan
    ("Die monatliche Gebühr für das Girokonto steigt.", "de", (), "subscription-plans", "except"),
    ("The credit card carries a monthly fee of $5.", "en", (), "subscription-plans", "except"),
    (
        "Für Gepäck verlangt die Airline eine Zusatzgebühr.",
        "de",
        (),
        "subscription-plans",
        "except",
    ),
    # legal: a threat of or an intention to sue, a deal awaiting approval
    (
        "Der Mieterverein droht mit einer Klage gegen den Vermieter.",
        "de",
        (),
        "legal-regulatory",
        "except",
    ),
    (
        "Einige Geschädigte wollen den Hersteller wegen der Schäden verklagen.",
        "de",
        (),
        "legal-regulatory",
        "except",
    ),
    (
        "The families plan to sue the operator and said a lawsuit would follow.",
        "en",
        (),
        "legal-regulatory",
        "except",
    ),
    (
        "The antitrust review is pending, subject to regulatory approval.",
        "en",
        (),
        "legal-regulatory",
        "except",
    ),
    # legal: German "klagen über" is complaining
    (
        "Hochschulen klagen dennoch über lange Wartezeiten. Das Verfahren soll schneller werden.",
        "de",
        (),
        "legal-regulatory",
        "mask",
    ),
    # legal: a comparison is no settlement, a ruling party no ruling, a tennis court no court
    ("Im Vergleich zum Vorjahr sank die Zahl der Verfahren.", "de", (), "legal-regulatory", "mask"),
    (
        "Members of the ruling party met near the tennis court.",
        "en",
        (),
        "legal-regulatory",
        "mask",
    ),
    # earnings: a finding, a vote or the weather
    (
        "Die Studie kommt zu dem Ergebnis, dass der Verlust an Artenvielfalt zunimmt.",
        "de",
        (),
        "earnings",
        "mask",
    ),
    (
        "Wednesday is forecast to be colder, temperatures 5 percent lower.",
        "en",
        (),
        "earnings",
        "mask",
    ),
    # layoffs: a cut of pay, taxes or rates
    ("Last year I took a pay cut to move from a safe, easy job.", "en", (), "layoffs", "mask"),
    # stock moves: a share of the price or of the company is no share price
    (
        "Ansys holders will receive $197 in cash and stock, a premium of 20 percent.",
        "en",
        (),
        "stock-moves",
        "mask",
    ),
    ("Die Stiftung hält 20 Prozent der Aktien.", "de", (), "stock-moves", "mask"),
]


@pytest.mark.parametrize(("text", "language", "companies", "topic", "kind"), EXCEPTIONS)
def test_every_exception_and_mask_has_an_example_that_needs_it(
    text: str, language: str, companies: Sequence[str], topic: str, kind: str
) -> None:
    assert topic in _tagged(_without(topic, kind), text, language, companies)
    assert topic not in _tagged(rule_topic_tagger(), text, language, companies)


def test_every_topic_with_exceptions_or_masks_has_examples_of_each() -> None:
    document = load_data_file(TAXONOMY_FILE, "topics")
    sections = {
        (t["id"], kind) for t in document["topics"] for kind in ("except", "mask") if t.get(kind)
    }
    assert sections == {(topic, kind) for *_, topic, kind in EXCEPTIONS}
