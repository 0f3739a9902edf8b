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

from pipeline.tagging.registry import default_companies  # noqa: E402


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
    assert not ambiguous("Walbusch") and not ambiguous("Magdeburger Verkehrsbetriebe")


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
