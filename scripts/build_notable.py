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

Names (pipeline/tagging/data/SOURCES.md has the whole rule): an entry that is a registry
company under another spelling is left out (`Registry`: WHSmith, Loblaws, Geely, JW Marriott,
Pegasus Airlines); a company keeps a name no registry company (curated, listed,
company_names.yaml) already has, that does not begin with one (Walmart Photo Centre is
Walmart's, and "Walmart" finds it), and that no other notable company shares. Words of the
stoplists and alias_denylist.yaml are never names. A name is `ambiguous` (it counts only when
the article confirms a company, see pipeline/tagging/company.py) when it is written in lower
case; one word in the dictionary (wordfreq Zipf 1 or more in English or German), two German
words written as one (Paketbox), a place (OpenFlights' cities and countries) or a given name;
three capital letters; a name of ordinary words only (Zipf 3 or more: "Bel Air"); or a
person's name (a given name first: Vivienne Westwood, Rick Owens); or a name led by an ordinary
word (Japanese Canteen).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from wordfreq import zipf_frequency

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_registry as listed
import registry_listings
import registry_notable_sources as sources

from pipeline.tagging.company_cues import is_cue
from pipeline.tagging.names import load_names, names_of, with_names
from pipeline.tagging.registry import DATA_DIR, Company, load_companies, merge

NOTABLE = DATA_DIR / "companies_notable.json.gz"


def source_dirs(root: Path) -> tuple[Path, Path]:
    return (
        root / sources.OPENFLIGHTS.replace("/", "+") / "repo",
        root / sources.NSI.replace("/", "+") / "repo",
    )


def sources_present(root: Path = listed.SOURCES_DEFAULT) -> bool:
    return all(d.is_dir() for d in source_dirs(root))


def registry_companies() -> list[Company]:
    """Every company of the registry without the notable file."""
    curated = load_companies(DATA_DIR / "companies.yaml")
    curated += load_companies(DATA_DIR / "companies_private.yaml")
    extras = load_names(DATA_DIR / "company_names.yaml")
    return with_names(merge(curated, listed.GENERATED, names_of(extras)), extras)


def registry_names(companies: list[Company] | None = None) -> tuple[set[str], set[str]]:
    """(ids, lower-cased names) of every company of the registry without the notable file."""
    merged = registry_companies() if companies is None else companies
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
# from it a one-word name is in the dictionary (Tinseltown, Cygnet, Naturstrom) and the article
# must confirm it; below it the name stands alone
DICTIONARY = 1.0
COMPOUND_PART = 2.5  # German Zipf of both halves of a compound (Paket+box, Reise+bank)
COMMON = 3.0  # a multi-word name of words this common needs the article to confirm it (Bel Air)
# below it a word tells a company of the name's country (Pegasus, IndiGo, SAS: listed companies)
LOCAL = 3.5


# words that only say what a company does: Pegasus Airlines is Pegasus Hava Tasimaciligi,
# IndiGo Airlines is InterGlobe Aviation (ticker INDIGO), Geely is Geely Automobile
DESCRIPTORS = frozenset(
    "airlines airline airways air aviation automobile automobiles automotive "
    "companies of hava tasimaciligi anonim sirketi".split()  # Turkish: air transport, AS
)


class Registry:
    """The registry companies' names as keys (`key`: no case, punctuation, apostrophes, legal or
    group words), to tell a notable entry that is a listed company under a shorter or other
    spelling of its name (WHSmith, Loblaws, Geely, J D Wetherspoon's Wetherspoon, JW Marriott,
    Pegasus Airlines) from a company of its own."""

    def __init__(self, companies: list[Company]) -> None:
        self.keys: set[str] = set()
        self.joined: set[str] = set()  # the keys without spaces: WH Smith as WHSmith
        # every whole-word beginning of a key: the companies whose keys it begins, with the
        # words after it (a beginning several companies share is a word or a region)
        self.prefixes: dict[str, dict[str, set[tuple[str, ...]]]] = {}
        # (country, a key or its beginning, or a ticker): the companies of that country
        self.local: dict[tuple[str | None, str], set[str]] = {}
        self.tickers: dict[str, set[str]] = {}
        self.local_tickers: dict[tuple[str | None, str], set[str]] = {}
        for company in companies:
            for name in (company.name, *company.aliases, *company.brands):
                words = key(name).split()
                initials = 0
                while initials < len(words) - 1 and len(words[initials]) == 1:
                    initials += 1  # J D Wetherspoon: Wetherspoon
                for rest in {tuple(words), tuple(words[initials:])}:
                    if not rest:
                        continue
                    self.keys.add(" ".join(rest))
                    self.joined.add("".join(rest))
                    for end in range(1, len(rest) + 1):
                        beginning = " ".join(rest[:end])
                        tails = self.prefixes.setdefault(beginning, {})
                        tails.setdefault(company.id, set()).add(rest[end:])
                        self.local.setdefault((company.country, beginning), set()).add(company.id)
            if company.ticker:
                self.tickers.setdefault(company.ticker.lower(), set()).add(company.id)
                local = (company.country, company.ticker.lower())
                self.local_tickers.setdefault(local, set()).add(company.id)

    def has(self, notable: sources.Notable, names: list[str], rules: Rules) -> bool:
        """Whether the notable entry is a registry company: one of its names, rare as a word,
        is a registry name without spaces or apostrophes (WHSmith, Victoria's Secret) or
        begins the name of one registry company before words that say what it does or a place
        (Geely Automobile, Loblaw Companies: also without a plural "s"; Sberbank of Russia)
        or of one that has it as its ticker (Fnac Darty, FNAC); without its first word, two
        or three capitals, it is a registry name no common word (JW Marriott); it begins with
        an acronym that is a registry name of its country (SAS Scandinavian Airlines: SAS
        AB); or, before words that say what it does, it begins the name of one registry
        company of its country that says what it does, or is its ticker (Pegasus Airlines:
        Pegasus Hava Tasimaciligi; IndiGo Airlines: InterGlobe Aviation, INDIGO)."""
        return any(self._has(notable.country, name, rules) for name in names)

    def _has(self, country: str | None, name: str, rules: Rules) -> bool:
        words = key(name).split()
        if not words:
            return False
        joined = "".join(words)
        if rules.distinctive([joined], LOCAL) and (
            " ".join(words) in self.keys or (len(words) == 1 and joined in self.joined)
        ):
            return True
        plural = len(words[-1]) > 4 and words[-1].endswith("s") and "'" not in name
        if self._begins_one(words, rules, ()) or (
            plural and self._begins_one([*words[:-1], words[-1][:-1]], rules, None)
        ):
            return True
        first = name.split()[0]
        rest = words[1:]
        initials = first.isupper() and 2 <= len(first) <= 3
        if initials and rest and " ".join(rest) in self.keys and rules.distinctive(rest, LOCAL):
            return True
        if not country:
            return False
        for end in range(1, len(words)):
            beginning = words[:end]
            if not rules.distinctive(beginning, LOCAL):
                continue
            text = " ".join(beginning)
            described = set(words[end:]) <= DESCRIPTORS
            if described and len(self.local_tickers.get((country, text), ())) == 1:
                return True
            owners = self.local.get((country, text), set())
            if len(owners) != 1:
                continue
            if end == 1 and first.isupper() and 2 < len(first) <= 4 and text in self.keys:
                return True
            if described and any(
                set(tail) <= DESCRIPTORS
                for tail in self.prefixes.get(text, {}).get(next(iter(owners)), ())
            ):
                return True
        return False

    def _begins_one(self, words: list[str], rules: Rules, exact: tuple[()] | None) -> bool:
        """Whether the words begin one registry company's name before words that say what it
        does (or nothing, when `exact` is the empty tail: the plural Waterstones is not the
        singular Waterstone)."""
        owners = self.prefixes.get(" ".join(words), {})
        if len(owners) != 1 or not rules.distinctive(words, RARE):
            return False
        ((owner, tails),) = owners.items()
        return owner in self.tickers.get("".join(words), ()) or any(
            (tail or exact is not None)
            and (
                set(tail) <= DESCRIPTORS
                or (tail[:1] == ("of",) and " ".join(tail[1:]) in rules.places)
            )
            for tail in tails
        )


# legal and group words, as registry_listings.issuer_key has them without its single letters
# (A.C. Moore is no "C Moore", B&B Theatres no "and Theatres") and with the Nordic ones
LEGAL_WORDS = frozenset(
    """aktiengesellschaft inc incorporated corp corporation co company ag se plc nv sa ltd
    limited holdings holding group kgaa gmbh oyj abp ab asa spa llc lp tbk pt bhd berhad pcl
    the sab cv sarl bv ltda pjsc ojsc jsc publ hf""".split()
)


def key(name: str) -> str:
    """A name without case, apostrophes, punctuation, legal or group words and a trailing
    "and": "Victoria's Secret" and "Victorias Secret & Co." are one key."""
    plain = re.sub(r"['’`]", "", name.lower()).replace("&", " and ")
    words = [w for w in re.findall(r"[^\W_]+", plain) if w not in LEGAL_WORDS]
    while words and words[-1] == "and":
        words.pop()
    return " ".join(words)


class Rules:
    """The naming rules of the module docstring, with their word lists."""

    def __init__(self, words: set[str], given: set[str], places: set[str]) -> None:
        self.words, self.given, self.places = words, given, places

    def candidates(self, notable: sources.Notable) -> list[str]:
        return [n for n in spellings(notable) if self.usable(n)]

    def usable(self, name: str) -> bool:
        """Four characters or more; no stoplist word or place; one word only when it is rare
        as a word and no given name; several words not all of them ordinary words."""
        plain, parts = name.lower(), name.split()
        if len(name) < 4 or plain in self.words or plain in self.places:
            return False
        if len(parts) == 1:
            # an ambiguous name the matcher reads as a business word confirms itself:
            # Energiedienst ends in -dienst
            confirms_itself = is_cue(plain) and self.ambiguous(name)
            return _frequency(name) < RARE and plain not in self.given and not confirms_itself
        return not all(_frequency(p) >= listed.COMMON_WORD for p in parts)

    def distinctive(self, words: list[str], below: float) -> bool:
        """Words (lower case) that are no place, begin with no given name and are all rarer
        than Zipf `below`: they name one company, not a word or a place."""
        return (
            bool(words)
            and " ".join(words) not in self.places
            and words[0] not in self.given
            and all(_frequency(w) < below for w in words)
        )

    def ambiguous(self, name: str) -> bool:
        parts = name.split()
        if name == name.lower():  # "tenpin": lower case matches the word in any sentence
            return True
        if len(parts) == 1:
            return _frequency(name.lower()) >= DICTIONARY or german_compound(name)
        lowered = [p.lower() for p in parts]
        after_place = any(" ".join(lowered[:i]) in self.places for i in range(1, len(parts)))
        # a number reads as an ordinary word: "12 North" is an address as often as a company
        common = all(p.isdigit() or _frequency(p) >= COMMON for p in parts)
        # the matcher takes the words after the first in any case: "Japanese Canteen" would
        # find "Japanese canteen", so a name led by an ordinary word needs confirmation
        phrase = _frequency(parts[0]) >= listed.COMMON_WORD
        return common or phrase or lowered[0] in self.given or after_place


def spellings(notable: sources.Notable) -> list[str]:
    """Every name of a notable company as text writes it, with and without its legal form."""
    found = []
    for name in notable.names:
        name = " ".join(listed.readable(name).split())
        found += [name, listed.short_name(name)]
    return list(dict.fromkeys(found))


def german_compound(word: str) -> bool:
    """Two German words written as one (Paketbox, Naturstrom, Energiedienst, Handelshof): a
    noun any German sentence may use, whatever the brand."""
    plain = word.lower()
    return any(
        zipf_frequency(plain[:i], "de") >= COMPOUND_PART
        and zipf_frequency(plain[i:], "de") >= COMPOUND_PART
        for i in range(4, len(plain) - 2)
    )


def _frequency(word: str) -> float:
    """wordfreq's Zipf frequency in English or German (U.S. is as common as us)."""
    return listed._word_frequency(word) if any(ch.isalpha() for ch in word) else 0.0


def build(root: Path = listed.SOURCES_DEFAULT) -> list[dict[str, Any]]:
    openflights, nsi = source_dirs(root)
    notables = sources.airlines(openflights) + sources.nsi_companies(sources.nsi_files(nsi))
    rules = Rules(listed.common_words(), first_names(), sources.places(openflights))
    companies = registry_companies()
    return entries(notables, rules, *registry_names(companies), Registry(companies))


def entries(
    notables: list[sources.Notable],
    rules: Rules,
    taken_ids: set[str],
    taken_names: set[str],
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """The entries of the notable companies that are no registry company under another
    spelling (`registry`), with the names that no registry company has and no other notable
    company shares."""
    if registry is not None:
        notables = [n for n in notables if not registry.has(n, spellings(n), rules)]
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
    company's shop or line, which the registry name finds: Walmart Photo Centre, Spark by
    Hilton."""
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


COMMENT = (
    "GENERATED by scripts/build_notable.py; do not edit. Sources and licences "
    "(OpenFlights: ODbL 1.0; name-suggestion-index: BSD-3-Clause): SOURCES.md. As a "
    "database derived in part from OpenFlights, this file is offered under the ODbL 1.0 "
    "(https://opendatacommons.org/licenses/odbl/1-0/); attribution: NOTICE"
)


def write(companies: list[dict[str, Any]], path: Path = NOTABLE) -> None:
    listed.write_generated(path, companies, COMMENT, 1)


def read(path: Path = NOTABLE) -> list[dict[str, Any]]:
    return listed.read(path)


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
