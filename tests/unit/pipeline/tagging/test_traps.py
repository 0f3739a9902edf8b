"""Company names used in another sense: venues, events, platforms as places, outlets cited as
sources, surnames, acronyms the article defines as something else."""

from __future__ import annotations

import pytest

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.registry import default_companies
from pipeline.tagging.traps import NO_TRAPS, defined_otherwise
from tests.unit.pipeline.tagging.small_registry import found


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(default_companies())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sponsored venues and events
        ("The band plays the Bridgestone Arena on June 17.", []),
        ("Das Spiel in der Allianz-Arena war ausverkauft.", []),
        ("This week's podcast is sponsored by the Davis Cup by Rakuten Madrid Finals.", []),
        ("Bridgestone raised its profit forecast for tyres.", ["bridgestone"]),
        # the venue word after one more capitalised word
        ("The band plays the PNC Bank Arts Center in Holmdel.", []),
        ("Bridgestone Americas Tire Company raised prices.", ["bridgestone"]),
        # but not after any capitalised word: a company's own site, a headline in title case
        ("The Microsoft Data Center expansion went ahead.", ["microsoft"]),
        ("Tesla Service Center staff were told to stay home.", ["tesla"]),
        ("Tesla Shares Open Lower After Delivery Miss", ["tesla"]),
        ("BP Gas Field output fell by a fifth.", ["bp"]),
        # a platform as a place where people post
        ("He posted the clip on Instagram and on his Youtube-Kanal.", []),
        ("In an Instagram story she thanked her fans.", []),
        ("Instagram und WhatsApp gehören zum selben Konzern.", ["meta-platforms"]),
        ("YouTube's advertising revenue rose 12% in the quarter.", ["alphabet"]),
        # a news outlet cited as a source
        ("Roma Jayne told Business Insider that she was happy.", []),
        ("London (CNN) It was the interview that everyone watched.", []),
        # a trading venue is no mention of the exchange operator
        ("Im Xetra-Handel stiegen die Papiere um zwei Prozent.", []),
        ("Shares of the chipmaker rose 3% on the Nasdaq.", []),
        ("Der Börsenbetreiber Nasdaq kauft einen Softwareanbieter.", ["nasdaq"]),
        ("Nasdaq Inc. reported higher revenue.", ["nasdaq"]),
        # a surname, also where the article names the person without the given name
        ("Ricarda Lang attackiert Julia Klöckner. Lang nannte Klöckner eine Populistin.", []),
        ("Der Stahlhändler Klöckner senkt die Prognose.", ["klockner"]),
        # an acronym the article defines as something else
        ("He led the Münchner Sicherheitskonferenz (MSC) for years. The MSC met.", []),
        ("Lab tests confirmed hypersensitivity pneumonitis, or HP. HP is rare.", []),
        ("HP Inc. cut jobs after weak PC sales.", ["hp"]),
    ],
)
def test_names_used_in_another_sense_are_no_company(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


def test_without_traps_the_same_names_are_companies() -> None:
    plain = CompanyMatcher(default_companies(), NO_TRAPS)
    assert found(plain, "The band plays the Bridgestone Arena on June 17.") == ["bridgestone"]


def test_an_acronym_the_company_defines_is_the_company() -> None:
    text = "Mediterranean Shipping Company (MSC) ordered ships."
    assert not defined_otherwise("MSC", ("Mediterranean Shipping Company", "MSC"), text)
    assert defined_otherwise("MSC", ("MSC",), "Die Münchner Sicherheitskonferenz (MSC) tagt.")
