"""Text helpers shared by the taggers: length-preserving lower-casing, sentences, clauses, words."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

# The lookahead first (every match starts with a quote, a bracket or a space) lets the regex
# engine skip the other characters fast; the matches are the same.
_SENTENCE_END = re.compile(
    r"(?=[\s\"'“”„»«)])(?:(?<=[.!?…])[\"'“”„»«)]?\s+(?=[\"'“”„»«(]?[A-ZÄÖÜ0-9])|\n+)"
)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# where a clause of a sentence ends; a comma before a digit is a decimal or thousands separator
CLAUSE_BREAK = re.compile(r",(?!\d)|[;:()]|\s[–—-]\s")
_ABBREVIATIONS = frozenset(
    ("dr prof mr mrs ms st inc corp co ltd nr bzw ca vgl usw evtl z.b u.a etc jr sr no vs").split()
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


class Ranges:
    """Character ranges (start, end), merged, with a membership test by bisection."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._ranges = merged
        self._starts = [start for start, _ in merged]

    def __contains__(self, position: object) -> bool:
        if not isinstance(position, int) or not self._ranges:
            return False
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ranges[index][1]


def fold_case(text: str) -> str:
    """Lower-case without changing the length, so offsets in the result fit the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their character offsets; cheap rules that suit news prose."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text[start : match.start()]):
            continue
        _append(sentences, text, start, match.start())
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def clause_breaks(sentence: Sentence) -> list[int]:
    """Offsets in the text where a clause of the sentence ends (commas, semicolons, colons,
    brackets, dashes)."""
    return [sentence.start + m.start() for m in CLAUSE_BREAK.finditer(sentence.text)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _ends_with_abbreviation(chunk: str) -> bool:
    tail = chunk.rsplit(None, 1)[-1].lower().rstrip(".") if chunk.strip() else ""
    return tail in _ABBREVIATIONS


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + piece.index(stripped[0])
    sentences.append(Sentence(offset, offset + len(stripped), stripped))
