"""The notable companies outside the listings (scripts/build_notable.py): the committed file is
what the script makes from its sources, the sources are read as documented, and the naming
rules keep ordinary words, places and people's names from standing alone as company names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import build_notable as script  # noqa: E402
import registry_notable_sources as sources  # noqa: E402

from pipeline.tagging.registry import Company, default_companies  # noqa: E402


def test_the_committed_notable_file_is_what_the_script_makes() -> None:
    if not script.sources_present():
        pytest.skip(f"notable sources not under {script.listed.SOURCES_DEFAULT} (see SOURCES.md)")
    assert script.build() == script.read(), "run python scripts/build_notable.py"


def test_the_committed_notable_file_is_small_and_well_formed() -> None:
    companies = script.read()
    ids = [c["id"] for c in companies]
    assert len(ids) == len(set(ids)) >= 5_000
    assert script.NOTABLE.stat().st_size < 1_000_000
    for company in companies:
        assert company["aliases"] and set(company.get("ambiguous", [])) <= set(company["aliases"])
        assert "ticker" not in company and "isin" not in company
        assert re.fullmatch(r"Q\d+", company.get("wikidata", "Q1"))


def test_the_registry_loads_the_notable_companies_after_the_listed_ones() -> None:
    companies = default_companies()
    notable = {c["id"] for c in script.read()}
    loaded = [c for c in companies if c.id in notable]
    assert len(loaded) >= 0.9 * len(notable)
    assert all(c.generated and c.ticker is None for c in loaded)
    listed = {a.lower() for c in companies if c.id not in notable for a in (*c.aliases, *c.brands)}
    assert not listed & {a.lower() for c in loaded for a in c.aliases}


def rules() -> script.Rules:
    return script.Rules({"the", "bank"}, {"vivienne", "rick"}, {"reno", "new york", "hong kong"})


def test_ordinary_words_places_and_stopwords_are_no_names() -> None:
    usable = rules().usable
    assert not usable("Justice")  # a common word
    assert not usable("Reno")  # a place
    assert not usable("New York")
    assert not usable("Rick")  # a given name
    assert not usable("Bank")  # a stoplist word
    assert not usable("Top Hair")  # common words only
    assert not usable("U.S. Bank")
    assert not usable("PNC")  # three letters
    assert usable("Walbusch") and usable("Jiffy Lube") and usable("Magdeburger Verkehrsbetriebe")


def test_people_places_and_common_words_need_the_article_to_confirm_a_company() -> None:
    ambiguous = rules().ambiguous
    assert ambiguous("Vivienne Westwood")  # a given name first: the designer or her house
    assert ambiguous("Hong Kong Airlines")  # a place first
    assert ambiguous("Kipling")  # a surname, rare but not very rare as a word
    assert ambiguous("Rick Owens")
    assert ambiguous("Japanese Canteen")  # an ordinary word first: "Japanese canteen"
    assert not ambiguous("Initech") and not ambiguous("Jiffy Lube")


@pytest.mark.parametrize(
    "name",
    ["Tinseltown", "Cygnet", "Plenitude", "Boreas", "Repower", "Bestway", "Walbusch"],
)
def test_a_one_word_name_in_the_dictionary_needs_the_article_to_confirm_it(name: str) -> None:
    assert rules().ambiguous(name)  # wordfreq Zipf 1 or more in English or German


@pytest.mark.parametrize("name", ["Paketbox", "Naturstrom", "Lagerbox", "Handelshof", "Reisebank"])
def test_two_german_words_written_as_one_need_the_article_to_confirm_them(name: str) -> None:
    assert script.german_compound(name) and rules().ambiguous(name)
    assert not script.german_compound("Initech") and not script.german_compound("Walbusch")


def test_a_lower_case_name_needs_confirmation_and_a_self_confirming_one_is_no_name() -> None:
    assert rules().ambiguous("tenpin") and rules().ambiguous("1a autoservice")
    assert not rules().usable("Energiedienst")  # the matcher reads -dienst as a business word
    assert rules().usable("ED Netze")


def test_a_name_of_ordinary_words_needs_confirmation() -> None:
    assert rules().ambiguous("Bel Air") and rules().ambiguous("Autograph Collection")
    assert rules().ambiguous("12 North")  # a number and an ordinary word: an address
    assert not rules().ambiguous("Jiffy Lube")


def test_airlines_are_the_active_ones_with_both_codes() -> None:
    text = "\n".join(
        (
            '2222,"Etihad Airways",\\N,"EY","ETD","ETIHAD","United Arab Emirates","Y"',
            '13,"Ansett",\\N,"","AAA","ANSETT","Australia","Y"',  # no IATA code
            '20,"Old Air",\\N,"OA","OLD","OLD","Greece","N"',  # defunct
            '21,"Варна Эйр",\\N,"VA","VAR","VARNA","Bulgaria","Y"',  # not in Latin letters
        )
    )
    found = sources.parse_airlines(text)
    assert [(n.name, n.country, n.kind) for n in found] == [
        ("Etihad Airways", "United Arab Emirates", "airline")
    ]


def item(where: list[str], **tags: str) -> dict[str, object]:
    return {"locationSet": {"include": where}, "tags": tags}


def test_brands_and_company_operators_of_the_news_markets_one_per_wikidata_item() -> None:
    files = {
        "brands/shop/clothes.json": {
            "items": [
                item(["de"], brand="Walbusch", **{"brand:wikidata": "Q1"}),
                item(["at"], brand="Walbusch", **{"brand:wikidata": "Q1"}),
                item(["rs"], brand="Local", **{"brand:wikidata": "Q2"}),  # not a market
                item(["fr", "it", "es", "pt", "be"], brand="Five", **{"brand:wikidata": "Q3"}),
                item(["us"], brand="No Item"),
            ]
        },
        "operators/power/line.json": {
            "items": [
                item(["de-nw.geojson"], operator="Westnetz", **{"operator:wikidata": "Q5"}),
                item(["us"], operator="City of Reno", **{"operator:wikidata": "Q6"}),
            ]
        },
        "operators/amenity/school.json": {
            "items": [item(["us"], operator="Acme Academy", **{"operator:wikidata": "Q7"})]
        },
    }
    found = {n.wikidata: n for n in sources.nsi_companies(files)}
    assert sorted(found) == ["Q1", "Q3", "Q5"]
    assert found["Q1"].names == ("Walbusch",) and found["Q1"].country is None  # two countries
    assert found["Q5"].country == "Germany" and found["Q5"].kind == "operator"


def test_a_name_is_kept_when_no_registry_company_has_it_and_no_other_notable_shares_it() -> None:
    notables = [
        sources.Notable("Globex", ("Globex",), None, "Q1", "brand"),
        sources.Notable("Globex Air", ("Globex Air", "Globex"), "Chile", None, "airline"),
        sources.Notable("Boston Consulting Group", ("BCG Group",), None, "Q3", "brand"),
        sources.Notable("Initech", ("Initech",), None, "Q4", "brand"),
        sources.Notable("Initech Photo Centre", ("Initech Photo Centre",), None, "Q5", "brand"),
        sources.Notable("Spark by Initech", ("Spark by Initech",), None, "Q6", "brand"),
    ]
    taken = {"initech", script.taken_key("BCG")}  # "Group" is a group word
    found = script.entries(notables, rules(), {"globex"}, taken)
    assert found == [
        {"id": "globex-air", "name": "Globex Air", "aliases": ["Globex Air"], "country": "Chile"}
    ]


def listed_company(
    cid: str, name: str, *aliases: str, ticker: str | None = None, country: str | None = None
) -> Company:
    return Company(cid, name, ticker, None, (name, *aliases), (), frozenset(), country=country)


REGISTRY = [
    listed_company("wh-smith", "WH Smith PLC", "WH Smith", ticker="SMWH", country="UK"),
    listed_company("loblaw", "Loblaw Companies Limited", "Loblaw Companies", country="Canada"),
    listed_company("geely", "Geely Automobile Holdings Ltd.", "Geely Automobile"),
    listed_company("jdw", "J D Wetherspoon plc", "J D Wetherspoon", country="UK"),
    listed_company("marriott", "Marriott International", "Marriott", country="US"),
    listed_company("sber", "Sberbank of Russia", country="Russia"),
    listed_company("vs", "Victorias Secret & Co.", "Victorias Secret", country="US"),
    listed_company("fnac", "Fnac Darty SA", "Fnac Darty", ticker="FNAC", country="France"),
    listed_company("pgsus", "Pegasus Hava Tasimaciligi Anonim Sirketi", country="Turkey"),
    listed_company("pega", "Pegasus Resources Inc.", country="Canada"),
    listed_company("sas", "SAS AB (publ)", ticker="SAS", country="Sweden"),
    listed_company("indigo", "InterGlobe Aviation Limited", ticker="INDIGO", country="India"),
    listed_company("indigo-paints", "Indigo Paints Limited", country="India"),
    listed_company("buxton", "Buxton Resources Ltd", country="Australia"),
    listed_company("waterstone", "Waterstone", country="US"),
    listed_company("srb", "Sichuan Road and Bridge", country="China"),
    listed_company("sce", "Sichuan Chuantou Energy", country="China"),
    listed_company("mandala", "PT Mandala Multifinance Tbk", country="Indonesia"),
    listed_company("landi-renzo", "Landi Renzo", country="Italy"),
]


def notable(name: str, country: str | None = None, *others: str) -> sources.Notable:
    return sources.Notable(name, (name, *others), country, None, "brand")


def test_a_notable_entry_that_is_a_registry_company_under_another_spelling_is_left_out() -> None:
    duplicates = [
        notable("WHSmith"),  # WH Smith without its space
        notable("Loblaws", "Canada"),  # Loblaw Companies, with the plural s
        notable("Geely"),  # begins Geely Automobile
        notable("Wetherspoon", "UK"),  # J D Wetherspoon without the initials
        notable("JW Marriott"),  # Marriott after two capitals
        notable("Sberbank"),  # Sberbank of Russia
        notable("Victoria's Secret"),  # Victorias Secret & Co.
        notable("Fnac"),  # Fnac Darty, ticker FNAC
        notable("Pegasus Airlines", "Turkey"),  # Pegasus Hava Tasimaciligi (air transport)
        notable("Scandinavian Airlines System", "Sweden", "SAS Scandinavian Airlines"),
        notable("IndiGo Airlines", "India"),  # ticker INDIGO
    ]
    own = [
        notable("Buxton", "Australia"),  # Buxton Resources is another company
        notable("Waterstones"),  # a plural is not the singular Waterstone
        notable("Sichuan Airlines", "China"),  # a region several companies' names begin with
        notable("Mandala Airlines", "Indonesia"),  # Mandala Multifinance lends money
        notable("Landi", "Switzerland"),  # Landi Renzo is another company
    ]
    places = {"russia"}
    naming = script.Rules({"the"}, {"rick"}, places)
    registry = script.Registry(REGISTRY)
    ids, names = script.registry_names(REGISTRY)
    found = script.entries(duplicates + own, naming, ids, names, registry)
    assert [e["name"] for e in found] == [
        "Buxton", "Landi", "Mandala Airlines", "Sichuan Airlines", "Waterstones"
    ]  # fmt: skip


def test_charities_health_insurers_and_public_bodies_are_no_companies() -> None:
    files = {
        "brands/amenity/hospital.json": {
            "items": [
                item(["de"], brand="Deutsches Rotes Kreuz", **{"brand:wikidata": "Q1"}),
                item(["de"], brand="Malteser Hilfsdienst", **{"brand:wikidata": "Q2"}),
                item(["de"], brand="AOK Bayern", **{"brand:wikidata": "Q3"}),
                item(["de"], brand="Techniker Krankenkasse", **{"brand:wikidata": "Q4"}),
                item(["gb"], brand="National Tyres", **{"brand:wikidata": "Q5"}),  # a company
            ]
        },
        "operators/power/line.json": {
            "items": [
                item(["ca"], operator="Hydro North", **{"operator:wikidata": "Q6"}),
                item(["de"], operator="Westnetz", **{"operator:wikidata": "Q7"}),
            ]
        },
    }
    assert sorted(str(n.wikidata) for n in sources.nsi_companies(files)) == ["Q5", "Q6", "Q7"]
    # another folder marks the operator as a government body
    marked = {"operator:wikidata": "Q6", "operator:type": "government"}
    files["operators/amenity/parking.json"] = {"items": [item(["ca"], **marked)]}
    assert sorted(str(n.wikidata) for n in sources.nsi_companies(files)) == ["Q5", "Q7"]
