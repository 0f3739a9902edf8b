"""A Faust transport for newswire, pinned to faust-streaming 0.15.3 (tests fail if it changes).

Two changes to Faust's aiokafka driver, both for the embedded broker's traps (see the README):
- End offsets for table recovery come from a fetch's high-watermark, not ListOffsets: Tansu
  answers ListOffsets(LATEST) with the base offset + 1 of the last batch, so after a multi-record
  batch Faust would stop recovering early and lose table updates. The high-watermark in fetch
  responses is right, on Tansu and on Apache Kafka alike.
- The consumer's fetch wait is configurable: the driver hard-codes 1500 ms, and Tansu answers a
  waiting fetch by sleeping, so every hop would cost up to that long.
Use it with the broker URL scheme `newswire://host:port` (registered on import).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, cast

import aiokafka
import faust
from faust.transport import drivers
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

log = logging.getLogger(__name__)

PINNED_FAUST = "0.15.3"
SCHEME = "newswire"
CONFIRM_TIMEOUT_S = 10.0


async def confirmed_end_offsets(
    bootstrap: str | list[str], reported: Mapping[TP, int]
) -> dict[TP, int]:
    """End offsets read from fetch responses' high-watermarks (the reported value is a floor)."""
    partitions = list(reported)
    if not partitions:
        return {}
    consumer = aiokafka.AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await consumer.start()
    confirmed: dict[TP, int] = {}
    try:
        topic_partitions = [aiokafka.TopicPartition(tp.topic, tp.partition) for tp in partitions]
        consumer.assign(topic_partitions)
        for tp in topic_partitions:
            consumer.seek(tp, max(0, (reported[cast(TP, tp)] or 0) - 1))
        deadline = time.monotonic() + CONFIRM_TIMEOUT_S
        while len(confirmed) < len(partitions) and time.monotonic() < deadline:
            await consumer.getmany(timeout_ms=200, max_records=1)
            for tp in topic_partitions:
                highwater = consumer.highwater(tp)
                if highwater is not None:
                    confirmed[TP(tp.topic, tp.partition)] = max(highwater, reported[cast(TP, tp)])
                    consumer.pause(tp)
    finally:
        await consumer.stop()
    for tp in partitions:
        if tp not in confirmed:
            log.warning("no high-watermark for %s; using the reported end offset", tp)
            confirmed[tp] = reported[tp]
    return confirmed


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(self.app, "newswire_fetch_max_wait_ms", None)
        if wait_ms is not None:
            consumer._fetch_max_wait_ms = int(wait_ms)  # read when the consumer starts
        return consumer

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        reported = await super()._highwaters(partitions)
        consumer = self._ensure_consumer()
        bootstrap = consumer._client._bootstrap_servers
        confirmed = await confirmed_end_offsets(bootstrap, dict(reported))
        if confirmed != dict(reported):
            log.info(
                "end offsets corrected from fetch high-watermarks: %s",
                {
                    str(tp): (reported[tp], confirmed[tp])
                    for tp in confirmed
                    if confirmed[tp] != reported[tp]
                },
            )
        return confirmed


class Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer


def register() -> None:
    if faust.__version__ != PINNED_FAUST:
        log.warning(
            "newswire's Faust transport is pinned to faust-streaming %s, found %s",
            PINNED_FAUST,
            faust.__version__,
        )
    drivers.TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"


register()
