"""The topic taxonomy (`topics.yaml`) read into topic specs and cues, with clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.core.errors import ConfigError
from pipeline.tagging.topic_evidence import MARKERS

PAIR = 1.0
NEGATION = ""  # the topic field of negation and other markers, which belong to no topic


@dataclass(frozen=True)
class Cue:
    topic: str
    text: str
    kind: str  # "strong", "weak", "pair:<n>:<side>", "except", "mask", "negation", a marker


@dataclass(frozen=True)
class TopicSpec:
    id: str
    label: str
    threshold: float
    pair_weights: tuple[float, ...]
    negatable: bool = False
    background: bool = False  # no cue counts in a sentence that holds a `past` marker


def non_negative_number(document: Any, key: str, origin: str) -> float:
    value = document.get(key, 0) if isinstance(document, dict) else 0
    if not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{origin}: {key} must be a number of at least 0, got {value!r}")
    return float(value)


def parse_taxonomy(document: Any, origin: str) -> tuple[dict[str, TopicSpec], dict[str, list[Cue]]]:
    if not isinstance(document, dict) or not isinstance(document.get("topics"), list):
        raise ConfigError(f"{origin}: expected a mapping with a list under 'topics'")
    topics: dict[str, TopicSpec] = {}
    cues: dict[str, list[Cue]] = {}
    negations = document.get("negations") or {}
    if not isinstance(negations, dict):
        raise ConfigError(f"{origin}: 'negations' maps a language to its negation markers")
    for language, markers in negations.items():
        cues.setdefault(language, []).extend(Cue(NEGATION, str(m), "negation") for m in markers)
    for kind in MARKERS:
        section = document.get(kind) or {}
        if not isinstance(section, dict):
            raise ConfigError(f"{origin}: {kind!r} maps a language to its markers")
        for language, markers in section.items():
            cues.setdefault(language, []).extend(Cue(NEGATION, str(m), kind) for m in markers)
    for index, entry in enumerate(document["topics"]):
        where = f"{origin}: topics[{index}]"
        topic_id = entry.get("id") if isinstance(entry, dict) else None
        if not topic_id or topic_id in topics:
            raise ConfigError(f"{where}: missing or repeated id {topic_id!r}")
        pairs = [p if isinstance(p, dict) else {"cues": p} for p in entry.get("pairs") or []]
        topics[topic_id] = TopicSpec(
            topic_id,
            entry.get("label", topic_id),
            float(entry.get("threshold", 1.0)),
            tuple(float(p.get("weight", PAIR)) for p in pairs),
            bool(entry.get("negatable", False)),
            bool(entry.get("background", False)),
        )
        for language, groups in (entry.get("cues") or {}).items():
            bucket = cues.setdefault(language, [])
            for kind in ("strong", "weak"):
                bucket.extend(Cue(topic_id, str(c), kind) for c in groups.get(kind) or [])
        for kind in ("except", "mask"):
            for language, phrases in (entry.get(kind) or {}).items():
                cues.setdefault(language, []).extend(Cue(topic_id, str(p), kind) for p in phrases)
        for number, rule in enumerate(pairs):
            pair = rule.get("cues")
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ConfigError(f"{where} ({topic_id}): pairs[{number}] needs two cue lists")
            for side, group in enumerate(pair):
                for language in cues or {"de": []}:
                    cues.setdefault(language, []).extend(
                        Cue(topic_id, str(c), f"pair:{number}:{side}") for c in group
                    )
    return topics, cues
