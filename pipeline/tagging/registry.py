"""The company registry: versioned data files loaded and validated into typed records.

Curated entries (companies.yaml, companies_private.yaml) are written by hand; the generated
ones (companies_generated.json.gz, every listed company of the major exchanges, and
companies_notable.json.gz, airlines, brands and operators outside the listings) are made by
scripts/build_registry.py and scripts/build_notable.py from the sources listed in data/SOURCES.md.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.names import load_names, names_of, with_names

DATA_DIR = Path(__file__).resolve().parent / "data"


SIZES = ("Mega Cap", "Large Cap", "Mid Cap", "Small Cap", "Micro Cap", "Nano Cap")
PUBLIC_FIELDS = ("id", "name", "ticker", "exchange", "isin", "lei", "wikidata", "parent")


class Company(NamedTuple):
    """One company (a named tuple: 30,000 of them are made at start-up, fast)."""

    id: str
    name: str
    ticker: str | None
    isin: str | None
    aliases: tuple[str, ...]
    brands: tuple[str, ...]
    ambiguous: frozenset[str]
    exchange: str | None = None  # ISO 10383 MIC of the primary listing: XETR, XNAS, XTKS...
    lei: str | None = None
    wikidata: str | None = None
    parent: str | None = None  # id of the company that controls this one
    country: str | None = None
    size: str | None = None  # market-cap class of the primary listing (SIZES), a prior
    generated: bool = False  # from companies_generated.json.gz, not curated

    def public(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in PUBLIC_FIELDS}


def load_companies(path: Path) -> list[Company]:
    """A registry file: YAML (curated) or gzip'd JSON (generated), with a list 'companies'."""
    companies = [_company(entry, f"{path}: companies[{i}]") for i, entry in _entries(path)]
    _check_unique(companies, str(path))
    return companies


def _entries(path: Path) -> list[tuple[int, Any]]:
    if path.name.endswith(".json.gz"):
        document = json.loads(gzip.decompress(path.read_bytes()))
    else:
        document = load_data_file(path, "companies")  # strict YAML, schemas/companies.schema.json
    if not isinstance(document, dict) or not isinstance(document.get("companies"), list):
        raise ConfigError(f"{path}: expected a mapping with a list under 'companies'")
    return list(enumerate(document["companies"]))


def _check_unique(companies: list[Company], where: str) -> None:
    counts = Counter(c.id for c in companies)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise ConfigError(f"{where}: repeated company ids {duplicates}")


def _check_parents(companies: list[Company]) -> None:
    ids = {c.id for c in companies}
    stray = sorted(f"{c.id} -> {c.parent}" for c in companies if c.parent and c.parent not in ids)
    if stray:
        raise ConfigError(f"parents that are no company of the registry: {stray}")


@cache
def default_companies() -> tuple[Company, ...]:
    """Curated entries, then generated ones that do not clash: the listed companies
    (scripts/build_registry.py), then the notable ones outside the listings (airlines, brands,
    operators: scripts/build_notable.py); with the names of company_names.yaml added."""
    curated = load_companies(DATA_DIR / "companies.yaml")
    curated += load_companies(DATA_DIR / "companies_private.yaml")
    _check_unique(curated, "curated registry files")
    extras = load_names(DATA_DIR / "company_names.yaml")
    reserved = names_of(extras)
    generated = (DATA_DIR / "companies_generated.json.gz", DATA_DIR / "companies_notable.json.gz")
    merged = merge(curated, generated, reserved)
    merged = with_names(merged, extras)
    _check_parents(merged)
    return tuple(merged)


