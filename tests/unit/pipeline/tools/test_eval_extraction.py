"""`newswire eval extraction` on tiny datasets in both layouts, made from the sample articles."""

import gzip
import io
import json
from pathlib import Path

import pytest

from pipeline.commands.evaluate import run_eval_extraction
from pipeline.core.errors import ConfigError
from pipeline.tools.demo.articles import load_articles
from pipeline.tools.demo.render import render_page
from pipeline.tools.evaluation.extraction import detect_layout, load_pages

BASE = "https://rheinblick.example"


def zyte_dataset(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    truth = {}
    for article in load_articles()[:4]:
        html = render_page(article, [], BASE)
        (root / "html" / f"{article.slug}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[article.slug] = {
            "url": BASE + article.path,
            "articleBody": "\n".join(article.paragraphs),
        }
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


def snippet_dataset(root: Path) -> Path:
    (root / "eval").mkdir(parents=True)
    data = {}
    for article in load_articles()[:4]:
        (root / "eval" / f"{article.slug}.html").write_text(
            render_page(article, [], BASE), encoding="utf-8"
        )
        tld = ".de" if article.lang == "de" else ".com"
        data[f"https://rheinblick{tld}{article.path}"] = {
            "file": f"{article.slug}.html",
            "with": [article.paragraphs[0][:60], article.paragraphs[-1][-60:]],
            "without": ["Alle Rechte vorbehalten", "All rights reserved", "Newsletter"],
        }
    (root / "evaldata.json").write_text(json.dumps(data), encoding="utf-8")
    return root


def test_zyte_layout_scores_newswire_beside_bare_trafilatura(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_eval_extraction(zyte_dataset(tmp_path), as_json=True, out=out) == 0
    result = json.loads(out.getvalue())
    assert result["layout"] == "zyte"
    scores = {s["name"]: s for s in result["scores"]}
    ours, bare = scores["newswire extract"], scores["trafilatura.extract (bare)"]
    assert ours["pages"] == bare["pages"] == 4
    assert ours["f1"] > 0.9 and ours["f1"] >= bare["f1"]


def test_snippet_layout_and_german_subset(tmp_path: Path) -> None:
    dataset = snippet_dataset(tmp_path)
    assert detect_layout(dataset) == "snippets"
    german = load_pages(dataset, german_only=True)
    assert german and all(".de/" in page.url for page in german)
    out = io.StringIO()
    run_eval_extraction(dataset, german_only=True, out=out)
    text = out.getvalue()
    assert "newswire extract" in text and "trafilatura.extract (bare)" in text
    assert "German pages" in text


def test_unknown_layout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"ground-truth\.json"):
        detect_layout(tmp_path)
