"""Failure reasons are a closed set; retriable follows from the reason everywhere."""

from __future__ import annotations

import json
from pathlib import Path

from connectors.base import FeedEntry, SourceSpec
from connectors.http import FetchFailure
from connectors.raw import fetch_deadletter_event
from pipeline.core.errors import ExtractionError, Failure, FeedError, FetchError, failure_of
from pipeline.core.events import deadletter_event
from tests.conftest import assert_valid

SCHEMA = Path(__file__).resolve().parents[4] / "schemas" / "news.deadletter.v1.schema.json"
SPEC = SourceSpec("s", "rss", "https://feeds.test/rss")
ENTRY = FeedEntry("s", "e", "https://news.test/a")


def test_the_dead_letter_of_a_robots_refused_page_is_not_retriable() -> None:
    event = fetch_deadletter_event(SPEC, ENTRY, FetchFailure(Failure.ROBOTS, "robots says no"))
    assert event["retriable"] is False
    assert event["failure"] == "robots"
    assert event["reason"] == "robots says no"
    assert_valid("news.deadletter.v1", event)


def test_a_timeout_is_retriable_in_the_dead_letter_too() -> None:
    event = fetch_deadletter_event(SPEC, ENTRY, FetchFailure(Failure.TIMEOUT, "slow"))
    assert event["retriable"] is True


def test_the_schema_enum_is_the_closed_set() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["failure"]["enum"] == [f.value for f in Failure]


def test_errors_without_a_named_reason_get_one_by_their_kind() -> None:
    assert failure_of(FeedError("x")) is Failure.MALFORMED
    assert failure_of(ExtractionError("x")) is Failure.NOT_EXTRACTABLE
    assert failure_of(FetchError("x")) is Failure.UNREACHABLE
    assert failure_of(RuntimeError("bug")) is Failure.CRASHED


def test_a_worker_dead_letter_carries_its_reason() -> None:
    event = deadletter_event(None, "decode", ValueError("not json"), b"\x00")
    assert event["failure"] == "undecodable"
    assert event["retriable"] is False
    assert_valid("news.deadletter.v1", event)


def test_the_permanent_reasons_are_the_ones_retrying_cannot_fix() -> None:
    permanent = {f for f in Failure if not f.retriable}
    assert {
        Failure.ROBOTS,
        Failure.FORBIDDEN_ADDRESS,
        Failure.TOO_LARGE,
        Failure.BAD_URL,
    } <= permanent
    assert Failure.NETWORK not in permanent and Failure.HTTP_5XX not in permanent
