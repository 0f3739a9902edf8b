"""Train the sentiment model that ships in pipeline/tagging/models/sentiment/.

    python scripts/train_sentiment.py [--data ../shared/data] [--out DIR] [--search]

Training data: the train splits of FinEntity, SEntFiN 1.0, Twitter financial news and GerNTSA
(split rule: pipeline/tools/evaluation/sentiment_sets.py) and the dev part of the project's labelled
articles (tests/eval/README.md). The sentence model (multinomial logistic regression over hashed
word and character n-grams, target windows and the lexicon's score) is fitted on the train
splits; its dev splits pick the regularisation (`--search` prints the grid). The final sentence
model is fitted on train and dev; the document model on the labelled dev articles' sentence
scores. No test split and no held-out article is read. Deterministic: the same data give the
same files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# one BLAS thread: the fit is then the same from run to run (set before numpy loads)
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.tagging.base import TaggingInput  # noqa: E402
from pipeline.tagging.model_sentiment import target_row  # noqa: E402
from pipeline.tagging.sentiment_features import FeatureConfig, Featurizer  # noqa: E402
from pipeline.tagging.sentiment_model import (  # noqa: E402
    CLASSES,
    DENSE_FEATURES,
    DOCUMENT_FEATURES,
    MODEL_DIR,
    DocumentModel,
    Row,
    SentenceModel,
    SentimentModel,
    write_model,
)
from pipeline.tagging.tagger import DefaultTagger, lexicon_tagger  # noqa: E402
from pipeline.tools.evaluation.sentiment_sets import TargetItem, load_sets  # noqa: E402
from pipeline.tools.evaluation.tagging import Labelled, load_labelled  # noqa: E402


@dataclass(frozen=True)
class LanguageSetup:
    sets: tuple[str, ...]
    config: FeatureConfig
    c: float  # inverse regularisation strength, chosen on the dev splits (--search)
    grid: tuple[float, ...]


# English: entity, headline and tweet sets; German: GerNTSA (a small set: fewer buckets, no
# character n-grams and strong regularisation measured best on its dev split).
LANGUAGES = {
    "en": LanguageSetup(
        ("FinEntity", "SEntFiN 1.0", "Twitter financial news"),
        FeatureConfig(bits=18, char_ngrams=(4,), window=4),
        4.0,
        (1.0, 4.0),
    ),
    "de": LanguageSetup(
        ("GerNTSA",), FeatureConfig(bits=16, char_ngrams=(), window=4), 0.1, (0.05, 0.1, 0.25)
    ),
}
DOCUMENT_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)  # chosen by 5-fold cross-validation on dev articles
LABELLED = REPO / "tests" / "eval" / "labelled_articles.yaml"


def item_row(featurizer: Featurizer, item: TargetItem) -> Row:
    return target_row(featurizer, item.text, item.target, item.entities, item.language)


def matrix(rows: Sequence[Row], bits: int) -> sparse.csr_matrix:
    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    width = 1 << bits
    for row in rows:
        for group in (row.sentence, row.window):
            if group:
                columns += group
                data += [1.0 / len(group) ** 0.5] * len(group)
        columns += range(width, width + DENSE_FEATURES)
        data += row.dense
        pointers.append(len(columns))
    result = sparse.csr_matrix(
        (np.asarray(data), np.asarray(columns), np.asarray(pointers)),
        shape=(len(rows), width + DENSE_FEATURES),
    )
    result.sum_duplicates()
    return result


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4, solver="lbfgs")
    return model.fit(x, y)


def labels(items: Sequence[TargetItem]) -> np.ndarray:
    return np.asarray([CLASSES.index(i.label) for i in items])


def sentence_model(model: LogisticRegression, config: FeatureConfig) -> SentenceModel:
    coef = model.coef_.T.astype(np.float32)
    width = 1 << config.bits
    dense = np.round(coef[width:].astype(np.float64), 6)
    bias = np.round(model.intercept_.astype(np.float64), 6)
    return SentenceModel(config, coef[:width], dense, bias)


def accuracy_on(
    model: LogisticRegression, rows: Sequence[Row], items: Sequence[TargetItem], bits: int
) -> float:
    predicted = model.predict(matrix(rows, bits))
    return round(float(np.mean(predicted == labels(items))), 4)


def train_language(
    setup: LanguageSetup, sets: dict[str, list[TargetItem]], search: bool
) -> tuple[SentenceModel, dict[str, object]]:
    featurizer = Featurizer(setup.config)
    chosen = [(item_row(featurizer, i), i, name) for name in setup.sets for i in sets[name]]

    def part(splits: set[str]) -> tuple[list[Row], list[TargetItem]]:
        picked = [(r, i) for r, i, _ in chosen if i.split in splits]
        return [r for r, _ in picked], [i for _, i in picked]

    train_rows, train_items = part({"train"})
    x_train, y_train = matrix(train_rows, setup.config.bits), labels(train_items)
    grid: dict[str, dict[str, float]] = {}
    for c in setup.grid if search else (setup.c,):
        fitted = fit(x_train, y_train, c)
        grid[str(c)] = {}
        for name in setup.sets:
            dev = [(r, i) for r, i, n in chosen if i.split == "dev" and n == name]
            grid[str(c)][name] = accuracy_on(
                fitted, [r for r, _ in dev], [i for _, i in dev], setup.config.bits
            )
        print(f"C={c}: dev accuracy {grid[str(c)]}", file=sys.stderr, flush=True)
    rows, items = part({"train", "dev"})
    final = fit(matrix(rows, setup.config.bits), labels(items), setup.c)
    summary: dict[str, object] = {
        "items": {"train": len(train_items), "train+dev": len(items)},
        "c": setup.c,
        "dev_accuracy_of_train_fit": grid,
    }
    return sentence_model(final, setup.config), summary


def document_training(
    tagger: DefaultTagger, articles: Sequence[Labelled]
) -> tuple[np.ndarray, np.ndarray]:
    features = []
    for article in articles:
        parsed = tagger.parse(TaggingInput(article.text, article.title, article.lang))
        document, companies = tagger._lexicon_sentiment(parsed)
        features.append(tagger.article_scores(parsed, document, companies).document)
    return np.asarray(features), np.asarray([CLASSES.index(a.sentiment) for a in articles])


def cross_validated(x: np.ndarray, y: np.ndarray, c: float, folds: int = 5) -> float:
    """Accuracy over folds by article position (every fifth article in one fold)."""
    hits = 0
    for fold in range(folds):
        test = np.arange(len(y)) % folds == fold
        model = LogisticRegression(C=c, max_iter=2000, tol=1e-8).fit(x[~test], y[~test])
        hits += int((model.predict(x[test]) == y[test]).sum())
    return round(hits / len(y), 4)


def train(data: Path, out: Path, search: bool) -> dict[str, object]:
    sets = load_sets(data)
    languages: dict[str, SentenceModel] = {}
    summary: dict[str, object] = {}
    for language, setup in LANGUAGES.items():
        languages[language], summary[language] = train_language(setup, sets, search)
    placeholder = DocumentModel(np.zeros((DOCUMENT_FEATURES, 3)), np.zeros(3))
    base = lexicon_tagger()
    model = SentimentModel(languages, placeholder, "training")
    tagger = DefaultTagger(base.companies, base.topics, base.sentiment, model)
    dev_articles = [a for a in load_labelled(LABELLED) if not a.holdout]
    x_doc, y_doc = document_training(tagger, dev_articles)
    folds = {str(c): cross_validated(x_doc, y_doc, c) for c in DOCUMENT_GRID}
    best = max(DOCUMENT_GRID, key=lambda c: (folds[str(c)], -c))
    documents = LogisticRegression(C=best, max_iter=2000, tol=1e-8).fit(x_doc, y_doc)
    summary["document"] = {
        "labelled_dev_articles": len(dev_articles),
        "c": best,
        "cross_validated_accuracy": folds,
    }
    document = DocumentModel(
        np.round(documents.coef_.T.astype(np.float64), 6),
        np.round(documents.intercept_.astype(np.float64), 6),
    )
    write_model(out, languages, document, summary)
    return summary


def default_data() -> Path:
    """<repo>/../shared/data, or the first such folder further up (a git worktree sits deeper)."""
    for folder in REPO.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return REPO.parent / "shared" / "data"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--search", action="store_true", help="print the dev grid of C")
    args = parser.parse_args(argv)
    result = train(args.data, args.out, args.search)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
