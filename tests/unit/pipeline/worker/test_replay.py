"""The parts of `newswire replay` that need no broker: the window, the times people type,
the changelog records, the progress line."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.commands.replay import parse_when
from pipeline.worker.replay import (
    Progress,
    Window,
    apply_changelog_record,
    changelog_bytes,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def raw(source: str = "a", fetched_at: str | None = "2026-11-25T09:30:00Z") -> dict[str, object]:
    return {"source": {"id": source}, "fetch": {"fetched_at": fetched_at}}


def test_the_window_keeps_a_source_and_a_time_range() -> None:
    assert Window().wants(raw())
    assert Window(source="a").wants(raw()) and not Window(source="b").wants(raw())
    since = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    until = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert Window(since, until).wants(raw())
    assert not Window(since, until).wants(raw(fetched_at="2026-11-25T10:00:00Z")), "until excludes"
    assert Window(since, until).wants(raw(fetched_at="2026-11-25T09:00:00Z")), "since includes"
    assert not Window(since=since).wants(raw(fetched_at=None)), "no time: outside any range"
    assert not Window(source="a").wants({"source": "a"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", datetime(2026, 11, 25, tzinfo=UTC)),
        ("2026-11-25T09:30Z", datetime(2026, 11, 25, 9, 30, tzinfo=UTC)),
        ("2026-11-25T10:30:00+01:00", datetime(2026, 11, 25, 9, 30, tzinfo=UTC)),
        ("90m", NOW - timedelta(minutes=90)),
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
    ],
)
def test_times_people_type(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


def test_a_time_that_is_none_is_a_clear_error() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="7d"):
        parse_when("last tuesday", NOW)


def test_changelog_records_are_read_as_the_worker_writes_them() -> None:
    entries: dict[str, object] = {}
    entry = [["ab"], "art-1", 1, "", "v1"]
    apply_changelog_record(entries, changelog_bytes("https://a.test/ü"), changelog_bytes(entry))
    assert entries == {"https://a.test/ü": entry}
    assert changelog_bytes("https://a.test/ü") == '"https://a.test/ü"'.encode()
    apply_changelog_record(entries, changelog_bytes("https://a.test/ü"), None)
    assert entries == {}
    apply_changelog_record(entries, None, b"[]")
    assert entries == {}


def test_progress_says_how_far_and_what_happened() -> None:
    progress = Progress(total=200, read=50, selected=40, retagged=30, unchanged=9, deadletters=1)
    line = progress.line()
    assert "50/200" in line and "(25%)" in line and "30 re-tagged" in line
    assert "9 unchanged" in line and "1 dead letters" in line
