"""Sentences of the notable file's review, with the real registry: ordinary words, German
compounds, a lower-case brand, places and phrases are no company without a confirming word;
listed companies are not duplicated by notable entries; charities and public bodies are no
companies; and the seed article still finds its companies."""

from __future__ import annotations

import pytest

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.registry import default_companies
from tests.unit.pipeline.tagging.small_registry import found


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(default_companies())


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Die Paketbox vor der Haustür war voll.", "paketbox"),
        ("Wir beziehen seit Jahren Naturstrom.", "naturstrom"),
        ("Der Energiedienst der Gemeinde hat die Leitung repariert.", "ed-netze"),
        ("Sie fand eine Lagerbox mit alten Fotos.", "lagerbox"),
        ("Der Handelshof am Markt hat lange geöffnet.", "handelshof"),
        ("Die Reisebank am Bahnhof wechselt Geld.", "reisebank"),
        ("Tinseltown loves a comeback story.", "tinseltown"),
        ("He ordered a bowl of Tonkotsu ramen.", "tonkotsu"),
        ("Arepa is a dish from Venezuela.", "arepa"),
        ("A Cygnet swam across the lake.", "cygnet"),
        ("Plenitude was the theme of the harvest festival.", "plenitude"),
        ("Boreas, the north wind, blew hard.", "boreas"),
        ("Shiploads of grain arrived at the port.", "shiploads"),
        ("Homeslice is what he calls his best friend.", "homeslice"),
        ("Fastbreak points decided the game.", "fastbreak"),
        ("Scribbler is a word for a bad writer.", "scribbler"),
        ("Fastrack lanes opened on the motorway.", "fastrack"),
        ("Freebirds flew over the hills.", "freebirds"),
        ("Repower the old turbines, the council said.", "repower"),
        ("Bestway to save money is to spend less.", "bestway"),
        ("He loves tenpin bowling.", "tenpin"),
        ("She grew up in Bel Air.", "bel-air"),
        ("The Autograph Collection of letters was sold at auction.", "autograph-collection"),
        ("They live at 12 North Street.", "12-north"),
    ],
)
def test_an_ordinary_word_or_place_is_no_notable_company(
    matcher: CompanyMatcher, text: str, absent: str
) -> None:
    assert absent not in found(matcher, text)


def test_the_seed_article_companies_are_found(matcher: CompanyMatcher) -> None:
    text = "Amazon, Alphabet and OpenAI announced new models."
    assert found(matcher, text) == ["alphabet", "amazon", "openai"]


DUPLICATES = (
    "whsmith wetherspoon loblaws geely sberbank icelandair fnac victoria-s-secret "
    "scandinavian-airlines-system indigo-airlines pegasus-airlines jw-marriott"
).split()
PUBLIC = (
    "deutsches-rotes-kreuz bayerisches-rotes-kreuz malteser-hilfsdienst metrolinx trimet "
    "vicroads bixi aok-bayern techniker-krankenkasse ikk-classic"
).split()


def test_listed_companies_have_no_notable_twin_and_public_bodies_are_no_companies() -> None:
    ids = {c.id for c in default_companies()}
    assert not ids & set(DUPLICATES)
    assert not ids & set(PUBLIC)
    # the listed companies keep their names
    assert {"wh-smith", "j-d-wetherspoon", "loblaw-companies", "marriott-international"} <= ids


def test_a_listed_company_is_found_by_its_short_name(matcher: CompanyMatcher) -> None:
    assert found(matcher, "Shares of WH Smith rose after the results.") == ["wh-smith"]
