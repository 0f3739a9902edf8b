"""`newswire eval tagging`: tagging quality tables, newswire beside naive baselines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from pipeline.errors import ConfigError
from pipeline.evaluation import public_sentiment
from pipeline.evaluation.public import HEADER, germeval, missing_public_files
from pipeline.evaluation.tagging import (
    HELD_OUT_BATCHES,
    TOPICS,
    Report,
    evaluate_baseline,
    evaluate_newswire,
    load_labelled,
    parts,
)
from pipeline.tagging.tagger import lexicon_tagger

LEXICON = "lexicon tagger"

DEFAULT_LABELLED = Path("tests/eval/labelled_articles.yaml")


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
    if as_json:
        document = {
            "labelled": [r.summary() for r in reports],
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
