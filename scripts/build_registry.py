"""Rebuild pipeline/tagging/data/companies_generated.json.gz: every listed company of the world's
major exchanges, one entry per issuer at its primary listing.

Run: pip install -e '.[test]' && python scripts/build_registry.py [SOURCES_DIR]
(SOURCES_DIR holds the git directories of the sources below as owner+name/repo, the layout the
search tool's `fetch` makes; default: $REGISTRY_SOURCES or /work/.mirror.) Review the
diff of pipeline/tagging/data/SOURCES.md and the counts it prints.

Sources (recorded with commit and licence in pipeline/tagging/data/SOURCES.md):
- pytickersymbols 1.17.10 (MIT, PyPI): the members of the major indices. They came first and
  keep their ids, names and aliases (labelled articles and tests use them).
- JerBouma/FinanceDatabase (MIT) and datasets/nasdaq-listings (ODC-PDDL-1.0): every listed
  company, read by scripts/registry_listings.py.

Every company: id (slug of the name; an index member's id never changes), name, aliases, the
primary listing as `ticker` (the exchange's own symbol: SAP, 7203, 0700, BRK-B) plus `exchange`
(ISO 10383 MIC: XETR, XNAS, XTKS...), ISIN where a source gives a valid one, country, and the
market-cap class (`size`) that the matcher uses as a prior.

Aliases of index members: the name with and without its legal form, and without a trailing
business word such as Railway or Technologies when two words remain, or when one remains that is
rare as a word in English and German text and names one company only: "Micron" for Micron
Technology, but no "Mitsubishi" for Mitsubishi Chemical. Aliases that are common words
(justext's English and German stoplists, alias_denylist.yaml) are dropped; all-caps names of
two letters (HP) are kept, as the matcher takes them only in capitals.

Aliases of the other listed companies are stricter, as there are 30,000 of them and most are
small: the full name with its legal form ("Aalberts N.V."); the name without it when it has
two or more words, or one word that is no common word in English and German text (wordfreq
Zipf below 4: Xerox, Accor); the name without a trailing business word by the rule above. A
one-word short name is `ambiguous` (it counts only when the article confirms a company, see
pipeline/tagging/company.py) unless the company is large and the word rare (Zipf below 3); so is
a name of common words only ("First Solar") of a company that is not large, and a three-letter
capital name of a large company (HTC; of a small one it is left out: IDE). A name several
companies share goes to the largest when it is larger by a size class, else to none.
Curated entries in companies.yaml win: a generated entry with a curated id or ISIN is skipped,
and names a curated company uses are not given to a generated one.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import justext
from pytickersymbols import PyTickerSymbols
from wordfreq import zipf_frequency

from pipeline.tagging.data_files import load_data_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import registry_listings as listings

DATA = Path(__file__).resolve().parent.parent / "pipeline" / "tagging" / "data"
SKIPPED_INDICES = {"S&P 600"}  # small caps: many generic names, little news
LEGAL_FORMS = re.compile(
    r"[,.]?\s+(aktiengesellschaft|inc|incorporated|corp|corporation|co|company|ag|se|plc|n\.?v|s\.?a|sa|ltd|limited|"
    r"holdings?|group|kgaa|& co\.? kgaa|gmbh|oyj|ab|asa|spa|s\.p\.a|llc|lp|reit|the)\.?$",
    re.IGNORECASE,
)


DESCRIPTORS = re.compile(
    r"\s+(railway|railways|bancorp|bancshares|technologies|technology|pharmaceuticals|therapeutics|"
    r"financial|entertainment|semiconductor|semiconductors|communications|brands|industries|"
    r"systems|markets|chemie|chemical|chemicals|software|laboratories)$",
    re.IGNORECASE,
)
BUSINESS_WORDS = frozenset(
    """software technologies technology systems group holding holdings industries international
    pharma pharmaceuticals energy bank financial entertainment media motor motors""".split()
)
RARE_WORD = 3.0  # wordfreq's Zipf frequency below which a word reads as a name


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def short_name(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = LEGAL_FORMS.sub("", name.strip()).strip(" ,.")
    name = re.sub(r"\s+(and|&)$", "", name, flags=re.IGNORECASE)
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def without_descriptor(short: str, words: set[str], group_words: set[str]) -> str | None:
    """The name as news writes it, without a trailing business word: "Live Nation" for Live
    Nation Entertainment, unless the last word left is a common word or place (not "East Japan"
    for East Japan Railway); "Micron" for Micron Technology, when the one word left is rare as a
    word and no group name shared by several companies (not "Mitsubishi")."""
    bare = DESCRIPTORS.sub("", short).strip(" ,.")
    if bare == short or not bare or bare.split()[-1].lower() in words:
        return None
    if " " not in bare and (bare.lower() in group_words or not _rare_name(bare)):
        return None
    return bare


def _rare_name(word: str) -> bool:
    if not word.isalpha():
        return False
    return max(zipf_frequency(word, "en"), zipf_frequency(word, "de")) < RARE_WORD


def group_first_words(names: list[str]) -> set[str]:
    """First words that begin the names of several index companies (Mitsubishi, Sumitomo)."""
    firsts = Counter(name.split()[0].lower() for name in dict.fromkeys(names) if " " in name)
    return {word for word, count in firsts.items() if count > 1}


def kept_aliases(candidates: list[str], words: set[str], taken: set[str]) -> list[str]:
    aliases = []
    for alias in dict.fromkeys(candidates):
        short_caps = len(alias) == 2 and alias.isupper() and alias.isalpha()  # HP, matched in caps
        if (len(alias) < 3 and not short_caps) or alias.lower() in taken or alias.lower() in words:
            continue
        aliases.append(alias)
    return aliases


def common_words() -> set[str]:
    denied = load_data_file(DATA / "alias_denylist.yaml", "alias_denylist")["words"]
    stop = justext.get_stoplist("English") | justext.get_stoplist("German")
    return {w.lower() for w in denied} | {w.lower() for w in stop}


def curated() -> tuple[set[str], set[str], set[str]]:
    entries = load_data_file(DATA / "companies.yaml", "companies")["companies"]
    ids = {e["id"] for e in entries}
    isins = {e["isin"] for e in entries if e.get("isin")}
    names = {a.lower() for e in entries for a in (*e.get("aliases", []), *(e.get("brands") or []))}
    return ids, isins, names


def _index_members() -> list[dict[str, Any]]:
    tickers = PyTickerSymbols()
    return [
        stock
        for index in tickers.get_all_indices()
        if index not in SKIPPED_INDICES
        for stock in tickers.get_stocks_by_index(index)
    ]


SOURCES_DEFAULT = Path(os.environ.get("REGISTRY_SOURCES", "/work/.mirror"))
GENERATED = DATA / "companies_generated.json.gz"
LARGE = ("Mega Cap", "Large Cap")
COMMON_WORD = 4.0  # Zipf frequency from which a word of a multi-word name is an ordinary word
# Yahoo-style venue suffixes of the index lists -> ISO 10383 MIC
SUFFIX_MIC = {
    "DE": "XETR", "F": "XFRA", "L": "XLON", "PA": "XPAR", "AS": "XAMS", "BR": "XBRU",
    "MI": "XMIL", "MC": "XMAD", "SW": "XSWX", "VX": "XSWX", "ST": "XSTO", "CO": "XCSE",
    "HE": "XHEL", "OL": "XOSL", "LS": "XLIS", "VI": "XWBO", "IR": "XDUB", "T": "XTKS",
    "HK": "XHKG", "KS": "XKRX", "KQ": "XKOS", "TW": "XTAI", "SS": "XSHG", "SZ": "XSHE",
    "NS": "XNSE", "BO": "XBOM", "AX": "XASX", "TO": "XTSE", "V": "XTSX", "SA": "BVMF",
    "MX": "XMEX", "JO": "XJSE", "SI": "XSES", "WA": "XWAR", "AT": "XATH", "NZ": "XNZE",
}  # fmt: skip


def source_dirs(root: Path) -> tuple[Path, Path]:
    return (
        root / listings.FINANCE_DATABASE.replace("/", "+") / "repo",
        root / listings.NASDAQ_LISTINGS.replace("/", "+") / "repo",
    )


def sources_present(root: Path = SOURCES_DEFAULT) -> bool:
    return all(d.is_dir() for d in source_dirs(root))


class Venues:
    """Where a ticker of the index lists trades: the primary listings by ISIN and by symbol."""

    def __init__(self, primaries: list[listings.Listing]) -> None:
        self.by_isin = {p.isin: p for p in primaries if p.isin}
        self.by_key = {(listings.issuer_key(p.name), p.country): p for p in primaries}
        self.us = {p.symbol: p for p in primaries if p.exchange in listings.US_VENUES}

    def find(self, name: str, country: str | None, isin: str | None) -> listings.Listing | None:
        if isin and isin in self.by_isin:
            return self.by_isin[isin]
        return self.by_key.get((listings.issuer_key(name), country or ""))

    def extending(self, name: str, country: str | None) -> listings.Listing | None:
        """The one listing of the country whose name begins with this short name and a business
        word: ATOSS Software AG for Atoss (the index lists write names short)."""
        key = listings.issuer_key(name)
        found = [
            p
            for (k, c), p in self.by_key.items()
            if c == country and k.startswith(key + " ") and k[len(key) + 1 :] in BUSINESS_WORDS
        ]
        return found[0] if len(found) == 1 else None

    def listing_of(self, ticker: str | None, country: str | None) -> tuple[str | None, str | None]:
        """(symbol, MIC) of a Yahoo-style ticker: HAG.DE -> (HAG, XETR); AAPL -> (AAPL, XNAS);
        a US index member's ticker that no Nasdaq or NYSE list has -> NYSE (BF.B -> BF-B)."""
        if not ticker:
            return None, None
        symbol, _, suffix = ticker.rpartition(".")
        if symbol and suffix in SUFFIX_MIC:
            return symbol, SUFFIX_MIC[suffix]
        us = self.us.get(ticker.replace(".", "-"))
        if us:
            return us.symbol, us.mic
        if country == "United States" and re.fullmatch(r"[A-Z]{1,5}([.-][A-Z])?", ticker):
            return ticker.replace(".", "-"), "XNYS"
        return None, None


