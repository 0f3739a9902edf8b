"""Resident memory of a process tree, read from /proc (Linux): what the bench and soak report."""

from __future__ import annotations

from pathlib import Path

from pipeline.worker.pool_metrics import process_tree

__all__ = ["memory_mb", "process_tree"]


def memory_mb(pids: list[int], field: str = "VmRSS") -> float:
    """Sum of a /proc status field over processes, in MB: `VmRSS` now, `VmHWM` at peak."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # the process has exited
    return total / 1024
