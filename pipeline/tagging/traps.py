"""Company names used in another sense: a sponsored venue or event (Allianz Arena, the Davis Cup
by Rakuten), a platform as a place where people post ("on Instagram", "Youtube-Kanal"), a news
outlet cited as a source ("told Business Insider", "(CNN)"), and a person's surname (Julia
Klöckner). The rules and word lists are data (traps.yaml, first_names.txt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.tagging.data_files import load_data_file

DATA_DIR = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_OF = frozenset(("von", "of"))
# A quantity right before a unit: "300 HP", "1,200 PS", "2.5GB"; a year (In 2015 HP) is none.
_QUANTITY = re.compile(r"(?<![\w.,])(?!(?:19|20)\d\d\b)\d{1,3}(?:[.,]?\d{3})*(?:[.,]\d+)? ?$")


@dataclass(frozen=True)
class Traps:
    venue_words: frozenset[str]
    sponsor_phrases: tuple[str, ...]
    platforms: frozenset[str]  # folded
    place_before: frozenset[str]
    place_after: frozenset[str]
    outlets: frozenset[str]  # folded
    person_words: frozenset[str]  # folded first names and titles
    trading_venues: frozenset[str] = frozenset()  # folded
    operator_words: frozenset[str] = frozenset()
    other_names: frozenset[str] = frozenset()  # folded: Big Apple, National Post
    descriptors: frozenset[str] = frozenset()  # folded: Robotics in "Ceres Robotics"
    units: frozenset[str] = frozenset()  # all-caps names that are units after a number: HP
    place_nouns: frozenset[str] = frozenset()  # the Tahoe area: a place, not Tahoe Group
    family_words: frozenset[str] = frozenset()  # die Familie Porsche: the owners
    town_nouns: frozenset[str] = frozenset()  # des Ravensburger Gemeinderates: the town's
    person_nouns: frozenset[str] = frozenset()  # die Biografie von Oetker: a person's
    venue_middles: frozenset[str] = frozenset()  # PNC Bank Arts Center: a venue's kind

    def another_company(self, text: str, end: int) -> bool:
        """True when the name that ends at `end` is followed by a capitalised business word
        that makes it part of another company's name ("Ceres Robotics", "Dover Saddlery"), or
        by a lower-case word that makes it a place ("the Tahoe area")."""
        after = _next_word(text, end)
        if after[:1].isupper():
            return after.lower() in self.descriptors
        return after in self.place_nouns  # "near the Tahoe area": a place

    def as_unit(self, alias: str, text: str, start: int) -> bool:
        """True when an all-caps name is a unit right after a quantity: "300 HP", "150 PS";
        not after a year ("In 2015 HP split")."""
        if alias.lower() not in self.units:
            return False
        return bool(_QUANTITY.search(text[max(0, start - 16) : start]))

    def venue_not_operator(self, alias: str, text: str, start: int, end: int, head: str) -> bool:
        """A trading venue ("im Xetra-Handel", "an der Nasdaq") that is no mention of the
        exchange operator: no operator word follows the name or ends its compound, and none
        stands right before it (Börsenbetreiber Nasdaq)."""
        if alias.lower() not in self.trading_venues:
            return False
        near = {head, _next_word(text, end).lower(), _previous_word(text, start).lower()}
        return not near & self.operator_words

    def needs_context(self, alias: str, brand: bool) -> bool:
        """News outlets, and platforms that are brands of their owner (Instagram, YouTube, not
        Netflix), count only when the article confirms a company."""
        folded = alias.lower()
        return folded in self.outlets or (brand and folded in self.platforms)

    def is_person(self, text: str, start: int) -> bool:
        """A first name or a title right before the name (Julia Klöckner, Herr Oetker): the
        name is a person's, and its other mentions in the article need company context."""
        previous = _previous_word(text, start)
        return previous[:1].isupper() and previous.lower() in self.person_words

    def _of_a_person(self, text: str, start: int) -> bool:
        """A word that only a person has before the name, with or without `von`/`of` (die
        Biografie von Oetker): that mention only, as a family's."""
        previous = _previous_word(text, start)
        if previous.lower() in _OF and start > len(previous) + 1:
            previous = _previous_word(text, start - len(previous) - 1)
        return previous.lower() in self.person_nouns

    def other_sense(self, text: str, start: int, end: int, head: str) -> bool:
        """True when the name at text[start:end] (compound head `head`) is a sponsored venue or
        event, a family (die Familie Porsche), a person named by a word only a person has (die
        Biografie von Bosch) or a town's adjective (die Wolfsburger Polizei), not the company.
        Each rule drops that mention only: the article's other mentions stay."""
        after = _next_word(text, end)
        if head in self.venue_words or self._venue_after(text, end, after):
            return True
        if self._town_adjective(text[start:end], head, after):
            return True
        previous = _previous_word(text, start)
        if previous[:1].isupper() and previous.lower() in self.family_words:
            return True
        if self._of_a_person(text, start):
            return True
        before = text[max(0, start - 20) : start].lower()
        return any(before.rstrip().endswith(phrase) for phrase in self.sponsor_phrases)

    def _venue_after(self, text: str, end: int, after: str) -> bool:
        """A capitalised venue word next (Allianz Arena), or after a word that names the kind
        of venue (PNC Bank Arts Center). Not after any capitalised word: "Google Data Center"
        is the company's own site, and "Tesla Shares Open Lower" a headline."""
        if not after[:1].isupper():
            return False
        if after.lower() in self.venue_words:
            return True
        if after.lower() not in self.venue_middles:
            return False
        second = _next_word(text, end + 1 + len(after))
        return second[:1].isupper() and second.lower() in self.venue_words

    def _town_adjective(self, name: str, head: str, after: str) -> bool:
        """A German town adjective (Ravensburger, Wolfsburger: indeclinable, in -er) before a
        noun of the town's life, inflected or not (Gemeinderat, Gemeinderates)."""
        if head or not name.endswith("er") or not after[:1].isupper():
            return False
        word = after.lower()
        return any(word == noun or word in _inflected(noun) for noun in self.town_nouns)

    def as_place(self, alias: str, text: str, start: int, end: int, head: str) -> bool:
        """True when a platform is named as a place where people post ("on Instagram",
        "Youtube-Kanal", "TikTok creator"): then it counts only with company context."""
        after = _next_word(text, end)
        return alias.lower() in self.platforms and (
            head in self.place_after
            or after.lower() in self.place_after
            or _previous_word(text, start).lower() in self.place_before
        )


