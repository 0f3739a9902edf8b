"""Tagging data files: strict YAML, JSON Schemas, and the versions a tagger reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file, strict_yaml
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.tagger import DATA_FILES, DefaultTagger, default_tagger, lexicon_tagger


def test_a_key_written_twice_is_an_error_naming_both_lines() -> None:
    text = "languages:\n  en:\n    words: {gain: 1.0,\n      loss: -1.0, gain: 2.0}\n"
    with pytest.raises(ConfigError, match=r"duplicate key 'gain' at line 4 \(first at line 3\)"):
        strict_yaml(text, "lexicon")


def test_the_shipped_lexicon_has_no_key_twice_and_fits_its_schema() -> None:
    document = load_data_file(DATA_DIR / "sentiment.yaml", "sentiment")
    assert set(document["languages"]) == {"de", "en"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 2\nlanguages:\n  en:\n    words: {gain: high}\n", "languages/en/words/gain"),
        ("version: 2\nlanguages:\n  en:\n    negators: [not, no]\n", "negators/1: False"),
        ("version: 2\nlanguages:\n  en:\n    wrods: {gain: 1}\n", "wrods"),
        ("version: 2\nlanguages:\n  de:\n    words: {plus: 1}\n", "'en' is a required property"),
        ("version: 2\nlanguages:\n  en:\n    words: {gain: 9}\n", "9 is greater than"),
    ],
)
def test_a_lexicon_that_breaks_its_schema_is_a_clear_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "sentiment.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_data_file(path, "sentiment")


def test_bad_yaml_and_missing_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        strict_yaml("a: [1, 2\n", "broken")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_data_file(tmp_path / "absent.yaml", "sentiment")


def test_the_tagger_names_the_versions_of_what_made_its_output() -> None:
    versions = default_tagger().versions()
    assert set(versions) == {"companies", "topics", "sentiment", "code", "sentiment_model"}
    assert versions["sentiment_model"].startswith("sentiment-lr-")
    assert all(isinstance(v, str) and v for v in versions.values())
    assert "sentiment_model" not in lexicon_tagger().versions()
    assert lexicon_tagger().versions()["companies"] == versions["companies"]


def test_a_changed_data_file_changes_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.tagging.tagger as tagger_module

    for name in (name for names in DATA_FILES.values() for name in names):
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    monkeypatch.setattr(tagger_module, "DATA_DIR", tmp_path)
    base = lexicon_tagger()

    def fresh() -> dict[str, str]:
        return DefaultTagger(base.companies, base.topics, base.sentiment).versions()

    before = fresh()
    assert before["companies"] == lexicon_tagger().versions()["companies"]
    (tmp_path / "topics.yaml").write_text("# changed\n", "utf-8")
    after = fresh()
    assert after["topics"] != before["topics"]
    assert after["companies"] == before["companies"]
