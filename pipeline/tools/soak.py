"""The soak: minutes of steady load, sampling the worker's resident memory to show it stays flat.

Every article has a new URL, so the dedup state fills up to its capacity and then holds there;
the figure that matters is the growth over the second half of the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer

from pipeline.core.codec import encode
from pipeline.tools.process_memory import memory_mb

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SoakResult:
    articles: int
    samples: list[tuple[float, float]]  # (seconds since start, worker RSS in MB)

    @property
    def growth_second_half_mb(self) -> float:
        """RSS at the end minus RSS at the sample nearest the middle of the run."""
        if len(self.samples) < 2:
            return 0.0
        middle = self.samples[-1][0] / 2
        start = min(self.samples, key=lambda s: abs(s[0] - middle))
        return self.samples[-1][1] - start[1]


def soak(
    producer: KafkaProducer,
    topic: str,
    events: Iterator[dict[str, Any]],
    rate: float,
    seconds: float,
    processes: Callable[[], list[int]],
    progress: Progress,
    sample_every_s: float = 15.0,
) -> SoakResult:
    """Produce `rate` events per second for `seconds`, sampling RSS every `sample_every_s`."""
    started = time.perf_counter()
    samples = [(0.0, memory_mb(processes()))]
    sent = 0
    next_sample = sample_every_s
    for event in events:
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
        if elapsed >= next_sample:
            samples.append((round(elapsed, 1), memory_mb(processes())))
            progress(f"soak: {elapsed:.0f} s, {sent} articles, worker RSS {samples[-1][1]:.0f} MB")
            next_sample += sample_every_s
        while (wait := started + sent / rate - time.perf_counter()) > 0:
            time.sleep(min(wait, 0.005))
        producer.send(topic, key=event["event_id"].encode(), value=encode(event))
        sent += 1
    producer.flush()
    samples.append((round(time.perf_counter() - started, 1), memory_mb(processes())))
    return SoakResult(sent, samples)
