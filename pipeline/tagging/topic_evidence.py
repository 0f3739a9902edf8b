"""What the topic cues found in one document: the input of a topic model and its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Markers belong to no topic and tell a model about the sentences holding them: `firm` (a
# business named without its name: "der Konzern", "the company"), `hedge` (a threat or a mere
# possibility: "droht mit einer Klage", "could face a lawsuit") and `past` (background from
# years ago: "bought in 2015", "vor Jahren übernommen").
MARKERS = ("firm", "hedge", "past")


@dataclass(frozen=True)
class TopicMatch:
    id: str
    score: float
    evidence: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": self.score, "evidence": self.evidence}


@dataclass(frozen=True)
class TopicEvidence:
    """The counted cue matches of one topic in one document."""

    topic: str
    total: float  # the rule score: strong 1.0, weak 0.5 (diluted), pairs by weight, headline x1.5
    threshold: float  # the rule score from which the taxonomy alone takes the topic
    strong: int  # distinct strong cues
    weak: int  # distinct weak cues
    pairs: int  # pair rules that fired
    in_title: bool
    sentences: frozenset[int]  # indices of the sentences holding a counted match
    evidence: list[str]  # the matched words, then the sentences of the pair rules


@dataclass(frozen=True)
class DocumentEvidence:
    topics: list[TopicEvidence]  # only topics with at least one counted match
    sentences: int
    title_sentences: int
    words: int
    company_mentions: int
    company_sentences: frozenset[int]
    marked: dict[str, frozenset[int]] = field(default_factory=dict)  # marker -> sentence indices
