"""`newswire eval tagging` on the project's set, and on tiny files in each public layout."""

import io
import json
from pathlib import Path

import pytest

from pipeline.commands.evaluate_tagging import run_eval_tagging
from pipeline.core.errors import ConfigError
from pipeline.tools.evaluation.public import evaluate_public, germeval_sentences
from pipeline.tools.evaluation.tagging import HELD_OUT_BATCHES, load_labelled

LABELLED = Path(__file__).resolve().parents[3] / "eval" / "labelled_articles.yaml"


def public_sets(root: Path) -> Path:
    (root / "finentity").mkdir()
    (root / "finentity" / "FinEntity.json").write_text(
        json.dumps(
            [
                {
                    "content": "Acme shares jumped after strong results. Beta fell.",
                    "annotations": [
                        {
                            "start": 0,
                            "end": 4,
                            "value": "Acme",
                            "tag": "Positive",
                            "label": "Positive",
                        },
                        {
                            "start": 41,
                            "end": 45,
                            "value": "Beta",
                            "tag": "Negative",
                            "label": "Negative",
                        },
                    ],
                }
            ]
        )
    )
    (root / "sentfin-1.0").mkdir()
    (root / "sentfin-1.0" / "SEntFiN.csv").write_text(
        "S No.,Title,Decisions,Words\n1,Acme profit soars,{'Acme': 'positive'},3\n"
    )
    (root / "twitter-financial-news-sentiment").mkdir()
    (root / "twitter-financial-news-sentiment" / "sent_valid.csv").write_text(
        "text,label\nAcme cuts guidance,0\nAcme beats estimates,1\nAcme to hold meeting,2\n"
    )
    (root / "gerntsa").mkdir()
    (root / "gerntsa" / "GerNTSA.json").write_text(
        json.dumps(
            [
                {
                    "id": "1",
                    "opinion_snippet": "Die Aktie brach ein.",
                    "target": "Aktie",
                    "target_anchor": {"from": 4, "to": 9},
                    "sentiment": {"polarity": "negative"},
                }
            ]
        )
    )
    (root / "germeval2014-ner").mkdir()
    (root / "germeval2014-ner" / "NER-de-test.tsv").write_text(
        "#\thttp://www.news.test/a\t[2009-10-23]\n1\tDie\tO\tO\n2\tSiemens\tB-ORG\tO\n"
        "3\tAG\tI-ORG\tO\n4\twächst\tO\tO\n\n"
        "#\thttp://de.wikipedia.org/wiki/X\t[2009-10-23]\n1\tBASF\tB-ORG\tO\n\n"
    )
    return root


def test_project_set_summary_as_json() -> None:
    out = io.StringIO()
    assert run_eval_tagging(LABELLED, None, as_json=True, out=out) == 0
    result = json.loads(out.getvalue())
    rows = {(r["system"], r["part"]): r for r in result["labelled"]}
    assert set(rows) == {
        (s, p)
        for s in ("newswire", "lexicon tagger", "naive baseline")
        for p in ("dev", "holdout", *HELD_OUT_BATCHES, "all")
    }
    assert rows[("newswire", "all")]["articles"] >= 150


def test_public_layouts_are_read_and_scored(tmp_path: Path) -> None:
    results = evaluate_public(public_sets(tmp_path))
    assert {r.dataset for r in results} == {
        "FinEntity",
        "SEntFiN 1.0",
        "Twitter financial news",
        "GerNTSA",
        "GermEval 2014 (news, test)",
    }
    assert all(0.0 <= r.newswire <= 1.0 for r in results)
    (sentence,) = germeval_sentences(tmp_path)
    assert sentence == ("Die Siemens AG wächst", [(4, 14)]), "news only, ORG span rebuilt"


def test_public_test_splits_are_printed_for_model_lexicon_and_baseline(tmp_path: Path) -> None:
    out, progress = io.StringIO(), io.StringIO()
    assert run_eval_tagging(LABELLED, public_sets(tmp_path), False, out, progress) == 0
    text = out.getvalue()
    assert "test splits" in text and "lexicon" in text and ">= 0.75" in text
    assert "public set GerNTSA (test split)" in progress.getvalue()
    assert "real news skipped" in progress.getvalue() and "fundus-news" in progress.getvalue()


def test_readable_tables() -> None:
    out = io.StringIO()
    run_eval_tagging(LABELLED, None, as_json=False, out=out)
    text = out.getvalue()
    assert "naive baseline" in text and "subscription-plans" in text


def test_a_data_folder_without_the_public_sets_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"lacks the public sets. files: finentity/"):
        evaluate_public(tmp_path)


def test_a_labelled_set_that_is_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "labelled.yaml"
    broken.write_text("articles:\n- id: de-001\n  title: Kernfusion: ein Rekord\n", "utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_labelled(broken)
