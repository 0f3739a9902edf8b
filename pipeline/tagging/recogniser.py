"""A statistical recogniser of organisation names: a linear-chain CRF (python-crfsuite) over
words, trained by scripts/train_org_recogniser.py on GermEval 2014 (German, CC BY 4.0) and
FinEntity (English, ODC-BY) organisation spans. The model file is small and ships with the
package (data/org_recogniser.crfsuite); `org_spans` returns the character spans it tags ORG.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pycrfsuite

MODEL = Path(__file__).resolve().parent / "data" / "org_recogniser.crfsuite"
TOKEN = re.compile(r"[^\W_]+(?:[-'’.&][^\W_]+)*|[^\w\s]")
LEGAL_FORMS = frozenset(
    """ag se gmbh kgaa kg ohg inc corp co ltd plc llc lp nv sa spa oyj ab asa group gruppe
    holding holdings konzern bank""".split()
)


def shape(word: str) -> str:
    """Xx, XX, x, d, or mixed: the capitalisation pattern of a word, in short."""
    if word.isdigit():
        return "d"
    if word.isupper():
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word.islower():
        return "x"
    return "mix"


def word_features(words: list[str], i: int) -> list[str]:
    word = words[i]
    low = word.lower()
    features = [
        "b",
        "w=" + low,
        "s3=" + low[-3:],
        "p3=" + low[:3],
        "sh=" + shape(word),
        "len=" + str(min(len(word), 8)),
    ]
    if low.rstrip(".") in LEGAL_FORMS:
        features.append("legal")
    if "-" in word:
        features.append("hyphen")
        features.append("head=" + low.rsplit("-", 1)[-1])
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(words):
            other = words[j]
            features.append(f"{offset}w=" + other.lower())
            features.append(f"{offset}sh=" + shape(other))
            if other.lower().rstrip(".") in LEGAL_FORMS:
                features.append(f"{offset}legal")
        else:
            features.append(f"{offset}edge")
    return features


def sentence_features(words: list[str]) -> list[list[str]]:
    return [word_features(words, i) for i in range(len(words))]


class OrgRecogniser:
    """Loads the model once; `org_spans` is safe to call from one thread at a time per object
    (each pool process has its own)."""

    def __init__(self, model: Path = MODEL) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))

    def org_probability(self, text: str, start: int, end: int) -> float:
        """How sure the model is that text[start:end] is (part of) an organisation name: the
        lowest marginal probability of B-ORG or I-ORG over its words."""
        tokens = list(TOKEN.finditer(text))
        inside = [i for i, t in enumerate(tokens) if t.start() >= start and t.end() <= end]
        if not inside:
            return 0.0
        self._tagger.set(sentence_features([t.group() for t in tokens]))
        marginal = self._tagger.marginal
        return float(min(max(marginal("B-ORG", i), marginal("I-ORG", i)) for i in inside))

    def org_spans(self, text: str) -> list[tuple[int, int]]:
        tokens = list(TOKEN.finditer(text))
        if not tokens:
            return []
        labels = self._tagger.tag(sentence_features([t.group() for t in tokens]))
        spans: list[tuple[int, int]] = []
        for token, label in zip(tokens, labels, strict=True):
            if label == "B-ORG" or (label == "I-ORG" and not spans):
                spans.append((token.start(), token.end()))
            elif label == "I-ORG":
                spans[-1] = (spans[-1][0], token.end())
        return spans


@cache
def default_recogniser() -> OrgRecogniser | None:
    """The shipped model, or None when it is absent (the matcher then works without it)."""
    return OrgRecogniser() if MODEL.exists() else None
