"""CPU and memory of a process's children (the worker's extraction pool), for Prometheus.

prometheus_client's process collector sees only the process that serves /metrics; the pool
processes that do the extraction are its children. Register this collector in the worker:

    REGISTRY.register(PoolProcessCollector())

and it exports, summed over every descendant process (read from /proc, Linux):

- `newswire_pool_process_cpu_seconds_total`: user + system CPU of the live descendants plus
  what the exited, reaped children used (the parent's cutime/cstime), so a pool restart does
  not make the counter fall;
- `newswire_pool_process_resident_memory_bytes`: resident memory of the live descendants;
- `newswire_pool_processes`: how many there are.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
PROC = Path("/proc")


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (from /proc/PID/task/*/children)."""
    return [pid, *_descendants(pid)]


def _descendants(pid: int) -> list[int]:
    found = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _descendants(c)]


class PoolProcessCollector(Collector):
    """Collects the children of `pid` (default: this process) at every scrape."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid = os.getpid() if pid is None else pid

    def collect(self) -> Iterator[Metric]:
        children = process_tree(self.pid)[1:]
        cpu_ticks = self._reaped_children_ticks()
        resident = live = 0
        for child in children:
            stat = self._stat(child)
            if stat is None:
                continue  # exited between the listing and the read
            live += 1
            cpu_ticks += stat[0] + stat[1]
            resident += stat[2] * PAGE_SIZE
        cpu = CounterMetricFamily(
            "newswire_pool_process_cpu_seconds",
            "User and system CPU of the worker's pool (child) processes, exited ones included",
        )
        cpu.add_metric([], cpu_ticks / CLOCK_TICKS)
        yield cpu
        yield GaugeMetricFamily(
            "newswire_pool_process_resident_memory_bytes",
            "Resident memory of the worker's live pool (child) processes",
            value=resident,
        )
        yield GaugeMetricFamily(
            "newswire_pool_processes", "Live pool (child) processes of the worker", value=live
        )

    def _reaped_children_ticks(self) -> int:
        fields = self._stat_fields(self.pid)
        return int(fields[13]) + int(fields[14]) if fields else 0

    def _stat(self, pid: int) -> tuple[int, int, int] | None:
        """utime and stime (clock ticks) and resident pages of one process."""
        fields = self._stat_fields(pid)
        if fields is None:
            return None
        return int(fields[11]), int(fields[12]), int(fields[21])

    def _stat_fields(self, pid: int) -> list[str] | None:
        """Fields of /proc/PID/stat after the command name (field 3 on, so index 0 = state)."""
        try:
            text = (PROC / str(pid) / "stat").read_text()
        except OSError:
            return None
        return text[text.rindex(")") + 2 :].split()
