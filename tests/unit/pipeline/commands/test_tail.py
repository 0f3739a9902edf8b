"""`newswire tail` for people: what a line shows, how names and topics are resolved, which
topic it reads, and the filters; no broker (the reader is replaced)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from pipeline.commands.tail import TailOptions, article_filter, run_tail, source_topic, summary_line
from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings
from tests.conftest import SCHEMAS


def example(**changes: Any) -> dict[str, Any]:
    data = json.loads((SCHEMAS / "examples" / "news.enriched.v1.json").read_text("utf-8"))
    data.update(changes)
    assert isinstance(data, dict)
    return data


def test_a_line_shows_time_source_language_title_url_companies_topics() -> None:
    text = summary_line(example())
    first, title, url, companies, topics, sentiment = text.splitlines()
    assert first.startswith("2024-08-01 20:41 UTC  rheinblick-de  de")
    assert "Amazon verschreckt" in title
    assert url.strip().startswith("http://127.0.0.1:8765/de/wirtschaft/amazon-ki-investitionen")
    assert "Amazon.com, Inc. (AMZN) neutral" in companies and "OpenAI (openai)" in companies
    score = next(t["score"] for t in example()["topics"] if t["id"] == "earnings")
    assert f"earnings {score:.2f}" in topics  # the score to two places
    assert sentiment.strip().startswith("sentiment: neutral")


def test_revision_re_tag_and_duplicate_are_marked() -> None:
    first = summary_line(
        example(revision=3, supersedes="art-" + "a" * 32, duplicate_of="art-" + "b" * 32)
    ).splitlines()[0]
    assert (
        "revision 3" in first and "re-tag of art-aaaa" in first and "duplicate of art-bbbb" in first
    )
    assert "[" not in summary_line(example()).splitlines()[0], "nothing to mark"


def test_an_article_without_publish_time_shows_when_it_was_fetched() -> None:
    assert "(fetched)" in summary_line(example(published=None)).splitlines()[0]


def test_a_company_is_found_by_its_alias() -> None:
    rule = article_filter(Settings(), TailOptions(company="Siemens Energy"))
    assert rule.company_ids == frozenset({"siemens-energy"})


def test_an_unknown_company_is_an_error() -> None:
    with pytest.raises(ConfigError, match="no company in the registry is called 'Nobody GmbH'"):
        article_filter(Settings(), TailOptions(company="Nobody GmbH"))


def test_an_unknown_topic_is_an_error_listing_the_topics() -> None:
    with pytest.raises(ConfigError, match="unknown topic 'earning'") as caught:
        article_filter(Settings(), TailOptions(topic="earning"))
    assert "earnings" in str(caught.value) and "layoffs" in str(caught.value)


def test_a_bad_salience_is_an_error() -> None:
    with pytest.raises(ConfigError, match="between 0 and 1"):
        article_filter(Settings(), TailOptions(min_salience=5))


def test_a_topic_is_read_from_its_routing_topic_when_routing_is_on() -> None:
    assert source_topic(Settings(), TailOptions(topic="earnings")) == "news.topic.earnings.v1"
    assert source_topic(Settings(), TailOptions()) == "news.enriched.v1"
    off = Settings.of(routing=False)
    assert source_topic(off, TailOptions(topic="earnings")) == "news.enriched.v1"


def run(options: TailOptions, events: list[dict[str, Any]], monkeypatch: Any) -> list[str]:
    read: list[list[str]] = []

    def fake_reader(target: Any, topics: list[str], *args: Any) -> Iterator[tuple[str, Any]]:
        read.append(topics)
        yield from ((topics[0], e) for e in events)

    monkeypatch.setattr("pipeline.kafka.reader.iter_events", fake_reader)
    monkeypatch.setattr("pipeline.kafka.reachability.wait_for_broker", lambda *a: None)
    out = io.StringIO()
    assert run_tail(Settings(), options, out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_filters_sentiment_language_and_salience(monkeypatch: pytest.MonkeyPatch) -> None:
    german = example(event_id="art-" + "1" * 32)
    english = example(event_id="art-" + "2" * 32, language="en")
    negative = example(event_id="art-" + "3" * 32, sentiment={"label": "negative", "score": -0.5})
    events = [german, english, negative, {"not": "an article"}]

    def ids(options: TailOptions) -> list[str]:
        return [e["event_id"][-1] for e in run(options, events, monkeypatch)]

    assert ids(TailOptions(as_json=True)) == ["1", "2", "3"]
    assert ids(TailOptions(as_json=True, language="en")) == ["2"]
    assert ids(TailOptions(as_json=True, sentiment="negative")) == ["3"]
    assert ids(TailOptions(as_json=True, company="AWS", min_salience=0.5)) == ["1", "2", "3"]
    assert ids(TailOptions(as_json=True, company="Gemini", min_salience=0.5)) == []
    assert ids(TailOptions(as_json=True, max_events=2)) == ["1", "2"]


def test_tail_command_line_takes_the_new_filters() -> None:
    from pipeline.cli import build_parser

    args = build_parser().parse_args(
        [
            "tail",
            "--company",
            "Siemens Energy",
            "--sentiment",
            "negative",
            "--language",
            "de",
            "--min-salience",
            "0.3",
            "--topic",
            "layoffs",
        ]
    )
    assert (args.company, args.sentiment, args.language, args.min_salience, args.topic) == (
        "Siemens Energy",
        "negative",
        "de",
        0.3,
        "layoffs",
    )
