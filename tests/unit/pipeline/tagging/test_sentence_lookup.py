"""The sentence holding an offset, found by binary search over sentences in text order."""

from __future__ import annotations

from pipeline.tagging.company_cues import sentence_of
from pipeline.tagging.text import Sentence, split_sentences

TEXT = "Amazon wächst.  Siemens fällt. SAP steigt."


def test_every_offset_inside_a_sentence_finds_that_sentence() -> None:
    sentences = split_sentences(TEXT)
    assert len(sentences) == 3
    for sentence in sentences:
        for offset in range(sentence.start, sentence.end):
            assert sentence_of(offset, sentences) == sentence


def test_an_offset_outside_every_sentence_finds_none() -> None:
    sentences = [Sentence(5, 10, "abcde"), Sentence(20, 25, "fghij")]
    assert [sentence_of(o, sentences) for o in (0, 4, 10, 15, 19, 25, 99)] == [None] * 7
    assert sentence_of(0, []) is None
