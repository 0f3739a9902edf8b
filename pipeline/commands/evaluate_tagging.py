"""`newswire eval tagging`: tagging quality tables, newswire beside naive baselines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from pipeline.commands import Commands
from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings
from pipeline.tagging.tagger import default_tagger, lexicon_tagger
from pipeline.tools.evaluation import public_sentiment
from pipeline.tools.evaluation.public import HEADER, germeval, missing_public_files
from pipeline.tools.evaluation.real_news import (
    RealNewsReport,
    Resolver,
    baseline_tag,
    newswire_tag,
    real_news_reports,
)
from pipeline.tools.evaluation.tagging import (
    HELD_OUT_BATCHES,
    TOPICS,
    Report,
    evaluate_baseline,
    evaluate_newswire,
    load_labelled,
    parts,
)

LEXICON = "lexicon tagger"

DEFAULT_LABELLED = Path("tests/eval/labelled_articles.yaml")


REAL_NEWS_LABELS = Path("tests/eval/real_news.yaml")
# the folders of --data that real_news.py rebuilds the real-news texts from
REAL_NEWS_SOURCES = ("fundus-news", "scrapinghub-article-extraction-benchmark", "trafilatura-eval")


def _real_news_if_there(
    data: Path | None, note: Callable[[str], None]
) -> tuple[list[RealNewsReport], int]:
    if not data or not REAL_NEWS_LABELS.exists():
        return [], 0
    absent = [name for name in REAL_NEWS_SOURCES if not (data / name).is_dir()]
    if absent:
        note(f"real news skipped: {data} lacks {', '.join(absent)}")
        return [], 0
    note(f"real news ({REAL_NEWS_LABELS})")
    return _real_news(data)


def _real_news(data: Path) -> tuple[list[RealNewsReport], int]:
    tagger = default_tagger()
    companies = tuple(tagger.companies.companies.values())
    systems = {
        "newswire": newswire_tag(tagger),
        "lexicon": newswire_tag(lexicon_tagger()),
        "naive baseline": baseline_tag(companies),
    }
    return real_news_reports(REAL_NEWS_LABELS, data, systems, Resolver(companies), TOPICS)


def _real_news_table(reports: list[RealNewsReport]) -> str:
    lines = [
        f"{'system':<16} {'part':<8} {'n':>4} {'comp P':>7} {'comp R':>7} {'comp F1':>8} "
        f"{'topic mF1':>10} {'topics':>6} {'doc sent':>9} {'co sent':>8} {'found':>6}"
    ]
    for r in reports:
        s = r.summary()
        lines.append(
            f"{r.system:<16} {r.part:<8} {r.articles:>4} {s['company_precision']:>7.3f} "
            f"{s['company_recall']:>7.3f} {s['company_f1']:>8.3f} {s['topic_macro_f1']:>10.3f} "
            f"{s['topic_support']:>6} {s['sentiment_accuracy']:>9.3f} "
            f"{s['company_sentiment_accuracy']:>8.3f} {s['company_sentiment_accuracy_found']:>6.3f}"
        )
    return "\n".join(lines) + "\n"


def register(targets: Commands) -> None:
    tagging = targets.add_parser("tagging", help="score the taggers beside naive baselines")
    tagging.add_argument(
        "--labelled",
        type=Path,
        default=DEFAULT_LABELLED,
        help="the labelled articles (default: the project's set)",
    )
    tagging.add_argument(
        "--data",
        type=Path,
        help="folder with the public sets (FinEntity, "
        "SEntFiN, Twitter financial news, GerNTSA, GermEval 2014)",
    )
    tagging.add_argument("--json", action="store_true", help="one JSON object")
    tagging.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    return run_eval_tagging(args.labelled, args.data, args.json)


def run_eval_tagging(
    labelled: Path,
    data: Path | None,
    as_json: bool,
    out: TextIO = sys.stdout,
    progress: TextIO = sys.stderr,
) -> int:
    """Every part of the labelled set and every public test split: newswire (the learned
    sentiment model), the lexicon tagger and the naive baseline."""

    def note(message: str) -> None:
        progress.write(f"eval tagging: {message}\n")
        progress.flush()

    articles = load_labelled(labelled)
    reports = []
    for part, subset in parts(articles).items():
        note(f"labelled part {part} ({len(subset)} articles)")
        reports += [
            evaluate_newswire(subset, part),
            evaluate_newswire(subset, part, lexicon_tagger(), LEXICON),
            evaluate_baseline(subset, part),
        ]
    splits: list[public_sentiment.SplitResult] = []
    public = []
    if data:
        missing = missing_public_files(data)
        if missing:
            raise ConfigError(f"--data {data} lacks the public sets' files: {', '.join(missing)}")
        splits = public_sentiment.evaluate_splits(data, progress=note)
        note("GermEval 2014")
        public = germeval(data)
    real, drifted = _real_news_if_there(data, note)
    if as_json:
        document = {
            "labelled": [r.summary() for r in reports],
            "real_news": [r.summary() for r in real],
            "public_sentiment": [r.__dict__ for r in splits],
            "public": [r.__dict__ for r in public],
        }
        out.write(json.dumps(document) + "\n")
        return 0
    out.write(
        f"Labelled articles: {labelled} ({len(articles)}; "
        f"held out: every fourth, and {', '.join(HELD_OUT_BATCHES)})\n"
    )
    out.write(_summary_table(reports))
    full = next(r for r in reports if r.system == "newswire" and r.part == "all")
    out.write("\nTopics (all articles), newswire:\n" + _topic_table(full))
    out.write("\nCompanies (all articles), newswire:\n" + _company_table(full))
    if splits:
        out.write(f"\nPublic sentiment sets in {data}, test splits:\n{public_sentiment.HEADER}\n")
        out.write("".join(result.row() + "\n" for result in splits))
    if real:
        out.write(f"\nReal news ({REAL_NEWS_LABELS}, texts from {data}; {drifted} drifted):\n")
        out.write(_real_news_table(real))
    if public:
        out.write(f"\nCompanies, public set in {data}:\n{HEADER}\n")
        out.write("".join(result.row() + "\n" for result in public))
    return 0


def _summary_table(reports: list[Report]) -> str:
    lines = [
        f"{'system':<16} {'part':<8} {'n':>4} {'comp P':>7} {'comp R':>7} {'comp F1':>8} "
        f"{'topic mF1':>10} {'sent acc':>9} {'sent mF1':>9} {'ms/art':>7}"
    ]
    for r in reports:
        s = r.summary()
        lines.append(
            f"{r.system:<16} {r.part:<8} {r.articles:>4} {s['company_precision']:>7.3f} "
            f"{s['company_recall']:>7.3f} {s['company_f1']:>8.3f} "
            f"{s['topic_macro_f1']:>10.3f} {s['sentiment_accuracy']:>9.3f} "
            f"{s['sentiment_macro_f1']:>9.3f} {s['ms_per_article']:>7.2f}"
        )
    return "\n".join(lines) + "\n"


def _topic_table(report: Report) -> str:
    lines = [f"  {'topic':<22} {'support':>7} {'P':>6} {'R':>6} {'F1':>6}"]
    for topic in TOPICS:
        c = report.per_topic[topic]
        lines.append(
            f"  {topic:<22} {c.support:>7} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
        )
    return "\n".join(lines) + "\n"


def _company_table(report: Report) -> str:
    rows = sorted(report.per_company.items(), key=lambda kv: (-kv[1].support, kv[0]))
    lines = [f"  {'company':<28} {'support':>7} {'P':>6} {'R':>6} {'F1':>6}"]
    for company, c in rows:
        if c.support or c.fp:
            lines.append(
                f"  {company:<28} {c.support:>7} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
            )
    return "\n".join(lines) + "\n"
