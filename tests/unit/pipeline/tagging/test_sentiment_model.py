"""The learned sentiment model: features, files, loading and what the tagger makes of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.base import TaggingInput
from pipeline.tagging.model_sentiment import target_label, target_row
from pipeline.tagging.sentiment_document import (
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
)
from pipeline.tagging.sentiment_features import ENTITY, FeatureConfig, Featurizer, masked_words
from pipeline.tagging.sentiment_model import (
    DocumentModel,
    SentenceModel,
    default_sentiment_model,
    load_model,
    write_model,
)
from pipeline.tagging.tagger import default_tagger, lexicon_tagger

MODEL_DIR = Path(__file__).resolve().parents[4] / "pipeline" / "tagging" / "models" / "sentiment"


def test_entity_spans_become_one_token_each() -> None:
    words = ["siemens", "energy", "beats", "rwe", "again"]
    starts = [0, 8, 15, 21, 25]
    masked, positions = masked_words(words, starts, [(21, 24), (0, 14)])
    assert masked == [ENTITY, "beats", ENTITY, "again"]
    assert positions == [2, 0]


def test_feature_ids_do_not_depend_on_the_process() -> None:
    """CRC-32, not Python's salted hash: the same words give the same buckets anywhere."""
    code = (
        "from pipeline.tagging.sentiment_features import FeatureConfig, Featurizer;"
        "f = Featurizer(FeatureConfig());"
        "print(f.sentence_ids(['gewinn', 'bricht', 'ein', '2025']))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=Path(__file__).resolve().parents[4],
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    ids = Featurizer(FeatureConfig()).sentence_ids(["gewinn", "bricht", "ein", "2025"])
    assert outputs == {f"{ids}\n"}
    assert all(0 <= i < 1 << FeatureConfig().bits for i in ids)


def test_digits_collapse_so_numbers_look_alike() -> None:
    featurizer = Featurizer(FeatureConfig())
    assert featurizer.word_ids("3,9") == featurizer.word_ids("2,5")


def test_written_files_are_the_same_bytes_for_the_same_arrays(tmp_path: Path) -> None:
    config = FeatureConfig(bits=4, char_ngrams=(), window=2)
    weights = np.arange(48, dtype=np.float32).reshape(16, 3) / 7
    sentences = SentenceModel(config, weights, np.ones((5, 3)) / 3, np.zeros(3))
    documents = DocumentModel(np.ones((DOCUMENT_FEATURES, 3)), np.zeros(3), DOCUMENT_FEATURES)
    briefs = DocumentModel(np.ones((TONE_FEATURES, 3)), np.zeros(3), TONE_FEATURES)
    companies = DocumentModel(np.ones((COMPANY_FEATURES, 3)), np.zeros(3), COMPANY_FEATURES)
    for name in ("a", "b"):
        write_model(tmp_path / name, {"en": sentences}, documents, briefs, companies, {"n": 1})
    for file in ("model.json", "weights-en.npy.gz"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    loaded = load_model(tmp_path / "a")
    assert np.array_equal(loaded.sentences("en").weights, weights)
    assert loaded.sentences("fr") is loaded.sentences("en"), "English stands in for others"
    assert loaded.version.startswith("sentiment-lr-")


def test_a_missing_or_broken_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be loaded"):
        load_model(tmp_path)
    (tmp_path / "model.json").write_text('{"classes": ["negative", "neutral", "positive"]}')
    with pytest.raises(ConfigError, match="cannot be loaded"):
        load_model(tmp_path)


def test_the_shipped_model_is_small_and_loads_once() -> None:
    size = sum(f.stat().st_size for f in MODEL_DIR.iterdir())
    assert size <= 25_000_000
    assert default_sentiment_model() is default_sentiment_model()
    assert set(default_sentiment_model().languages) == {"en", "de"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Acme shares surged after the company beat profit estimates and raised guidance",
            "positive",
        ),
        ("Acme shares plunged after the company cut its outlook and warned on profit", "negative"),
        ("Acme will hold its annual general meeting in Frankfurt on Thursday", "neutral"),
    ],
)
def test_the_model_reads_plain_english_headlines(text: str, expected: str) -> None:
    model = default_sentiment_model()
    row = target_row(model.sentences("en").featurizer, text, [(0, 4)], [], "en")
    assert target_label(model, row, "en") == expected


def test_one_sentence_can_be_good_for_one_company_and_bad_for_another() -> None:
    model = default_sentiment_model()
    featurizer = model.sentences("en").featurizer
    text = "Acme shares jumped 8% to a record high, while Beta shares tumbled 12% after a loss"
    acme, beta = (0, 4), (46, 50)
    assert text[46:50] == "Beta"
    good = target_label(model, target_row(featurizer, text, [acme], [beta], "en"), "en")
    bad = target_label(model, target_row(featurizer, text, [beta], [acme], "en"), "en")
    assert (good, bad) == ("positive", "negative")


