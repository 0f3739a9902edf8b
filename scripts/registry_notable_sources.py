"""Read the sources of the notable companies outside the stock listings, at pinned commits:
OpenFlights' airline database (ODbL 1.0) and the name-suggestion-index's brands and operators
(BSD-3-Clause), each as a list of `Notable` (a name, the other names it goes by, country,
Wikidata id). Used by scripts/build_notable.py; recorded in pipeline/tagging/data/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import tarfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

OPENFLIGHTS = "jpatokal/openflights"
OPENFLIGHTS_COMMIT = "5a0360255a5a2ff2b9f1e9cb199716da68a8a33f"
NSI = "osmlab/name-suggestion-index"
NSI_COMMIT = "c8b272ef0f882ee76c5ac8bd2912d5db4d63cf30"

# the news markets of the project (NSI location codes); a brand is kept when it trades in one of
# them, or in at least MANY_COUNTRIES countries
MARKETS = {
    "de": "Germany", "at": "Austria", "ch": "Switzerland", "us": "United States",
    "gb": "United Kingdom", "ca": "Canada", "au": "Australia",
}  # fmt: skip
WORLDWIDE = "001"
MANY_COUNTRIES = 5
# operator folders of the NSI whose operators are companies (utilities, grid and pipeline
# operators, telecoms, transport companies, charging networks), not councils or schools
COMPANY_OPERATORS = re.compile(
    r"^(operators/(power|telecom|route|advertising)/|operators/man_made/(pipeline|mast|street_cabinet)"
    r"|operators/amenity/(charging_station|car_sharing)|operators/office/energy_supplier|transit/)"
)
# brand folders of charities, clubs, schools, unions, parties and public services, no companies
NOT_COMPANY_BRANDS = re.compile(
    r"^brands/(club/|emergency/|shop/charity|office/(association|government|political_party|union)"
    r"|amenity/(school|college|university|kindergarten|prep_school|library|social_facility"
    r"|social_centre|community_centre|food_sharing|public_bookcase|post_box|animal_shelter))"
)
PUBLIC_BODY = re.compile(
    r"\b(city|county|council|department|ministry|state|government|district|borough|township|"
    r"village|town|municipality|municipal|gemeinde|stadt|landkreis|kreis|bezirk|amt|university|"
    r"universität|school|police|national|federal|agency|authority|commission|board|bundes\w*|"
    r"public|regional|transit|transport for|of the|bureau|"
    # charities, aid services and statutory health insurers (Deutsches Rotes Kreuz, Malteser
    # Hilfsdienst, AOK, BKK): public bodies or charities, no companies
    r"kreuz|cross|hilfsdienst|hilfswerk|krankenkasse|ersatzkasse|aok|bkk|ikk|johanniter|caritas|"
    r"diakonie|arbeiter-samariter|samariter)\b",
    re.IGNORECASE,
)
# the public bodies and charities among brands: PUBLIC_BODY without its words that also begin
# company names (National Tyres, State Farm, swim schools, Regional Express)
PUBLIC_BRAND = re.compile(
    r"\b(city of|county|council|department|ministry|government|municipality|municipal|gemeinde|"
    r"landkreis|bezirk|university|universität|police|federal|agency|authority|commission|"
    r"bundes\w*|transit|transport for|bureau|"
    r"kreuz|cross|hilfsdienst|hilfswerk|krankenkasse|ersatzkasse|aok|bkk|ikk|johanniter|caritas|"
    r"diakonie|arbeiter-samariter|samariter|salvation army)\b",
    re.IGNORECASE,
)
# what the index itself calls an operator that is no company
PUBLIC_TYPES = frozenset({"government", "charitable", "religious", "community"})


_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


class Notable(NamedTuple):
    name: str
    names: tuple[str, ...]  # every name it goes by, `name` first
    country: str | None
    wikidata: str | None
    kind: str  # airline, brand, operator


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def latin(text: str) -> bool:
    """Written in Latin letters (names in other scripts never appear in English or German news)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def airlines(git_dir: Path) -> list[Notable]:
    return parse_airlines(_git(git_dir, "show", f"{OPENFLIGHTS_COMMIT}:data/airlines.dat").decode())