def merge(
    curated: list[Company],
    generated: Path | tuple[Path, ...],
    reserved: dict[str, str] | None = None,
) -> list[Company]:
    """Curated wins: a generated company with a curated id or ISIN is dropped, and names a
    curated company already uses are removed from the generated ones; of several generated
    files, an earlier one wins the same way over a later one. Generated entries are filtered
    before they become records (37,000 of them: the registry loads in about 2 s). `reserved`
    names (lower case -> the id that company_names.yaml gives them to) are taken from every
    other generated company."""
    reserved = reserved or {}
    paths = generated if isinstance(generated, tuple) else (generated,)
    ids = {c.id for c in curated}
    isins = {c.isin for c in curated if c.isin}
    taken = {name.lower() for c in curated for name in (*c.aliases, *c.brands)}
    merged = list(curated)
    for path, index, entry in ((p, i, e) for p in paths for i, e in _entries(p)):
        if not isinstance(entry, dict) or entry.get("id") in ids or entry.get("isin") in isins:
            continue
        where = f"{path.name}: companies[{index}]"
        if not entry.get("id"):  # before its names are looked up by id in `reserved`
            raise ConfigError(f"{where}: needs an id, a name, and an exchange with its ticker")
        aliases = tuple(
            a
            for a in entry.get("aliases") or ()
            if a.lower() not in taken and reserved.get(a.lower(), entry["id"]) == entry["id"]
        )
        if not aliases:
            continue
        company = _generated(entry, aliases, where)
        taken.update(a.lower() for a in aliases)
        ids.add(company.id)
        merged.append(company)
    return merged


def _generated(entry: dict[str, Any], aliases: tuple[str, ...], where: str) -> Company:
    """A generated entry (made and checked by scripts/build_registry.py): checked for what the
    matcher relies on, without the curated files' full validation, as there are 30,000."""
    get = entry.get
    if not get("id") or not get("name") or (get("ticker") and not get("exchange")):
        raise ConfigError(f"{where}: needs an id, a name, and an exchange with its ticker")
    if get("size") is not None and get("size") not in SIZES:
        raise ConfigError(f"{where} ({get('id')}): size {get('size')!r} is none of {SIZES}")
    ambiguous = get("ambiguous")
    return Company(
        str(entry["id"]),
        str(entry["name"]),
        get("ticker"),
        get("isin"),
        aliases,
        (),
        frozenset(a for a in ambiguous if a in aliases) if ambiguous else frozenset(),
        get("exchange"),
        get("lei"),
        get("wikidata"),
        get("parent"),
        get("country"),
        get("size"),
        True,
    )


def _company(entry: Any, where: str) -> Company:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping")
    for key in ("id", "name", "aliases"):
        if not entry.get(key):
            raise ConfigError(f"{where}: missing {key!r}")
    aliases = tuple(str(a) for a in entry["aliases"])
    brands = tuple(str(b) for b in entry.get("brands") or ())
    ambiguous = frozenset(str(a) for a in entry.get("ambiguous") or ())
    stray = ambiguous.difference(aliases, brands) if ambiguous else ()
    if stray:
        raise ConfigError(
            f"{where} ({entry['id']}): ambiguous names {sorted(stray)} are not "
            "among its aliases or brands"
        )
    size = _optional(entry.get("size"))
    if size is not None and size not in SIZES:
        raise ConfigError(f"{where} ({entry['id']}): size {size!r} is none of {SIZES}")
    if entry.get("ticker") and not entry.get("exchange"):
        raise ConfigError(f"{where} ({entry['id']}): a ticker needs its exchange (MIC)")
    return Company(
        id=str(entry["id"]),
        name=str(entry["name"]),
        ticker=_optional(entry.get("ticker")),
        isin=_optional(entry.get("isin")),
        aliases=aliases,
        brands=brands,
        ambiguous=ambiguous,
        exchange=_optional(entry.get("exchange")),
        lei=_optional(entry.get("lei")),
        wikidata=_optional(entry.get("wikidata")),
        parent=_optional(entry.get("parent")),
        country=_optional(entry.get("country")),
        size=size,
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def find_companies(query: str, companies: tuple[Company, ...] | None = None) -> list[Company]:
    """The companies a person may mean by `query`: its id, ticker, ISIN, name, or any alias
    or brand of the registry ("Siemens Energy", "AWS"), case-insensitively."""
    wanted = query.strip().casefold()
    if not wanted:
        return []
    return [
        company
        for company in (companies if companies is not None else default_companies())
        if wanted
        in {
            name.casefold()
            for name in (
                company.id,
                company.name,
                company.ticker or "",
                company.isin or "",
                *company.aliases,
                *company.brands,
            )
        }
    ]
