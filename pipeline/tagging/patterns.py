"""Cue matching shared by the topic and sentiment taggers, linear in the text.

A cue is one or more words; `*` inside a word stands for any letters or hyphens
(`rechenzentr*` matches Rechenzentren, `*-abo` Netflix-Abo) and a lone `*` for any one word.
Text is cut into words once (hyphen compounds stay whole); a single-word cue also matches a part
of a compound (`ki` in `KI-Chips`). Cues are indexed by their first word, so each text word
costs a few dictionary look-ups whatever the number of cues.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)

TokenTest = Callable[[str], bool]


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # lower-cased


@dataclass(frozen=True)
class CueHit:
    cue: int
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


def _word_test(word: str) -> TokenTest:
    if word == "*":
        return lambda token: True
    pattern = re.compile("[\\w-]*".join(re.escape(p) for p in word.split("*")))
    return lambda token: pattern.fullmatch(token) is not None


class CueIndex:
    def __init__(self, cues: list[str]) -> None:
        self.cues = cues
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._general: list[int] = []
        self._tests: list[list[TokenTest]] = []
        for index, cue in enumerate(cues):
            words = cue.lower().split()
            self._tests.append([_word_test(w) for w in words])
            first = words[0]
            if "*" not in first:
                self._exact.setdefault(first, []).append(index)
            elif first.endswith("*") and "*" not in first[:-1] and len(first) > 1:
                self._prefix.setdefault(first[:-1], []).append(index)
            else:
                self._general.append(index)
        self._prefix_lengths = sorted({len(p) for p in self._prefix})

    def find(self, text: str, tokens: list[Token] | None = None) -> list[CueHit]:
        tokens = tokenize(text) if tokens is None else tokens
        hits: list[CueHit] = []
        for position, token in enumerate(tokens):
            for cue in self._candidates(token.text):
                end = self._match_from(cue, tokens, position)
                if end is not None:
                    hits.append(CueHit(cue, token.start, end))
            if "-" in token.text:
                hits.extend(self._compound_parts(token))
        return hits

    def _candidates(self, word: str) -> list[int]:
        found = list(self._exact.get(word, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.extend(self._prefix.get(word[:length], ()))
        found.extend(self._general)
        return found

    def _match_from(self, cue: int, tokens: list[Token], position: int) -> int | None:
        tests = self._tests[cue]
        if position + len(tests) > len(tokens):
            return None
        for offset, test in enumerate(tests):
            if not test(tokens[position + offset].text):
                return None
        return tokens[position + len(tests) - 1].end

    def _compound_parts(self, token: Token) -> list[CueHit]:
        hits = []
        offset = token.start
        for part in token.text.split("-"):
            for cue in self._candidates(part):
                if len(self._tests[cue]) == 1 and self._tests[cue][0](part):
                    hits.append(CueHit(cue, offset, offset + len(part)))
            offset += len(part) + 1
        return hits