def test_the_tagger_gives_each_company_its_own_sentiment() -> None:
    """Target-aware: in one article, good news for one company and bad for another. The
    per-company model keeps a wide neutral band (most companies in real news are neutral), so
    the second company of a mixed article may stay neutral, but its score sits below."""
    article = TaggingInput(
        "Siemens shares jumped to a record high after strong orders. "
        "BASF shares tumbled after the chemicals maker issued a profit warning and cut jobs.",
        "Siemens soars, BASF slumps",
        "en",
    )
    tags = default_tagger().tag(article)
    sentiment = {c["id"]: c["sentiment"] for c in tags["companies"]}
    assert sentiment["siemens"]["label"] == "positive"
    assert sentiment["basf"]["label"] != "positive"
    assert sentiment["basf"]["score"] < sentiment["siemens"]["score"] - 0.3
    assert default_tagger().tag(article) == tags, "deterministic"
    assert set(tags["sentiment"]) == {"label", "score"}
    assert -1.0 <= tags["sentiment"]["score"] <= 1.0


def test_plainly_bad_news_for_the_one_company_named_is_negative_for_it() -> None:
    article = TaggingInput(
        "BASF shares plunged 12% after the chemicals maker issued a profit warning, cut its "
        "outlook and announced 2,000 job cuts.",
        "BASF shares plunge after profit warning",
        "en",
    )
    companies = default_tagger().tag(article)["companies"]
    assert [(c["id"], c["sentiment"]["label"]) for c in companies] == [("basf", "negative")]


def test_the_lexicon_tagger_stays_available_as_the_baseline() -> None:
    assert lexicon_tagger().model is None
    assert default_tagger().model is default_sentiment_model()
    article = TaggingInput("Die Aktie von BASF brach nach der Gewinnwarnung ein.", None, "de")
    assert lexicon_tagger().tag(article)["sentiment"]["label"] == "negative"


def test_the_fast_sentence_path_gives_the_logits_of_the_feature_rows() -> None:
    """Tagging sums cached word weights; training reads feature ids: the same scores."""
    from pipeline.tagging.sentiment_model import Row, dense_features

    model = default_sentiment_model().sentences("de")
    sentences = [
        ["die", "aktie", "brach", "um", "12", "prozent", "ein"],
        [],
        ["<e>", "hebt", "die", "prognose", "an"],
    ]
    fast = model.sentence_parts(sentences) + model.bias
    fast += np.asarray([dense_features(0.2, False, "de")] * 3) @ model.dense
    rows = [
        Row(model.featurizer.sentence_ids(w), [], dense_features(0.2, False, "de"))
        for w in sentences
    ]
    assert np.allclose(fast, model.logits(rows), atol=1e-9)


def test_an_empty_article_is_neutral() -> None:
    tags = default_tagger().tag(TaggingInput("", None, "en"))
    assert tags["sentiment"]["label"] == "neutral"


def test_dense_rows_at_once_are_the_dense_features_of_each_row() -> None:
    from pipeline.tagging.model_sentiment import dense_matrix
    from pipeline.tagging.sentiment_model import dense_features

    scores = np.asarray([0.4, -0.3, 0.0])
    rows = [dense_features(0.4, False, "de"), dense_features(-0.3, False, "de")]
    rows.append(dense_features(0.0, True, "de"))
    assert np.array_equal(dense_matrix(scores, 2, "de"), np.asarray(rows))


def test_article_models_of_the_wrong_width_are_a_clear_error(tmp_path: Path) -> None:
    config = FeatureConfig(bits=4, char_ngrams=(), window=2)
    sentences = SentenceModel(config, np.zeros((16, 3), np.float32), np.zeros((5, 3)), np.zeros(3))
    documents = DocumentModel(np.ones((DOCUMENT_FEATURES, 3)), np.zeros(3), DOCUMENT_FEATURES)
    briefs = DocumentModel(np.ones((TONE_FEATURES, 3)), np.zeros(3), TONE_FEATURES)
    wrong = DocumentModel(np.ones((COMPANY_FEATURES - 1, 3)), np.zeros(3), COMPANY_FEATURES - 1)
    write_model(tmp_path, {"en": sentences}, documents, briefs, wrong, {})
    with pytest.raises(ConfigError, match=rf"expected \({COMPANY_FEATURES}, 3\)"):
        load_model(tmp_path)
