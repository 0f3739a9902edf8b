"""GermEval 2014 (German NER, CC BY 4.0): its news sentences and the company matcher's ORG
precision and recall on them. Tune on the dev split; the test split is the one reported.

Precision counts a mention as right when it overlaps a gold ORG span; recall counts the ORG
spans whose text is a registry name (the names a company tagger can know) that a mention
overlaps. GermEval tags a name inside a compound word (VW-Vorstand, Siemens-Chef) ORGpart, not
ORG, while the tagger rightly reports the company such a word names; so the headline precision
counts the whole-word mentions against ORG, the mentions that are only part of a compound are
scored against ORGpart on a line of their own, and the strict figure (every mention against
ORG) is kept beside them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipeline.core.errors import ConfigError

SPLITS = {"dev": "NER-de-dev.tsv", "test": "NER-de-test.tsv"}
Span = tuple[int, int]
Found = tuple[int, int, bool]  # a predicted span, and whether it is only part of a compound


class Sentence(NamedTuple):
    text: str  # the tokens joined by single spaces
    org: list[Span]  # gold ORG spans (outer level)
    org_parts: list[Span]  # gold ORGpart spans: a name inside a compound word (VW-Vorstand)


def read_sentences(root: Path, split: str = "test") -> Iterator[Sentence]:
    """The news sentences of one split (the Wikipedia ones are left out)."""
    if split not in SPLITS:
        raise ConfigError(f"GermEval 2014 has no split {split!r}: {sorted(SPLITS)}")
    tokens: list[tuple[str, str]] = []
    news = False
    path = root / "germeval2014-ner" / SPLITS[split]
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            news = "wikipedia" not in line
            continue
        if not line.strip():
            if tokens and news:
                yield _sentence(tokens)
            tokens = []
            continue
        parts = line.split("\t")
        tokens.append((parts[1], parts[2]))
    if tokens and news:
        yield _sentence(tokens)


def _sentence(tokens: list[tuple[str, str]]) -> Sentence:
    text: list[str] = []
    spans: dict[str, list[list[int]]] = {"ORG": [], "ORGpart": []}
    offset = 0
    current: list[int] | None = None
    for token, tag in tokens:
        kind = tag[2:]
        if tag.startswith("B-") and kind in spans:
            current = [offset, offset + len(token)]
            spans[kind].append(current)
        elif tag.startswith("I-") and kind in spans and current is not None:
            current[1] = offset + len(token)
        else:
            current = None
        text.append(token)
        offset += len(token) + 1
    return Sentence(
        " ".join(text),
        [(a, b) for a, b in spans["ORG"]],
        [(a, b) for a, b in spans["ORGpart"]],
    )


@dataclass
class Tally:
    right: int = 0  # mentions that overlap a gold ORG span (all mentions: the strict figure)
    predicted: int = 0
    whole_right: int = 0  # whole-word mentions (not part of a compound) that overlap ORG
    whole_predicted: int = 0
    part_right: int = 0  # compound-part mentions (VW-Vorstand) that overlap ORGpart or ORG
    part_predicted: int = 0
    hit: int = 0  # gold ORG spans with a registry name that a mention overlaps
    known: int = 0  # gold ORG spans whose text is a registry name
    false_hits: Counter[str] = field(default_factory=Counter)  # whole words against ORG
    false_parts: Counter[str] = field(default_factory=Counter)  # parts against ORGpart

    @property
    def precision(self) -> float:
        """Whole-word mentions against ORG: the headline figure."""
        return _ratio(self.whole_right, self.whole_predicted)

    @property
    def strict_precision(self) -> float:
        """Every mention, compound parts too, against ORG (the figure before compound parts were
        scored apart)."""
        return _ratio(self.right, self.predicted)

    @property
    def part_precision(self) -> float:
        return _ratio(self.part_right, self.part_predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.hit, self.known)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(
    sentences: Iterable[Sentence], find: Callable[[str], list[Found]], names: set[str]
) -> Tally:
    """`find` gives a sentence's predicted spans, each with whether it is only part of a
    compound word; `names` are the registry's names, folded."""
    tally = Tally()
    for sentence in sentences:
        text, gold = sentence.text, sentence.org
        found = find(text)
        known = [g for g in gold if text[g[0] : g[1]].lower() in names]
        for start, end, part in found:
            right = any(overlap((start, end), g) for g in gold)
            tally.right += right
            if part:
                part_right = right or any(overlap((start, end), g) for g in sentence.org_parts)
                tally.part_right += part_right
                tally.part_predicted += 1
                if not part_right:
                    tally.false_parts[text[start:end]] += 1
            else:
                tally.whole_right += right
                tally.whole_predicted += 1
                if not right:
                    tally.false_hits[text[start:end]] += 1
        tally.predicted += len(found)
        tally.hit += sum(1 for g in known if any(overlap((s, e), g) for s, e, _ in found))
        tally.known += len(known)
    return tally


def overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
