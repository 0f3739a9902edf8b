"""The topic model: it reviews what the rule thresholds take, keeps score and evidence, drops
passing mentions in general news, and a malformed model file is a clear error."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.tagger import DefaultTagger, default_tagger
from pipeline.tagging.topic import rule_topic_tagger
from pipeline.tagging.topic_model import FEATURES, TopicModel, load_topic_model
from pipeline.tools.evaluation.tagging import load_labelled

ROOT = Path(__file__).resolve().parents[4]
MODEL = DATA_DIR / "topic_model.json"

# General news, as most real pages are: a stray cue word is no topic of the article.
GENERAL_NEWS = (
    "Der Stadtrat hat am Dienstagabend über den neuen Radweg an der Uferstraße beraten. "
    "Anwohner hatten sich seit Monaten über den Lärm der Baustelle beschwert. "
    "Die Bürgermeisterin sagte, die Arbeiten sollten bis zum Herbst abgeschlossen sein. "
    "Ein Anwohner kündigte an, er wolle die Stadt notfalls verklagen. "
    "Die Opposition forderte mehr Bäume und breitere Gehwege entlang der Strecke. "
    "Am Wochenende feierten Hunderte Besucher das Sommerfest im Stadtpark. "
    "Die Feuerwehr zeigte ihre Fahrzeuge, ein Chor sang Volkslieder. "
    "Für Kinder gab es ein Karussell, eine Hüpfburg und einen Malwettbewerb. "
    "Der Verein der Kleingärtner stellte Obst und Gemüse aus eigener Ernte vor. "
    "Die Veranstalter zählten mehr Gäste als im vergangenen Jahr. "
    "Wegen eines Gewitters musste das Konzert am Abend eine Stunde früher enden. "
    "Verletzt wurde niemand, teilte die Polizei mit. "
)
BUSINESS_LAWSUIT = (
    "Die Verbraucherzentrale verklagt den Stromanbieter Volta wegen seiner Preiserhöhungen. "
    "Die Klage wurde beim Landgericht Düsseldorf eingereicht. "
    "Der Konzern habe die Kunden nicht rechtzeitig informiert, heißt es in der Klageschrift. "
    "Ein Sprecher des Unternehmens wies die Vorwürfe zurück."
)


def topics(text: str, language: str = "de", title: str | None = None) -> set[str]:
    return {t["id"] for t in default_tagger().tag(TaggingInput(text, title, language))["topics"]}


def rule_topics(text: str, language: str = "de", title: str | None = None) -> set[str]:
    tagger = default_tagger()
    rules = DefaultTagger(tagger.companies, rule_topic_tagger(), tagger.sentiment)
    return {t["id"] for t in rules.tag(TaggingInput(text, title, language))["topics"]}


def test_the_shipped_model_names_this_codes_features_and_every_topic() -> None:
    document = json.loads(MODEL.read_text(encoding="utf-8"))
    assert document["features"] == list(FEATURES)
    assert set(document["topics"]) == set(rule_topic_tagger().topics)
    assert 0 < document["keep"] < 1


def test_a_stray_cue_in_general_news_is_no_topic_while_the_rules_take_it() -> None:
    assert "legal-regulatory" in rule_topics(GENERAL_NEWS)
    assert "legal-regulatory" not in topics(GENERAL_NEWS)


def test_a_lawsuit_against_a_company_stays_a_topic() -> None:
    assert "legal-regulatory" in topics(
        BUSINESS_LAWSUIT, title="Verbraucherschützer verklagen Volta"
    )


def test_the_model_adds_no_topic_the_rules_would_not_take() -> None:
    articles = [a for a in load_labelled(ROOT / "tests" / "eval" / "labelled_articles.yaml")]
    for article in [a for a in articles if not a.holdout][:120]:
        assert topics(article.text, article.lang, article.title) <= rule_topics(
            article.text, article.lang, article.title
        ), article.id


def test_every_topic_carries_a_score_and_its_cues_as_evidence() -> None:
    found = default_tagger().tag(
        TaggingInput(BUSINESS_LAWSUIT, "Verbraucherschützer verklagen Volta", "de")
    )["topics"]
    assert found
    for topic in found:
        assert set(topic) == {"id", "score", "evidence"}
        assert 0.5 <= topic["score"] <= 1
        assert topic["evidence"] and all(isinstance(e, str) and e for e in topic["evidence"])


def _model_document() -> dict:
    return json.loads(MODEL.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d.update(features=d["features"][:-1]),
        lambda d: d["topics"]["earnings"]["weights"].pop("total"),
        lambda d: d["topics"]["earnings"].pop("bias"),
        lambda d: d.update(keep=1.5),
        lambda d: d.update(topics=[]),
    ],
)
def test_a_malformed_model_is_a_clear_error(spoil) -> None:
    document = copy.deepcopy(_model_document())
    spoil(document)
    with pytest.raises(ConfigError):
        TopicModel(document)


def test_an_unreadable_model_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "model.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_topic_model(broken)
