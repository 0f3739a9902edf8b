"""Cases from the matcher's review: a year before an all-caps name, the German genitive, a
price that is not beside the name, everyday words ending in a business suffix, a list with a
place in it, and a generated registry entry without an id."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.registry import merge
from pipeline.tagging.traps import default_traps
from tests.unit.pipeline.tagging.small_registry import company, found

REGISTRY = [
    company("hp", "HP"),
    company("amazon", "Amazon", ambiguous=("Amazon",)),
    company("post", "Post", ambiguous=("Post",)),
    company("apple", "Apple", ambiguous=("Apple",)),
    company("lakeland", "Lakeland", ambiguous=("Lakeland",)),
    company("meta", "Meta", ambiguous=("Meta",)),
    company("tesco", "Tesco"),
    company("dover", "Dover", ambiguous=("Dover",)),
    company("temu", "Temu"),
    company("aliexpress", "Aliexpress"),
]
TRAPS = replace(default_traps(), units=frozenset({"hp", "ps"}))


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(REGISTRY, TRAPS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2015 HP split into two companies.", ["hp"]),
        ("The engine makes 300 HP at full load.", []),
        ("Der Motor leistet 150 HP.", []),
        ("The coupe has 1,200 HP.", []),
    ],
)
def test_a_year_is_no_quantity_of_a_unit(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amazons neuer Chef heißt Andy Jassy.", ["amazon"]),
        ("Die Aktie legte zu, sagte eine Sprecherin Amazons, der Konzern wachse.", ["amazon"]),
        ("Auf der Plattform wurden 72 Millionen Posts veröffentlicht.", []),
    ],
)
def test_a_german_genitive_is_no_plural(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple pie costs $5 at the fair.", []),
        ("A trip down the Amazon costs $500 per person.", []),
        ("The heated airer (Lakeland, £129.99) sold out.", ["lakeland"]),
        ("Best buy: the heated airer, Lakeland, £129.99.", ["lakeland"]),
        ("The heated airer costs £129.99 at Lakeland this week.", ["lakeland"]),
    ],
)
def test_a_price_confirms_only_beside_the_name(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er leitete einen Workshop über Meta in Berlin.", []),
        ("Die Menschenkette reichte bis zum Amazon.", []),
        ("Der Reiseführer empfiehlt eine Fahrt auf dem Amazon.", []),
        ("Der Weltmarktführer Meta wächst weiter.", ["meta"]),
        ("Die Supermarktkette Lakeland eröffnet neue Filialen.", ["lakeland"]),
    ],
)
def test_everyday_words_are_no_business_suffix(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tesco, Dover and Calais were mentioned.", ["tesco"]),
        ("Calais, Tesco and Dover were mentioned.", ["tesco"]),
        ("Rivals such as Tesco, Temu, Amazon or Rimco cut prices.", ["amazon", "temu", "tesco"]),
        (
            "Billigshops wie Temu, Aliexpress und Amazon locken mit Tiefpreisen.",
            ["aliexpress", "amazon", "temu"],
        ),
    ],
)
def test_a_list_with_an_unknown_name_confirms_nothing(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


def test_a_generated_entry_without_an_id_is_a_config_error(tmp_path: Path) -> None:
    generated = tmp_path / "companies_generated.json.gz"
    entry = {"name": "Acme Widgets", "aliases": ["Acme Widgets"]}
    generated.write_bytes(gzip.compress(json.dumps({"companies": [entry]}).encode()))
    with pytest.raises(ConfigError, match=r"companies\[0\]"):
        merge([], generated, {"acme widgets": "acme"})
