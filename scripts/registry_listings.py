"""Listed companies of the world's major exchanges, one row per issuer at its primary listing.

Read by scripts/build_registry.py from two public datasets kept as git directories (brought in
with the search tool's `fetch`), each read at a pinned commit so that a rebuild is exact:

- JerBouma/FinanceDatabase (MIT): database/equities/<exchange>.csv, one row per listing with
  name, symbol, exchange, MIC, country, market-cap class and, for some, ISIN. Its Nasdaq Global
  Select file (NMS.csv) is absent from the stored copy, and its NYSE file is only stored at an
  earlier commit (both pinned below).
- datasets/nasdaq-listings (ODC-PDDL-1.0): every Nasdaq-listed security (symbol, company name,
  market tier), which fills the missing Nasdaq Global Select companies.

Rules: a listing counts when it is an operating company's share (no ETF, fund, bond, warrant,
right, unit, preferred share or blank-check shell), on a venue in the issuer's own country or on
a US venue; secondary venues (German regional exchanges, Vienna's, Mexico's and Brazil's foreign
segments, London's international order book...) never are the primary listing. Several listings
of one issuer (same name once legal forms and share-class words are removed, same country)
become one: the venue of its own country first, then the main venue there (Xetra before Berlin,
NSE before BSE), then the listing with an ISIN, then the smallest symbol (the ordinary share).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

FINANCE_DATABASE = "JerBouma/FinanceDatabase"
FINANCE_DATABASE_COMMIT = "268be5d29898a12dbd6b1f006a0deb55b81a5a29"
FINANCE_DATABASE_NYSE_COMMIT = "a35edebf79683b413c12742d00c2f6cc36feb1f8"  # NYQ.csv stored here
NASDAQ_LISTINGS = "datasets/nasdaq-listings"
NASDAQ_LISTINGS_COMMIT = "31d3809cc090d5a535ecc3db2b26904cbb2ac84d"

# FinanceDatabase exchange code -> (ISO 10383 MIC, rank among the venues of one country: lower
# is the main venue). The FinanceDatabase MIC is kept where it is the trading venue's own.
VENUES: dict[str, tuple[str, int]] = {
    "NYQ": ("XNYS", 0), "NMS": ("XNAS", 0), "NGM": ("XNAS", 0), "NCM": ("XNAS", 0),
    "ASE": ("XASE", 1),
    "GER": ("XETR", 0), "LSE": ("XLON", 0), "PAR": ("XPAR", 0), "AMS": ("XAMS", 0),
    "BRU": ("XBRU", 0), "LIS": ("XLIS", 0), "ISE": ("XDUB", 0), "MIL": ("XMIL", 0),
    "MCE": ("XMAD", 0), "EBS": ("XSWX", 0), "VIE": ("XWBO", 0), "STO": ("XSTO", 0),
    "CPH": ("XCSE", 0), "HEL": ("XHEL", 0), "OSL": ("XOSL", 0), "ICE": ("XICE", 0),
    "TAL": ("XTAL", 0), "RIS": ("XRIS", 0), "LIT": ("XLIT", 0), "ATH": ("XATH", 0),
    "PRA": ("XPRA", 0), "BUD": ("XBUD", 0),
    "JPX": ("XTKS", 0), "FKA": ("XFKA", 1), "SAP": ("XSAP", 1),
    "HKG": ("XHKG", 0), "SHH": ("XSHG", 0), "SHZ": ("XSHE", 0),
    "TAI": ("XTAI", 0), "TWO": ("ROCO", 1), "KSC": ("XKRX", 0), "KOE": ("XKOS", 1),
    "NSE": ("XNSE", 0), "BSE": ("XBOM", 1), "ASX": ("XASX", 0), "NZE": ("XNZE", 0),
    "TOR": ("XTSE", 0), "VAN": ("XTSX", 1), "CNQ": ("XCNQ", 2), "NEO": ("NEOE", 2),
    "SAO": ("BVMF", 0), "MEX": ("XMEX", 0), "BUE": ("XBUE", 0), "SGO": ("XSGO", 0),
    "SES": ("XSES", 0), "SET": ("XBKK", 0), "JKT": ("XIDX", 0), "KLS": ("XKLS", 0),
    "IST": ("XIST", 0), "TLV": ("XTAE", 0), "SAU": ("XSAU", 0), "DOH": ("DSMD", 0),
    "CAI": ("XCAI", 0), "JNB": ("XJSE", 0), "MCX": ("MISX", 0),
}  # fmt: skip
US_VENUES = frozenset(("NYQ", "NMS", "NGM", "NCM", "ASE"))
# FinanceDatabase country name -> the exchange codes of that country
HOME: dict[str, frozenset[str]] = {
    country: frozenset(codes.split())
    for country, codes in {
        "United States": "NYQ NMS NGM NCM ASE", "Germany": "GER", "United Kingdom": "LSE",
        "France": "PAR", "Netherlands": "AMS", "Belgium": "BRU", "Portugal": "LIS",
        "Ireland": "ISE LSE", "Italy": "MIL", "Spain": "MCE", "Switzerland": "EBS",
        "Austria": "VIE", "Sweden": "STO", "Denmark": "CPH", "Finland": "HEL", "Norway": "OSL",
        "Iceland": "ICE", "Estonia": "TAL", "Latvia": "RIS", "Lithuania": "LIT",
        "Greece": "ATH", "Czech Republic": "PRA", "Hungary": "BUD", "Japan": "JPX FKA SAP",
        "Hong Kong": "HKG", "China": "SHH SHZ HKG", "Taiwan": "TAI TWO",
        "South Korea": "KSC KOE", "India": "NSE BSE", "Australia": "ASX", "New Zealand": "NZE",
        "Canada": "TOR VAN CNQ NEO", "Brazil": "SAO", "Mexico": "MEX", "Argentina": "BUE",
        "Chile": "SGO", "Singapore": "SES", "Thailand": "SET", "Indonesia": "JKT",
        "Malaysia": "KLS", "Turkey": "IST", "Israel": "TLV", "Saudi Arabia": "SAU",
        "Qatar": "DOH", "Egypt": "CAI", "South Africa": "JNB", "Russia": "MCX",
    }.items()
}  # fmt: skip
# where a company from elsewhere (Bermuda, Cayman Islands, Luxembourg...) may have its primary
# listing: the venues that list foreign companies in their main segment
INTERNATIONAL = US_VENUES | frozenset(("LSE", "HKG", "SES", "ASX", "TOR", "AMS", "PAR", "OSL"))
SIZES = ("Mega Cap", "Large Cap", "Mid Cap", "Small Cap", "Micro Cap", "Nano Cap")

_NOT_A_SHARE = re.compile(
    r"\b(etf|etn|fund|funds|trust units?|warrants?|rights?|units?|notes?|bonds?|debentures?|"
    r"preferred|pref|preference|depositary receipts? \(pref|c/w|acquisition corp\w*|"
    r"acquisition company|acquisition co|acquisition inc|acquisition ltd|blank check|spac|"
    r"capital trust|income trust|index|zertifikat|certificates?|strats|ctf)\b|%|\d/\d",
    re.IGNORECASE,
)
_SHARE_WORDS = re.compile(
    r"\s+[-–]\s+.*$|\b(class [a-c]|series [a-c]|common stock|common shares|ordinary shares|"
    r"american depositary shares?|ads|adr|registered shares?|subordinate voting shares)\b.*$",
    re.IGNORECASE,
)
_LEGAL_WORDS = frozenset(
    """aktiengesellschaft inc incorporated corp corporation co company ag se plc nv n v sa s a
    ltd limited holdings holding group kgaa gmbh oyj abp ab asa spa s p a llc lp l p tbk pt bhd
    berhad pcl public the a/s as sab de cv s a b sarl bv ltda pjsc ojsc jsc""".split()
)
_LSE_INTERNATIONAL = re.compile(r"^0[A-Z0-9]{3}\.L$")  # London's order book for foreign shares


@dataclass(frozen=True)
class Listing:
    symbol: str  # the exchange's own symbol, without a venue suffix: SAP, 7203, 0700, BRK-B
    name: str
    exchange: str  # FinanceDatabase exchange code
    mic: str
    country: str
    size: str  # market-cap class, "" when unknown
    isin: str


def issuer_key(name: str) -> str:
    """A company's name without legal forms, share-class words and punctuation: several
    listings with one key (and one country) are one issuer."""
    name = _SHARE_WORDS.sub("", name)
    words = re.findall(r"[^\W_]+", name.lower().replace("&", " and "))
    return " ".join(w for w in words if w not in _LEGAL_WORDS)


def local_symbol(symbol: str) -> str:
    """The exchange's own symbol: Yahoo-style venue suffixes (.DE, .T, .HK) removed."""
    return symbol.rsplit(".", 1)[0] if "." in symbol else symbol


