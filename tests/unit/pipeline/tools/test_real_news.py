"""The real-news set: texts rebuilt from a data folder, gold names resolved, scores counted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.core.errors import ConfigError
from pipeline.tagging.registry import Company
from pipeline.tools.evaluation.real_news import (
    TEXT_LIMIT,
    GoldCompany,
    RealNewsArticle,
    Resolver,
    clip,
    evaluate,
    load_labels,
    page_text,
    text_sha256,
    with_texts,
)

LABELS = Path(__file__).resolve().parents[3] / "eval" / "real_news.yaml"


def company(cid: str, name: str, ticker: str | None = None, isin: str | None = None) -> Company:
    return Company(cid, name, ticker, isin, (name,), (), frozenset())


REGISTRY = [
    company("acme", "Acme", "ACM", "US0000000001"),
    company("acme-de", "Acme", "ACX", "DE0000000002"),
    company("globex", "Globex Corporation", "GBX"),
]


def data_folder(tmp_path: Path) -> Path:
    fundus = tmp_path / "fundus-news"
    fundus.mkdir()
    row = {"file": "de/Paper_2024_01_01.html.gz", "title": "Titel", "body": "Absatz eins.\nZwei."}
    (fundus / "index.jsonl").write_text(json.dumps(row) + "\n")
    zyte = tmp_path / "scrapinghub-article-extraction-benchmark"
    zyte.mkdir()
    (zyte / "ground-truth.json").write_text(json.dumps({"abc": {"articleBody": "Body."}}))
    return tmp_path


def labelled(source: str, file: str, sha: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"x-{file[:3]}",
        "source": source,
        "file": file,
        "lang": "de",
        "split": "dev",
        "text_sha256": sha,
        "companies": [],
        "topics": [],
        "sentiment": "neutral",
        **extra,
    }


def test_texts_are_rebuilt_and_drift_is_counted(tmp_path: Path) -> None:
    data = data_folder(tmp_path)
    assert page_text(data, "fundus-news", "de/Paper_2024_01_01.html.gz") == (
        "Titel",
        "Absatz eins.\nZwei.",
    )
    good = text_sha256("Titel", "Absatz eins.\nZwei.")
    labels = tmp_path / "labels.yaml"
    entries = [
        labelled("fundus-news", "de/Paper_2024_01_01.html.gz", good),
        labelled("scrapinghub", "abc", "0" * 64),
    ]
    labels.write_text(yaml.safe_dump({"articles": entries}))
    articles, drifted = with_texts(load_labels(labels), data)
    assert drifted == 1
    assert [a.text for a in articles] == ["Absatz eins.\nZwei.", "Body."]


def test_a_malformed_label_is_a_clear_error(tmp_path: Path) -> None:
    labels = tmp_path / "labels.yaml"
    bad = labelled("scrapinghub", "abc", "0" * 64, sentiment="great")
    labels.write_text(yaml.safe_dump({"articles": [bad]}))
    with pytest.raises(ConfigError, match="out of range"):
        load_labels(labels)


def test_clip_cuts_at_a_paragraph_end() -> None:
    body = "a" * (TEXT_LIMIT - 10) + "\n" + "b" * 100
    assert clip(body) == "a" * (TEXT_LIMIT - 10)
    assert clip("short") == "short"
    assert len(clip("c" * (TEXT_LIMIT * 2))) == TEXT_LIMIT


@pytest.mark.parametrize(
    ("name", "hint", "expected"),
    [
        ("Acme", "DE, ISIN DE0000000002", "acme-de"),
        ("Acme Inc.", "US, NYSE:ACM", "acme"),
        ("Globex", "", "globex"),
        ("Initech", "private, US", None),
    ],
)
def test_gold_names_resolve_by_isin_name_and_ticker(
    name: str, hint: str, expected: str | None
) -> None:
    gold = GoldCompany(name, hint, "neutral", True)
    assert Resolver(REGISTRY).resolve(gold) == expected


def test_scores_ignore_minor_companies_and_count_unlinked_ones() -> None:
    article = RealNewsArticle(
        "a",
        "scrapinghub",
        "f",
        "en",
        "dev",
        "",
        (
            GoldCompany("Globex", "", "positive", True),
            GoldCompany("Initech", "private", "negative", True),
            GoldCompany("Acme", "US, NYSE:ACM", "neutral", False),
        ),
        frozenset({"earnings"}),
        "positive",
    )
    output = {
        "companies": [
            {"id": "globex", "sentiment": {"label": "positive"}},
            {"id": "acme", "sentiment": {"label": "neutral"}},
        ],
        "topics": [{"id": "earnings"}, {"id": "layoffs"}],
        "sentiment": {"label": "negative"},
    }
    report = evaluate(
        [article], lambda _: output, Resolver(REGISTRY), "t", "dev", ["earnings", "layoffs"]
    )
    summary = report.summary()
    assert (report.companies.tp, report.companies.fp, report.companies.fn) == (1, 0, 1)
    assert summary["company_sentiment_accuracy"] == 0.5  # Initech missed counts as wrong
    assert summary["company_sentiment_accuracy_found"] == 1.0
    assert summary["sentiment_accuracy"] == 0.0
    assert report.per_topic["layoffs"].fp == 1 and report.per_topic["earnings"].tp == 1


def test_the_committed_labels_are_well_formed() -> None:
    articles = load_labels(LABELS)
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids)) >= 150
    assert {a.source for a in articles} <= {"fundus-news", "scrapinghub", "trafilatura-eval"}
    assert all(len(a.text_sha256) == 64 for a in articles)
