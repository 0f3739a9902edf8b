"""Consumer lag of the worker's group, right on every broker (end offsets from fetches)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kafka import TopicPartition
from kafka.errors import KafkaError
from prometheus_client import Gauge

from pipeline.kafka import clients
from pipeline.kafka.offsets import confirmed_end_offsets

log = logging.getLogger(__name__)


def group_lag(bootstrap: clients.Target, group: str, topic: str) -> dict[TopicPartition, int]:
    """End offset minus the group's committed offset (no commit yet: the whole partition).

    Reads the group's offsets without joining it (OffsetFetch only)."""
    consumer = clients.consumer(bootstrap, "newswire-lag", group_id=group)
    try:
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        committed = {tp: consumer.committed(tp) for tp in partitions}
    finally:
        consumer.close()
    ends = confirmed_end_offsets(bootstrap, partitions)
    return {tp: max(0, ends[tp] - (committed[tp] or 0)) for tp in partitions}


class LagMonitor:
    """Measures the lag of `group` on `topic` every `interval_s` seconds into a gauge."""

    def __init__(
        self,
        bootstrap: clients.Target,
        group: str,
        topic: str,
        gauge: Gauge,
        interval_s: float = 15.0,
        on_measure: Callable[[int], object] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.group = group
        self.topic = topic
        self.gauge = gauge
        self.interval_s = interval_s
        self.on_measure = on_measure  # called with the total lag after each measurement
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lag-monitor", daemon=True)

    def start(self) -> LagMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval_s + 15)

    def measure(self) -> None:
        lags = group_lag(self.bootstrap, self.group, self.topic)
        for tp, lag in lags.items():
            self.gauge.labels(tp.topic, str(tp.partition)).set(lag)
        if self.on_measure is not None:
            self.on_measure(sum(lags.values()))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.measure()
            except KafkaError as exc:
                log.warning("consumer lag not measured: %s", exc)
            self._stop.wait(self.interval_s)
