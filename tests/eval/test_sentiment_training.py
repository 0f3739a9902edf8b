"""The shipped sentiment model is what scripts/train_sentiment.py makes of the data, and it
keeps its figures on the public test splits. Both need the public sets in <repo>/../shared/data
(the repository's convention: /work/main beside /work/shared, or a CI clone with shared/ beside
it) and skip without them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.tagging.sentiment_model import MODEL_DIR, load_model
from pipeline.tools.evaluation.public_sentiment import SplitResult, evaluate_splits
from pipeline.tools.evaluation.sentiment_sets import load_sets

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
DATA = SHARED_DATA if (SHARED_DATA / "gerntsa").is_dir() else None
needs_data = pytest.mark.skipif(DATA is None, reason="the public sets (../shared/data) are absent")
TOLERANCE = 1e-4  # weights; thread counts and BLAS builds may move the last digits

# Accuracy floors on the test splits, a little under the figures measured when they were set.
# Measured: FinEntity 0.769, SEntFiN 0.814, Twitter 0.839, GerNTSA 0.605 (below its 0.65 target).
FLOORS = {"FinEntity": 0.76, "SEntFiN 1.0": 0.80, "Twitter financial news": 0.83, "GerNTSA": 0.60}


@needs_data
def test_retraining_reproduces_the_shipped_model(tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "train_sentiment.py"),
            "--data",
            str(DATA),
            "--out",
            str(tmp_path),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    shipped, fresh = load_model(MODEL_DIR), load_model(tmp_path)
    assert set(shipped.languages) == set(fresh.languages)
    for language, model in shipped.languages.items():
        other = fresh.languages[language]
        assert model.featurizer.config == other.featurizer.config
        assert np.allclose(model.weights, other.weights, atol=TOLERANCE, rtol=0)
        assert np.allclose(model.dense, other.dense, atol=TOLERANCE, rtol=0)
        assert np.allclose(model.bias, other.bias, atol=TOLERANCE, rtol=0)
    for part in ("documents", "briefs", "companies"):
        old_model, new_model = getattr(shipped, part), getattr(fresh, part)
        assert np.allclose(old_model.weights, new_model.weights, atol=1e-3, rtol=0), part
        assert np.allclose(old_model.bias, new_model.bias, atol=1e-3, rtol=0), part
    old = json.loads((MODEL_DIR / "model.json").read_text("utf-8"))["training"]
    new = json.loads((tmp_path / "model.json").read_text("utf-8"))["training"]
    assert old == new, "same items, same choices, same dev figures"


@pytest.fixture(scope="module")
def results() -> dict[str, SplitResult]:
    assert DATA is not None
    return {r.dataset: r for r in evaluate_splits(DATA) if r.metric == "accuracy"}


@needs_data
@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_public_test_split_floors(results: dict[str, SplitResult], dataset: str) -> None:
    result = results[dataset]
    assert result.model >= FLOORS[dataset]
    assert result.model > result.lexicon, "the model beats the lexicon it started from"


@needs_data
def test_no_text_is_in_two_splits() -> None:
    assert DATA is not None
    for name, items in load_sets(DATA).items():
        splits: dict[str, set[str]] = {}
        for item in items:
            splits.setdefault(item.text, set()).add(item.split)
        assert all(len(s) == 1 for s in splits.values()), name
