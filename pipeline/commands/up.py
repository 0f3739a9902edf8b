"""`newswire up`: broker (embedded unless configured), worker and connectors in one tree."""

from __future__ import annotations

import logging
import signal
import threading

from pipeline.core.settings import Settings
from pipeline.supervisor import running_pipeline

log = logging.getLogger(__name__)


def run_up(settings: Settings) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with running_pipeline(settings) as supervisor:
        log.info("newswire is up on %s; Ctrl-C stops it", supervisor.settings.bootstrap)
        code = supervisor.wait(stop)
    log.info("newswire stopped")
    return code
