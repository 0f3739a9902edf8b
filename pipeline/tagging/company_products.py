"""Whether a mention names a product rather than its maker: a brand with its model designation
(Xbox 360, GeForce GTX 480, Audi A3; not a year, a sum or a count: "Instagram 500 Millionen
Nutzer"), or a company name with its model after a possessive (sein Mercedes 208). Such a
mention is weak: it counts only when another mention confirms the company. A possessive alone
makes no product: "their Tesla shares", "Our Siemens contract", "Their Apple devices" name the
company as issuer, party or maker.
"""

from __future__ import annotations

import re

# Words after a number that make it a count, not a model: "WhatsApp 2 Milliarden Nutzer".
_COUNT_WORDS = (
    "mio|mrd|million|millionen|milliarde|milliarden|billion|billionen|bn|tausend|thousand|"
    "hundert|hundred|mal|times|prozent|percent|per cent|euro|dollar|pfund|pounds|franken|cent|"
    "stück|nutzer|nutzern|nutzerinnen|users|follower|followern|followers|kunden|customers|"
    "abonnenten|subscribers|jahre|jahren|years|monate|monaten|months|wochen|weeks|tage|tagen|"
    "days|stunden|hours|minuten|minutes|punkte|points"
)
# A model designation after a brand: Xbox 360, GeForce GTX 4xx, Audi A3 (no year, no sum, no
# share, no count).
_MODEL = re.compile(
    r" (?:[A-Z]{2,4} )?(?!(?:19|20)\d\d\b)[A-Za-z]{0,3}\d{1,4}[A-Za-z]{0,3}\b"
    rf"(?![.,]\d| ?%| (?i:{_COUNT_WORDS})\b)"
)
# Possessives of a product's owner; not the object pronoun "her" nor the German "ihr" (also a
# dative and a plural "you"): "Analysts told her Apple would cut prices".
POSSESSIVES = frozenset(
    """sein seine seinen seinem seiner seines ihre ihren ihrem ihrer ihres mein meine meinen
    meinem meiner meines dein deine deinen deinem deiner deines unser unsere unseren unserem
    unserer unseres euer eure euren eurem eurer eures his my their our your""".split()
)
# Words after a name (or its model) that make it the company as issuer or party of a holding
# or a contract, not a product: "seine BASF 2 Aktien", "their Tesla shares".
_HOLDING_WORDS = frozenset(
    """aktie aktien anteil anteile anteilen papiere papieren beteiligung vertrag verträge
    vertrages vertrags auftrag aufträge share shares stock stocks stake stakes holding holdings
    contract contracts deal bonds""".split()
)
_WORD = re.compile(r" ([^\W\d_]+)")


def with_model(text: str, end: int) -> bool:
    """A model designation follows the name that ends at `end`."""
    return _MODEL.match(text, end) is not None


def owned_product(text: str, start: int, end: int) -> bool:
    """A possessive stands right before the name at text[start:end] and a model designation
    after it, with no word of a holding or contract next: "sein Mercedes 208"."""
    model = _MODEL.match(text, end)
    if model is None or not _after_possessive(text, start):
        return False
    following = _WORD.match(text, model.end())
    return following is None or following.group(1).lower() not in _HOLDING_WORDS


def _after_possessive(text: str, start: int) -> bool:
    """A possessive stands right before the name: "sein Mercedes", "my iPhone"."""
    if start < 2 or text[start - 1] != " ":
        return False
    begin = start - 1
    while begin > 0 and text[begin - 1].isalpha():
        begin -= 1
    return text[begin : start - 1].lower() in POSSESSIVES
