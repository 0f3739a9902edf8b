"""Re-running the training script reproduces the shipped topic model (weights within 1e-4: the
last rounded digit may move with the numpy and scikit-learn versions). It needs the real-news
texts from ../shared/data beside the repository; without them the test skips."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data"
TOLERANCE = 1e-4
# scikit-learn sets OpenMP variables when imported: import it before the leak guard looks
SKLEARN = importlib.util.find_spec("sklearn")
if SKLEARN is not None:
    import sklearn  # noqa: F401


@pytest.mark.skipif(
    not DATA.is_dir() or SKLEARN is None,
    reason="needs the real-news texts (../shared/data) and scikit-learn",
)
def test_retraining_reproduces_the_shipped_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "train_topic_model", REPO / "scripts" / "train_topic_model.py"
    )
    assert spec is not None and spec.loader is not None
    train = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_topic_model", train)  # its dataclasses look it up
    spec.loader.exec_module(train)
    out = tmp_path / "topic_model.json"
    assert train.main(["--realnews", str(DATA), "--out", str(out)]) == 0
    shipped = json.loads(train.MODEL.read_text(encoding="utf-8"))
    again = json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in again.items() if k != "topics"} == {
        k: v for k, v in shipped.items() if k != "topics"
    }
    assert again["topics"].keys() == shipped["topics"].keys()
    for topic, entry in shipped["topics"].items():
        assert again["topics"][topic]["bias"] == pytest.approx(entry["bias"], abs=TOLERANCE)
        assert again["topics"][topic]["weights"] == pytest.approx(entry["weights"], abs=TOLERANCE)
