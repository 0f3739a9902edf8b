"""End offsets that are right on every broker: from a fetch's high-watermark.

Tansu answers ListOffsets(LATEST) with the base offset + 1 of a partition's last batch, which is
too low after a multi-record batch; the high-watermark in fetch responses is right there and on
Apache Kafka. Used for Faust's table recovery and for consumer lag.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from kafka import TopicPartition

from pipeline.kafka import clients

log = logging.getLogger(__name__)

CONFIRM_TIMEOUT_S = 10.0


def confirmed_end_offsets(
    bootstrap: clients.Target, partitions: list[TopicPartition]
) -> dict[TopicPartition, int]:
    if not partitions:
        return {}
    consumer = clients.consumer(bootstrap, "newswire-offsets", fetch_max_wait_ms=100)
    try:
        consumer.assign(partitions)
        reported: Mapping[TopicPartition, int] = consumer.end_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, max(0, reported[tp] - 1))
        confirmed: dict[TopicPartition, int] = {}
        deadline = time.monotonic() + CONFIRM_TIMEOUT_S
        while len(confirmed) < len(partitions) and time.monotonic() < deadline:
            consumer.poll(timeout_ms=200, max_records=1)
            for tp in partitions:
                highwater = consumer.highwater(tp)
                if highwater is not None and tp not in confirmed:
                    confirmed[tp] = max(highwater, reported[tp])
                    consumer.pause(tp)
        for tp in partitions:
            if tp not in confirmed:
                log.warning("no high-watermark for %s; using the reported end offset", tp)
                confirmed[tp] = reported[tp]
        return confirmed
    finally:
        consumer.close()