def _index_entry(stock: dict[str, Any], aliases: list[str], venues: Venues) -> dict[str, Any]:
    name = stock["name"].strip()
    isins = stock.get("isins") or []
    isin = isins[0] if isins else None
    country = country_of(stock.get("country"))
    listing = venues.find(name, country, isin)
    if listing is not None and isin and listing.isin not in ("", isin):
        listing = None
    ticker, exchange = venues.listing_of(stock.get("symbol"), country)
    if exchange is None and listing is None:
        listing = venues.extending(name, country)
    if exchange is None and listing is not None:
        ticker, exchange = listing.symbol, listing.mic
    return _entry(
        id=slug(short_name(name)) or slug(name),
        name=name,
        aliases=aliases,
        ticker=ticker,
        exchange=exchange,
        isin=isin,
        country=(listing.country if listing else None) or country,
        size=listing.size if listing else None,
    )


def country_of(place: str | None) -> str | None:
    """A country name as the listings write it, from the index lists' headquarters ("Houston,
    Texas" is in the United States, "Schaffhausen, Switzerland" in Switzerland)."""
    if not place:
        return None
    last = place.rsplit(",", 1)[-1].strip()
    if last in listings.HOME:
        return last
    return "United States" if "," in place and last in US_STATES else None


US_STATES = frozenset(
    (
        *"""Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
        Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland
        Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio
        Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin
        Wyoming""".split(),
        *("New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina"),
        *("North Dakota", "Rhode Island", "South Carolina", "South Dakota", "West Virginia"),
        *("D.C.", "District of Columbia"),
    )
)


