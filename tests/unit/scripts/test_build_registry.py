"""The generated registry is what scripts/build_registry.py makes, and its naming rules hold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[3]


def build_registry() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_registry", ROOT / "scripts" / "build_registry.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_registry", module)
    spec.loader.exec_module(module)
    return module


def test_the_committed_generated_registry_is_what_the_script_makes() -> None:
    generated = ROOT / "pipeline" / "tagging" / "data" / "companies_generated.yaml"
    committed = yaml.safe_load(generated.read_text(encoding="utf-8"))["companies"]
    assert build_registry().build() == committed, "run python scripts/build_registry.py"


def test_names_lose_legal_forms_and_business_words_as_news_writes_them() -> None:
    script = build_registry()
    words = script.common_words()
    groups = script.group_first_words(
        ["Mitsubishi Chemical", "Mitsubishi UFJ", "Micron Technology"]
    )
    assert script.short_name("Evonik Industries AG") == "Evonik Industries"
    assert script.without_descriptor("Micron Technology", words, groups) == "Micron"
    assert script.without_descriptor("Live Nation Entertainment", words, groups) == "Live Nation"
    # one word left that is a group name of several companies, or an ordinary word: no alias
    assert script.without_descriptor("Mitsubishi Chemical", words, groups) is None
    assert script.without_descriptor("Principal Financial", words, groups) is None
    assert script.kept_aliases(["HP Inc.", "HP", "GE"], words, {"ge"}) == ["HP Inc.", "HP"]
