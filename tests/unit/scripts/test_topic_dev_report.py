"""The dev report of the topic tagger reads only dev data and counts as the real-news scorer."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.tools.evaluation.real_news import RealNewsArticle

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def tool(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "topic_dev_report", REPO / "scripts" / "topic_dev_report.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "topic_dev_report", module)
    spec.loader.exec_module(module)
    return module


def _article(article_id: str, split: str) -> RealNewsArticle:
    return RealNewsArticle(
        article_id, "fundus-news", "f", "en", split, "", (), frozenset(), "neutral"
    )


def test_the_held_out_split_is_dropped_before_any_text_is_rebuilt(
    tool: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def with_texts(articles, data):  # type: ignore[no-untyped-def]
        articles = list(articles)
        asked.extend(a.id for a in articles)
        return [replace(a, text="Body.") for a in articles], 0

    monkeypatch.setattr(
        tool, "load_labels", lambda path: [_article("a", "dev"), _article("b", "heldout")]
    )
    monkeypatch.setattr(tool, "with_texts", with_texts)
    monkeypatch.setattr(tool, "load_labelled", lambda path: [])
    found = tool.dev_articles(Path("unused"))
    assert asked == ["a"]
    assert [(source, article_id) for source, article_id, *_ in found] == [("real", "a")]


def test_macro_f1_leaves_out_a_topic_without_support_or_false_hits_as_the_scorer_does(
    tool: ModuleType,
) -> None:
    pairs = [
        ({"earnings"}, frozenset({"earnings"})),
        ({"layoffs"}, frozenset()),
        (set(), frozenset({"earnings"})),
    ]
    by_topic = tool.counts(pairs)
    assert by_topic["earnings"] == Counter(tp=1, fn=1)
    assert by_topic["layoffs"] == Counter(fp=1)
    # earnings 2/3 and layoffs 0; the five topics without support or false hits are left out
    assert tool.macro_f1(by_topic) == pytest.approx((2 / 3 + 0) / 2)
    assert tool.macro_f1(tool.counts([])) == 0.0