def _entry(**fields: Any) -> dict[str, Any]:
    """An entry without its empty fields (the file stays small; the loader reads them as null)."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def index_entries(
    venues: Venues, words: set[str], curated_ids: set[str], curated_isins: set[str],
    curated_names: set[str],
) -> dict[str, dict[str, Any]]:  # fmt: skip
    members = _index_members()
    groups = group_first_words([short_name(stock["name"].strip()) for stock in members])
    entries: dict[str, dict[str, Any]] = {}
    for stock in members:
        isins = stock.get("isins") or []
        name = stock["name"].strip()
        short = short_name(name)
        company_id = slug(short) or slug(name)
        if company_id in curated_ids or (isins and isins[0] in curated_isins):
            continue
        if company_id in entries:
            continue
        candidates = [a for a in (name, short, without_descriptor(short, words, groups)) if a]
        aliases = kept_aliases(candidates, words, curated_names)
        if aliases:
            entries[company_id] = _index_entry(stock, aliases, venues)
    return entries


def _word_frequency(word: str) -> float:
    return max(zipf_frequency(word, "en"), zipf_frequency(word, "de"))


def readable(name: str) -> str:
    """All-capital names as written in text: "MASTERLINK SECURITIES" -> "Masterlink Securities";
    short capital words (ABC, AG) stay as they are."""
    name = re.sub(r",(?=\S)", ", ", name)  # "Hyundai Mobis Co.,Ltd" as "Co., Ltd"
    if not name.isupper() or len(name) <= 5:
        return name
    return " ".join(w if len(w) <= 3 else w.capitalize() for w in name.split())


def listed_aliases(
    listing: listings.Listing, words: set[str], groups: set[str]
) -> tuple[list[str], list[str]]:
    """(aliases, ambiguous aliases) of a listed company outside the indices."""
    name = readable(listing.name)
    short = short_name(name)
    candidates = [name]
    ambiguous: list[str] = []
    for alias in (short, without_descriptor(short, words, groups)):
        acronym = len(alias or "") == 3 and alias.isupper() and alias.isalpha()  # HTC
        if not alias or alias == name or (len(alias) < 4 and not acronym):
            continue
        if acronym:
            if alias.lower() not in words and listing.size in LARGE:
                candidates.append(alias)
                ambiguous.append(alias)
            continue
        parts = alias.split()
        if len(parts) == 1:
            if alias.lower() in words or alias.lower() in groups or not _known_word(alias):
                continue
        elif parts[0].lower() in words and all(p.lower() in words for p in parts):
            continue
        candidates.append(alias)
        common = all(_word_frequency(p) >= COMMON_WORD for p in parts)
        large = listing.size in LARGE
        if (len(parts) == 1 and (not large or not _rare_name(alias))) or (common and not large):
            ambiguous.append(alias)
    return candidates, ambiguous


def _known_word(word: str) -> bool:
    """A one-word name that may stand alone: letters only, and no common word (Xerox, Accor)."""
    return word.replace("'", "").replace("’", "").isalpha() and _word_frequency(word) < COMMON_WORD


def _size_rank(size: str | None) -> int:
    sizes = listings.SIZES
    return sizes.index(size) if size in sizes else len(sizes)


def listed_entries(
    primaries: list[listings.Listing], taken_ids: set[str], taken_isins: set[str],
    taken_names: set[str], words: set[str], known: set[tuple[str, str]],
    taken_listings: set[tuple[str, str]],
) -> list[dict[str, Any]]:  # fmt: skip
    """Entries for the primary listings that no curated or index entry already is."""
    curated_names = {key for key, _ in curated_keys()}  # curated entries name no country
    fresh = [
        p
        for p in primaries
        if not (p.isin and p.isin in taken_isins)
        and (p.symbol, p.mic) not in taken_listings
        and (listings.issuer_key(p.name), p.country) not in known
        and listings.issuer_key(p.name) not in curated_names
    ]
    groups = group_first_words([short_name(readable(p.name)) for p in fresh])
    proposed = [(p, *listed_aliases(p, words, groups)) for p in fresh]
    owners: dict[str, list[int]] = {}
    for index, (_, aliases, _) in enumerate(proposed):
        for alias in dict.fromkeys(a.lower() for a in aliases):
            owners.setdefault(alias, []).append(index)
    entries = []
    used_ids = set(taken_ids)
    for index, (listing, aliases, ambiguous) in enumerate(proposed):
        kept = [
            a
            for a in dict.fromkeys(aliases)
            if a.lower() not in taken_names and _owns(index, owners[a.lower()], proposed)
        ]
        if not kept:
            continue
        company_id = _free_id(slug(short_name(readable(listing.name))), listing, used_ids)
        used_ids.add(company_id)
        entries.append(
            _entry(
                id=company_id,
                name=readable(listing.name),
                aliases=kept,
                ambiguous=[a for a in ambiguous if a in kept],
                ticker=listing.symbol,
                exchange=listing.mic,
                isin=listing.isin,
                country=listing.country,
                size=listing.size,
            )
        )
    return entries


def _owns(index: int, owners: list[int], proposed: list[Any]) -> bool:
    """A name several companies share goes to the one a size class larger than all others."""
    if len(owners) == 1:
        return True
    ranks = sorted((_size_rank(proposed[i][0].size), i) for i in owners)
    return ranks[0][1] == index and ranks[0][0] < ranks[1][0]


def _free_id(base: str, listing: listings.Listing, used: set[str]) -> str:
    for candidate in (base, f"{base}-{listing.mic.lower()}", f"{base}-{slug(listing.symbol)}"):
        if candidate and candidate not in used:
            return candidate
    raise ValueError(f"no free id for {listing}")


def build(root: Path = SOURCES_DEFAULT) -> list[dict[str, Any]]:
    curated_ids, curated_isins, curated_names = curated()
    words = common_words()
    primaries = listings.primary_listings(*source_dirs(root))
    venues = Venues(primaries)
    indexed = index_entries(venues, words, curated_ids, curated_isins, curated_names)
    taken_names = curated_names | {a.lower() for e in indexed.values() for a in e["aliases"]}
    taken_isins = curated_isins | {e["isin"] for e in indexed.values() if e.get("isin")}
    known = {
        (listings.issuer_key(e["name"]), e.get("country") or "") for e in indexed.values()
    } | curated_keys()
    taken_listings = curated_listings() | {
        (e["ticker"], e["exchange"]) for e in indexed.values() if e.get("exchange")
    }
    listed = listed_entries(
        primaries, curated_ids | set(indexed), taken_isins, taken_names, words, known,
        taken_listings,
    )  # fmt: skip
    return with_parents(sorted([*indexed.values(), *listed], key=lambda e: e["id"]))


def with_parents(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`parent` from company_parents.yaml; a child or parent that is no company is an error."""
    document = load_data_file(DATA / "company_parents.yaml", "company_parents")
    parents: dict[str, str] = document["parents"]
    by_id = {e["id"]: e for e in entries}
    missing = sorted(child for child in parents if child not in by_id)
    if missing:
        raise ValueError(f"company_parents.yaml names no generated company: {missing}")
    for child, parent in parents.items():
        by_id[child]["parent"] = parent
    return entries


