"""Whether a mention names a product rather than its maker: a brand with its model designation
(Xbox 360, GeForce GTX 480, Audi A3; not a year, a sum or a count: "Instagram 500 Millionen
Nutzer"), or any company name after a possessive (sein Mercedes 208, her iPhone). Such a mention
is weak: it counts only when another mention confirms the company.
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
POSSESSIVES = frozenset(
    """sein seine seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres mein meine meinen
    meinem meiner meines dein deine deinen deinem deiner deines unser unsere unseren unserem
    unserer unseres euer eure euren eurem eurer eures his her my their our your""".split()
)


def with_model(text: str, end: int) -> bool:
    """A model designation follows the name that ends at `end`."""
    return _MODEL.match(text, end) is not None


def after_possessive(text: str, start: int) -> bool:
    """A possessive stands right before the name: "sein Mercedes", "her iPhone"."""
    if start < 2 or text[start - 1] != " ":
        return False
    begin = start - 1
    while begin > 0 and text[begin - 1].isalpha():
        begin -= 1
    return text[begin : start - 1].lower() in POSSESSIVES
