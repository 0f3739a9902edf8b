"""Timezone-aware UTC times, written the one way newswire writes them."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`; a naive time is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def now_iso() -> str:
    return iso_utc(utc_now())


def parse_iso(text: str | None) -> str | None:
    """An ISO 8601 time (`Z` allowed, naive taken as UTC) written the newswire way; None when
    the text is no such time."""
    if not text:
        return None
    try:
        return iso_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None
