"""`newswire broker`: run the embedded broker alone until interrupted."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.commands.shutdown import stop_on_signals
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser("broker", help="run the embedded broker alone")
    parser.set_defaults(run=lambda args, settings: run_broker(settings))


def run_broker(settings: Settings) -> int:
    from pipeline.kafka.embedded import EmbeddedBroker
    from pipeline.kafka.topics import ensure_topics

    broker = EmbeddedBroker(settings.kafka.embedded_host, settings.kafka.embedded_port)
    with stop_on_signals() as stop:
        broker.start()
        try:
            ensure_topics(settings.with_values(bootstrap_servers=broker.bootstrap))
            print(f"embedded broker on {broker.bootstrap}; Ctrl-C stops it", flush=True)
            while not stop.wait(0.5):
                code = broker.exit_code()
                if code is not None:
                    log.error(
                        "the embedded broker exited with %s; everything it held is gone", code
                    )
                    return code or 1
        finally:
            broker.stop()
    return 0
