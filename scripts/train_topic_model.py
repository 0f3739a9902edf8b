"""Train the topic model (`pipeline/tagging/data/topic_model.json`): one logistic regression per
topic over the features of its cue matches (`pipeline.tagging.topic_model.FEATURES`).

Training data: the dev part of the synthetic labelled set (`tests/eval/labelled_articles.yaml`,
never its held-out part) and, with `--realnews DIR`, the dev split of the real-news labelled set
(tests/eval/real_news.yaml; DIR is the shared data folder its texts come from). `--cv K` reports
K-fold cross-validated figures of the model beside the rule thresholds instead of writing the
model. Deterministic: the same data give the same file, byte for byte.

    .venv/bin/python scripts/train_topic_model.py --realnews ../shared/data
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.patterns import tokenize
from pipeline.tagging.registry import default_companies
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import rule_topic_tagger
from pipeline.tagging.topic_evidence import DocumentEvidence
from pipeline.tagging.topic_model import FEATURES, features
from pipeline.tools.evaluation.real_news import load_labels, with_texts
from pipeline.tools.evaluation.tagging import TOPICS, load_labelled

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "eval" / "labelled_articles.yaml"
REAL_NEWS = ROOT / "tests" / "eval" / "real_news.yaml"
MODEL = ROOT / "pipeline" / "tagging" / "data" / "topic_model.json"
VERSION = "1"
CLASS_WEIGHT: str | None = None


@dataclass(frozen=True)
class Article:
    id: str
    source: str  # "synthetic" or "real"
    evidence: DocumentEvidence
    gold: frozenset[str]
    rule: frozenset[str]  # what the rule thresholds decide


@cache
def _companies() -> CompanyMatcher:
    return CompanyMatcher(default_companies())


def document_evidence(title: str, text: str, language: str) -> DocumentEvidence:
    """The topic evidence as the default tagger computes it (title, newline, body)."""
    full = f"{title}\n{text}" if title else text
    sentences = split_sentences(full)
    mentions = _companies().find(full, sentences)
    return rule_topic_tagger().evidence(
        full,
        language,
        sentences,
        tokenize(full),
        len(title) + 1 if title else 0,
        [(m.start, m.end) for m in mentions],
    )


def articles(realnews: Path | None) -> list[Article]:
    found = []
    raw: list[tuple[str, str, str, str, str, Iterable[str]]] = [
        (a.id, "synthetic", a.title, a.text, a.lang, a.topics)
        for a in load_labelled(LABELLED)
        if not a.holdout
    ]
    if realnews is not None:
        raw += [
            (a["id"], "real", a["title"] or "", a["text"], a["lang"], a["topics"])
            for a in _realnews_dev(realnews)
        ]
    for article_id, source, title, text, language, gold in raw:
        evidence = document_evidence(title, text, language)
        rule = frozenset(t.topic for t in evidence.topics if t.total >= t.threshold)
        found.append(Article(article_id, source, evidence, frozenset(gold), rule))
    return found


def _realnews_dev(data: Path) -> list[dict[str, Any]]:
    """The dev split of tests/eval/real_news.yaml, texts rebuilt from the shared data folder."""
    articles, _ = with_texts(load_labels(REAL_NEWS), data)
    return [
        {"id": a.id, "title": a.title, "text": a.text, "lang": a.lang, "topics": a.topics}
        for a in articles
        if a.split == "dev"
    ]


def rows(data: list[Article], topic: str) -> tuple[np.ndarray, np.ndarray, list[int], list[str]]:
    """Feature rows of the articles where the rules take `topic` (the model reviews those),
    their labels, article indices and sources."""
    x, y, index, source = [], [], [], []
    for number, article in enumerate(data):
        for evidence in article.evidence.topics:
            if evidence.topic == topic and evidence.total >= evidence.threshold:
                x.append(features(evidence, article.evidence))
                y.append(topic in article.gold)
                index.append(number)
                source.append(article.source)
    return np.array(x, dtype=float).reshape(-1, len(FEATURES)), np.array(y), index, source


def fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray, c: float) -> tuple[list[float], float]:
    """Weights on the raw features (standardised inside, folded back)."""
    if len(set(y.tolist())) < 2:
        return [0.0] * x.shape[1], 10.0 if y.all() else -10.0
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT)
    model.fit((x - mean) / scale, y, sample_weight=weights)
    coef = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (coef * mean).sum())
    return [float(v) for v in coef], bias


def train(
    data: list[Article], c: float, real_weight: float
) -> dict[str, tuple[list[float], float]]:
    result = {}
    for topic in TOPICS:
        x, y, _, source = rows(data, topic)
        if len(y) == 0:
            continue
        weights = np.array([real_weight if s == "real" else 1.0 for s in source])
        result[topic] = fit(x, y, weights, c)
    return result


def predict(model: dict[str, tuple[list[float], float]], article: Article, keep: float) -> set[str]:
    taken = set()
    for evidence in article.evidence.topics:
        if evidence.total < evidence.threshold:
            continue
        weights, bias = model[evidence.topic]
        z = bias + sum(
            w * v for w, v in zip(weights, features(evidence, article.evidence), strict=True)
        )
        if z >= math.log(keep / (1 - keep)):
            taken.add(evidence.topic)
    return taken


def _outcome(topic: str, predicted: Iterable[str], gold: Iterable[str]) -> str:
    taken, true = topic in predicted, topic in gold
    return ("tp" if true else "fp") if taken else ("fn" if true else "tn")


def macro_f1(
    pairs: list[tuple[Iterable[str], Iterable[str]]],
) -> tuple[float, dict[str, tuple[float, int, int, int]]]:
    """Macro-F1 as the real-news scorer counts it (`pipeline.tools.evaluation.metrics`): over
    the topics with support or a false hit (a topic with neither is left out; its F1 shows as
    1.0) and per topic (F1, tp, fp, fn)."""
    counts = {t: Counter(_outcome(t, set(p), set(g)) for p, g in pairs) for t in TOPICS}
    f1 = {}
    for t, c in counts.items():
        d = 2 * c["tp"] + c["fp"] + c["fn"]
        f1[t] = 2 * c["tp"] / d if d else 1.0
    per_topic = {t: (round(f1[t], 3), c["tp"], c["fp"], c["fn"]) for t, c in counts.items()}
    scored = [f1[t] for t, c in counts.items() if c["tp"] + c["fp"] + c["fn"]]
    return (sum(scored) / len(scored) if scored else 0.0), per_topic


def cross_validate(
    data: list[Article], folds: int, c: float, real_weight: float, keep: float, show: bool = False
) -> None:
    predicted: list[set[str]] = [set() for _ in data]
    for fold in range(folds):
        train_part = [a for n, a in enumerate(data) if n % folds != fold]
        model = train(train_part, c, real_weight)
        for n, article in enumerate(data):
            if n % folds == fold:
                predicted[n] = predict(model, article, keep)
    for source in ("synthetic", "real"):
        part = [n for n, a in enumerate(data) if a.source == source]
        if not part:
            continue
        rule, rule_topics = macro_f1([(data[n].rule, data[n].gold) for n in part])
        cv, cv_topics = macro_f1([(predicted[n], data[n].gold) for n in part])
        if show:
            for n in part:
                if predicted[n] != data[n].gold:
                    got, gold = sorted(predicted[n]), sorted(data[n].gold)
                    print(f"   {data[n].id}: predicted {got} gold {gold}")
        print(f"{source} dev ({len(part)}): rules {rule:.3f}  model (cv) {cv:.3f}")
        for t in TOPICS:
            print(f"   {t:22} rules f1/tp/fp/fn {rule_topics[t]}   model {cv_topics[t]}")


def training_record(data: list[Article], c: float, real_weight: float) -> dict[str, object]:
    """What the model was fitted on: the settings, the articles of each source and a SHA-256 of
    their ids in training order (the folds of --cv follow that order), so a retrain on other or
    reordered articles shows in the file."""
    by_source = {s: [a.id for a in data if a.source == s] for s in ("synthetic", "real")}
    ids = "\n".join(a.id for a in data).encode("utf-8")
    return {
        "c": c,
        "real_weight": real_weight,
        "articles": {source: len(found) for source, found in by_source.items()},
        "article_ids_sha256": hashlib.sha256(ids).hexdigest(),
    }


def write(
    model: dict[str, tuple[list[float], float]],
    keep: float,
    path: Path,
    training: dict[str, object],
) -> None:
    document = {
        "version": VERSION,
        "keep": keep,
        "training": training,
        "features": list(FEATURES),
        "topics": {
            topic: {
                "bias": round(bias, 6),
                "weights": {n: round(w, 6) for n, w in zip(FEATURES, weights, strict=True)},
            }
            for topic, (weights, bias) in sorted(model.items())
        },
    }
    path.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--realnews",
        type=Path,
        help="the shared data folder the real-news texts come from (dev split only)",
    )
    parser.add_argument("--cv", type=int, default=0, help="report K-fold figures, write nothing")
    parser.add_argument("--c", type=float, default=0.1, help="inverse L2 strength")
    parser.add_argument("--real-weight", type=float, default=3.0, help="weight of a real article")
    parser.add_argument("--keep", type=float, default=0.5, help="probability a topic needs")
    parser.add_argument("--show", action="store_true", help="with --cv: list the errors")
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    data = articles(args.realnews)
    if args.cv:
        cross_validate(data, args.cv, args.c, args.real_weight, args.keep, args.show)
        return 0
    training = training_record(data, args.c, args.real_weight)
    write(train(data, args.c, args.real_weight), args.keep, args.out, training)
    print(f"wrote {args.out} from {len(data)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
