"""Tagger versions: content hashes of the data each part loads, and of the tagging code."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.loader import load_tagger, tagger_versions
from pipeline.tagging.tagger import DATA_FILES, content_version, default_versions
from tests.support.pluggable_tagger import EchoTagger


def test_the_default_tagger_names_a_version_per_part() -> None:
    versions = tagger_versions(load_tagger())
    assert set(versions) == {*DATA_FILES, "code", "sentiment_model"}
    assert all(len(versions[part]) == 16 for part in (*DATA_FILES, "code"))
    assert versions["sentiment_model"].startswith("sentiment-lr-")
    assert versions == default_versions()


def test_a_version_changes_with_the_content_and_only_with_it(tmp_path: Path) -> None:
    first, second = tmp_path / "topics.yaml", tmp_path / "extra.yaml"
    first.write_text("topics: []\n", encoding="utf-8")
    second.write_text("a: 1\n", encoding="utf-8")
    before = content_version([first, second])
    assert content_version([first, second]) == before
    first.write_text("topics: [{id: new}]\n", encoding="utf-8")
    assert content_version([first, second]) != before
    assert content_version([second, first]) != content_version([first, second])


def test_a_plugged_tagger_without_versions_is_versioned_by_its_class() -> None:
    assert tagger_versions(EchoTagger()) == {"tagger": "tests.support.pluggable_tagger.EchoTagger"}


class BadVersions(EchoTagger):
    def versions(self) -> dict[str, str]:
        return {"model": ""}


def test_a_tagger_with_empty_versions_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="versions"):
        tagger_versions(BadVersions())
