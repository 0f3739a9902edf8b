"""The worker's probes: alive while a Faust timer beats (the event loop is not stuck), ready once
the group has given it its partitions and their tables are recovered.

Readiness drops when partitions are revoked (a rebalance) and returns when Faust reports the
rebalance complete. A worker beyond the partition count gets an empty assignment: it is a
correct, idle member of the group and counts as ready.
"""

from __future__ import annotations

from typing import Any

import faust

from pipeline.core.health import Health

BEAT_INTERVAL_S = 5.0
STALE_AFTER_S = 60.0  # twelve missed beats
CHECK = "partitions_assigned"


class Assignment:
    """Follows the app's rebalances: `ready` between a completed rebalance and a revocation."""

    def __init__(self) -> None:
        self.ready = False
        self.partitions = 0

    def on_revoked(self, sender: Any, *args: Any, signal: Any, **kwargs: Any) -> None:
        self.ready = False

    def on_assigned(self, sender: Any, *args: Any, signal: Any, **kwargs: Any) -> None:
        self.partitions = len(args[0]) if args else 0

    def on_complete(self, sender: Any, *args: Any, signal: Any, **kwargs: Any) -> None:
        self.ready = True


def watch_worker(app: faust.App, health: Health, interval_s: float = BEAT_INTERVAL_S) -> Assignment:
    """Beat `health` from a timer and make readiness follow the partition assignment."""
    assignment = Assignment()
    # mode's signal types do not accept bound methods; the handlers take (sender, *args, signal)
    handlers: list[tuple[Any, Any]] = [
        (app.on_partitions_revoked, assignment.on_revoked),
        (app.on_partitions_assigned, assignment.on_assigned),
        (app.on_rebalance_complete, assignment.on_complete),
    ]
    for signal, handler in handlers:
        signal.connect(handler)

    @app.timer(interval=interval_s)
    async def beat() -> None:
        health.beat()

    health.add_check(CHECK, lambda: assignment.ready)
    return assignment
