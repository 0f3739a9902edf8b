"""The learned sentiment model: a linear model over hashed n-grams and the lexicon's score.

`SentenceModel` scores a sentence, or a target in it (the words around the target's mentions
are features of their own, so one sentence can be good news for one company and bad for
another). `DocumentModel` turns the sentence scores of an article into its sentiment: a small
linear model over the weighted mean (headline and lead weigh more), the extremes, the headline
and the lexicon's document score. Both are trained by `scripts/train_sentiment.py`; the files
ship in `models/sentiment/` and load once per process. Inference needs numpy only.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core.errors import ConfigError
from pipeline.tagging.sentiment_document import (
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
    is_brief,
)
from pipeline.tagging.sentiment_features import (
    FULL,
    MIX,
    START_HASH,
    FeatureConfig,
    Featurizer,
)
from pipeline.tagging.vocabulary import WordIds, WordValues

MODEL_DIR = Path(__file__).resolve().parent / "models" / "sentiment"
META_FILE = "model.json"
CLASSES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Row:
    """One thing to score: sentence feature ids, target-window feature ids, dense features."""

    sentence: list[int]
    window: list[int]
    dense: tuple[float, ...]


def dense_features(lexicon_score: float, has_target: bool, language: str) -> tuple[float, ...]:
    return (
        lexicon_score,
        max(0.0, lexicon_score),
        min(0.0, lexicon_score),
        1.0 if has_target else 0.0,
        1.0 if language == "de" else 0.0,
    )


DENSE_FEATURES = 5


class SentenceModel:
    def __init__(
        self, config: FeatureConfig, weights: np.ndarray, dense: np.ndarray, bias: np.ndarray
    ) -> None:
        if weights.shape != (1 << config.bits, len(CLASSES)):
            raise ConfigError(f"sentiment model: weights of shape {weights.shape} do not fit")
        if dense.shape != (DENSE_FEATURES, len(CLASSES)) or bias.shape != (len(CLASSES),):
            raise ConfigError("sentiment model: dense weights or bias of the wrong shape")
        self.featurizer = Featurizer(config)
        self.weights = weights
        self.dense = dense
        self.bias = bias
        # by vocabulary id: the hash of the word's normal form (for bigrams; a CRC-32, exact
        # as a float), its feature count (and the bigram it ends) and its summed weight rows
        self._words = WordValues(self._word_row, np.float64, width=2 + len(CLASSES))

    def _word_row(self, word: str) -> list[float]:
        value, ids = self.featurizer.word_features(word)
        vector = self.weights[list(ids)].sum(axis=0, dtype=np.float64)
        return [float(value), float(len(ids) + 1), *vector.tolist()]

    def sentence_parts(
        self, sentences: Sequence[Sequence[str]], ids: WordIds | None = None
    ) -> np.ndarray:
        """The sentence group's share of the class scores for each sentence (its words), the
        same as `logits` computes from `Featurizer.sentence_ids`, from the words' sums kept by
        vocabulary id (`ids`: those of the sentences' words in a row, when known): one gather
        and one reduction for the whole article."""
        result = np.zeros((len(sentences), len(CLASSES)))
        lengths = [len(words) for words in sentences]
        total = sum(lengths)
        if not total:
            return result
        rows = self._words.of(list(chain.from_iterable(sentences)), ids)
        hashes = rows[:, 0].astype(np.uint64)
        previous = np.empty_like(hashes)
        previous[1:] = hashes[:-1]
        offsets = np.cumsum([0, *lengths[:-1]])
        filled = np.asarray(lengths) > 0
        starts = offsets[filled]
        previous[starts] = START_HASH
        mask = np.uint64((1 << self.featurizer.config.bits) - 1)
        bigrams = (((previous * np.uint64(MIX)) & np.uint64(FULL)) ^ hashes) & mask
        contributions = rows[:, 2:] + self.weights[bigrams.astype(np.int64)]
        sums = np.add.reduceat(contributions, starts, axis=0)
        sizes = np.add.reduceat(rows[:, 1], starts)
        result[filled] = sums / np.sqrt(sizes)[:, None]
        return result

    def window_part(self, ids: Sequence[int]) -> np.ndarray:
        if not ids:
            return np.zeros(len(CLASSES))
        return self.weights[list(ids)].sum(axis=0, dtype=np.float64) / len(ids) ** 0.5  # type: ignore[no-any-return]

    def logits(self, rows: Sequence[Row]) -> np.ndarray:
        """Class scores, one row per input row: bias + dense + each group's weight rows summed
        and scaled by 1/sqrt(the group's size)."""
        result = np.tile(self.bias, (len(rows), 1))
        if not rows:
            return result
        result += np.asarray([r.dense for r in rows], dtype=np.float64) @ self.dense
        ids: list[int] = []
        starts: list[int] = []
        scales: list[float] = []
        owners: list[int] = []
        for index, row in enumerate(rows):
            for group in (row.sentence, row.window):
                if group:
                    starts.append(len(ids))
                    ids += group
                    scales.append(len(group) ** -0.5)
                    owners.append(index)
        if ids:
            gathered = self.weights[np.asarray(ids)]
            sums = np.add.reduceat(gathered, np.asarray(starts), axis=0, dtype=np.float64)
            np.add.at(result, np.asarray(owners), sums * np.asarray(scales)[:, None])
        return result


def probabilities(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


class DocumentModel:
    """A linear model over a fixed number of article-level features (the document's or a
    company's; `sentiment_document.py` computes them)."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, features: int) -> None:
        if weights.shape != (features, len(CLASSES)) or bias.shape != (len(CLASSES),):
            raise ConfigError(
                f"sentiment model: article weights of shape {weights.shape}, expected "
                f"({features}, {len(CLASSES)})"
            )
        self.weights = weights
        self.bias = bias

    def probabilities(self, features: tuple[float, ...]) -> np.ndarray:
        logits = np.asarray(features) @ self.weights + self.bias
        row: np.ndarray = probabilities(logits[None, :])[0]
        return row


@dataclass(frozen=True)
class SentimentModel:
    """A sentence model per language (English stands in for others), the document models (of
    articles and of briefs) and the per-company model."""

    languages: dict[str, SentenceModel]
    documents: DocumentModel
    briefs: DocumentModel
    companies: DocumentModel
    version: str
    subject_mentions: int = 0  # a company named more often takes the document's sentiment

    def document(self, features: tuple[float, ...]) -> tuple[DocumentModel, tuple[float, ...]]:
        """The document model for these document features, and what it reads of them."""
        if is_brief(features):
            return self.briefs, features[:TONE_FEATURES]
        return self.documents, features

    def sentences(self, language: str) -> SentenceModel:
        return self.languages.get(language) or self.languages["en"]


def weights_file(language: str) -> str:
    return f"weights-{language}.npy.gz"


def write_model(
    folder: Path,
    languages: dict[str, SentenceModel],
    document: DocumentModel,
    brief: DocumentModel,
    company: DocumentModel,
    summary: dict[str, Any],
    subject_mentions: int = 0,
) -> None:
    """Write the files deterministically (same arrays, same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"classes": list(CLASSES), "languages": {}, "training": summary}
    for language, model in sorted(languages.items()):
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(model.weights, dtype="<f4"), allow_pickle=False)
        compressed = gzip.compress(buffer.getvalue(), 9, mtime=0)
        (folder / weights_file(language)).write_bytes(compressed)
        meta["languages"][language] = {
            "features": model.featurizer.config.as_dict(),
            "dense": _rounded(model.dense),
            "bias": _rounded(model.bias),
        }
    meta["document"] = {"weights": _rounded(document.weights), "bias": _rounded(document.bias)}
    meta["brief"] = {"weights": _rounded(brief.weights), "bias": _rounded(brief.bias)}
    meta["company"] = {
        "weights": _rounded(company.weights),
        "bias": _rounded(company.bias),
        "subject_mentions": subject_mentions,
    }
    (folder / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")


def _rounded(array: np.ndarray) -> Any:
    return np.round(array.astype(np.float64), 6).tolist()


def load_model(folder: Path = MODEL_DIR) -> SentimentModel:
    try:
        meta_bytes = (folder / META_FILE).read_bytes()
        meta = json.loads(meta_bytes)
        if list(meta["classes"]) != list(CLASSES):
            raise ConfigError(f"sentiment model {folder}: classes {meta['classes']} unexpected")
        digest = hashlib.sha256(meta_bytes)
        languages = {}
        for language, entry in sorted(meta["languages"].items()):
            raw = (folder / weights_file(language)).read_bytes()
            digest.update(raw)
            weights = np.load(io.BytesIO(gzip.decompress(raw)), allow_pickle=False)
            languages[language] = SentenceModel(
                FeatureConfig.from_dict(entry["features"]),
                weights.astype(np.float32),
                np.asarray(entry["dense"], dtype=np.float64),
                np.asarray(entry["bias"], dtype=np.float64),
            )
        if "en" not in languages:
            raise ConfigError(f"sentiment model {folder}: no English model")
        documents = _article_model(meta["document"], DOCUMENT_FEATURES)
        briefs = _article_model(meta["brief"], TONE_FEATURES)
        companies = _article_model(meta["company"], COMPANY_FEATURES)
        subject = meta["company"].get("subject_mentions", 0)  # absent: no subject rule
        if not isinstance(subject, int) or subject < 0:
            raise ValueError(f"subject_mentions must be a count, not {subject!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"sentiment model {folder} cannot be loaded: {exc}") from exc
    version = f"sentiment-lr-{digest.hexdigest()[:12]}"
    return SentimentModel(languages, documents, briefs, companies, version, subject)


def _article_model(entry: dict[str, Any], features: int) -> DocumentModel:
    return DocumentModel(
        np.asarray(entry["weights"], dtype=np.float64),
        np.asarray(entry["bias"], dtype=np.float64),
        features,
    )


@cache
def default_sentiment_model() -> SentimentModel:
    return load_model(MODEL_DIR)
