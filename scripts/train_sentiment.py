"""Train the sentiment model that ships in pipeline/tagging/models/sentiment/.

    python scripts/train_sentiment.py [--data ../shared/data] [--out DIR] [--search]

Training data: the train splits of FinEntity, SEntFiN 1.0, Twitter financial news and GerNTSA
(split rule: pipeline/tools/evaluation/sentiment_sets.py), the dev part of the project's labelled
articles (tests/eval/README.md) and the dev part of the real-news set (tests/eval/REAL_NEWS.md;
texts from the data folder). The sentence model (multinomial logistic regression over hashed
word and character n-grams, target windows and the lexicon's score) is fitted on the train
splits; its dev splits pick the regularisation (`--search` prints the grid). The final sentence
model is fitted on train and dev. The document model (sentence scores and event words, see
pipeline/tagging/sentiment_document.py) is fitted on the real-news and labelled dev articles,
the briefs' model (sentence tone alone) on the labelled dev articles, the per-company model on
the real-news dev companies the tagger finds and the public entity sets' dev rows; each chooses
its settings by 5-fold cross-validation on those articles. No test split and no held-out article
is read. Deterministic: the same data give the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# one BLAS thread: the fit is then the same from run to run (set before numpy loads)
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.tagging.base import TaggingInput  # noqa: E402
from pipeline.tagging.company_subject import MENTIONS  # noqa: E402
from pipeline.tagging.model_sentiment import target_row  # noqa: E402
from pipeline.tagging.sentiment_document import (  # noqa: E402
    COMPANY_FEATURES,
    DOCUMENT_FEATURES,
    TONE_FEATURES,
    company_features,
    is_brief,
)
from pipeline.tagging.sentiment_features import FeatureConfig, Featurizer  # noqa: E402
from pipeline.tagging.sentiment_model import (  # noqa: E402
    CLASSES,
    DENSE_FEATURES,
    MODEL_DIR,
    DocumentModel,
    Row,
    SentenceModel,
    SentimentModel,
    probabilities,
    write_model,
)
from pipeline.tagging.tagger import DefaultTagger, lexicon_tagger  # noqa: E402
from pipeline.tools.evaluation.real_news import Resolver, load_labels, with_texts  # noqa: E402
from pipeline.tools.evaluation.sentiment_sets import TargetItem, load_sets  # noqa: E402
from pipeline.tools.evaluation.subject_choice import choose_subject  # noqa: E402
from pipeline.tools.evaluation.tagging import load_labelled  # noqa: E402


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
# article models: chosen by 5-fold cross-validation on the dev articles
FOLDS = 5
DOCUMENT_GRID = (0.03, 0.1, 0.3, 1.0)
LABELLED_WEIGHTS = (0.0, 0.3, 1.0)  # a labelled (synthetic) dev article's weight in the fit
BRIEF_GRID = (0.3, 1.0, 3.0, 10.0)
COMPANY_GRID = (0.03, 0.1, 0.3)
PUBLIC_COMPANY_WEIGHTS = (0.01, 0.03, 0.1)  # a public entity row's weight in the company fit
PUBLIC_COMPANY_SETS = ("SEntFiN 1.0", "FinEntity", "GerNTSA")
LABELLED = REPO / "tests" / "eval" / "labelled_articles.yaml"
REAL_NEWS = REPO / "tests" / "eval" / "real_news.yaml"


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


@dataclass(frozen=True)
class ArticleSet:
    """Article-level training rows: features and labels, and the fold of each row."""

    x: np.ndarray
    y: np.ndarray
    folds: np.ndarray
    owners: np.ndarray | None = None  # a company row's article (its index in the articles)


def article_rows(
    tagger: DefaultTagger, articles: Sequence[tuple[str, str, str, str, dict[str, str]]]
) -> tuple[ArticleSet, ArticleSet]:
    """Document rows and company rows of (text, title, language, label, gold company labels)
    articles; a company row for each gold company the tagger finds. Article i is in fold i % 5,
    and so are its companies."""
    documents, labels, companies, company_labels, company_folds, owners = [], [], [], [], [], []
    for index, (text, title, language, label, gold) in enumerate(articles):
        parsed = tagger.parse(TaggingInput(text, title or None, language))
        document, lexicon_companies = tagger._lexicon_sentiment(parsed)
        scores = tagger.article_scores(parsed, document, lexicon_companies)
        documents.append(scores.document)
        labels.append(CLASSES.index(label))
        for company, company_label in sorted(gold.items()):
            if company in scores.companies:
                companies.append(scores.companies[company])
                company_labels.append(CLASSES.index(company_label))
                company_folds.append(index % FOLDS)
                owners.append(index)
    folds = np.arange(len(labels)) % FOLDS
    return (
        ArticleSet(np.asarray(documents), np.asarray(labels), folds),
        ArticleSet(
            np.asarray(companies).reshape(-1, COMPANY_FEATURES),
            np.asarray(company_labels, dtype=int),
            np.asarray(company_folds, dtype=int),
            np.asarray(owners, dtype=int),
        ),
    )


def labelled_dev() -> list[tuple[str, str, str, str, dict[str, str]]]:
    """The dev part of the project's labelled articles (no per-company labels)."""
    return [
        (a.text, a.title, a.lang, a.sentiment, {}) for a in load_labelled(LABELLED) if not a.holdout
    ]


