"""The generated registry is what scripts/build_registry.py makes, and its naming rules hold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))


def build_registry() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_registry", ROOT / "scripts" / "build_registry.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_registry", module)
    spec.loader.exec_module(module)
    return module


def test_the_committed_generated_registry_is_what_the_script_makes() -> None:
    script = build_registry()
    if not script.sources_present():
        pytest.skip(f"registry sources not under {script.SOURCES_DEFAULT} (see SOURCES.md)")
    assert script.build() == script.read(), "run python scripts/build_registry.py"


def test_the_generated_registry_keeps_every_index_member_and_lists_the_world() -> None:
    script = build_registry()
    companies = script.read()
    ids = [c["id"] for c in companies]
    assert len(ids) == len(set(ids)) >= 20_000
    assert {"hensoldt", "astrazeneca", "micron-technology", "live-nation-entertainment"} <= set(ids)
    exchanges = {c.get("exchange") for c in companies}
    assert {"XNAS", "XNYS", "XETR", "XLON", "XPAR", "XSWX", "XTKS", "XHKG", "XNSE", "XKRX"} <= (
        exchanges
    )
    assert all(c.get("exchange") for c in companies if c.get("ticker"))


def test_primary_listings_are_found_by_issuer_and_venue() -> None:
    listings = build_registry().listings
    assert listings.issuer_key("Kinetik Holdings Inc. Class A Common Stock") == "kinetik"
    assert listings.issuer_key("SAP SE") == listings.issuer_key("SAP Aktiengesellschaft")
    assert listings.local_symbol("7203.T") == "7203"
    assert listings.local_symbol("BRK-B") == "BRK-B"
    assert listings.display_name("Dakota Gold Corp. Common Stock") == "Dakota Gold Corp."
    assert listings.valid_isin("DE0007164600", "Germany")
    assert not listings.valid_isin("DE0007164601", "Germany")  # check digit
    assert not listings.valid_isin("US0153931011", "Sweden")  # a foreign company's ADR
    assert listings._eligible("GER", "Germany") and listings._eligible("NYQ", "Germany")
    assert not listings._eligible("BER", "United States")  # a secondary venue
    home = listings.Listing("SAP", "SAP SE", "GER", "XETR", "Germany", "Mega Cap", "")
    abroad = listings.Listing("SAP", "SAP SE", "NYQ", "XNYS", "Germany", "Mega Cap", "")
    assert min([abroad, home], key=listings._rank) == home


def test_listed_companies_get_strict_aliases() -> None:
    script = build_registry()
    words = script.common_words()
    listing = script.listings.Listing

    def aliases(name: str, size: str = "Small Cap") -> tuple[list[str], list[str]]:
        return script.listed_aliases(listing("X", name, "AMS", "XAMS", "", size, ""), words, set())

    assert aliases("Aalberts N.V.") == (["Aalberts N.V.", "Aalberts"], ["Aalberts"])
    assert aliases("Aalberts N.V.", "Large Cap") == (["Aalberts N.V.", "Aalberts"], [])
    # a short name that is an ordinary word is left out; one of common words needs context
    # unless the company is large; a one-word name that is a known word too (Xerox) needs it
    assert aliases("Target Ltd") == (["Target Ltd"], [])
    assert aliases("First Solar, Inc.") == (["First Solar, Inc.", "First Solar"], ["First Solar"])
    assert aliases("First Solar, Inc.", "Large Cap") == (["First Solar, Inc.", "First Solar"], [])
    assert aliases("Xerox Corporation", "Large Cap") == (["Xerox Corporation", "Xerox"], ["Xerox"])
    assert aliases("Intuitive Machines, Inc.") == (
        ["Intuitive Machines, Inc.", "Intuitive Machines"],
        [],
    )
    assert script.readable("MASTERLINK SECURITIES AG") == "Masterlink Securities AG"


def test_names_lose_legal_forms_and_business_words_as_news_writes_them() -> None:
    script = build_registry()
    words = script.common_words()
    groups = script.group_first_words(
        ["Mitsubishi Chemical", "Mitsubishi UFJ", "Micron Technology"]
    )
    assert script.short_name("Evonik Industries AG") == "Evonik Industries"
    assert script.without_descriptor("Micron Technology", words, groups) == "Micron"
    assert script.without_descriptor("Live Nation Entertainment", words, groups) == "Live Nation"
    # one word left that is a group name of several companies, or an ordinary word: no alias
    assert script.without_descriptor("Mitsubishi Chemical", words, groups) is None
    assert script.without_descriptor("Principal Financial", words, groups) is None
    assert script.kept_aliases(["HP Inc.", "HP", "GE"], words, {"ge"}) == ["HP Inc.", "HP"]
