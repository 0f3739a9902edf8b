"""The real-news texts rebuilt from ../shared/data are the ones the labellers read."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.tools.evaluation.real_news import load_labels, with_texts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the repository")
def test_no_real_news_text_drifted() -> None:
    articles, drifted = with_texts(load_labels(ROOT / "tests" / "eval" / "real_news.yaml"), DATA)
    assert drifted == 0
    assert all(a.text for a in articles)
