"""Phrases with bounded gaps: `schloss ~3 aus` is "schloss", up to three other words, "aus".

One operator for every phrase whose words need not stand together: German split verbs ("schloss
einen Stellenabbau aus", "steigt bei Covestro ein"), "klagen über" with words between, and the
particle verbs of the sentiment lexicon ("Die Aktie gab um zwei Prozent nach", matched with
`end` at the clause's last word). A gap `~N` stands for zero to N words; the words around it are
tests on one word each (exact forms, `stem*` prefixes, a lone `*` for any one word).

    steps = parse_phrase("schloss ~3 aus", word_test)
    last = match(steps, words, position)        # index of the last word matched, or None
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.core.errors import ConfigError

TokenTest = Callable[[str], bool]
MAX_GAP = 8  # words: a gap wider than this would span clauses

_GAP = re.compile(r"~(\d+)")


@dataclass(frozen=True)
class Gap:
    """Zero to `words` words of any kind."""

    words: int


Step = TokenTest | Gap


def parse_phrase(phrase: str, word_test: Callable[[str], TokenTest]) -> tuple[Step, ...]:
    """The steps of `phrase`: a word test per word, a Gap per `~N`. A phrase starts and ends
    with a word, and has no two gaps in a row."""
    steps: list[Step] = []
    for part in phrase.split():
        gap = _GAP.fullmatch(part)
        if gap is None:
            steps.append(word_test(part))
            continue
        size = int(gap.group(1))
        if not 1 <= size <= MAX_GAP:
            raise ConfigError(f"phrase {phrase!r}: a gap spans 1 to {MAX_GAP} words, not {size}")
        if not steps or isinstance(steps[-1], Gap):
            raise ConfigError(f"phrase {phrase!r}: a gap needs a word before it")
        steps.append(Gap(size))
    if not steps or isinstance(steps[-1], Gap):
        raise ConfigError(f"phrase {phrase!r}: a phrase needs words and ends with one")
    return tuple(steps)


def has_gap(steps: Sequence[Step]) -> bool:
    return any(isinstance(step, Gap) for step in steps)


def match(
    steps: Sequence[Step],
    words: Sequence[str],
    position: int,
    limit: int | None = None,
    end: int | None = None,
) -> int | None:
    """The index of the last word of the shortest match of `steps` that starts at `position`,
    uses no word at or after `limit` (default: the end of `words`) and, if `end` is given, ends
    on the word at index `end`; None without a match."""
    stop = len(words) if limit is None else min(limit, len(words))
    return _match(steps, 0, words, position, stop, end)


def _match(
    steps: Sequence[Step], step: int, words: Sequence[str], at: int, stop: int, end: int | None
) -> int | None:
    while step < len(steps):
        current = steps[step]
        if isinstance(current, Gap):
            for skipped in range(current.words + 1):
                found = _match(steps, step + 1, words, at + skipped, stop, end)
                if found is not None:
                    return found
            return None
        if at >= stop or not current(words[at]):
            return None
        step, at = step + 1, at + 1
    last = at - 1
    return last if end is None or last == end else None
