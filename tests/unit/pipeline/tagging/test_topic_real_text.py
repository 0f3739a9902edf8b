"""Real-text failure classes of the topic cues: words in another sense and threats are no topic,
while the plain news stays one; the seed article keeps its three mission topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import default_tagger
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import rule_topic_tagger

REPO = Path(__file__).resolve().parents[4]
# ../shared beside the repository (a worktree sits one level deeper)
SEED = next(
    (
        seed
        for shared in (REPO.parent / "shared", REPO.parent.parent / "shared")
        if (seed := shared / "seed" / "amazon-ki-investitionen.de.txt").is_file()
    ),
    REPO.parent / "shared" / "seed" / "amazon-ki-investitionen.de.txt",
)


def rule_topics(text: str, language: str) -> set[str]:
    return {t.id for t in rule_topic_tagger().tag(text, language, split_sentences(text))}


@pytest.mark.parametrize(
    ("text", "language", "absent"),
    [
        # a finding is no result of a company
        (
            "Die Studie kommt zu dem Ergebnis, dass der Verlust an Artenvielfalt zunimmt.",
            "de",
            "earnings",
        ),
        ("The results of the study showed a loss of habitat.", "en", "earnings"),
        # a deal or a fine from years ago is background, not the news
        (
            "Apple, which acquired Beats in 2014 for $3 billion, said revenue hit a record.",
            "en",
            "mergers-acquisitions",
        ),
        (
            "Der Konzern hatte vor zwei Jahren die Übernahme von Mentor abgeschlossen.",
            "de",
            "mergers-acquisitions",
        ),
        (
            "Damals musste die Bank eine Geldbuße von 50 Millionen Euro zahlen.",
            "de",
            "legal-regulatory",
        ),
        # a threat of a lawsuit is no legal action
        ("Der Mieterverein droht mit einer Klage gegen den Vermieter.", "de", "legal-regulatory"),
        ("The union threatened to sue the company over the new shifts.", "en", "legal-regulatory"),
        (
            "The group warned of a threat of legal action against the operator.",
            "en",
            "legal-regulatory",
        ),
    ],
)
def test_a_word_in_another_sense_or_a_threat_is_no_topic(
    text: str, language: str, absent: str
) -> None:
    assert absent not in rule_topics(text, language)


@pytest.mark.parametrize(
    ("text", "language", "present"),
    [
        (
            "Der Konzern legte ein Ergebnis von 2,1 Milliarden Euro vor, "
            "der Umsatz stieg um 4 Prozent.",
            "de",
            "earnings",
        ),
        (
            "Die Verbraucherzentrale hat Klage gegen den Konzern eingereicht.",
            "de",
            "legal-regulatory",
        ),
        ("The attorney general sued the company over its fees.", "en", "legal-regulatory"),
        (
            "Siemens übernimmt den Softwareanbieter Altair für zehn Milliarden Dollar.",
            "de",
            "mergers-acquisitions",
        ),
        ("Apple agreed to acquire the startup for $3 billion.", "en", "mergers-acquisitions"),
        (
            "Peta hat Strafanzeige gegen den Betreiber der Halle erstattet, das Verfahren läuft.",
            "de",
            "legal-regulatory",
        ),
    ],
)
def test_the_plain_news_stays_a_topic(text: str, language: str, present: str) -> None:
    assert present in rule_topics(text, language)


@pytest.mark.skipif(not SEED.is_file(), reason="the seed article lives in ../shared")
def test_the_seed_article_keeps_the_three_mission_topics() -> None:
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    found = default_tagger().tag(TaggingInput(body, title, "de"))["topics"]
    assert {"ai-investment", "earnings", "subscription-plans"} <= {t["id"] for t in found}
