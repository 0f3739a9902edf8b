"""The company registry: versioned data files loaded and validated into typed records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    ticker: str | None
    isin: str | None
    aliases: tuple[str, ...]
    brands: tuple[str, ...]
    ambiguous: frozenset[str]

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "ticker": self.ticker, "isin": self.isin}


def load_companies(path: Path) -> list[Company]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("companies"), list):
        raise ConfigError(f"{path}: expected a mapping with a list under 'companies'")
    companies = [
        _company(entry, f"{path}: companies[{i}]") for i, entry in enumerate(document["companies"])
    ]
    ids = [c.id for c in companies]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: repeated company ids {duplicates}")
    return companies


@cache
def default_companies() -> tuple[Company, ...]:
    """Curated entries, then generated ones (scripts/build_registry.py) that do not clash."""
    curated = load_companies(DATA_DIR / "companies.yaml")
    generated = load_companies(DATA_DIR / "companies_generated.yaml")
    return tuple(merge(curated, generated))


def merge(curated: list[Company], generated: list[Company]) -> list[Company]:
    """Curated wins: a generated company with a curated id or ISIN is dropped, and names a
    curated company already uses are removed from the generated ones."""
    ids = {c.id for c in curated}
    isins = {c.isin for c in curated if c.isin}
    taken = {name.lower() for c in curated for name in (*c.aliases, *c.brands)}
    merged = list(curated)
    for company in generated:
        if company.id in ids or (company.isin and company.isin in isins):
            continue
        aliases = tuple(a for a in company.aliases if a.lower() not in taken)
        if aliases:
            taken.update(a.lower() for a in aliases)
            merged.append(
                Company(
                    company.id,
                    company.name,
                    company.ticker,
                    company.isin,
                    aliases,
                    (),
                    company.ambiguous & set(aliases),
                )
            )
    return merged


def _company(entry: Any, where: str) -> Company:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping")
    for key in ("id", "name", "aliases"):
        if not entry.get(key):
            raise ConfigError(f"{where}: missing {key!r}")
    aliases = tuple(str(a) for a in entry["aliases"])
    brands = tuple(str(b) for b in entry.get("brands") or ())
    ambiguous = frozenset(str(a) for a in entry.get("ambiguous") or ())
    stray = ambiguous - set(aliases) - set(brands)
    if stray:
        raise ConfigError(
            f"{where} ({entry['id']}): ambiguous names {sorted(stray)} are not "
            "among its aliases or brands"
        )
    return Company(
        id=str(entry["id"]),
        name=str(entry["name"]),
        ticker=_optional(entry.get("ticker")),
        isin=_optional(entry.get("isin")),
        aliases=aliases,
        brands=brands,
        ambiguous=ambiguous,
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