def real_news_dev(
    tagger: DefaultTagger, data: Path
) -> list[tuple[str, str, str, str, dict[str, str]]]:
    """The dev part of the real-news set (its held-out part is never read): texts rebuilt from
    the data folder, gold companies resolved to registry ids (notable ones only)."""
    dev = [a for a in load_labels(REAL_NEWS) if a.split == "dev"]
    articles, _ = with_texts(dev, data)
    resolver = Resolver(tagger.companies.companies.values())
    result = []
    for article in articles:
        gold = {}
        for company in article.companies:
            company_id = resolver.resolve(company)
            if company.notable and company_id:
                gold[company_id] = company.sentiment
        result.append((article.text, article.title, article.lang, article.sentiment, gold))
    return result


def fitted(x: np.ndarray, y: np.ndarray, c: float, weights: np.ndarray | None = None) -> Any:
    return LogisticRegression(C=c, max_iter=5000, tol=1e-8).fit(x, y, sample_weight=weights)


def subset(rows: ArticleSet, keep: np.ndarray, columns: int | None = None) -> ArticleSet:
    x = rows.x[keep] if columns is None else rows.x[keep][:, :columns]
    return ArticleSet(x, rows.y[keep], rows.folds[keep])


def briefs_of(rows: ArticleSet) -> np.ndarray:
    return np.asarray([is_brief(tuple(x)) for x in rows.x], dtype=bool).reshape(-1)


def cross_validated(
    scored: ArticleSet, extra: ArticleSet, c: float, share: float
) -> tuple[float, float]:
    """Accuracy on `scored` and on `extra` over 5 folds (a fold holds out a fifth of each;
    `extra` rows weigh `share` in the fits, and none at 0)."""
    hits = [0, 0]
    for fold in range(FOLDS):
        train_s, train_e = scored.folds != fold, extra.folds != fold
        if not share:
            train_e = np.zeros(len(extra.y), dtype=bool)
        x = np.vstack([scored.x[train_s], extra.x[train_e]])
        y = np.concatenate([scored.y[train_s], extra.y[train_e]])
        w = np.concatenate([np.ones(train_s.sum()), np.full(train_e.sum(), share)])
        model = fitted(x, y, c, w)
        for k, part in enumerate((scored, extra)):
            test = part.folds == fold
            if test.any():
                hits[k] += int((model.predict(part.x[test]) == part.y[test]).sum())
    return round(hits[0] / max(len(scored.y), 1), 4), round(hits[1] / max(len(extra.y), 1), 4)


def combined_fit(scored: ArticleSet, extra: ArticleSet, c: float, share: float) -> Any:
    keep = np.full(len(extra.y), share > 0)
    x = np.vstack([scored.x, extra.x[keep]])
    y = np.concatenate([scored.y, extra.y[keep]])
    w = np.concatenate([np.ones(len(scored.y)), np.full(keep.sum(), share)])
    return fitted(x, y, c, w)


