"""The public sentiment sets' test splits: the learned model, the lexicon and plain VADER.

Each item is scored as the tagger scores a company's sentence: the learned model with the
target's window features, the lexicon on the sentence with entity names masked, VADER on the
raw sentence. Test splits only (pipeline/tools/evaluation/sentiment_sets.py); the model never
saw them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.tagging.model_sentiment import target_label, target_row
from pipeline.tagging.patterns import tokenize
from pipeline.tagging.sentiment import default_sentiment_scorer, label_for
from pipeline.tagging.sentiment_model import SentimentModel, default_sentiment_model
from pipeline.tagging.text import Sentence, clause_breaks
from pipeline.tools.evaluation.baselines import vader_label
from pipeline.tools.evaluation.metrics import accuracy, label_macro_f1
from pipeline.tools.evaluation.sentiment_sets import TargetItem, load_sets

TASKS = {
    "FinEntity": "entity sentiment (en)",
    "SEntFiN 1.0": "entity sentiment (en)",
    "Twitter financial news": "headline sentiment (en)",
    "GerNTSA": "target sentiment (de)",
}


# The "must" figures for accuracy on the test splits.
TARGETS = {"FinEntity": 0.75, "SEntFiN 1.0": 0.75, "Twitter financial news": 0.80, "GerNTSA": 0.65}


@dataclass(frozen=True)
class SplitResult:
    dataset: str
    task: str
    items: int
    metric: str
    model: float
    lexicon: float
    baseline: float | None

    def row(self) -> str:
        base = "n/a" if self.baseline is None else f"{self.baseline:.3f}"
        target = TARGETS.get(self.dataset) if self.metric == "accuracy" else None
        aim = f">= {target:.2f}" if target is not None else ""
        return (
            f"{self.dataset:<24} {self.task:<25} {self.items:>6} {self.metric:<9} "
            f"{self.model:>7.3f} {self.lexicon:>8.3f} {base:>8} {aim:>8}"
        )


HEADER = (
    f"{'dataset (test split)':<24} {'task':<25} {'items':>6} {'metric':<9} "
    f"{'model':>7} {'lexicon':>8} {'VADER':>8} {'target':>8}"
)


def lexicon_label(item: TargetItem) -> str:
    lexicon = default_sentiment_scorer().lexicon(item.language)
    breaks = clause_breaks(Sentence(0, len(item.text), item.text))
    names = [*item.target, *item.entities]
    spans = [(0, len(item.text))]
    return label_for(lexicon.score_spans(tokenize(item.text), spans, names, breaks)[0]).label


def model_labeller(model: SentimentModel) -> Callable[[TargetItem], str]:
    def label(item: TargetItem) -> str:
        featurizer = model.sentences(item.language).featurizer
        row = target_row(featurizer, item.text, item.target, item.entities, item.language)
        return target_label(model, row, item.language)

    return label


def evaluate_splits(
    root: Path,
    model: SentimentModel | None = None,
    split: str = "test",
    progress: Callable[[str], None] = lambda _: None,
) -> list[SplitResult]:
    ours = model_labeller(model or default_sentiment_model())
    results = []
    for name, items in load_sets(root).items():
        progress(f"public set {name} ({split} split)")
        chosen = [i for i in items if i.split == split]
        gold = [i.label for i in chosen]
        mine = [ours(i) for i in chosen]
        lexicon = [lexicon_label(i) for i in chosen]
        vader = [vader_label(i.text) for i in chosen]
        base = [v for v in vader if v is not None] if all(v is not None for v in vader) else None
        for metric, measure in (("accuracy", accuracy), ("macro-F1", label_macro_f1)):
            results.append(
                SplitResult(
                    name,
                    TASKS[name],
                    len(chosen),
                    metric,
                    measure(gold, mine),
                    measure(gold, lexicon),
                    measure(gold, base) if base is not None else None,
                )
            )
    return results
