"""`newswire broker`: run the embedded broker alone until interrupted."""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import replace

from pipeline.core.settings import Settings
from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.topics import ensure_topics

log = logging.getLogger(__name__)


def run_broker(settings: Settings) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    broker = EmbeddedBroker(settings.embedded_host, settings.embedded_port)
    broker.start()
    try:
        ensure_topics(replace(settings, bootstrap_servers=broker.bootstrap))
        print(f"embedded broker on {broker.bootstrap}; Ctrl-C stops it", flush=True)
        stop.wait()
    finally:
        broker.stop()
    return 0