def document_choice(real: ArticleSet, labelled: ArticleSet) -> tuple[Any, Any, dict[str, object]]:
    """The document models. Articles (more than BRIEF_SENTENCES sentences): fitted on the
    real-news dev articles and the labelled dev articles (weighted), C and that weight chosen
    by the real-news articles' 5-fold cross-validated accuracy. Briefs: over the tone features,
    fitted on the labelled dev articles and the real-news dev briefs, C chosen by the labelled
    articles' cross-validated accuracy."""
    brief_real = briefs_of(real)
    articles = subset(real, ~brief_real)
    grid: dict[str, dict[str, float]] = {}
    for c in DOCUMENT_GRID:
        for share in LABELLED_WEIGHTS:
            scored, other = cross_validated(articles, labelled, c, share)
            grid[f"C={c} labelled={share}"] = {"real_news_dev": scored, "labelled_dev": other}
    best = max(grid, key=lambda k: (grid[k]["real_news_dev"], grid[k]["labelled_dev"]))
    c, share = (float(v.split("=")[1]) for v in best.split())
    document = combined_fit(articles, labelled, c, share)
    tone_labelled = subset(labelled, np.ones(len(labelled.y), dtype=bool), TONE_FEATURES)
    tone_briefs = subset(real, brief_real, TONE_FEATURES)
    brief_grid: dict[str, dict[str, float]] = {}
    for c in BRIEF_GRID:
        scored, other = cross_validated(tone_labelled, tone_briefs, c, 1.0)
        brief_grid[str(c)] = {"labelled_dev": scored, "real_news_dev_briefs": other}
    brief_c = max(BRIEF_GRID, key=lambda c: (brief_grid[str(c)]["labelled_dev"], -c))
    brief = combined_fit(tone_labelled, tone_briefs, brief_c, 1.0)
    summary: dict[str, object] = {
        "real_news_dev_articles": len(articles.y),
        "real_news_dev_briefs": len(tone_briefs.y),
        "labelled_dev_articles": len(labelled.y),
        "articles": {"chosen": best, "cross_validated_accuracy": grid},
        "briefs": {"c": brief_c, "cross_validated_accuracy": brief_grid},
    }
    return document, brief, summary


def public_company_rows(tagger: DefaultTagger, sets: dict[str, list[TargetItem]]) -> ArticleSet:
    """Company rows of the public entity sets' dev items: one sentence or headline naming the
    target, as a headline that names the company (their labels are about the target)."""
    assert tagger.model is not None
    rows, labels = [], []
    for name in PUBLIC_COMPANY_SETS:
        for item in sets[name]:
            if item.split != "dev":
                continue
            sentences = tagger.model.sentences(item.language)
            row = item_row(sentences.featurizer, item)
            probs = probabilities(sentences.logits([row]))
            named = max(len(item.target), 1)
            share = named / (named + len(item.entities))
            rows.append(company_features(probs, np.zeros((0, 3)), row.dense[0], named, share))
            labels.append(CLASSES.index(item.label))
    return ArticleSet(np.asarray(rows), np.asarray(labels), np.full(len(labels), -1))


def document_out_of_fold(
    real: ArticleSet, labelled: ArticleSet, chosen: str, brief_c: float
) -> np.ndarray:
    """Each real-news dev article's label from the document models (of the chosen settings)
    fitted without its fold: articles by the article model, briefs by the briefs' model."""
    c, share = (float(v.split("=")[1]) for v in chosen.split())
    brief = briefs_of(real)
    predicted = np.zeros(len(real.y), dtype=int)
    for fold in range(FOLDS):
        train, test = real.folds != fold, real.folds == fold
        article = combined_fit(
            subset(real, train & ~brief), subset(labelled, labelled.folds != fold), c, share
        )
        if (test & ~brief).any():
            predicted[test & ~brief] = article.predict(real.x[test & ~brief])
        tone = subset(labelled, np.ones(len(labelled.y), dtype=bool), TONE_FEATURES)
        short = combined_fit(tone, subset(real, train & brief, TONE_FEATURES), brief_c, 1.0)
        if (test & brief).any():
            predicted[test & brief] = short.predict(real.x[test & brief][:, :TONE_FEATURES])
    return predicted


def subject_choice(
    companies: ArticleSet, company_predicted: np.ndarray, document_predicted: np.ndarray
) -> tuple[int, dict[str, object]]:
    """`subject_mentions`: chosen by the dev companies' cross-validated accuracy when the
    companies named more often take their article's (out-of-fold) label."""
    assert companies.owners is not None
    mentions = np.rint(np.expm1(companies.x[:, MENTIONS])).astype(int)
    threshold, grid = choose_subject(
        mentions, company_predicted, document_predicted[companies.owners], companies.y
    )
    return threshold, {"chosen": threshold, "cross_validated_accuracy": grid}


