from typing import Any
from unittest.mock import ANY

import pytest

from connectors.base import FeedEntry, SourceSpec
from connectors.raw import Fetched, raw_event
from pipeline.core.codec import decode, encode
from pipeline.tagging.base import TaggingInput
from pipeline.worker import processing
from pipeline.worker.processing import DeadLetter, Enriched, process_one
from tests.conftest import assert_valid

ARTICLE = (
    "<html><body><article><h1>Zalando</h1><p>"
    + (
        "Der Onlinehändler Zalando hat im dritten Quartal den Umsatz gesteigert und "
        "die Erwartungen der Analysten übertroffen. Die Aktie stieg nachbörslich um sechs Prozent. "
    )
    * 3
    + "</p></article></body></html>"
)


def raw(html: str, content_type: str = "text/html") -> dict:
    source = SourceSpec("test-src", "rss", "https://news.test/rss")
    entry = FeedEntry(
        "test-src",
        "e1",
        "https://news.test/zalando",
        title="Zalando wächst",
        published="2026-11-20T07:00:00Z",
        authors=("Ina Roth",),
    )
    fetched = Fetched(html, "2026-11-20T07:05:00Z", content_type=content_type)
    return raw_event(source, entry, fetched)


def test_a_page_becomes_a_schema_valid_enriched_event() -> None:
    event_in = raw(ARTICLE)
    assert_valid("news.raw.v1", event_in)
    outcome = process_one(encode(event_in))
    assert isinstance(outcome, Enriched)
    event = outcome.event
    assert_valid("news.enriched.v1", event)
    assert outcome.canonical_url == "https://news.test/zalando"
    assert len(outcome.text_hash) == 64
    assert outcome.sketch == [], "too few distinct shingles to compare"
    assert event["raw_event_id"] == event_in["event_id"]
    assert event["title"] == "Zalando wächst" and event["authors"] == ["Ina Roth"]
    assert [c["id"] for c in event["companies"]] == ["zalando"]
    assert "earnings" in [t["id"] for t in event["topics"]]
    assert event["sentiment"]["label"] == "positive"


def test_same_raw_event_gives_the_same_event_id() -> None:
    payload = encode(raw(ARTICLE))
    first, second = process_one(payload), process_one(payload)
    assert isinstance(first, Enriched) and isinstance(second, Enriched)
    assert first.event["event_id"] == second.event["event_id"]


def test_non_html_goes_to_dead_letter_with_reason() -> None:
    event_in = raw("%PDF-1.4 ...", content_type="application/pdf")
    outcome = process_one(encode(event_in))
    assert isinstance(outcome, DeadLetter)
    dead = decode(outcome.value)
    assert_valid("news.deadletter.v1", dead)
    assert dead["stage"] == "clean" and "not HTML" in dead["reason"]
    assert dead["raw_event_id"] == event_in["event_id"] and dead["source_id"] == "test-src"


def test_undecodable_payload_goes_to_dead_letter() -> None:
    outcome = process_one(b"\xff\xfe not json")
    dead = decode(outcome.value)
    assert_valid("news.deadletter.v1", dead)
    assert dead["stage"] == "decode" and dead["raw_event_id"] is None


def test_raw_event_without_html_goes_to_dead_letter() -> None:
    event_in = raw(ARTICLE)
    del event_in["html"]
    dead = decode(process_one(encode(event_in)).value)
    assert dead["stage"] == "clean" and "html" in dead["reason"]


def test_an_unknown_extraction_mode_is_a_configuration_error() -> None:
    import pytest

    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.core.errors import ConfigError

    with pytest.raises(ConfigError, match="extraction mode 'quick'"):
        ExtractionOptions(mode="quick")


def test_warm_up_sets_the_extraction_options_of_the_process() -> None:
    from pipeline.cleaning.extract import DEFAULT_OPTIONS, ExtractionOptions
    from pipeline.worker import processing

    try:
        processing.warm_up("", ExtractionOptions(mode="fast"))
        assert processing._extraction.mode == "fast"
    finally:
        processing.warm_up("")
    assert processing._extraction == DEFAULT_OPTIONS


def test_the_event_names_its_tagger_versions_and_its_id_depends_on_them() -> None:
    from pipeline.tagging.loader import load_tagger, tagger_versions
    from pipeline.worker import processing

    payload = encode(raw(ARTICLE))
    first = process_one(payload)
    assert isinstance(first, Enriched)
    assert first.event["tagger_versions"] == tagger_versions(load_tagger())
    processing.warm_up("tests.support.pluggable_tagger:retagger")
    try:
        retagged = process_one(payload)
    finally:
        processing.warm_up()
    assert isinstance(retagged, Enriched)
    assert retagged.event["tagger_versions"]["topics"] == "retag-test"
    assert retagged.event["event_id"] != first.event["event_id"]
    assert retagged.versions != first.versions
    assert retagged.event["companies"] == first.event["companies"]
    assert process_one(payload).event == {**first.event, "enriched_at": ANY}  # type: ignore[union-attr]


def test_tagging_reads_a_bounded_prefix_of_an_endless_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    tagger = processing.current_tagger()

    class Measuring:
        def tag(self, article: TaggingInput) -> dict[str, Any]:
            seen.append(len(article.text))
            return tagger.tag(article)

    monkeypatch.setattr(processing, "_tagger", Measuring())
    sentence = "Zalando wächst und wächst, sagen Analysten, " * 5_000  # one sentence, 220,000 chars
    outcome = process_one(
        encode(raw(f"<html><body><article><p>{sentence}</p></article></body></html>"))
    )
    assert isinstance(outcome, Enriched)
    assert seen == [processing.MAX_TAGGED_CHARS]
    assert len(outcome.event["text"]) > processing.MAX_TAGGED_CHARS, (
        "the event keeps the whole text"
    )
