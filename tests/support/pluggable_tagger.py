"""A stand-in for a model-based tagger, to show that NEWSWIRE_TAGGER plugs one in."""

from typing import Any

from pipeline.tagging.base import TaggingInput
from pipeline.tagging.tagger import DefaultTagger, default_tagger


class EchoTagger:
    def tag(self, article: TaggingInput) -> dict[str, Any]:
        return {
            "companies": [],
            "topics": [{"id": "echo", "score": 1.0, "evidence": []}],
            "sentiment": {"label": "neutral", "score": 0.0},
        }


def create() -> EchoTagger:
    return EchoTagger()


def retagger() -> DefaultTagger:
    """The default tagger under other versions, as after a taxonomy change: replay re-tags."""
    base = default_tagger()
    return DefaultTagger(
        base.companies,
        base.topics,
        base.sentiment,
        base.model,
        versions={**base.versions(), "topics": "retag-test"},
    )
