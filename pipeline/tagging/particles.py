"""German particle verbs: the verb stands early in its clause, its particle at the end ("Die
Aktie gab um zwei Prozent nach", "Der Umsatz legte kräftig zu"), so a phrase of adjacent words
cannot find them. A cue is written as the verb form and its particle (`gab nach`, `schoss nach
oben`) and matches when the particle closes a clause that holds the verb."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.core.errors import ConfigError


@dataclass(frozen=True)
class ParticleHit:
    key: str  # the cue as written in the lexicon
    verb: int  # index of the verb's word
    particle: int  # index of the particle's first word
    end: int  # index after the particle's last word
    weight: float


class ParticleVerbs:
    def __init__(self, entries: dict[str, float], where: str) -> None:
        self._verbs_by_particle: dict[tuple[str, ...], dict[str, tuple[str, float]]] = {}
        for key, weight in entries.items():
            verb, *particle = str(key).lower().split()
            if not particle:
                raise ConfigError(f"{where}: particle verb {key!r} needs a verb and a particle")
            by_verb = self._verbs_by_particle.setdefault(tuple(particle), {})
            by_verb[verb] = (str(key), float(weight))
        self._lengths = sorted({len(p) for p in self._verbs_by_particle}, reverse=True)

    def find(self, words: Sequence[str], clauses: Iterable[tuple[int, int]]) -> list[ParticleHit]:
        """The particle verbs of the clauses, given as (first, end) word indices."""
        hits = []
        for start, end in clauses:
            hit = self._in_clause(words, start, end)
            if hit is not None:
                hits.append(hit)
        return hits

    def _in_clause(self, words: Sequence[str], start: int, end: int) -> ParticleHit | None:
        for length in self._lengths:
            particle = end - length
            if particle <= start:
                continue
            verbs = self._verbs_by_particle.get(tuple(words[particle:end]))
            if not verbs:
                continue
            for position in range(start, particle):
                found = verbs.get(words[position])
                if found is not None:
                    return ParticleHit(found[0], position, particle, end, found[1])
        return None
