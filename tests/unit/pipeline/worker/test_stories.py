"""Story keys: copies of one text go to one partition owner; the internal record round-trips."""

from __future__ import annotations

from pipeline.cleaning.fingerprint import sketch
from pipeline.worker.processing import Enriched
from pipeline.worker.stories import pack, story_key, unpack

TEXT = " ".join(
    f"Word{i % 97} follows word{(i * 7) % 89} in sentence {i // 12}." for i in range(400)
)


def outcome(url: str, text: str) -> Enriched:
    return Enriched({"event_id": f"id-{url}", "url": url}, url, "hash", sketch(text), 0.5, 0.25)


def test_copies_of_one_text_share_a_key_other_texts_do_not() -> None:
    keys = {story_key(outcome(f"https://site{i}.example/a", TEXT)) for i in range(24)}
    assert len(keys) == 1
    other = story_key(outcome("https://site0.example/b", TEXT.replace("Word", "Term")))
    assert other not in keys


def test_a_text_without_a_sketch_is_keyed_by_its_url() -> None:
    short = Enriched({"event_id": "x"}, "https://a.example/x", "hash", [], 0.0, 0.0)
    assert story_key(short) == b"u:https://a.example/x"


def test_the_record_round_trips_with_64_bit_sketch_values() -> None:
    made = outcome("https://a.example/1", TEXT)
    assert unpack(pack(made)) == made
    top = Enriched({"event_id": "y"}, "https://a.example/y", "hash", [1, 2**64 - 1], 0.0, 0.0)
    assert unpack(pack(top)) == top  # the top bit used: no signed-integer trap
