"""The choice of `subject_mentions` (see `pipeline/tagging/company_subject.py`) by
cross-validation: from out-of-fold predictions of the document model (per article) and of the
per-company model (per company), the accuracy on the dev companies when a company named more
than T times takes its article's predicted label instead of its own."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SUBJECT_GRID = (0, 1, 2, 3, 4, 5, 6, 8)  # 0: no company is a subject


def subject_accuracy(
    mentions: np.ndarray,
    company_predicted: np.ndarray,
    document_predicted: np.ndarray,
    labels: np.ndarray,
    threshold: int,
) -> float:
    """Accuracy when the companies named more than `threshold` times (0: none) take the
    document's label; `mentions` are counts, the others class indices, all one per company."""
    subject = (mentions > threshold) if threshold > 0 else np.zeros(len(labels), dtype=bool)
    predicted = np.where(subject, document_predicted, company_predicted)
    return round(float(np.mean(predicted == labels)), 4) if len(labels) else 0.0


def choose_subject(
    mentions: np.ndarray,
    company_predicted: np.ndarray,
    document_predicted: np.ndarray,
    labels: np.ndarray,
    grid: Sequence[int] = SUBJECT_GRID,
) -> tuple[int, dict[str, float]]:
    """The threshold of the best accuracy, ties to the more cautious one (off before any, then
    the larger), and the accuracy of each."""
    scores = {
        str(t): subject_accuracy(mentions, company_predicted, document_predicted, labels, t)
        for t in grid
    }
    best = max(grid, key=lambda t: (scores[str(t)], t == 0, t))
    return best, scores
