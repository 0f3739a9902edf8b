"""Rebuild pipeline/tagging/data/companies_generated.yaml from the pytickersymbols index lists.

Run: pip install pytickersymbols justext wordfreq && python scripts/build_registry.py
(then review the diff)

Every constituent of the indices below becomes an entry: id (slug of the name), name, primary
ticker, ISIN, and aliases (the name with and without its legal form, and without a trailing
business word such as Railway or Technologies when two words remain, or when one remains that is
rare as a word in English and German text and names one company only: "Micron" for Micron
Technology, but no "Mitsubishi" for Mitsubishi Chemical). Aliases that are common words
(justext's English and German stoplists, alias_denylist.yaml) are dropped; all-caps names of
two letters (HP) are kept, as the matcher takes them only in capitals. Curated
entries in companies.yaml win: a generated entry with a curated id or ISIN is skipped, and names
a curated company uses are not given to a generated one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import justext
import yaml
from pytickersymbols import PyTickerSymbols
from wordfreq import zipf_frequency

DATA = Path(__file__).resolve().parent.parent / "pipeline" / "tagging" / "data"
SKIPPED_INDICES = {"S&P 600"}  # small caps: many generic names, little news
LEGAL_FORMS = re.compile(
    r"[,.]?\s+(inc|incorporated|corp|corporation|co|company|ag|se|plc|n\.?v|s\.?a|sa|ltd|limited|"
    r"holdings?|group|kgaa|& co\.? kgaa|gmbh|oyj|ab|asa|spa|s\.p\.a|llc|lp|reit|the)\.?$",
    re.IGNORECASE,
)


DESCRIPTORS = re.compile(
    r"\s+(railway|railways|bancorp|bancshares|technologies|technology|pharmaceuticals|therapeutics|"
    r"financial|entertainment|semiconductor|semiconductors|communications|brands|industries|"
    r"systems|markets|chemie|chemical|chemicals|software|laboratories)$",
    re.IGNORECASE,
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
    denied = yaml.safe_load((DATA / "alias_denylist.yaml").read_text(encoding="utf-8"))["words"]
    stop = justext.get_stoplist("English") | justext.get_stoplist("German")
    return {w.lower() for w in denied} | {w.lower() for w in stop}


def curated() -> tuple[set[str], set[str], set[str]]:
    entries = yaml.safe_load((DATA / "companies.yaml").read_text(encoding="utf-8"))["companies"]
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


def build() -> list[dict[str, Any]]:
    curated_ids, curated_isins, curated_names = curated()
    words = common_words()
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
        if not aliases:
            continue
        entries[company_id] = {
            "id": company_id,
            "name": name,
            "ticker": stock.get("symbol"),
            "isin": isins[0] if isins else None,
            "aliases": aliases,
        }
    return sorted(entries.values(), key=lambda e: e["id"])


def main() -> None:
    companies = build()
    header = (
        "# GENERATED by scripts/build_registry.py from pytickersymbols; do not edit.\n"
        "# Curated entries (companies.yaml) win over these.\n"
    )
    text = yaml.safe_dump(
        {"version": 1, "companies": companies}, allow_unicode=True, sort_keys=False, width=100
    )
    (DATA / "companies_generated.yaml").write_text(header + text, encoding="utf-8")
    print(f"wrote {len(companies)} companies")


if __name__ == "__main__":
    main()
