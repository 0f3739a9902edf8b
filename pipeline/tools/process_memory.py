"""Resident memory of a process tree, read from /proc (Linux): what the bench and soak report."""

from __future__ import annotations

from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    return [pid, *_descendants(pid)]


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


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _descendants(c)]