def _inflected(noun: str) -> tuple[str, ...]:
    return (noun + "s", noun + "es", noun + "n", noun + "en", noun + "e")


def defined_otherwise(acronym: str, names: tuple[str, ...], text: str) -> bool:
    """True when the text defines the acronym as something that is none of the company's names:
    "Münchner Sicherheitskonferenz (MSC)", "hypersensitivity pneumonitis, or HP", "a condition
    called HP"."""
    spelled = (f"({acronym})", f" or {acronym}", f"called {acronym}", f"known as {acronym}")
    if not any(s in text for s in spelled) and "genannte" not in text:
        return False  # none of the pattern's words: nothing to search (fast, as most texts)
    name = re.escape(acronym)
    pattern = rf"\(({name})\)|,? or {name}\b|\b(?:called|known as|genannte[nsr]?) {name}\b"
    for match in re.finditer(pattern, text):
        before = text[max(0, match.start() - 60) : match.start()].lower()
        words = before.split()
        if len(words) >= 2 and not any(n.lower() in before for n in names if n != acronym):
            return True
    return False


def _next_word(text: str, end: int) -> str:
    match = _WORD.match(text, end + 1) if end < len(text) and text[end] == " " else None
    return match.group() if match else ""


def _previous_word(text: str, start: int) -> str:
    if start < 2 or text[start - 1] != " ":
        return ""
    begin = start - 1
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "-'’."):
        begin -= 1
    return text[begin : start - 1].rstrip(".")


def load_traps(path: Path, first_names: Path) -> Traps:
    document = load_data_file(path, "traps")  # its lists checked by schemas/traps.schema.json
    names = [
        line.strip()
        for line in first_names.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def lowered(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in document[key])

    return Traps(
        venue_words=lowered("venue_words"),
        sponsor_phrases=tuple(str(p).lower() for p in document["sponsor_phrases"]),
        platforms=lowered("platforms"),
        place_before=lowered("place_before"),
        place_after=lowered("place_after"),
        outlets=lowered("outlets"),
        person_words=frozenset(n.lower() for n in names)
        | frozenset(str(w).lower() for w in document.get("person_titles") or ()),
        trading_venues=frozenset(str(w).lower() for w in document.get("trading_venues") or ()),
        operator_words=frozenset(str(w).lower() for w in document.get("operator_words") or ()),
        other_names=frozenset(str(w).lower() for w in document.get("other_names") or ()),
        descriptors=frozenset(str(w).lower() for w in document.get("descriptors") or ()),
        units=frozenset(str(w).lower() for w in document.get("units") or ()),
        place_nouns=frozenset(str(w).lower() for w in document.get("place_nouns") or ()),
        family_words=frozenset(str(w).lower() for w in document.get("family_words") or ()),
        town_nouns=frozenset(str(w).lower() for w in document.get("town_nouns") or ()),
        person_nouns=frozenset(str(w).lower() for w in document.get("person_nouns") or ()),
        venue_middles=frozenset(str(w).lower() for w in document.get("venue_middles") or ()),
    )


NO_TRAPS = Traps(frozenset(), (), frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


@cache
def default_traps() -> Traps:
    return load_traps(DATA_DIR / "traps.yaml", DATA_DIR / "first_names.txt")
