"""A Faust transport for newswire, pinned to faust-streaming 0.15.3 (tests fail if it changes).

Changes to Faust's aiokafka driver, the first two for the embedded broker's traps (see the README):
- End offsets for table recovery come from a fetch's high-watermark, not ListOffsets: Tansu
  answers ListOffsets(LATEST) with the base offset + 1 of the last batch, so after a multi-record
  batch Faust would stop recovering early and lose table updates. The high-watermark in fetch
  responses is right, on Tansu and on Apache Kafka alike.
- The consumer's fetch wait is configurable: the driver hard-codes 1500 ms, and Tansu answers a
  waiting fetch by sleeping, so every hop would cost up to that long.
- The producer is idempotent when the app's connection says so (Apache Kafka; Faust has no
  setting for it outside transactions).
Use it with the broker URL scheme `newswire://host:port` (registered on import).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aiokafka
import faust
from faust.transport import drivers
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from kafka import TopicPartition

from pipeline.kafka.offsets import confirmed_end_offsets

log = logging.getLogger(__name__)

PINNED_FAUST = "0.15.3"
FETCH_WAIT_ATTRIBUTE = "newswire_fetch_max_wait_ms"  # set on the app by pipeline.kafka.app
SCHEME = "newswire"
CONNECTION_ATTRIBUTE = "newswire_kafka_connection"  # for the end-offset reads


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(self.app, FETCH_WAIT_ATTRIBUTE, None)
        if wait_ms is not None:
            consumer._fetch_max_wait_ms = int(wait_ms)  # read when the consumer starts
        return consumer

    async def _highwaters(self, partitions: list[TP]) -> Mapping[TP, int]:
        reported = await super()._highwaters(partitions)
        bootstrap = getattr(self.app, CONNECTION_ATTRIBUTE, None) or ",".join(
            self._ensure_consumer()._client._bootstrap_servers
        )
        asked = [TopicPartition(tp.topic, tp.partition) for tp in partitions]
        found = await asyncio.to_thread(confirmed_end_offsets, bootstrap, asked)
        confirmed = {
            TP(tp.topic, tp.partition): max(value, reported.get(TP(tp.topic, tp.partition)) or 0)
            for tp, value in found.items()
        }
        corrected = {
            str(tp): (reported.get(tp), value)
            for tp, value in confirmed.items()
            if value != reported.get(tp)
        }
        if corrected:
            log.info("end offsets corrected from fetch high-watermarks: %s", corrected)
        return confirmed


class Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Producer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Mapping[str, Any]:
        extra = dict(super()._settings_extra())
        connection = getattr(self.app, CONNECTION_ATTRIBUTE, None)
        if getattr(connection, "idempotent", False):
            extra.update(acks="all", enable_idempotence=True)
        return extra


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer
    Producer = Producer


def register() -> None:
    if faust.__version__ != PINNED_FAUST:
        log.warning(
            "newswire's Faust transport is pinned to faust-streaming %s, found %s",
            PINNED_FAUST,
            faust.__version__,
        )
    drivers.TRANSPORTS.aliases[SCHEME] = f"{__name__}:Transport"


register()