def curated_listings() -> set[tuple[str, str]]:
    entries = load_data_file(DATA / "companies.yaml", "companies")["companies"]
    return {(str(e["ticker"]), e["exchange"]) for e in entries if e.get("exchange")}


def curated_keys() -> set[tuple[str, str]]:
    entries = load_data_file(DATA / "companies.yaml", "companies")["companies"]
    return {(listings.issuer_key(e["name"]), e.get("country") or "") for e in entries}


def write(companies: list[dict[str, Any]], path: Path = GENERATED) -> None:
    write_generated(
        path,
        companies,
        "GENERATED by scripts/build_registry.py; do not edit. Sources: SOURCES.md",
        2,
    )


def write_generated(
    path: Path, companies: list[dict[str, Any]], comment: str, version: int
) -> None:
    """A generated company file, byte for byte the same for the same companies (sorted keys,
    no gzip timestamp), so that a rebuild can be compared with the committed file."""
    document = {"comment": comment, "version": version, "companies": companies}
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with (
        path.open("wb") as handle,
        gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as gz,
    ):
        gz.write(raw.encode("utf-8"))


def read(path: Path = GENERATED) -> list[dict[str, Any]]:
    """The companies of a generated company file."""
    companies: list[dict[str, Any]] = json.loads(gzip.decompress(path.read_bytes()))["companies"]
    return companies


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES_DEFAULT
    if not sources_present(root):
        raise SystemExit(f"sources not found under {root}: see SOURCES.md")
    companies = build(root)
    write(companies)
    by_exchange = Counter(c.get("exchange") for c in companies)
    print(f"wrote {len(companies)} companies to {GENERATED.name}")
    print(", ".join(f"{mic}: {n}" for mic, n in by_exchange.most_common()))


if __name__ == "__main__":
    main()
