"""The organisation-name recogniser: the shipped model loads and tags organisation names; the
training script reads GermEval and FinEntity as it should."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.recogniser import OrgRecogniser, default_recogniser
from pipeline.tagging.registry import Company
from pipeline.tagging.text import split_sentences

ROOT = Path(__file__).resolve().parents[4]


def test_the_shipped_model_tags_organisation_names() -> None:
    recogniser = default_recogniser()
    assert isinstance(recogniser, OrgRecogniser)
    text = (
        "Der Vorstand der Deutschen Bank AG traf sich mit Vertretern der Commerzbank in Frankfurt."
    )
    spans = [text[a:b] for a, b in recogniser.org_spans(text)]
    assert any("Bank" in s for s in spans)
    assert "Frankfurt" not in spans
    start = text.index("Commerzbank")
    assert recogniser.org_probability(text, start, start + len("Commerzbank")) > 0.5


class Sure(OrgRecogniser):
    """A recogniser that is sure of every name (the wiring under test, not the model)."""

    def __init__(self) -> None:
        pass

    def org_probability(self, text: str, start: int, end: int) -> float:
        return 0.95


def test_the_recogniser_confirms_ambiguous_names_of_generated_companies_only() -> None:
    generated = Company(
        "nordwerk", "Nordwerk N.V.", None, None, ("Nordwerk",), (), frozenset({"Nordwerk"}),
        generated=True,
    )  # fmt: skip
    curated = Company("amazon", "Amazon", None, None, ("Amazon",), (), frozenset({"Amazon"}))
    text = "Gestern trafen sich Vertreter von Nordwerk und Amazon in Kiel."
    sentences = split_sentences(text)
    plain = CompanyMatcher([generated, curated])
    assert plain.find(text, sentences) == []
    sure = CompanyMatcher([generated, curated], recogniser=Sure())
    assert [m.company_id for m in sure.find(text, sentences)] == ["nordwerk"]
    # at the start of a sentence a capital tells nothing
    start = "Nordwerk kam nach Kiel."
    assert CompanyMatcher([generated], recogniser=Sure()).find(start, split_sentences(start)) == []


def test_training_data_readers(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "train_org_recogniser", ROOT / "scripts" / "train_org_recogniser.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_org_recogniser", script)
    spec.loader.exec_module(script)
    germeval = tmp_path / "g.tsv"
    germeval.write_text(
        "#\thttp://x\t[2010]\n1\tDie\tO\tO\n2\tDeutsche\tB-ORG\tO\n3\tBank\tI-ORG\tO\n"
        "4\tund\tO\tO\n5\tSAP-Chef\tB-ORGpart\tO\n\n",
        encoding="utf-8",
    )
    assert list(script.germeval(germeval)) == [
        (["Die", "Deutsche", "Bank", "und", "SAP-Chef"], ["O", "B-ORG", "I-ORG", "O", "O"])
    ]
    finentity = tmp_path / "f.json"
    item = {"content": "Johnson & Johnson shares gained.", "annotations": [{"start": 0, "end": 17}]}
    finentity.write_text(json.dumps([item]), encoding="utf-8")
    words, labels = next(script.finentity(finentity))
    assert words[:3] == ["Johnson", "&", "Johnson"] and labels[:4] == [
        "B-ORG",
        "I-ORG",
        "I-ORG",
        "O",
    ]
