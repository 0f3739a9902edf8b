"""Precision, recall, F1 and accuracy: the arithmetic every evaluation shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[str], predicted: set[str]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def per_label(
    pairs: Iterable[tuple[set[str], set[str]]], labels: Iterable[str]
) -> dict[str, Counts]:
    table = {label: Counts() for label in labels}
    for gold, predicted in pairs:
        for label, counts in table.items():
            counts.add(gold & {label}, predicted & {label})
    return table


def macro_f1(table: dict[str, Counts]) -> float:
    scored = [c.f1 for c in table.values() if c.support or c.fp]
    return sum(scored) / len(scored) if scored else 0.0


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))


def label_macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    labels = sorted(set(gold) | set(predicted))
    return macro_f1(per_label((({g}, {p}) for g, p in zip(gold, predicted, strict=True)), labels))


def company_figures(counts: Counts) -> dict[str, float]:
    """Precision, recall and F1 of company matching, rounded as every report prints them."""
    return {
        "company_precision": round(counts.precision, 3),
        "company_recall": round(counts.recall, 3),
        "company_f1": round(counts.f1, 3),
    }
