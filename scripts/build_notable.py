"""Rebuild pipeline/tagging/data/companies_notable.json.gz: notable companies outside the stock
listings, by whole categories from public datasets (not names picked from articles):

- airlines: OpenFlights' airline database (ODbL 1.0), the active airlines with IATA and ICAO codes;
- brands: the name-suggestion-index (BSD-3-Clause), every brand with a Wikidata item that trades
  in the news markets (DE, AT, CH, US, UK, CA, AU) or in five countries or more: retail chains,
  fashion houses, restaurant chains, banks, fuel, hotel, car-rental and telecom brands;
- operators: the same index's operators of company folders (utilities, grid and pipeline
  operators, telecoms, rail and bus companies, charging networks), public bodies left out.

Run: python scripts/build_notable.py [SOURCES_DIR]   (the git directories as owner+name/repo, the
layout of the search tool's `fetch`; default $REGISTRY_SOURCES or /work/.mirror). Commits and
licences: pipeline/tagging/data/SOURCES.md.

Names: a company keeps a name no registry company (curated, listed, company_names.yaml) already
has, that does not begin with one (Walmart Photo Centre is Walmart's, and "Walmart" finds it), and
that no other notable company shares. Words of the stoplists and alias_denylist.yaml are
never names. A name is `ambiguous` (it counts only when the article confirms a company, see
pipeline/tagging/company.py) when it is one word that is not rare in English and German text
(wordfreq Zipf 3 or more), a place (OpenFlights' cities and countries) or a given name; three
capital letters; a name of common words only ("Sun Country"); or a person's name (a given name
first: Vivienne Westwood, Rick Owens); or a name led by an ordinary word (Japanese Canteen).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_registry as listed
import registry_listings
import registry_notable_sources as sources

from pipeline.tagging.names import load_names, names_of, with_names
from pipeline.tagging.registry import DATA_DIR, load_companies, merge

NOTABLE = DATA_DIR / "companies_notable.json.gz"


def source_dirs(root: Path) -> tuple[Path, Path]:
    return (
        root / sources.OPENFLIGHTS.replace("/", "+") / "repo",
        root / sources.NSI.replace("/", "+") / "repo",
    )


def sources_present(root: Path = listed.SOURCES_DEFAULT) -> bool:
    return all(d.is_dir() for d in source_dirs(root))


def registry_names() -> tuple[set[str], set[str]]:
    """(ids, lower-cased names) of every company of the registry without the notable file."""
    curated = load_companies(DATA_DIR / "companies.yaml")
    curated += load_companies(DATA_DIR / "companies_private.yaml")
    extras = load_names(DATA_DIR / "company_names.yaml")
    merged = with_names(merge(curated, listed.GENERATED, names_of(extras)), extras)
    names = {n for c in merged for n in (c.name, *c.aliases, *c.brands)}
    return {c.id for c in merged}, {n.lower() for n in names} | {taken_key(n) for n in names}


def taken_key(name: str) -> str:
    """A name without case, punctuation and legal or group words: "Boston Consulting Group" is
    taken when the registry has "Boston Consulting"."""
    return "key:" + str(registry_listings.issuer_key(name))


def first_names() -> set[str]:
    lines = (DATA_DIR / "first_names.txt").read_text("utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


RARE = 3.0  # wordfreq Zipf from which a one-word name is an ordinary word and no name at all
VERY_RARE = 2.0  # below it a one-word name stands alone; from it the article must confirm it
COMMON = 3.5  # a multi-word name of words this common needs the article to confirm it


class Rules:
    """The naming rules of the module docstring, with their word lists."""

    def __init__(self, words: set[str], given: set[str], places: set[str]) -> None:
        self.words, self.given, self.places = words, given, places

    def candidates(self, notable: sources.Notable) -> list[str]:
        found = []
        for name in notable.names:
            name = " ".join(listed.readable(name).split())
            found += [name, listed.short_name(name)]
        return [n for n in dict.fromkeys(found) if self.usable(n)]

    def usable(self, name: str) -> bool:
        """Four characters or more; no stoplist word or place; one word only when it is rare
        as a word and no given name; several words not all of them ordinary words."""
        plain, parts = name.lower(), name.split()
        if len(name) < 4 or plain in self.words or plain in self.places:
            return False
        if len(parts) == 1:
            return _frequency(name) < RARE and plain not in self.given
        return not all(_frequency(p) >= listed.COMMON_WORD for p in parts)

    def ambiguous(self, name: str) -> bool:
        parts = name.split()
        if len(parts) == 1:
            return _frequency(name) >= VERY_RARE
        lowered = [p.lower() for p in parts]
        after_place = any(" ".join(lowered[:i]) in self.places for i in range(1, len(parts)))
        common = all(_frequency(p) >= COMMON for p in parts)
        # the matcher takes the words after the first in any case: "Japanese Canteen" would
        # find "Japanese canteen", so a name led by an ordinary word needs confirmation
        phrase = _frequency(parts[0]) >= listed.COMMON_WORD
        return common or phrase or lowered[0] in self.given or after_place


def _frequency(word: str) -> float:
    """wordfreq's Zipf frequency in English or German (U.S. is as common as us)."""
    return listed._word_frequency(word) if any(ch.isalpha() for ch in word) else 0.0


