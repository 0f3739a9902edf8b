"""The soak: minutes of steady load, sampling the worker's memory and open files to show both flat.

Every article has a new URL, so the dedup state fills up to its capacity and then holds there;
the figure that matters is the growth over the second half of the run: the last sample minus
the sample nearest the middle, for resident memory (RSS) and for open file descriptors, each
summed over the worker and its descendants (the extraction pool, the resource tracker).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer

from pipeline.core.codec import encode
from pipeline.tools.process_fds import open_fds
from pipeline.tools.process_memory import memory_mb

Progress = Callable[[str], None]

# Flat means the second half grew by at most this much. RSS: 2% of its middle value (about 8 MB
# of a 400-MB worker; the allocator creep once measured here, ~1 MB a minute, exceeds it within
# a 30-minute soak's second half). Descriptors: a leak is one per article or per connection,
# so even a slow one passes 2 within minutes; 2 leaves room for one socket opened at the moment
# of a sample.
RSS_TOLERANCE_SHARE = 0.02
FD_TOLERANCE = 2
MIN_SAMPLES = 3  # fewer cannot tell a middle from an end
SAMPLES_PER_SOAK = 8  # a short soak samples more often than every `sample_every_s`


@dataclass(frozen=True)
class SoakSample:
    seconds: float  # since the start of the soak
    rss_mb: float
    fds: int


def take_sample(seconds: float, pids: list[int]) -> SoakSample:
    return SoakSample(round(seconds, 1), memory_mb(pids), open_fds(pids))


def at_middle(points: list[tuple[float, float]]) -> float:
    """The value of the sample nearest the middle of the run (points are (seconds, value))."""
    middle = points[-1][0] / 2
    return min(points, key=lambda point: abs(point[0] - middle))[1]


def growth_second_half(points: list[tuple[float, float]]) -> float:
    """The value at the end minus the value at the sample nearest the middle of the run."""
    if len(points) < 2:
        return 0.0
    return points[-1][1] - at_middle(points)


def verdict(samples: int, growth: float, tolerance: float) -> str:
    if samples < MIN_SAMPLES:
        return "too short to tell"
    return "flat" if growth <= tolerance else "growing"


@dataclass(frozen=True)
class SoakResult:
    articles: int
    rate: float  # articles/s offered during the soak
    capacity: float  # articles/s measured earlier in the same run; `rate` is a share of it
    samples: list[SoakSample]
    backlog_at_end: int | None = None  # raw events the worker had not committed when load stopped
    drained_s: float | None = None  # seconds until that backlog reached 0; None: not in time

    @property
    def seconds(self) -> float:
        return self.samples[-1].seconds if self.samples else 0.0

    @property
    def growth_second_half_mb(self) -> float:
        return growth_second_half([(s.seconds, s.rss_mb) for s in self.samples])

    @property
    def growth_second_half_fds(self) -> int:
        return round(growth_second_half([(s.seconds, s.fds) for s in self.samples]))

    @property
    def rss_tolerance_mb(self) -> float:
        if not self.samples:
            return 0.0
        return RSS_TOLERANCE_SHARE * at_middle([(s.seconds, s.rss_mb) for s in self.samples])

    @property
    def rss_verdict(self) -> str:
        return verdict(len(self.samples), self.growth_second_half_mb, self.rss_tolerance_mb)

    @property
    def fds_tolerance(self) -> int:
        return FD_TOLERANCE

    @property
    def fds_verdict(self) -> str:
        return verdict(len(self.samples), self.growth_second_half_fds, self.fds_tolerance)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "seconds": self.seconds,
            "rate_articles_per_s": round(self.rate, 1),
            "capacity_articles_per_s": round(self.capacity, 1),
            "growth_second_half_mb": round(self.growth_second_half_mb, 1),
            "rss_tolerance_mb": round(self.rss_tolerance_mb, 1),
            "rss_verdict": self.rss_verdict,
            "growth_second_half_fds": self.growth_second_half_fds,
            "fds_tolerance": self.fds_tolerance,
            "fds_verdict": self.fds_verdict,
            "backlog_at_end": self.backlog_at_end,
            "drained_s": self.drained_s,
            "samples": [
                {"seconds": s.seconds, "rss_mb": round(s.rss_mb, 1), "fds": s.fds}
                for s in self.samples
            ],
        }


def drain(
    backlog: Callable[[], int], timeout_s: float, poll_s: float = 0.5
) -> tuple[int, float | None]:
    """The backlog now, and the seconds until it reached 0 (None if not within `timeout_s`)."""
    started = time.perf_counter()
    first = left = backlog()
    while left > 0:
        if time.perf_counter() - started >= timeout_s:
            return first, None
        time.sleep(poll_s)
        left = backlog()
    return first, round(time.perf_counter() - started, 1)


def soak(
    producer: KafkaProducer,
    topic: str,
    events: Iterator[dict[str, Any]],
    rate: float,
    seconds: float,
    processes: Callable[[], list[int]],
    progress: Progress,
    capacity: float,
    backlog: Callable[[], int],
    sample_every_s: float = 15.0,
    drain_timeout_s: float = 30.0,
) -> SoakResult:
    """Produce `rate` events per second for `seconds`, sampling RSS and descriptors as it goes.

    Samples every `sample_every_s`, or more often in a short soak so it has enough of them.
    At the end, waits up to `drain_timeout_s` for the worker's `backlog` (its consumer lag) to
    reach 0: a worker that held the load drains within about one commit interval."""
    every = min(sample_every_s, seconds / SAMPLES_PER_SOAK)
    started = time.perf_counter()
    samples = [take_sample(0.0, processes())]
    sent = 0
    next_sample = every
    for event in events:
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
        if elapsed >= next_sample:
            samples.append(take_sample(elapsed, processes()))
            progress(
                f"soak: {elapsed:.0f} s, {sent} articles, worker RSS {samples[-1].rss_mb:.0f} MB,"
                f" {samples[-1].fds} open fds"
            )
            next_sample += every
        while (wait := started + sent / rate - time.perf_counter()) > 0:
            time.sleep(min(wait, 0.005))
        producer.send(topic, key=event["event_id"].encode(), value=encode(event))
        sent += 1
    producer.flush()
    samples.append(take_sample(time.perf_counter() - started, processes()))
    left, drained_s = drain(backlog, drain_timeout_s)
    return SoakResult(sent, rate, capacity, samples, left, drained_s)
