"""`newswire up`: broker (embedded unless configured), worker and connectors in one tree."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.commands.shutdown import stop_on_signals
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "up", help="run broker (embedded unless configured), worker, connectors"
    )
    parser.set_defaults(run=lambda args, settings: run_up(settings))


def run_up(settings: Settings) -> int:
    from pipeline.supervisor import running_pipeline

    with stop_on_signals() as stop, running_pipeline(settings) as supervisor:
        log.info("newswire is up on %s; Ctrl-C stops it", supervisor.settings.bootstrap)
        code = supervisor.wait(stop)
    log.info("newswire stopped")
    return code