def parse_airlines(text: str) -> list[Notable]:
    """Airlines OpenFlights marks active, with both an IATA and an ICAO code (847 of 6,162)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) != 8:
            continue
        _, name, alias, iata, icao, _, country, active = (v.strip() for v in row)
        if active != "Y" or not re.fullmatch(r"[A-Z0-9]{2}", iata) or len(icao) != 3:
            continue
        names = tuple(
            dict.fromkeys(
                _PARENTHESIS.sub("", n).strip()
                for n in (name, alias)
                if n and n != "\\N" and latin(n)
            )
        )
        if names:
            found.append(Notable(names[0], names, country or None, None, "airline"))
    return found


def nsi_files(git_dir: Path) -> dict[str, Any]:
    """The NSI's data files of brands, operators and transit operators, by path."""
    archive = _git(git_dir, "archive", NSI_COMMIT, "data/brands", "data/operators", "data/transit")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member) if member.name.endswith(".json") else None
            if handle is not None:
                files[member.name.removeprefix("data/")] = json.loads(handle.read())
    return files


def _places(item: dict[str, Any]) -> set[str]:
    include = (item.get("locationSet") or {}).get("include") or []
    return {p.lower().split(".")[0].split("-")[0] for p in include if isinstance(p, str)}


def _notable_place(places: set[str]) -> bool:
    return bool(places & (set(MARKETS) | {WORLDWIDE})) or len(places) >= MANY_COUNTRIES


def nsi_companies(files: dict[str, Any]) -> list[Notable]:
    """One Notable per Wikidata item: brands (`brand:wikidata`) and the operators of the company
    folders (`operator:wikidata`) that trade in the news markets or in many countries."""
    names: dict[str, Counter[str]] = {}
    places: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    public = _public_items(files)
    for path, document in sorted(files.items()):
        kind = "brand" if path.startswith("brands/") else "operator"
        if (kind == "operator" and not COMPANY_OPERATORS.match(path)) or NOT_COMPANY_BRANDS.match(
            path
        ):
            continue
        for item in document.get("items") or []:
            tags = item.get("tags") or {}
            qid = tags.get(f"{kind}:wikidata")
            where = _places(item)
            if not qid or qid in public or not _notable_place(where):
                continue
            found = _item_names(tags, kind)
            if found:
                names.setdefault(qid, Counter()).update(found)
                places.setdefault(qid, set()).update(where)
                kinds.setdefault(qid, kind)
    return [_nsi_notable(qid, names[qid], places[qid], kinds[qid]) for qid in sorted(names)]


def _public_items(files: dict[str, Any]) -> set[str]:
    """Wikidata ids of the operators any file of the index marks as a government body,
    charity, religious or community body (`operator:type`; TriMet's park-and-ride car parks)."""
    found = set()
    for document in files.values():
        for item in document.get("items") or []:
            tags = item.get("tags") or {}
            if tags.get("operator:type") in PUBLIC_TYPES and tags.get("operator:wikidata"):
                found.add(tags["operator:wikidata"])
    return found


def _item_names(tags: dict[str, Any], kind: str) -> list[str]:
    """The names of a brand or operator in Latin letters; a public body or charity (a council,
    a city's department, a transit authority, the Red Cross, a statutory health insurer, an
    item the index marks as government or charitable) has none."""
    keys = (kind, f"{kind}:en", f"{kind}:de") + (("name:en",) if kind == "brand" else ())
    found = [_PARENTHESIS.sub("", str(tags[k])).strip() for k in keys if tags.get(k)]
    public_body = PUBLIC_BRAND if kind == "brand" else PUBLIC_BODY
    public = any(public_body.search(n) for n in found) or tags.get("operator:type") in PUBLIC_TYPES
    return [] if public else [n for n in found if latin(n)]


def _nsi_notable(qid: str, names: Counter[str], places: set[str], kind: str) -> Notable:
    ordered = tuple(n for n, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])))
    homes = [MARKETS[p] for p in places if p in MARKETS]
    country = homes[0] if len(places) == 1 and homes else None
    return Notable(ordered[0], ordered, country, qid, kind)


def places(git_dir: Path) -> set[str]:
    return parse_places(_git(git_dir, "show", f"{OPENFLIGHTS_COMMIT}:data/airports.dat").decode())


def parse_places(text: str) -> set[str]:
    """Cities and countries of OpenFlights' airport database, lower-cased: a name that is a place
    is no company name, and one that begins with a place needs the article to confirm it."""
    found: set[str] = set()
    for row in csv.reader(io.StringIO(text)):
        if len(row) > 3:
            found.update(v.strip().lower() for v in row[2:4] if v.strip() and v != "\\N")
    return found
