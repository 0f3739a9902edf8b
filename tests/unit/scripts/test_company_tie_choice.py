"""The per-company model's tie rule in scripts/train_sentiment.py: accuracies within one dev
company of the best count as equal (compared unrounded), then the larger public weight wins."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SKLEARN = importlib.util.find_spec("sklearn")
if SKLEARN is not None:
    import sklearn  # noqa: F401  (before the leak guard looks, as in test_train_topic_model)


def train_sentiment(monkeypatch: pytest.MonkeyPatch) -> Any:
    spec = importlib.util.spec_from_file_location(
        "train_sentiment", REPO / "scripts" / "train_sentiment.py"
    )
    assert spec is not None and spec.loader is not None
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, "1")  # the script sets them when imported: undone after
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_sentiment", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(SKLEARN is None, reason="needs scikit-learn")
def test_one_company_below_the_best_is_a_tie_even_where_rounding_would_split_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choose = train_sentiment(monkeypatch).company_tie_choice
    grid = {  # 146 companies: 97 right against 96 (rounded: 0.6644 and 0.6575)
        "C=0.03 public=0.01": 97 / 146,
        "C=0.03 public=0.03": 96 / 146,
        "C=0.03 public=0.1": 85 / 146,
    }
    assert choose(grid, 146) == "C=0.03 public=0.03"
    grid["C=0.03 public=0.03"] = 95 / 146  # two companies below: no tie
    assert choose(grid, 146) == "C=0.03 public=0.01"
    grid["C=0.1 public=0.01"] = 97 / 146  # equal accuracy and weight: the smaller C
    assert choose(grid, 146) == "C=0.03 public=0.01"
