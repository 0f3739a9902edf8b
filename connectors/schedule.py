"""When to poll a source next: its own signals, how often it changes, and back-off on failure."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from pipeline.core.clock import utc_now

_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class ScheduleLimits:
    """The intervals come from the settings (connectors/assembly.py), which hold the defaults."""

    min_interval_s: float
    max_interval_s: float
    default_interval_s: float
    backoff_base_s: float = 60.0
    backoff_max_s: float = 6 * 3600.0


@dataclass(frozen=True)
class PollSignals:
    """What the server and the feed say about the next poll, in seconds from now."""

    ttl_s: float | None = None
    max_age_s: float | None = None
    expires_s: float | None = None
    retry_after_s: float | None = None

    @property
    def hint_s(self) -> float | None:
        hints = [h for h in (self.ttl_s, self.max_age_s, self.expires_s) if h is not None]
        return max(hints) if hints else None


def signals_from_headers(headers: dict[str, str], ttl_minutes: float | None = None) -> PollSignals:
    max_age = _MAX_AGE.search(headers.get("cache-control", ""))
    return PollSignals(
        ttl_s=ttl_minutes * 60 if ttl_minutes else None,
        max_age_s=float(max_age.group(1)) if max_age else None,
        expires_s=_seconds_until(headers.get("expires")),
    )


def next_interval(
    previous_s: float | None, changed: bool, signals: PollSignals, limits: ScheduleLimits
) -> float:
    """Adaptive: halve the interval when the source changed, stretch it by half when not;
    never earlier than the source asks; always within the configured limits."""
    interval = previous_s or limits.default_interval_s
    interval = interval / 2 if changed else interval * 1.5
    if signals.hint_s is not None:
        interval = max(interval, signals.hint_s)
    interval = min(max(interval, limits.min_interval_s), limits.max_interval_s)
    if signals.retry_after_s is not None:
        interval = max(interval, signals.retry_after_s)
    return interval


def backoff_interval(
    consecutive_errors: int,
    retry_after_s: float | None,
    limits: ScheduleLimits,
    rng: random.Random | None = None,
) -> float:
    """Exponential back-off with full jitter in [50%, 100%]; Retry-After is a floor."""
    rng = rng or random.Random()
    doublings = 2.0 ** min(max(0, consecutive_errors - 1), 30)  # capped: no float overflow
    ceiling = min(limits.backoff_max_s, limits.backoff_base_s * doublings)
    delay = ceiling * rng.uniform(0.5, 1.0)
    return max(delay, retry_after_s or 0.0)


def _seconds_until(http_date: str | None) -> float | None:
    if not http_date:
        return None
    try:
        return max(0.0, (parsedate_to_datetime(http_date) - utc_now()).total_seconds())
    except (TypeError, ValueError):
        return None
