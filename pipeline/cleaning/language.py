"""Language identification from function words: cheap, offline, and good on news prose."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_STOPWORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        (
            "der die das und ist nicht mit sich des auf für dem den ein eine einer eines auch als "
            "nach wie bei aus zum zur vom über noch wird werden wurde hat haben sind war sie er "
            "es wir ihr dass oder aber nur um so vor schon mehr durch seit bis unter"
        ).split()
    ),
    "en": frozenset(
        (
            "the and of to in is that for it with as was on be by this are from at has have not "
            "but which its an were their been will would they he she or had after more than about "
            "into said also who over up out"
        ).split()
    ),
    "fr": frozenset(
        (
            "le la les et des est une dans pour que qui pas sur avec sont plus par ce cette au "
            "aux du ont été mais comme elle il nous"
        ).split()
    ),
    "es": frozenset(
        (
            "el la los las y que en del por con una para es se lo como más pero sus fue al ha "
            "este esta son también entre"
        ).split()
    ),
    "it": frozenset(
        (
            "il lo gli che di per una sono della del con non più anche nel alla come dei delle "
            "questo ha è stato"
        ).split()
    ),
    "nl": frozenset(
        (
            "de het een en van is dat op te zijn voor met niet aan er ook als bij door naar maar "
            "om werd wordt heeft nog"
        ).split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _code, _words in _STOPWORDS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _code)
_FULL_CONFIDENCE_HITS = 10
# a word with one of these letters counts as a function word would: short headlines have few
_LETTERS = {"de": frozenset("äöüß")}


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float


UNKNOWN = LanguageGuess("und", 0.0)


def detect_language(text: str, sample_chars: int = 5000) -> LanguageGuess:
    """ISO 639-1 code and a confidence in [0, 1]; `und` when the text says too little."""
    words = _WORD.findall(text[:sample_chars].lower())
    hits: Counter[str] = Counter()
    for word in words:
        for code in _LANGUAGES_OF.get(word, ()):
            hits[code] += 1
        for code, letters in _LETTERS.items():
            if not letters.isdisjoint(word):
                hits[code] += 1
    if not hits:
        return UNKNOWN
    (best, best_hits), *rest = hits.most_common()
    runner_up = rest[0][1] if rest else 0
    if best_hits == runner_up:
        return UNKNOWN
    margin = (best_hits - runner_up) / best_hits
    evidence = min(1.0, best_hits / _FULL_CONFIDENCE_HITS)
    return LanguageGuess(best, round(margin * evidence, 3))
