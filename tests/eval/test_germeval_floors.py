"""Quality gate on GermEval 2014 (news sentences of the test split, ORG mentions): the company
matcher's figures may not fall below these floors (the data from ../shared/data; the test skips
when it is not beside the repo). Pinned a little under the round's one measurement
(docs/tagging.md, 2026-12-02: whole words 0.922, recall 0.846, strict 0.770, parts 0.958); raise
them when the matcher gets better, never lower them to make a change pass. Issue 14's must
(precision 0.78 at recall 0.85, on the strict scoring) is not met: these are floors, not it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tools.evaluation.public import germeval

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FLOORS = {
    "precision (whole words)": 0.91,
    "recall (registry names)": 0.83,
    "precision (all, strict)": 0.76,
    "parts vs ORGpart": 0.94,
}


@pytest.mark.skipif(
    not (DATA / "germeval2014-ner" / "NER-de-test.tsv").is_file(),
    reason="needs GermEval 2014 in ../shared/data",
)
def test_germeval_figures_stay_above_their_floors() -> None:
    results = {r.metric: r for r in germeval(DATA)}
    assert set(results) == set(FLOORS)
    for metric, floor in FLOORS.items():
        assert results[metric].newswire >= floor, metric
        baseline = results[metric].baseline
        assert baseline is not None and results[metric].newswire > baseline, metric
