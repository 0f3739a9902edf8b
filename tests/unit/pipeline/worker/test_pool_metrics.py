"""The pool collector sees a child's memory and CPU, and its CPU counter survives the child."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from pipeline.worker.pool_metrics import PoolProcessCollector

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

CHILD = """
import sys, time
ballast = bytearray(64 * 1024 * 1024)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
start = time.process_time()
while time.process_time() - start < 0.3:
    pass
print("ready", flush=True)
time.sleep(60)
"""


def sample(registry: CollectorRegistry, name: str) -> float:
    value = registry.get_sample_value(name)
    assert value is not None, f"{name} missing"
    return value


def test_a_child_is_counted_while_it_runs_and_its_cpu_after_it_exits() -> None:
    registry = CollectorRegistry()
    registry.register(PoolProcessCollector())
    before_cpu = sample(registry, "newswire_pool_process_cpu_seconds_total")
    before_rss = sample(registry, "newswire_pool_process_resident_memory_bytes")
    before_count = sample(registry, "newswire_pool_processes")
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        assert sample(registry, "newswire_pool_processes") == before_count + 1
        rss = sample(registry, "newswire_pool_process_resident_memory_bytes") - before_rss
        assert rss > 60 * 1024 * 1024, "the child's 64 MB ballast is resident"
        running_cpu = sample(registry, "newswire_pool_process_cpu_seconds_total")
        assert running_cpu - before_cpu >= 0.25
    finally:
        child.kill()
        child.wait(timeout=10)
    time.sleep(0.05)
    assert sample(registry, "newswire_pool_processes") == before_count
    assert sample(registry, "newswire_pool_process_cpu_seconds_total") >= running_cpu, (
        "a reaped child's CPU stays counted (cutime), so the counter never falls"
    )


def test_a_process_that_is_gone_reports_zero_not_an_error() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(timeout=10)
    registry = CollectorRegistry()
    registry.register(PoolProcessCollector(pid=gone.pid))
    assert sample(registry, "newswire_pool_processes") == 0
    assert sample(registry, "newswire_pool_process_cpu_seconds_total") == 0
