"""Every YAML data file of the tagger is read strictly (a key twice is an error) and checked by
its JSON Schema in pipeline/tagging/data/schemas/, through the loader that uses it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import pipeline.tagging.topic as topic_module
from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import SCHEMA_DIR, load_data_file
from pipeline.tagging.news_events import load_event_lexicon
from pipeline.tagging.registry import DATA_DIR, load_companies
from pipeline.tagging.traps import load_traps

SCHEMA_OF = {
    "alias_denylist.yaml": "alias_denylist",
    "companies.yaml": "companies",
    "companies_private.yaml": "companies",
    "company_parents.yaml": "company_parents",
    "news_events.yaml": "news_events",
    "company_names.yaml": "company_names",
    "sentiment.yaml": "sentiment",
    "topics.yaml": "topics",
    "traps.yaml": "traps",
}


def test_every_yaml_data_file_has_a_schema() -> None:
    assert {p.name for p in DATA_DIR.glob("*.yaml")} == set(SCHEMA_OF)
    for schema in SCHEMA_DIR.glob("*.schema.json"):
        Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))
    assert {p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.json")} == set(
        SCHEMA_OF.values()
    )


@pytest.mark.parametrize(("name", "schema"), sorted(SCHEMA_OF.items()))
def test_every_shipped_data_file_fits_its_schema(name: str, schema: str) -> None:
    assert load_data_file(DATA_DIR / name, schema)


def _topics(path: Path) -> Any:
    """The taxonomy as the topic tagger loads it, from `path`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(topic_module, "TAXONOMY_FILE", path)
        return topic_module.rule_topic_tagger.__wrapped__()


def _traps(path: Path) -> Any:
    return load_traps(path, DATA_DIR / "first_names.txt")


def _schema(schema: str) -> Callable[[Path], Any]:
    return lambda path: load_data_file(path, schema)


COMPANY = "{id: acme, name: Acme AG, aliases: [Acme]}"
# (file name, its loader, a document with a key twice at lines 4 and 3, and one of a wrong
# type with the path the error names)
KINDS = [
    (
        "companies.yaml",
        load_companies,
        "version: 1\ncompanies:\n  - id: acme\n    id: acme-ag\n    name: Acme\n",
        f"version: 1\ncompanies:\n  - {COMPANY}\n  - {{id: b, name: B, aliases: B}}\n",
        "companies/1/aliases: 'B' is not of type 'array'",
    ),
    (
        "companies_private.yaml",
        load_companies,
        "version: 1\ncompanies:\n  - {id: acme, name: Acme,\n     name: Acme AG}\n",
        f"version: 1\ncompanies:\n  - {COMPANY}\n  - {{id: b, name: B, aliases: [B], parnet: a}}\n",
        r"companies/1: Additional properties are not allowed \('parnet' was unexpected\)",
    ),
    (
        "topics.yaml",
        _topics,
        "version: 3\ntopics:\n- id: earnings\n  id: layoffs\n",
        "version: 3\nnegations:\n  en: [not, no]\ntopics: []\n",
        "negations/en/1: False is not of type 'string'",
    ),
    (
        "traps.yaml",
        _traps,
        "version: 1\nplatforms: [X]\nvenue_words: [arena]\nvenue_words: [stadium]\n",
        "version: 1\nvenue_words: []\nsponsor_phrases: []\nplatforms: []\nplace_before: [on]\n"
        "place_after: []\noutlets: []\n",
        "place_before/0: True is not of type 'string'",
    ),
    (
        "company_parents.yaml",
        _schema("company_parents"),
        "version: 1\nparents:\n  traton: volkswagen\n  traton: porsche\n",
        "version: 1\nparents:\n  traton: [volkswagen]\n",
        r"parents/traton: \['volkswagen'\] is not of type 'string'",
    ),
    (
        "company_names.yaml",
        _schema("company_names"),
        "version: 1\ncompanies:\n  htc: {aliases: [HTC]}\n  htc: {brands: [Vive]}\n",
        "version: 1\ncompanies:\n  htc: {aliases: HTC}\n",
        "companies/htc/aliases: 'HTC' is not of type 'array'",
    ),
    (
        "alias_denylist.yaml",
        _schema("alias_denylist"),
        "# common words\n\nwords: [next]\nwords: [sage]\n",
        "words: [next, 7]\n",
        "words/1: 7 is not of type 'string'",
    ),
    (
        "sentiment.yaml",
        _schema("sentiment"),
        "version: 2\nlanguages:\n  en: {words: {gain: 1}}\nlanguages: {}\n",
        "version: 2\nlanguages:\n  en:\n    words: {gain: high}\n",
        "languages/en/words/gain: 'high' is not of type 'number'",
    ),
    (
        "news_events.yaml",
        load_event_lexicon,
        "version: 1\nlanguages:\n  en: {match: word, negative: [war], positive: [won],\n"
        "       negative: [killed]}\n",
        "version: 1\nlanguages:\n  en: {match: stem, negative: [war], positive: [won]}\n",
        "languages/en/match: 'stem' is not one of",
    ),
]
DUPLICATE_LINES = {
    "companies.yaml": ("'id'", 4, 3),
    "companies_private.yaml": ("'name'", 4, 3),
    "topics.yaml": ("'id'", 4, 3),
    "traps.yaml": ("'venue_words'", 4, 3),
    "company_parents.yaml": ("'traton'", 4, 3),
    "company_names.yaml": ("'htc'", 4, 3),
    "alias_denylist.yaml": ("'words'", 4, 3),
    "sentiment.yaml": ("'languages'", 4, 2),
    "news_events.yaml": ("'negative'", 4, 3),
}


def test_every_data_file_kind_is_tested() -> None:
    assert {kind[0] for kind in KINDS} == set(SCHEMA_OF) == set(DUPLICATE_LINES)


@pytest.mark.parametrize(
    ("name", "loader", "duplicate", "_wrong", "_message"), KINDS, ids=[k[0] for k in KINDS]
)
def test_a_key_twice_names_the_file_and_both_lines(
    tmp_path: Path,
    name: str,
    loader: Callable[[Path], Any],
    duplicate: str,
    _wrong: str,
    _message: str,
) -> None:
    path = tmp_path / name
    path.write_text(duplicate, "utf-8")
    key, line, first = DUPLICATE_LINES[name]
    expected = f"{path}: duplicate key {key} at line {line} (first at line {first})"
    with pytest.raises(ConfigError) as error:
        loader(path)
    assert str(error.value) == expected


@pytest.mark.parametrize(
    ("name", "loader", "_duplicate", "wrong", "message"), KINDS, ids=[k[0] for k in KINDS]
)
def test_a_schema_violation_names_the_file_and_the_path_inside_it(
    tmp_path: Path,
    name: str,
    loader: Callable[[Path], Any],
    _duplicate: str,
    wrong: str,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_text(wrong, "utf-8")
    with pytest.raises(ConfigError, match=f"^{re.escape(str(path))}: {message}"):
        loader(path)


def test_the_loaders_own_checks_still_speak_after_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "companies.yaml"
    path.write_text(
        "version: 1\ncompanies:\n  - {id: acme, name: Acme, aliases: [Acme], ticker: ACM}\n"
        "  - {id: b, name: B, aliases: [B], ambiguous: [Bee]}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match=r"companies\[0\] \(acme\): a ticker needs its exchange"):
        load_companies(path)
    path.write_text(f"version: 1\ncompanies:\n  - {COMPANY}\n  - {COMPANY}\n", "utf-8")
    with pytest.raises(ConfigError, match=r"repeated company ids \['acme'\]"):
        load_companies(path)
