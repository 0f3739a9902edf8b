"""The public labelled sets (internal evaluation only; never copied into the repository).

Sentiment: FinEntity (entity sentiment in financial news, EN), SEntFiN (entity sentiment in
headlines, EN), Twitter financial news (headline sentiment, EN), GerNTSA (target sentiment in
news sentences, DE): newswire's lexicon on the sentence around the target against plain VADER on
the same text. Companies: GermEval 2014 news sentences (DE), ORG mentions.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError
from pipeline.tagging.company import CompanyMatcher, part_of_compound
from pipeline.tagging.registry import default_companies
from pipeline.tagging.sentiment import default_sentiment_scorer, label_for
from pipeline.tagging.text import split_sentences
from pipeline.tools.evaluation.baselines import vader_label
from pipeline.tools.evaluation.germeval import Found, Span, read_sentences, score
from pipeline.tools.evaluation.metrics import accuracy, label_macro_f1

_SENTFIN_DECISION = re.compile(r"'(.*?)': '(positive|negative|neutral)'")
TWITTER_LABELS = {"0": "negative", "1": "positive", "2": "neutral"}


@dataclass(frozen=True)
class PublicResult:
    dataset: str
    task: str
    items: int
    metric: str
    newswire: float
    baseline: float | None

    def row(self) -> str:
        base = "n/a" if self.baseline is None else f"{self.baseline:.3f}"
        return (
            f"{self.dataset:<28} {self.task:<26} {self.items:>6} {self.metric:<24} "
            f"{self.newswire:>8.3f} {base:>9}"
        )


HEADER = f"{'dataset':<28} {'task':<26} {'items':>6} {'metric':<24} {'newswire':>8} {'baseline':>9}"


def ours(language: str) -> Callable[[str], str]:
    lexicon = default_sentiment_scorer().lexicon(language)
    return lambda text: label_for(lexicon.score_sentence(text)).label


def sentiment_results(
    name: str, task: str, items: list[tuple[str, str]], language: str
) -> list[PublicResult]:
    gold = [label for _, label in items]
    mine = [ours(language)(text) for text, _ in items]
    guesses = [vader_label(text) for text, _ in items]
    base = [g for g in guesses if g is not None] if all(g is not None for g in guesses) else None
    return [
        PublicResult(
            name,
            task,
            len(items),
            "accuracy",
            accuracy(gold, mine),
            accuracy(gold, base) if base is not None else None,
        ),
        PublicResult(
            name,
            task,
            len(items),
            "macro-F1",
            label_macro_f1(gold, mine),
            label_macro_f1(gold, base) if base is not None else None,
        ),
    ]


def finentity(root: Path) -> list[tuple[str, str]]:
    items = []
    for passage in json.loads((root / "finentity" / "FinEntity.json").read_text()):
        content = passage["content"]
        sentences = split_sentences(content)
        for note in passage["annotations"]:
            start = note["start"]
            if content[start : note["end"]] != note["value"]:
                start = max(0, content.find(note["value"]))
            sentence = next((s.text for s in sentences if s.start <= start < s.end), content)
            items.append((sentence, note["label"].lower()))
    return items


def sentfin(root: Path) -> list[tuple[str, str]]:
    items = []
    with (root / "sentfin-1.0" / "SEntFiN.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for _, label in _SENTFIN_DECISION.findall(row["Decisions"]):
                items.append((row["Title"], label))
    return items


def twitter(root: Path) -> list[tuple[str, str]]:
    path = root / "twitter-financial-news-sentiment" / "sent_valid.csv"
    with path.open(encoding="utf-8") as handle:
        return [(row["text"], TWITTER_LABELS[row["label"]]) for row in csv.DictReader(handle)]


def gerntsa(root: Path) -> list[tuple[str, str]]:
    data = json.loads((root / "gerntsa" / "GerNTSA.json").read_text(encoding="utf-8"))
    return [(d["opinion_snippet"], d["sentiment"]["polarity"]) for d in data]


def germeval_sentences(root: Path, split: str = "test") -> Iterator[tuple[str, list[Span]]]:
    """News sentences of one split (default test, as `newswire eval tagging` reports it): text
    (tokens joined by spaces), gold ORG spans. Tune on dev; the test split is measured once."""
    for sentence in read_sentences(root, split):
        yield sentence.text, sentence.org


def germeval(root: Path, split: str = "test") -> list[PublicResult]:
    """Precision of whole-word company mentions against ORG spans, of the mentions that are only
    part of a compound against ORGpart, and of all mentions against ORG (strict); recall on ORG
    spans whose text is a registry name (the names a company tagger can know). See
    pipeline/tools/evaluation/germeval.py."""
    companies = default_companies()
    matcher = CompanyMatcher(companies)
    names = {n.lower() for c in companies for n in (c.name, *c.aliases, *c.brands)}
    sentences = list(read_sentences(root, split))
    ours = score(sentences, matcher_spans(matcher), names)
    base = score(
        sentences,
        lambda text: [
            (a, b, part_of_compound(text, a, b)) for a, b in _exact_spans(text, companies)
        ],
        names,
    )
    dataset = f"GermEval 2014 (news, {split})"
    return [
        PublicResult(dataset, "ORG mentions (de)", len(sentences), metric, mine, theirs)
        for metric, mine, theirs in (
            ("precision (whole words)", ours.precision, base.precision),
            ("recall (registry names)", ours.recall, base.recall),
            ("precision (all, strict)", ours.strict_precision, base.strict_precision),
            ("parts vs ORGpart", ours.part_precision, base.part_precision),
        )
    ]


def matcher_spans(matcher: CompanyMatcher) -> Callable[[str], list[Found]]:
    """The matcher's mentions in a sentence, each with whether it is part of a compound."""
    return lambda text: [
        (m.start, m.end, m.in_compound) for m in matcher.find(text, split_sentences(text))
    ]


def _exact_spans(text: str, companies: tuple[Any, ...]) -> list[tuple[int, int]]:
    spans = []
    for company in companies:
        for name in (company.name, *company.aliases):
            start = text.find(name)
            while start >= 0:
                spans.append((start, start + len(name)))
                start = text.find(name, start + 1)
    return spans


PUBLIC_FILES = (
    "finentity/FinEntity.json",
    "sentfin-1.0/SEntFiN.csv",
    "twitter-financial-news-sentiment/sent_valid.csv",
    "gerntsa/GerNTSA.json",
    "germeval2014-ner/NER-de-test.tsv",
)


def missing_public_files(root: Path) -> list[str]:
    """The public sets' files that `root` lacks (empty when all are there)."""
    return [name for name in PUBLIC_FILES if not (root / name).is_file()]


def evaluate_public(root: Path) -> list[PublicResult]:
    missing = missing_public_files(root)
    if missing:
        raise ConfigError(f"--data {root} lacks the public sets' files: {', '.join(missing)}")
    results: list[PublicResult] = []
    for name, task, loader, language in (
        ("FinEntity", "entity sentiment (en)", finentity, "en"),
        ("SEntFiN 1.0", "entity sentiment (en)", sentfin, "en"),
        ("Twitter financial news", "headline sentiment (en)", twitter, "en"),
        ("GerNTSA", "target sentiment (de)", gerntsa, "de"),
    ):
        results += sentiment_results(name, task, loader(root), language)
    return results + germeval(root)
