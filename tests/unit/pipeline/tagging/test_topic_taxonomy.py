"""Taxonomy sections the topic model reads: markers, background topics, and their errors."""

from __future__ import annotations

import pytest

from pipeline.core.errors import ConfigError
from pipeline.tagging.text import split_sentences
from pipeline.tagging.topic import TopicTagger

TAXONOMY = {
    "past": {"en": ["years ago", "in 201*"]},
    "hedge": {"en": ["could"]},
    "firm": {"en": ["company"]},
    "topics": [
        {
            "id": "mergers-acquisitions",
            "background": True,
            "cues": {"en": {"strong": ["acquired"]}},
        },
        {"id": "earnings", "cues": {"en": {"strong": ["profit"]}}},
    ],
}


def evidence(text: str):
    return TopicTagger(TAXONOMY).evidence(text, "en", split_sentences(text))


def test_a_background_topic_counts_no_cue_in_a_sentence_about_the_past() -> None:
    tagger = TopicTagger(TAXONOMY)
    text = "The company acquired the startup in 2014. Profit rose years ago."
    assert [t.id for t in tagger.tag(text, "en", split_sentences(text))] == ["earnings"]
    text = "The company acquired the startup. Profit rose."
    assert sorted(t.id for t in tagger.tag(text, "en", split_sentences(text))) == [
        "earnings",
        "mergers-acquisitions",
    ]


def test_markers_tell_which_sentences_hold_them() -> None:
    found = evidence("The company could grow. Profit rose years ago.")
    assert found.marked == {
        "firm": frozenset({0}),
        "hedge": frozenset({0}),
        "past": frozenset({1}),
    }
    (earnings,) = found.topics
    assert earnings.sentences == frozenset({1}) and earnings.evidence == ["Profit"]


@pytest.mark.parametrize("section", ["past", "hedge", "firm"])
def test_a_malformed_marker_section_is_a_clear_error(section: str) -> None:
    with pytest.raises(ConfigError, match=section):
        TopicTagger({**TAXONOMY, section: ["not", "by", "language"]})


def test_a_malformed_gap_in_a_cue_is_a_clear_error() -> None:
    broken = {"topics": [{"id": "layoffs", "cues": {"en": {"strong": ["cut ~0 jobs"]}}}]}
    with pytest.raises(ConfigError, match="gap"):
        TopicTagger(broken)
