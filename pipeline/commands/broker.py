"""`newswire broker`: run the embedded broker alone until interrupted."""

from __future__ import annotations

import logging

from pipeline.commands import Commands
from pipeline.commands.shutdown import stop_on_signals
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)
BEAT_S = 5.0
IDEMPOTENCE_HINT = (
    "clients of this broker need NEWSWIRE_BOOTSTRAP_SERVERS={bootstrap} and"
    " NEWSWIRE_IDEMPOTENT_PRODUCER=false (it has no idempotent producer)"
)


def register(commands: Commands) -> None:
    parser = commands.add_parser("broker", help="run the embedded broker alone")
    parser.set_defaults(run=lambda args, settings: run_broker(settings))


def run_broker(settings: Settings) -> int:
    """Run until interrupted (0) or until the broker process dies (1); /healthz beats meanwhile,
    /readyz also checks that the broker process runs."""
    from pipeline.core.health import Health, serve_health
    from pipeline.kafka.embedded import EmbeddedBroker
    from pipeline.kafka.topics import ensure_topics

    broker = EmbeddedBroker(settings.kafka.embedded_host, settings.kafka.embedded_port)
    health = Health(BEAT_S * 6)
    health.add_check("broker_running", lambda: broker.running)
    with stop_on_signals() as stop:
        broker.start()
        probes = serve_health(health, settings.metrics.health_port, settings.metrics.metrics_host)
        health.beat()
        try:
            ensure_topics(settings.with_values(bootstrap_servers=broker.bootstrap))
            print(f"embedded broker on {broker.bootstrap}; Ctrl-C stops it", flush=True)
            print(IDEMPOTENCE_HINT.format(bootstrap=broker.bootstrap), flush=True)
            beats = 0
            while not stop.wait(0.5):
                code = broker.exit_code()
                if code is not None:
                    log.error(
                        "the embedded broker exited with %s; everything it held is gone", code
                    )
                    return code or 1
                beats += 1
                if beats % int(BEAT_S / 0.5) == 0:
                    health.beat()
        finally:
            broker.stop()
            if probes is not None:
                probes.close()
    return 0
