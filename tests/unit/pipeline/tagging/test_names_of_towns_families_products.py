"""Rules found on the GermEval 2014 dev split (issue 14), on a small registry written here with
the shipped traps: a town's adjective, a family, a person's biography, fiat money, a product
after a possessive or with its model, a count after a brand, an outlet's web address in
capitals, a share's change beside a name, a list past a note in brackets."""

from __future__ import annotations

import pytest

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.traps import default_traps
from tests.unit.pipeline.tagging.small_registry import company, found

REGISTRY = [
    company("ravensburger", "Ravensburger"),
    company("porsche", "Porsche"),
    company("oetker", "Oetker"),
    company("stellantis", "Stellantis", brands=("Fiat", "Opel")),
    company("mercedes", "Mercedes"),
    company("siemens", "Siemens"),
    company("nvidia", "Nvidia", brands=("GeForce",)),
    company("microsoft", "Microsoft", brands=("Xbox",)),
    company("rtl", "RTL", brands=("ntv",)),
    company("transocean", "Transocean", ambiguous=("Transocean",)),
    company("general-motors", "General Motors"),
    company("ford", "Ford", ambiguous=("Ford",)),
    company("bosch", "Bosch"),
    company("apple", "Apple", brands=("iPhone",)),
    company("tesla", "Tesla"),
    company("basf", "BASF"),
    company("boeing", "Boeing"),
]


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(REGISTRY, default_traps())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town adjective in -er before a noun of the town's life is the town's
        ("Das erklärte sie in der jüngsten Sitzung des Ravensburger Gemeinderates.", []),
        ("Die Wolfsburger Polizei und die Ravensburger Polizei ermitteln.", []),
        ("Ravensburger steigert den Umsatz.", ["ravensburger"]),
        ("Die Ravensburger Spiele verkaufen sich gut.", ["ravensburger"]),
        # a family is the owners, and it leaves the article's other mentions alone
        ("Die Familie Porsche hält die Mehrheit.", []),
        ("Die Familie Porsche hält die Mehrheit. Porsche verkauft mehr Autos.", ["porsche"]),
        # a word only a person has
        ("Dann habe ich die Biographie von Oetker mit Interesse gelesen.", []),
        ("Die Memoiren Oetker sind erschienen.", []),
        ("Oetker baut ein neues Werk.", ["oetker"]),
        # a person's word drops that mention only, as a family does, not the article's others
        (
            "Die Biografie von Bosch erschien im Herbst. Bosch meldete am Dienstag einen "
            "Umsatzrückgang.",
            ["bosch"],
        ),
        ("The memoirs of Boeing appeared. Boeing delivered 40 jets.", ["boeing"]),
        ("Die Witwe Bosch spendet. Die Familie Bosch hält Anteile.", []),
        # fiat money is no car
        ("Das Fiat-Geld System bringt Geld ohne Leistung hervor.", []),
        ("Er warnt vor Fiat Money.", []),
        ("Fiat verkauft mehr Autos.", ["stellantis"]),
    ],
)
def test_names_of_towns_families_and_persons(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name with its model after a possessive is a product: it counts only with another
        # mention
        ("Und sein Mercedes 208 fährt heute als Taxi durch Gambia.", []),
        ("Unser Boeing 737 wartet am Gate.", []),
        ("Sein Mercedes 208 ist alt. Mercedes meldet einen Rekordabsatz.", ["mercedes"]),
        ("Seine Siemens-Aktien stiegen.", ["siemens"]),  # the possessive is the compound's
        # a possessive alone, or before a holding or a contract, leaves the company
        ("Analysts told her Apple would cut prices next year.", ["apple"]),
        ("Investors sold their Tesla shares after the report.", ["tesla"]),
        ("Their Apple devices were hacked, the company said.", ["apple"]),
        ("Our Siemens contract was renewed", ["siemens"]),
        ("He said his Microsoft stock was worth more.", ["microsoft"]),
        ("Sie verkauften ihre BASF Aktien.", ["basf"]),
        ("Sie verkauften ihre Boeing 737 Aktien.", ["boeing"]),
        ("Sein Mercedes ist alt.", ["mercedes"]),
        # a brand with a series code and its model is a product
        ("Man findet die ersten Grafikkarten (GeForce GTX 4xx Familie).", []),
        ("Die GeForce GTX 480 ist schnell.", []),
        ("Die GeForce ist schnell.", ["nvidia"]),
        # a count after a brand is no model
        ("Laut dem Bericht hat die Xbox 20 Millionen Nutzer.", ["microsoft"]),
        ("Laut dem Bericht hat die Xbox 20 Nutzer.", ["microsoft"]),
        ("Die Xbox 360 verkauft sich.", []),
    ],
)
def test_products(matcher: CompanyMatcher, text: str, expected: list[str]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an outlet by its web address, in any case, is no mention of the owner
        ("Der Umsatz wächst, sagt Judy Lybke ntv.DE selbstbewusst.", []),
        ("Der Umsatz von ntv wächst.", ["rtl"]),
        # a share's signed change beside an ambiguous name confirms it; an unsigned share not
        ("Transocean (-1,8% ) notieren ebenfalls tiefer.", ["transocean"]),
        ("Transocean (+2.1 percent) rose.", ["transocean"]),
        ("Transocean (30 %) liegt im Atlantik.", []),
        # a list goes on past a short note in brackets
        ("Dagegen gaben General Motors ( GM ) und Ford um 2,9 % nach.", ["ford", "general-motors"]),
        ("Dagegen gaben General Motors (Detroit) und Ford nach.", ["ford", "general-motors"]),
    ],
)
def test_context_beside_the_name(matcher: CompanyMatcher, text: str, expected: list[str]) -> None:
    assert found(matcher, text) == expected
