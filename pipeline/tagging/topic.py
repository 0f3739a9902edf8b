"""Tag articles with event topics from a taxonomy of cues, rules and co-occurrence pairs."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Protocol, TypedDict, Unpack

from pipeline.tagging.data_files import load_data_file
from pipeline.tagging.patterns import CueIndex, Tokens, tokenize
from pipeline.tagging.registry import DATA_DIR
from pipeline.tagging.text import CLAUSE_BREAK, Ranges, Sentence
from pipeline.tagging.topic_evidence import (
    MARKERS,
    DocumentEvidence,
    TopicEvidence,
    TopicMatch,
)
from pipeline.tagging.topic_model import load_topic_model
from pipeline.tagging.topic_taxonomy import Cue, TopicSpec, non_negative_number, parse_taxonomy

__all__ = [
    "TopicMatch",
    "TopicModelLike",
    "TopicTagger",
    "default_topic_tagger",
    "rule_topic_tagger",
]

STRONG, WEAK = 1.0, 0.5
TITLE_FACTOR = 1.5  # a cue in the headline says more than one in the body
MAX_EVIDENCE = 5
TAXONOMY_FILE = DATA_DIR / "topics.yaml"  # checked by schemas/topics.schema.json
COMPANY = "$company"  # in a pair rule: any company mention the company tagger found


class TopicModelLike(Protocol):
    def decide(self, found: DocumentEvidence) -> list[TopicMatch]: ...


class Context(TypedDict, total=False):
    """What `TopicTagger.tag` may be told of the text besides its sentences."""

    tokens: Tokens | None
    title_end: int
    companies: Sequence[tuple[int, int]]


class TopicTagger:
    def __init__(
        self,
        document: dict[str, Any],
        origin: str = "taxonomy",
        model: TopicModelLike | None = None,
    ) -> None:
        self.model = model
        self.topics, cues_by_language = parse_taxonomy(document, origin)
        self.weak_reference_words = non_negative_number(document, "weak_reference_words", origin)
        self._languages = set(cues_by_language)
        self._cues = cues_by_language
        self._indexes = {
            lang: CueIndex([c.text for c in cues]) for lang, cues in cues_by_language.items()
        }
        self._company_cues = {
            lang: [c for c in cues if c.text == COMPANY] for lang, cues in cues_by_language.items()
        }

    def tag(
        self, text: str, language: str, sentences: Sequence[Sentence], **context: Unpack[Context]
    ) -> list[TopicMatch]:
        """Topics of `text`. In `context`: its `tokens` when they were already cut, where the
        title ends when the text starts with one (cues there count more), and the (start, end)
        offsets of the company mentions found in it (pair rules can ask for a company in the
        sentence). With a model, the model decides from the cue matches; without one, the
        thresholds do."""
        found = self.evidence(text, language, sentences, **context)
        if self.model is not None:
            matches = self.model.decide(found)
        else:
            matches = [
                TopicMatch(e.topic, round(1 - math.exp(-e.total), 3), e.evidence[:MAX_EVIDENCE])
                for e in found.topics
                if e.total >= e.threshold
            ]
        return sorted(matches, key=lambda m: -m.score)

    def evidence(
        self,
        text: str,
        language: str,
        sentences: Sequence[Sentence],
        tokens: Tokens | None = None,
        title_end: int = 0,
        companies: Sequence[tuple[int, int]] = (),
    ) -> DocumentEvidence:
        """The cue matches of every topic with any, and what a model needs to know of the
        document around them (its sentences, where companies and markers stand)."""
        tokens = tokens or tokenize(text)
        hits = self._hits(text, tokens, language, companies)
        negated = Ranges(_negated_clauses(hits, sentences))
        past = _marked_sentences(hits, sentences, "past")
        by_topic: dict[str, list[tuple[Cue, int, str]]] = {}
        for hit in hits:
            by_topic.setdefault(hit[0].topic, []).append(hit)
        weak = WEAK * self._dilution(len(tokens.words))
        topics = [
            self._score(
                spec,
                _standing(spec, by_topic.get(spec.id, []), sentences, negated, past),
                sentences,
                title_end,
                weak,
            )
            for spec in self.topics.values()
        ]
        starts = [sentence.start for sentence in sentences]
        return DocumentEvidence(
            topics=[t for t in topics if t is not None],
            sentences=len(sentences),
            title_sentences=sum(1 for s in sentences if s.start < title_end),
            words=len(tokens.words),
            company_mentions=len(companies),
            company_sentences=_sentence_indices(starts, sentences, (s for s, _ in companies)),
            marked={
                kind: _sentence_indices(
                    starts, sentences, (p for c, p, _ in hits if c.kind == kind)
                )
                for kind in MARKERS
            },
        )

    def _hits(
        self,
        text: str,
        tokens: Tokens,
        language: str,
        companies: Sequence[tuple[int, int]] = (),
    ) -> list[tuple[Cue, int, str]]:
        languages = [language] if language in self._languages else sorted(self._languages)
        hits = []
        for lang in languages:
            cues = self._cues[lang]
            for hit in self._indexes[lang].find(tokens):
                hits.append((cues[hit.cue], hit.start, text[hit.start : hit.end]))
            for cue in self._company_cues[lang]:
                hits.extend((cue, start, text[start:end]) for start, end in companies)
        return hits

    def _dilution(self, words: int) -> float:
        """How much a weak cue counts in a text of `words` words: fully up to the reference
        length, less beyond it (a long text holds words like "results" or "court" by chance)."""
        if not self.weak_reference_words or words <= self.weak_reference_words:
            return 1.0
        return math.sqrt(self.weak_reference_words / words)

    def _score(
        self,
        spec: TopicSpec,
        hits: list[tuple[Cue, int, str]],
        sentences: Sequence[Sentence],
        title_end: int = 0,
        weak: float = WEAK,
    ) -> TopicEvidence | None:
        if not hits:  # no cue and no side of a pair: no evidence
            return None
        total = 0.0
        counted: set[str] = set()
        evidence: list[str] = []
        strong = weak_cues = pairs = 0
        in_title = False
        starts = [sentence.start for sentence in sentences]
        where: set[int] = set()
        for cue, position, found in hits:
            if cue.kind in {"strong", "weak"} and cue.text not in counted:
                counted.add(cue.text)
                weight = STRONG if cue.kind == "strong" else weak
                strong += cue.kind == "strong"
                weak_cues += cue.kind == "weak"
                in_title = in_title or position < title_end
                total += weight * (TITLE_FACTOR if position < title_end else 1.0)
                evidence.append(found)
                where |= _sentence_indices(starts, sentences, (position,))
        for pair, weight in enumerate(spec.pair_weights):
            index = _pair_sentence(hits, pair, sentences)
            if index is not None:
                sentence = sentences[index]
                pairs += 1
                in_title = in_title or sentence.start < title_end
                total += weight * (TITLE_FACTOR if sentence.start < title_end else 1.0)
                evidence.append(sentence.text)
                where.add(index)
        if not evidence:
            return None
        return TopicEvidence(
            spec.id,
            total,
            spec.threshold,
            strong,
            weak_cues,
            pairs,
            in_title,
            frozenset(where),
            evidence,
        )


def _standing(
    spec: TopicSpec,
    hits: list[tuple[Cue, int, str]],
    sentences: Sequence[Sentence],
    negated: Ranges,
    past: Ranges | None = None,
) -> list[tuple[Cue, int, str]]:
    """The cue hits of the topic (`hits` are its own) that count: none in a sentence holding
    one of its exceptions (a bank account's monthly fee is no subscription plan), none inside
    one of its masks (the share in "earnings per share" is no share-price move), and for a
    negatable topic none in a clause that negates ("Einen Stellenabbau plane der Konzern
    nicht"), for a background topic none in a sentence about the past ("which it bought in
    2014")."""
    exceptions = [p for c, p, _ in hits if c.kind == "except"]
    excepted = Ranges(
        (s.start, s.end)
        for s in (sentences if exceptions else ())
        if any(s.start <= p < s.end for p in exceptions)
    )
    masked = Ranges((p, p + len(f)) for c, p, f in hits if c.kind == "mask")
    return [
        (cue, position, found)
        for cue, position, found in hits
        if (cue.kind in {"strong", "weak"} or cue.kind.startswith("pair:"))
        and position not in excepted
        and position not in masked
        and not (spec.negatable and position in negated)
        and not (spec.background and past is not None and position in past)
    ]


def _marked_sentences(
    hits: list[tuple[Cue, int, str]], sentences: Sequence[Sentence], kind: str
) -> Ranges:
    """The sentences that hold a marker of `kind`."""
    markers = [position for cue, position, _ in hits if cue.kind == kind]
    return Ranges(
        (s.start, s.end)
        for s in (sentences if markers else ())
        if any(s.start <= m < s.end for m in markers)
    )


def _negated_clauses(
    hits: list[tuple[Cue, int, str]], sentences: Sequence[Sentence]
) -> list[tuple[int, int]]:
    """The clauses (sentence parts between commas, semicolons, colons, brackets and dashes)
    that hold a negation marker."""
    markers = [position for cue, position, _ in hits if cue.kind == "negation"]
    if not markers:
        return []
    clauses = []
    holding = _sentence_indices([s.start for s in sentences], sentences, markers)
    for index in sorted(holding):  # the sentences that hold a marker, in text order
        sentence = sentences[index]
        cuts = [sentence.start]
        cuts += [sentence.start + m.end() for m in CLAUSE_BREAK.finditer(sentence.text)]
        cuts.append(sentence.end)
        for marker in markers:
            index = bisect_right(cuts, marker) - 1
            if 0 <= index < len(cuts) - 1:
                clauses.append((cuts[index], cuts[index + 1]))
    return clauses


@cache
def rule_topic_tagger() -> TopicTagger:
    """The taxonomy alone: topics by their rule thresholds (the baseline of the model)."""
    return TopicTagger(load_data_file(TAXONOMY_FILE, "topics"), str(TAXONOMY_FILE))


@cache
def default_topic_tagger() -> TopicTagger:
    """The taxonomy's cues, decided by the shipped topic model."""
    document = load_data_file(TAXONOMY_FILE, "topics")
    model = load_topic_model(DATA_DIR / "topic_model.json")
    return TopicTagger(document, str(TAXONOMY_FILE), model)


def _pair_sentence(
    hits: list[tuple[Cue, int, str]], pair: int, sentences: Sequence[Sentence]
) -> int | None:
    """The index of the first sentence holding a cue of each side of pair rule `pair`."""
    prefix = f"pair:{pair}:"
    starts = [sentence.start for sentence in sentences]
    sides: dict[int, set[str]] = {}
    for cue, position, _ in hits:
        if cue.kind.startswith(prefix):
            index = bisect_right(starts, position) - 1
            if index >= 0 and position < sentences[index].end:
                sides.setdefault(index, set()).add(cue.kind[len(prefix) :])
    complete = [index for index, found in sides.items() if found == {"0", "1"}]
    return min(complete) if complete else None


def _sentence_indices(
    starts: list[int], sentences: Sequence[Sentence], positions: Iterable[int]
) -> frozenset[int]:
    """The indices of the sentences that hold the character `positions`."""
    found = set()
    for position in positions:
        index = bisect_right(starts, position) - 1
        if index >= 0 and position < sentences[index].end:
            found.add(index)
    return frozenset(found)
