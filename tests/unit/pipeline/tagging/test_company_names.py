"""company_names.yaml: names the listings lack, added to registry companies by id."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.names import load_names, names_of, with_names
from pipeline.tagging.registry import Company, default_companies, merge


def _generated(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    path = tmp_path / "generated.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"companies": entries}).encode()))
    return path


def _names(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "company_names.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_names_are_added_and_taken_from_other_generated_companies(tmp_path: Path) -> None:
    generated = _generated(
        tmp_path,
        [
            {"id": "clarus", "name": "Clarus Corporation", "aliases": ["Clarus Corporation"]},
            {
                "id": "black-diamond",
                "name": "Black Diamond Group",
                "aliases": ["Black Diamond Group", "Black Diamond"],
            },
            {"id": "dover", "name": "Dover Corporation", "aliases": ["Dover Corporation", "Dover"]},
        ],
    )
    extras = load_names(
        _names(
            tmp_path,
            "version: 1\ncompanies:\n  clarus: {brands: [Black Diamond]}\n"
            "  dover: {aliases: [Dover], ambiguous: [Dover]}\n",
        )
    )
    merged = with_names(merge([], generated, names_of(extras)), extras)
    by_id = {c.id: c for c in merged}
    assert by_id["clarus"].brands == ("Black Diamond",)
    assert by_id["black-diamond"].aliases == ("Black Diamond Group",)
    assert by_id["dover"].aliases == ("Dover Corporation", "Dover")
    assert by_id["dover"].ambiguous == frozenset({"Dover"})


def test_an_unknown_id_or_mark_is_an_error(tmp_path: Path) -> None:
    companies = [Company("acme", "Acme", None, None, ("Acme",), (), frozenset())]
    unknown = load_names(_names(tmp_path, "version: 1\ncompanies:\n  acne: {aliases: [Acne]}\n"))
    with pytest.raises(ConfigError, match="acne"):
        with_names(companies, unknown)
    stray = load_names(
        _names(tmp_path, "version: 1\ncompanies:\n  acme: {ambiguous: [Roadrunner]}\n")
    )
    with pytest.raises(ConfigError, match="Roadrunner"):
        with_names(companies, stray)


def test_the_shipped_names_reach_the_registry() -> None:
    by_id = {c.id: c for c in default_companies()}
    assert "Louis Vuitton" in by_id["lvmh"].brands
    assert "HTC" in by_id["htc"].aliases
    assert "Black Diamond" in by_id["clarus"].brands
    assert "Dover" in by_id["dover"].ambiguous


def test_each_added_name_belongs_to_one_company() -> None:
    owners: dict[str, set[str]] = {}
    for company in default_companies():
        for name in (*company.aliases, *company.brands):
            owners.setdefault(name.lower(), set()).add(company.id)
    extras = load_names(
        Path(__file__).resolve().parents[4] / "pipeline/tagging/data/company_names.yaml"
    )
    shared = {
        name: sorted(owners[name.lower()])
        for extra in extras.values()
        for name in (*extra.aliases, *extra.brands)
        if len(owners[name.lower()]) > 1
    }
    assert shared == {}
