"""The connectors' polling loop beats (per source polled and per cycle): what /healthz follows."""

from __future__ import annotations

import threading

from connectors.base import SourceSpec
from tests.support.connector_harness import close_all, harness


def test_the_loop_beats_per_cycle_and_per_source() -> None:
    specs = [SourceSpec(f"s{i}", "rss", f"http://127.0.0.1:9/{i}.xml") for i in range(3)]
    made = harness(specs)
    beats: list[int] = []
    made.runner.heartbeat = lambda: beats.append(1)
    made.runner.stop_event.clear()
    stopper = threading.Timer(2.0, made.runner.stop_event.set)
    stopper.start()
    try:
        made.runner.run_forever()  # one cycle polls 3 (unreachable) sources, then waits
    finally:
        stopper.join()
        close_all()
    assert len(beats) >= 1 + 3
