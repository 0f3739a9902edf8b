"""Names the listings lack, added to registry companies by id (data/company_names.yaml): short
names (HTC, ASUS, TD Bank), brands and subsidiaries of listed companies whose entries are
generated (Fairmont -> Accor, Southern California Edison -> Edison International), and
ambiguity marks (Dover, a town; Mueller, a surname). A name added here is taken from every
other generated company, as curated names are.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pipeline.core.errors import ConfigError
from pipeline.tagging.data_files import load_data_file

if TYPE_CHECKING:  # registry.py imports this module
    from pipeline.tagging.registry import Company


class ExtraNames(NamedTuple):
    aliases: tuple[str, ...]
    brands: tuple[str, ...]
    ambiguous: frozenset[str]


def load_names(path: Path) -> dict[str, ExtraNames]:
    """The file's entries by company id (schemas/company_names.schema.json)."""
    document = load_data_file(path, "company_names")
    return {cid: _extra(entry) for cid, entry in document["companies"].items()}


def _extra(entry: dict[str, Any]) -> ExtraNames:
    return ExtraNames(
        tuple(entry.get("aliases") or ()),
        tuple(entry.get("brands") or ()),
        frozenset(entry.get("ambiguous") or ()),
    )


def names_of(extras: dict[str, ExtraNames]) -> dict[str, str]:
    """Every added name, lower-cased, with the id it is added to: no other generated company
    keeps it as its own."""
    return {n.lower(): cid for cid, e in extras.items() for n in (*e.aliases, *e.brands)}


def with_names(companies: list[Company], extras: dict[str, ExtraNames]) -> list[Company]:
    """The companies with their added names; an id that is no company, or an ambiguity mark on
    a name the company does not have, is an error."""
    by_id = {c.id for c in companies}
    stray = sorted(set(extras) - by_id)
    if stray:
        raise ConfigError(f"company_names.yaml: ids that are no company of the registry: {stray}")
    result = []
    for company in companies:
        extra = extras.get(company.id)
        if extra is None:
            result.append(company)
            continue
        aliases = tuple(dict.fromkeys((*company.aliases, *extra.aliases)))
        brands = tuple(dict.fromkeys((*company.brands, *extra.brands)))
        unknown = extra.ambiguous.difference(aliases, brands)
        if unknown:
            raise ConfigError(
                f"company_names.yaml ({company.id}): ambiguous names {sorted(unknown)} are "
                "not among its names"
            )
        ambiguous = company.ambiguous | extra.ambiguous
        result.append(company._replace(aliases=aliases, brands=brands, ambiguous=ambiguous))
    return result
