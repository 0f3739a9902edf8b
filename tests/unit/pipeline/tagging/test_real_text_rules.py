"""Rules for company names as real journalism writes them (issue 14), on a small registry
written here: lists of names, prices beside a shop, inflected business words, compounds with
another head, plurals, another company's longer name, names that are something else, units,
outlets by web address, curly apostrophes and initials without a space."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.traps import Traps, default_traps
from tests.unit.pipeline.tagging.small_registry import company, found

REGISTRY = [
    company("temu", "Temu"),
    company("amazon", "Amazon", ambiguous=("Amazon",)),
    company("ford", "Ford", ambiguous=("Ford",)),
    company("macys", "Macy's", ambiguous=("Macy's",)),
    company("lakeland", "Lakeland", ambiguous=("Lakeland",)),
    company("post", "Post", ambiguous=("Post",)),
    company("ceres", "Ceres", ambiguous=("Ceres",)),
    company("apple", "Apple", ambiguous=("Apple",)),
    company("hp", "HP"),
    company("rtl", "RTL", brands=("ntv",)),
    company("b-braun", "B. Braun"),
    company("allianz", "Allianz", ambiguous=("Allianz",)),
    company("tahoe", "Tahoe", ambiguous=("Tahoe",)),
    company("coach", "Coach", ambiguous=("Coach",)),
    company("kraft", "Kraft", ambiguous=("Kraft",)),
    company("bt", "BT"),
    company("microsoft", "Microsoft", brands=("Xbox",)),
    company("boeing", "Boeing"),
]
TRAPS = replace(
    default_traps(),
    other_names=frozenset({"big apple", "national post", "in kraft"}),
    descriptors=frozenset({"robotics"}),
    place_nouns=frozenset({"area"}),
    units=frozenset({"hp"}),
    outlets=frozenset({"ntv"}),
)


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(REGISTRY, TRAPS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of names with one plainly named company confirms the others
        ("Billigshops wie Temu und Amazon locken mit Tiefpreisen.", ["amazon", "temu"]),
        ("Er fuhr mit Ford und Amazon im Kopf nach Hause.", []),  # no plain name in the list
        ("Temu wächst. Im Amazon-Regenwald brennt es.", ["temu"]),  # a compound joins no list
        # a price right beside a shop's name
        ("The heated airer costs £129.99 at Lakeland this week.", ["lakeland"]),
        ("A walk around Lakeland is lovely in May.", []),
        # business words inflected (plural, dative) count; an inflected compound does not
        ("Ford and Macy's were among the clients of the agency.", ["ford", "macys"]),
        ("Zwölf Obstbauern haben sich zu einer Allianz zusammengeschlossen.", []),
        ("Die Allianz hält 30 Prozent der Anteile.", ["allianz"]),
        # a compound with another head is confirmed by nothing else in the sentence
        ("Der Impfstoffhersteller wird wegen des Post-Vac-Syndroms verklagt.", []),
        # a plural before a lower-case word is no mention of the company
        ("Auf der Plattform wurden 72 Millionen Posts veröffentlicht.", []),
        # an ambiguous name that begins another company's name is that other company
        ("The startup Ceres Robotics won a NASA contract worth millions.", []),
        ("Ceres shares rose after the company raised its forecast.", ["ceres"]),
        # a place noun after an ambiguous name makes it a place
        ("Power prices near the Tahoe area rose to $1,000 a megawatt-hour.", []),
        ("Tahoe shares rose 5% after the results.", ["tahoe"]),
    ],
)
def test_context_of_ambiguous_names(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "About 40 million visitors a year make the Big Apple a favourite; Apple shares fell.",
            ["apple"],
        ),
        ("The National Post takes stock of her Montreal years.", []),
        ("The engine makes 300 HP and HP shares rose.", ["hp"]),
        ("The findings were consistent with a condition called HP. HP is an allergy.", []),
        ('"Wir sind Weltspitze", sagt Judy Lybke ntv.de selbstbewusst.', []),
        ("Rheinmünster ( BT ) - Wegen der Aschewolke fallen Flüge aus.", []),
        ("BT shares fell after the results.", ["bt"]),
        ("Die Regeln für Versicherer sollen 2013 in Kraft treten.", []),
        ("Ein Karriere-Coach verlangt mehrere tausend Euro im Monat.", []),
        ("Coach-Umsatz stieg; die Marke Coach wächst.", ["coach"]),
    ],
)
def test_names_in_another_sense(matcher: CompanyMatcher, text: str, expected: list[str]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a brand with its model is a product: it counts only with another mention
        ("Xbox 360: Aus Project Natal wird Kinect.", []),
        ("Microsoft nannte die Steuerung für die Xbox 360 Kinect.", ["microsoft"]),
        ("Die Xbox verkauft sich gut.", ["microsoft"]),
        # a company's own name with a model stays a mention of the maker
        ("Die Boeing 737 Max darf wieder fliegen.", ["boeing"]),
        ("The Xbox sold 2024 units in 2024.", ["microsoft"]),
    ],
)
def test_products_with_their_model(matcher: CompanyMatcher, text: str, expected: list[str]) -> None:
    assert found(matcher, text) == expected


def test_spellings_of_real_text(matcher: CompanyMatcher) -> None:
    assert found(matcher, "Clients included Ford, Macy’s and others, the company said.") == [
        "ford",
        "macys",
    ]
    assert found(matcher, "Familienunternehmen wie B.Braun warnen vor der Wahl.") == ["b-braun"]


def test_other_names_are_no_traps_by_default() -> None:
    bare = CompanyMatcher(REGISTRY, Traps(*(frozenset(),) * 7))
    assert found(bare, "The Big Apple is busy; Apple shares fell.") == ["apple"]
