import pytest

from pipeline.tagging.company import CompanyMatcher
from pipeline.tagging.registry import default_companies
from pipeline.tagging.text import split_sentences
from tests.unit.pipeline.tagging.small_registry import found


@pytest.fixture(scope="module")
def matcher() -> CompanyMatcher:
    return CompanyMatcher(default_companies())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amazons Clouddienst AWS wächst.", ["amazon"]),
        ("Die Amazon-Aktie fiel um sieben Prozent.", ["amazon"]),
        ("Der SAP-Chef stellte die Zahlen vor.", ["sap"]),
        ("Die Nachfrage nach Nvidia-Chips bleibt hoch.", ["nvidia"]),
        ("Googles Gemini und GPT von OpenAI konkurrieren.", ["alphabet", "openai"]),
        ("Instagram und WhatsApp gehören zum selben Konzern.", ["meta-platforms"]),
        ("Azure and Copilot lifted revenue.", ["microsoft"]),
        ("Apple's iPhone sales rose.", ["apple"]),
        ("Prime Video und Alexa gehören zum Konzern.", ["amazon"]),
        ("YouTube and DeepMind reported growth.", ["alphabet"]),
        ("ChatGPT gained users while LinkedIn added jobs.", ["microsoft", "openai"]),
    ],
)
def test_inflections_compounds_and_brands(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


def test_longest_match_wins(matcher: CompanyMatcher) -> None:
    assert found(matcher, "Siemens Energy hebt die Prognose an.") == ["siemens-energy"]
    assert found(matcher, "Siemens und Siemens Energy berichten.") == ["siemens", "siemens-energy"]


@pytest.mark.parametrize(
    "text",
    [
        "Deforestation in the Amazon fell to its lowest level in a decade.",
        "Zwölf Obstbauern haben sich zu einer Allianz zusammengeschlossen.",
        "She needed a visa to travel; the Visa office was closed.",
        "He ate an apple. Apple pie is his favourite.",
        "Eine Meta-Studie fasst die Ergebnisse zusammen.",
        "The shell of the turtle was cracked.",
        "Die Post kam heute später als sonst.",
        "Amazonas und Orinoco sind große Flüsse.",
        "The oracle at Delphi spoke in riddles.",
        "A continental breakfast is served from seven. Continental Europe had a warm summer.",
        "Their target is to halve emissions by 2030.",
    ],
)
def test_ambiguous_names_need_company_context(matcher: CompanyMatcher, text: str) -> None:
    assert found(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Versicherer Allianz hob seine Prognose an; die Aktie stieg.", ["allianz"]),
        ("Shares of Target fell 9% after the retailer cut its forecast.", ["target"]),
        ("Apple shares rose after the iPhone launch.", ["apple"]),
        ("Der Konzern Meta kündigte neue Brillen an.", ["meta-platforms"]),
        ("Oracle shares jumped after the cloud deal.", ["oracle"]),
        ("Der Autozulieferer Continental streicht Stellen.", ["continental"]),
    ],
)
def test_ambiguous_names_count_with_company_context(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected


def test_all_caps_aliases_match_only_in_capitals(matcher: CompanyMatcher) -> None:
    assert found(matcher, "Das sap der Pflanze.") == []
    assert found(matcher, "SAP meldet Zahlen.") == ["sap"]


def test_mentions_carry_offsets(matcher: CompanyMatcher) -> None:
    text = "Heute: Amazon und AWS."
    mentions = matcher.find(text, split_sentences(text))
    assert [(text[m.start : m.end], m.company_id) for m in mentions] == [
        ("Amazon", "amazon"),
        ("AWS", "amazon"),
    ]


def test_registry_entries_have_valid_ids() -> None:
    companies = default_companies()
    assert len({c.id for c in companies}) == len(companies)
    for company in companies:
        assert company.isin is None or len(company.isin) == 12


@pytest.mark.parametrize(
    ("company_id", "ticker", "exchange", "isin"),
    [
        ("sap", "SAP", "XETR", "DE0007164600"),  # DAX
        ("hensoldt", "HAG", "XETR", "DE000HAG0005"),  # MDAX
        ("infineon", "IFX", "XETR", "DE0006231004"),  # TecDAX
        ("lvmh", "MC", "XPAR", "FR0000121014"),  # EURO STOXX 50
        ("nvidia", "NVDA", "XNAS", "US67066G1040"),  # S&P 500, NASDAQ 100
        ("astrazeneca", "AZN", "XLON", "GB0009895292"),  # FTSE 100
        ("samsung-electronics", "005930", "XKRX", "KR7005930003"),
        ("toyota", "7203", "XTKS", "JP3633400001"),
        ("tencent", "0700", "XHKG", "KYG875721634"),
        ("openai", None, None, None),  # curated private AI companies
        ("anthropic", None, None, None),
        ("xai", None, None, None),
        ("mistral-ai", None, None, None),
    ],
)
def test_the_registry_holds_index_members_and_private_ai_companies(
    company_id: str, ticker: str | None, exchange: str | None, isin: str | None
) -> None:
    companies = {c.id: c for c in default_companies()}
    company = companies[company_id]
    assert (company.ticker, company.exchange, company.isin) == (ticker, exchange, isin)


def test_tickers_have_one_format_and_an_exchange() -> None:
    """The exchange's own symbol, no venue suffix (.DE, .T): the exchange field says where."""
    listed = [c for c in default_companies() if c.ticker]
    assert len(default_companies()) >= 20_000
    for company in listed:
        assert company.exchange and len(company.exchange) == 4, company
        assert not any(company.ticker.endswith(s) for s in (".DE", ".L", ".PA", ".T", ".HK")), (
            company
        )


def test_a_lower_case_verb_is_no_company_context() -> None:
    from pipeline.tagging.registry import default_companies
    from pipeline.tagging.text import split_sentences

    matcher = CompanyMatcher(default_companies())
    for text, expected in [
        ("Botschaften stellen wieder mehr Visa für Studierende aus.", set()),
        ("Visa streicht 1400 Stellen.", {"visa"}),
    ]:
        assert {m.company_id for m in matcher.find(text, split_sentences(text))} == expected


def test_curated_names_belong_to_one_company_and_parents_exist() -> None:
    from collections import Counter

    from pipeline.tagging.registry import DATA_DIR, load_companies

    curated = [
        *load_companies(DATA_DIR / "companies.yaml"),
        *load_companies(DATA_DIR / "companies_private.yaml"),
    ]
    owners = Counter(
        name.lower() for c in curated for name in {n.lower() for n in (*c.aliases, *c.brands)}
    )
    assert [name for name, n in owners.items() if n > 1] == []
    companies = {c.id: c for c in default_companies()}
    assert companies["t-mobile-us"].parent == "deutsche-telekom"  # listed subsidiary
    assert companies["porsche"].parent == "volkswagen"
    assert companies["flipkart"].parent == "walmart"  # private subsidiary
    assert all(c.parent in companies for c in companies.values() if c.parent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Autozulieferer ZF Friedrichshafen streicht Stellen.", ["zf-friedrichshafen"]),
        ("Duolingo shares fell 25% after the company cut its forecast.", ["duolingo"]),
        ("Die Reliance Industries Limited meldet einen Rekordgewinn.", ["reliance-industries"]),
        # a listed company outside the indices, named by its short name with a business word
        ("Aalberts-Aktie steigt nach Zahlen.", ["aalberts"]),
        # the same short name without any business context is no company
        ("Wir trafen Aalberts gestern im Park.", []),
    ],
)
def test_listed_and_private_companies_beyond_the_indices(
    matcher: CompanyMatcher, text: str, expected: list[str]
) -> None:
    assert found(matcher, text) == expected