def _git_show(git_dir: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _git_files(git_dir: Path, commit: str, folder: str) -> list[str]:
    out = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "--name-only", commit, folder + "/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(out.split())


def finance_database_rows(git_dir: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in _git_files(git_dir, FINANCE_DATABASE_COMMIT, "database/equities"):
        code = Path(path).stem
        if code not in VENUES or code == "NMS":
            continue
        commit = FINANCE_DATABASE_NYSE_COMMIT if code == "NYQ" else FINANCE_DATABASE_COMMIT
        text = _git_show(git_dir, commit, path)
        rows.extend(csv.DictReader(io.StringIO(text)))
    return rows


def _is_share(row: dict[str, str]) -> bool:
    if row.get("delisted") == "True" or not row["sector"] or not row["country"]:
        return False
    if row["exchange"] == "LSE" and _LSE_INTERNATIONAL.match(row["symbol"]):
        return False
    if row["exchange"] == "KLS" and " " not in row["name"].strip():
        return False  # Bursa Malaysia rows named by their stock code
    return not _NOT_A_SHARE.search(row["name"])


def _eligible(exchange: str, country: str) -> bool:
    home = HOME.get(country)
    if home is not None:
        return exchange in home or exchange in US_VENUES
    return exchange in INTERNATIONAL


def display_name(name: str) -> str:
    """The issuer's name without share-class words: "Kinetik Holdings Inc." for
    "Kinetik Holdings Inc. Class A Common Stock"."""
    return " ".join(_SHARE_WORDS.sub("", name).split()).strip(" ,-") or " ".join(name.split())


def valid_isin(isin: str, country: str) -> bool:
    """Well-formed (check digit) and not a depositary receipt's US ISIN of a foreign company."""
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", isin):
        return False
    if isin.startswith("US") and country not in ("United States", ""):
        return False
    digits = "".join(str(int(c, 36)) for c in isin[:-1])
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10 == int(isin[-1])


def _listing(row: dict[str, str]) -> Listing:
    code = row["exchange"]
    isin = row["isin"].strip()
    return Listing(
        symbol=local_symbol(row["symbol"]),
        name=display_name(row["name"]),
        exchange=code,
        mic=VENUES[code][0],
        country=row["country"],
        size=row["market_cap"],
        isin=isin if valid_isin(isin, row["country"]) else "",
    )


def _rank(listing: Listing) -> tuple[int, int, int, int, str]:
    home = HOME.get(listing.country, frozenset())
    return (
        0 if listing.exchange in home else 1,
        VENUES[listing.exchange][1],
        0 if listing.isin else 1,
        len(listing.symbol),
        listing.symbol,
    )


def nasdaq_rows(git_dir: Path) -> list[dict[str, str]]:
    text = _git_show(git_dir, NASDAQ_LISTINGS_COMMIT, "data/nasdaq-listed-symbols.csv")
    return list(csv.DictReader(io.StringIO(text)))


_NASDAQ_SHARE = re.compile(
    r"common stock|ordinary shares|common shares|american depositary shares|class a", re.I
)


def _nasdaq_listings(rows: list[dict[str, str]], known: dict[str, list[Listing]]) -> list[Listing]:
    """Nasdaq shares, with country, size and ISIN from another listing of the same issuer."""
    found = []
    for row in rows:
        security = row["Security Name"]
        if row["ETF"] != "N" or row["Test Issue"] != "N" or row["Financial Status"] == "D":
            continue
        if not _NASDAQ_SHARE.search(security) or _NOT_A_SHARE.search(security):
            continue
        name = display_name(row["Company Name"])
        others = known.get(issuer_key(name), [])
        country = next((o.country for o in others), "")
        size = next((o.size for o in others if o.size), "")
        isins = {o.isin for o in others if o.isin and valid_isin(o.isin, country)}
        found.append(
            Listing(row["Symbol"], name, "NMS", "XNAS", country, size, min(isins) if isins else "")
        )
    return found


def _untruncated(key: str, full: list[str]) -> str:
    """BSE writes names cut at 30 characters ("Procter & Gamble Health Limite"): the NSE name
    that begins with the cut one, when there is exactly one."""
    start = bisect_left(full, key)
    found = [k for k in full[start : start + 2] if k.startswith(key)]
    return found[0] if len(found) == 1 else key


def primary_listings(fdb_dir: Path, nasdaq_dir: Path) -> list[Listing]:
    """One listing per issuer, sorted by issuer key then symbol."""
    shares = [row for row in finance_database_rows(fdb_dir) if _is_share(row)]
    every = [_listing(row) for row in shares]
    by_key: dict[str, list[Listing]] = defaultdict(list)
    for listing in every:
        by_key[issuer_key(listing.name)].append(listing)
    nasdaq_symbols = {x.symbol for x in every if x.mic == "XNAS"}
    for listing in _nasdaq_listings(nasdaq_rows(nasdaq_dir), by_key):
        if listing.symbol not in nasdaq_symbols:
            every.append(listing)
    groups: dict[tuple[str, str], list[Listing]] = defaultdict(list)
    nse = sorted(issuer_key(x.name) for x in every if x.exchange == "NSE")
    for listing in every:
        key = issuer_key(listing.name)
        if listing.exchange == "BSE":
            key = _untruncated(key, nse)
        if key and _eligible(listing.exchange, listing.country or "United States"):
            groups[(key, listing.country)].append(listing)
    chosen = []
    for group in sorted(groups):
        candidates = groups[group]
        best = min(candidates, key=_rank)
        isins = {c.isin for c in by_key[group[0]] if c.isin and c.country == best.country}
        if not best.isin and len(isins) == 1:
            best = replace(best, isin=next(iter(isins)))
        sizes = [c.size for c in candidates if c.size]
        if not best.size and sizes:
            best = replace(best, size=min(sizes, key=SIZES.index))
        chosen.append(best)
    return chosen
