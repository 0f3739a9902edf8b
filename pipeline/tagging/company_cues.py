"""Business words that confirm an ambiguous company name (a sentence with `Konzern` or `shares`,
a compound ending in `-Aktie` or `-hersteller`), and the sentence that holds a mention."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from pipeline.tagging.text import Sentence, words

BUSINESS_CUES = frozenset(
    """konzern unternehmen aktie aktien aktionäre aktionär chef chefin ceo gründer vorstand
    umsatz gewinn quartal quartalszahlen börse anleger analysten investoren tochter sparte
    mitarbeiter beschäftigte stellen arbeitsplätze werk werke milliarden millionen dollar euro
    marke hersteller anbieter händler plattform dienst clouddienst konkurrenten rivale rivalen
    kunden auftrag aufträge prognose klage gericht kartellamt
    inc corp corporation company firm shares stock stocks shareholders investors analysts
    quarter quarterly revenue profit earnings billion million subsidiary unit brand maker
    provider retailer platform service rival rivals executive founder spokesperson app
    corporate employees jobs workforce division divisions customers sales chief lawsuit
    antitrust monopoly market markets carmaker automaker chipmaker drugmaker giant startup
    subscription subscriptions subscribers abo abonnenten werbung advertising advertisers
    ag se plc ltd gmbh nasdaq nyse dax
    anteile anteil beteiligung stake
    client clients manufacturer supplier vendor wettbewerber marktführer sponsor
    sponsoren""".split()
)
# German nouns that are also verbs in lower case: a cue only when capitalised.
_CAPITALISED_CUES = frozenset(("stellen",))
# German compounds end in these: Elektroautobauer, Handelskonzern, Chipkonzern, Modehändler,
# Weltmarktführer (marktführer, not führer: a Reiseführer or Oppositionsführer is none).
_COMPOUND_SUFFIX_CUES = (
    *(c for c in BUSINESS_CUES if len(c) >= 6),
    "bauer",
    "konzern",
    "riese",
    "versender",
    "zulieferer",
    "händler",
    "hersteller",
    "maker",
    "marktplatz",
    # shops and chains by their whole head: a Workshop, Halskette or Menschenkette is none
    "onlineshop",
    "online-shop",
    "webshop",
    "handelskette",
    "supermarktkette",
    "restaurantkette",
    "hotelkette",
    "modekette",
    "ladenkette",
    "drogeriekette",
    "baumarktkette",
    "burgerkette",
    "kaffeehauskette",
    "fitnesskette",
    "kinokette",
    "ausrüster",
    "dienstleister",
    "produzent",
    "versicherer",
    "verlag",
    "label",
    "airline",
)
# Endings that make a cue of an inflected word: clients, Herstellers, Produzenten.
_PLURAL_ENDINGS = ("s", "es", "n", "en")


@lru_cache(maxsize=4096)
def has_cue(scope: str) -> bool:
    """A business word in the sentence (cached: a sentence often names several companies)."""
    return any(is_cue(word.lower()) for word in words(scope) if _noun_as_written(word))


@lru_cache(maxsize=65536)
def is_cue(word: str) -> bool:
    """A business word, as written or inflected (clients, Anteilen); an inflected compound is
    none (Obstbauern are farmers, not carmakers)."""
    if _is_cue_form(word):
        return True
    for end in _PLURAL_ENDINGS:
        stem = word[: -len(end)]
        inflected = word.endswith(end) and len(stem) > 2
        if inflected and (stem in BUSINESS_CUES):
            return True
    return False


def _is_cue_form(word: str) -> bool:
    return word in BUSINESS_CUES or word.endswith(_COMPOUND_SUFFIX_CUES)


def _noun_as_written(word: str) -> bool:
    """German capitalises nouns: Stellen are jobs, "stellen ... aus" issues visas."""
    return word[:1].isupper() or word.lower() not in _CAPITALISED_CUES


def sentence_of(offset: int, sentences: Sequence[Sentence]) -> Sentence | None:
    """The sentence holding the offset (sentences are in text order: a binary search)."""
    index = bisect_right(sentences, offset, key=lambda sentence: sentence.start) - 1
    if index >= 0 and offset < sentences[index].end:
        return sentences[index]
    return None