def company_tie_choice(grid: dict[str, float], companies: int) -> str:
    """Of the keys `C=<c> public=<w>` whose (unrounded) accuracy is within one company of the
    best, the one with the larger public weight, then the smaller C."""
    near_best = max(grid.values()) - 1 / companies - 1e-9
    return max(
        (k for k in grid if grid[k] >= near_best),
        key=lambda k: (float(k.split("=")[2]), -float(k.split()[0][2:])),
    )


def company_choice(
    companies: ArticleSet, public: ArticleSet
) -> tuple[Any, np.ndarray, dict[str, object]]:
    """The per-company model: fitted on the companies of the real-news dev articles that the
    tagger finds and on the public entity rows (weighted), C and that weight chosen by 5-fold
    cross-validation by article on the real-news companies; of accuracies within one company of
    the best (a difference of one dev company is no evidence) the larger public weight (the more
    target-aware model), then the smaller C."""
    grid: dict[str, float] = {}  # unrounded: the tie rule compares counts of companies
    predictions: dict[str, np.ndarray] = {}
    for c in COMPANY_GRID:
        for share in PUBLIC_COMPANY_WEIGHTS:
            predicted = np.zeros(len(companies.y), dtype=int)
            for fold in range(FOLDS):
                test = companies.folds == fold
                x = np.vstack([companies.x[~test], public.x])
                y = np.concatenate([companies.y[~test], public.y])
                w = np.concatenate([np.ones((~test).sum()), np.full(len(public.y), share)])
                predicted[test] = fitted(x, y, c, w).predict(companies.x[test])
            key = f"C={c} public={share}"
            grid[key] = float(np.mean(predicted == companies.y))
            predictions[key] = predicted
    best = company_tie_choice(grid, len(companies.y))
    c, share = (float(v.split("=")[1]) for v in best.split())
    x = np.vstack([companies.x, public.x])
    y = np.concatenate([companies.y, public.y])
    w = np.concatenate([np.ones(len(companies.y)), np.full(len(public.y), share)])
    summary: dict[str, object] = {
        "real_news_dev_companies_found": len(companies.y),
        "public_dev_rows": len(public.y),
        "chosen": best,
        "cross_validated_accuracy": {k: round(v, 4) for k, v in grid.items()},
        "always_neutral": round(float(np.mean(companies.y == CLASSES.index("neutral"))), 4),
    }
    return fitted(x, y, c, w), predictions[best], summary


def article_model(model: Any, features: int) -> DocumentModel:
    return DocumentModel(
        np.round(model.coef_.T.astype(np.float64), 6),
        np.round(model.intercept_.astype(np.float64), 6),
        features,
    )


def train(data: Path, out: Path, search: bool) -> dict[str, object]:
    sets = load_sets(data)
    languages: dict[str, SentenceModel] = {}
    summary: dict[str, object] = {}
    for language, setup in LANGUAGES.items():
        languages[language], summary[language] = train_language(setup, sets, search)
    base = lexicon_tagger()
    placeholder = SentimentModel(
        languages,
        DocumentModel(np.zeros((DOCUMENT_FEATURES, 3)), np.zeros(3), DOCUMENT_FEATURES),
        DocumentModel(np.zeros((TONE_FEATURES, 3)), np.zeros(3), TONE_FEATURES),
        DocumentModel(np.zeros((COMPANY_FEATURES, 3)), np.zeros(3), COMPANY_FEATURES),
        "training",
    )
    tagger = DefaultTagger(base.companies, base.topics, base.sentiment, placeholder)
    real, companies = article_rows(tagger, real_news_dev(tagger, data))
    labelled, _ = article_rows(tagger, labelled_dev())
    documents, briefs, summary["document"] = document_choice(real, labelled)
    public = public_company_rows(tagger, sets)
    company, company_predicted, summary["company"] = company_choice(companies, public)
    document_summary = summary["document"]
    assert isinstance(document_summary, dict)
    document_predicted = document_out_of_fold(
        real,
        labelled,
        document_summary["articles"]["chosen"],
        document_summary["briefs"]["c"],
    )
    subject, summary["subject"] = subject_choice(companies, company_predicted, document_predicted)
    write_model(
        out,
        languages,
        article_model(documents, DOCUMENT_FEATURES),
        article_model(briefs, TONE_FEATURES),
        article_model(company, COMPANY_FEATURES),
        summary,
        subject,
    )
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
