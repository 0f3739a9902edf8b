"""`newswire up`: broker (embedded unless configured), worker and connectors in one tree."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.commands.shutdown import stop_on_signals
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_NOTICE = (
    "the embedded broker keeps everything in memory (it grows by about {mb} MB per 1,000 "
    "articles of 5 KB pages, more with larger pages) and forgets it all when it stops; set "
    "NEWSWIRE_BOOTSTRAP_SERVERS to use Kafka (docs/delivery.md)"
)
MB_PER_1000_ARTICLES = 14  # measured: docs/delivery.md, "The embedded broker"


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "up", help="run broker (embedded unless configured), worker, connectors"
    )
    parser.set_defaults(run=lambda args, settings: run_up(settings))


def run_up(settings: Settings) -> int:
    from pipeline.supervisor import running_pipeline

    if settings.uses_embedded_broker:
        log.warning(EMBEDDED_NOTICE.format(mb=MB_PER_1000_ARTICLES))
    with stop_on_signals() as stop, running_pipeline(settings) as supervisor:
        log.info("newswire is up on %s; Ctrl-C stops it", supervisor.settings.bootstrap)
        code = supervisor.wait(stop)
    log.info("newswire stopped")
    return code