def build(root: Path = listed.SOURCES_DEFAULT) -> list[dict[str, Any]]:
    openflights, nsi = source_dirs(root)
    notables = sources.airlines(openflights) + sources.nsi_companies(sources.nsi_files(nsi))
    rules = Rules(listed.common_words(), first_names(), sources.places(openflights))
    return entries(notables, rules, *registry_names())


def entries(
    notables: list[sources.Notable], rules: Rules, taken_ids: set[str], taken_names: set[str]
) -> list[dict[str, Any]]:
    """The entries of the notable companies, with the names that no registry company has and
    no other notable company shares."""
    proposed = [(n, rules.candidates(n)) for n in notables]
    owners: dict[str, set[int]] = {}
    for index, (_, names) in enumerate(proposed):
        for name in names:
            owners.setdefault(name.lower(), set()).add(index)
    found, used = [], set(taken_ids)
    for index, (notable, names) in enumerate(proposed):
        kept = [
            n
            for n in names
            if n.lower() not in taken_names
            and taken_key(n) not in taken_names
            and not _sub_brand(n, taken_names)
            and owners[n.lower()] == {index}
        ]
        if not kept:
            continue
        company_id = _free_id(listed.slug(listed.short_name(notable.name)), notable, used)
        used.add(company_id)
        found.append(
            listed._entry(
                id=company_id,
                name=notable.name,
                aliases=kept,
                ambiguous=[n for n in kept if rules.ambiguous(n)],
                country=notable.country,
                wikidata=notable.wikidata,
            )
        )
    return sorted(found, key=lambda e: e["id"])


def _sub_brand(name: str, taken: set[str]) -> bool:
    """A name that begins with a registry company's name or ends with "by" and one is that
    company's shop or line, which the registry name finds: Walmart Photo Centre, Hertz Car
    Sales, Spark by Hilton."""
    words = name.lower().split()
    if any(" ".join(words[:i]) in taken for i in range(1, len(words))):
        return True
    return "by" in words[1:-1] and " ".join(words[words.index("by", 1) + 1 :]) in taken


def _free_id(base: str, notable: sources.Notable, used: set[str]) -> str:
    extra = (notable.wikidata or notable.kind).lower()
    for candidate in (base, f"{base}-{notable.kind}", f"{base}-{extra}"):
        if candidate and candidate not in used:
            return candidate
    raise ValueError(f"no free id for {notable}")


def write(companies: list[dict[str, Any]], path: Path = NOTABLE) -> None:
    document = {
        "comment": "GENERATED by scripts/build_notable.py; do not edit. Sources and licences "
        "(OpenFlights: ODbL 1.0; name-suggestion-index: BSD-3-Clause): SOURCES.md",
        "version": 1,
        "companies": companies,
    }
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with (
        path.open("wb") as handle,
        gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as gz,
    ):
        gz.write(raw.encode("utf-8"))


def read(path: Path = NOTABLE) -> list[dict[str, Any]]:
    companies: list[dict[str, Any]] = json.loads(gzip.decompress(path.read_bytes()))["companies"]
    return companies


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else listed.SOURCES_DEFAULT
    if not sources_present(root):
        raise SystemExit(f"sources not found under {root}: see SOURCES.md")
    companies = build(root)
    write(companies)
    kinds = {"wikidata": sum(1 for c in companies if c.get("wikidata"))}
    print(f"wrote {len(companies)} companies to {NOTABLE.name} ({kinds['wikidata']} with Wikidata)")


if __name__ == "__main__":
    main()
