"""Words and cue matching shared by the topic and sentiment taggers, linear in the text.

A cue is one or more words; `*` inside a word stands for any letters or hyphens
(`rechenzentr*` matches Rechenzentren, `*-abo` Netflix-Abo), `#` for exactly one digit
(`19##` is a year, not the count 19 or 190), a lone `*` for any one word and `~N` for up to N
words (`schloss ~3 aus`; see `gaps`).
Text is cut into words once (hyphen compounds and apostrophes stay whole); a single-word cue
also matches a part of a compound (`ki` in `KI-Chips`). Cues are indexed by their first word,
and the candidates of each distinct word are cached; whether a word has any is a flag by
vocabulary id (`vocabulary.py`), so most words of a text are skipped at C speed whatever the
number of cues, and a phrase's candidates are tested at their second word first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from pipeline.tagging.gaps import Gap, Step, TokenTest, has_gap, match, parse_phrase
from pipeline.tagging.text import fold_case
from pipeline.tagging.vocabulary import WordValues

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_CACHE_LIMIT = 50_000  # words per index and process: bounded memory in a long-running worker
_NUMBERS_LIMIT = 10_000  # words with digits per index and process, forgotten when full


@dataclass(frozen=True)
class Tokens:
    """The words of a text, lower-cased, with their character offsets (parallel lists)."""

    words: list[str]
    starts: list[int]
    ends: list[int]


@dataclass(frozen=True)
class CueHit:
    cue: int
    start: int
    end: int
    token: int  # index of the first word


def tokenize(text: str) -> Tokens:
    matches = list(_WORD.finditer(fold_case(text)))
    group, start, end = re.Match.group, re.Match.start, re.Match.end
    return Tokens(list(map(group, matches)), list(map(start, matches)), list(map(end, matches)))


def _word_test(word: str) -> TokenTest:
    if word == "*":
        return lambda token: True
    if not _is_wild(word):
        return word.__eq__
    pattern = re.compile("".join(_WILDCARDS.get(c, re.escape(c)) for c in word))
    return lambda token: pattern.fullmatch(token) is not None


_WILDCARDS = {"*": "[\\w'’-]*", "#": "[0-9]"}


def _second_test(steps: tuple[Step, ...], cue: str) -> TokenTest | None:
    if len(steps) < 2 or has_gap(steps) or cue.lower().split()[1] == "*":
        return None
    second = steps[1]
    assert not isinstance(second, Gap)  # no gaps
    return second


def _is_wild(word: str) -> bool:
    return any(c in _WILDCARDS for c in word)


class CueIndex:
    def __init__(self, cues: list[str]) -> None:
        self.cues = cues
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._suffix: dict[str, list[int]] = {}  # `*tail` cues: any word that ends in tail
        self._general: list[int] = []
        self._tests: list[tuple[Step, ...]] = []
        self._gapped: list[bool] = []
        for index, cue in enumerate(cues):
            words = cue.lower().split()
            steps = parse_phrase(cue.lower(), _word_test)
            self._tests.append(steps)
            self._gapped.append(has_gap(steps))
            first = words[0]
            if not _is_wild(first):
                self._exact.setdefault(first, []).append(index)
            elif first.endswith("*") and not _is_wild(first[:-1]) and len(first) > 1:
                self._prefix.setdefault(first[:-1], []).append(index)
            elif first.startswith("*") and not _is_wild(first[1:]) and len(first) > 1:
                self._suffix.setdefault(first[1:], []).append(index)
            else:
                self._general.append(index)
        self._prefix_lengths = sorted({len(p) for p in self._prefix})
        self._suffix_lengths = sorted({len(p) for p in self._suffix})
        self._first_tests = [self._first(i) for i in range(len(cues))]
        # one exact word: a candidate of a word (found by its spelling) always matches it
        self._sure = [
            len(t) == 1 and not _is_wild(c.lower()) for t, c in zip(self._tests, cues, strict=True)
        ]
        # a phrase without gaps: the test of its second word (unless `*`), tried before the
        # whole phrase (most candidates of a phrase fail there: "the results showed")
        self._second = [_second_test(t, c) for t, c in zip(self._tests, cues, strict=True)]
        self._cache: dict[str, tuple[int, ...]] = {}
        self._numbers: dict[str, tuple[int, ...]] = {}  # words with digits, cleared when full
        # whether `find` has work at a word (candidates or a hyphen), by vocabulary id
        self._visit = WordValues(self._has_work, np.bool_)

    def find(self, tokens: Tokens) -> list[CueHit]:
        hits: list[CueHit] = []
        words, starts, ends = tokens.words, tokens.starts, tokens.ends
        cached = self._cache.get
        sure, second = self._sure, self._second
        last = len(words) - 1
        for position in self._positions(words):
            word = words[position]
            candidates = cached(word)
            if candidates is None:
                candidates = self._candidates(word)
            for cue in candidates:
                if sure[cue]:
                    end: int | None = position
                elif (test := second[cue]) is not None and (
                    position == last or not test(words[position + 1])
                ):
                    continue
                else:
                    end = self._match_from(cue, words, position)
                if end is not None:
                    hits.append(CueHit(cue, starts[position], ends[end], position))
            if "-" in word:
                hits.extend(self._compound_parts(word, starts[position], position))
        return hits

    def _positions(self, words: list[str]) -> list[int]:
        """Where `find` has work: the words with candidates or a hyphen (compound parts). Most
        words have neither and are skipped at C speed, by their flags gathered by vocabulary
        id."""
        positions: list[int] = np.flatnonzero(self._visit.of(words)).tolist()
        return positions

    def _has_work(self, word: str) -> bool:
        return bool(self._candidates(word)) or "-" in word

    def _candidates(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._numbers.get(word)
        if cached is not None:
            return cached
        found = list(self._exact.get(word, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.extend(self._prefix.get(word[:length], ()))
        others = [i for i in self._general if self._first_tests[i](word)]
        for length in self._suffix_lengths:
            if length > len(word):
                break
            others.extend(self._suffix.get(word[-length:], ()))
        found.extend(sorted(others))  # in the order of the cues, as one scan would give them
        result = tuple(found)
        if any(c.isdigit() for c in word):  # numbers are endless and rarely cues: kept apart
            if len(self._numbers) >= _NUMBERS_LIMIT:
                self._numbers.clear()
            self._numbers[word] = result
        elif len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = result
        return result

    def _first(self, cue: int) -> TokenTest:
        first = self._tests[cue][0]
        assert not isinstance(first, Gap)  # parse_phrase: a phrase starts with a word
        return first

    def _match_from(self, cue: int, words: list[str], position: int) -> int | None:
        tests = self._tests[cue]
        if self._gapped[cue]:
            return match(tests, words, position)
        if position + len(tests) > len(words):
            return None
        for offset, test in enumerate(tests):
            if not test(words[position + offset]):  # type: ignore[operator]
                return None
        return position + len(tests) - 1

    def _compound_parts(self, word: str, start: int, position: int) -> list[CueHit]:
        hits = []
        offset = start
        for part in word.split("-"):
            for cue in self._candidates(part):
                if len(self._tests[cue]) == 1 and self._first_tests[cue](part):
                    hits.append(CueHit(cue, offset, offset + len(part), position))
            offset += len(part) + 1
        return hits
