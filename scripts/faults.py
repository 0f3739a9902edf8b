"""The fault suite in full: kill -9 of the worker (right after Ready and mid-stream), of the
connectors and of `up`, each 10 times at seeded random moments, and a backlog of 10,000 raw
events; prints one table row per run. Run from the repository root:

    .venv/bin/python scripts/faults.py [--runs 10] [--kills 3] [--backlog 10000] [--seed 1]

Exit status 1 if any run lost an article or gave one article two event ids.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.kafka.embedded import EmbeddedBroker, free_port
from tests.support import fault_runs
from tests.support.fault_runs import Row

HEADER = f"{'scenario':34} {'seed':>5} {'kills':>5} {'expected':>8} {'enriched':>8} " + (
    f"{'dups':>5} {'conflict':>8} {'seconds':>8}  note"
)


def line(row: Row) -> str:
    return (
        f"{row.scenario:34} {row.seed:>5} {row.kills:>5} {row.expected:>8} {row.enriched:>8} "
        f"{row.duplicates:>5} {row.conflicting:>8} {row.seconds:>8.0f}  "
        f"{'ok' if row.ok else 'FAILED'} {row.note}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per kind of kill (10)")
    parser.add_argument("--kills", type=int, default=3, help="kills per run (3)")
    parser.add_argument("--backlog", type=int, default=10_000, help="backlog size (10000)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (1)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows: list[Row] = []
    print(HEADER, flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="newswire-faults-") as tmp_name,
        EmbeddedBroker("127.0.0.1", free_port()) as broker,
    ):
        tmp = Path(tmp_name)
        for run in range(args.runs):
            seed = args.seed + run
            for row in (
                fault_runs.worker_kills(broker, tmp, seed, args.kills, 600, quick=True),
                fault_runs.worker_kills(broker, tmp, seed, args.kills, 600, quick=False),
                fault_runs.connector_kills(broker, tmp, seed, args.kills, up=False),
                fault_runs.connector_kills(broker, tmp, seed, args.kills, up=True),
            ):
                rows.append(row)
                print(line(row), flush=True)
        row = fault_runs.backlog_drain(broker, tmp, args.backlog)
        rows.append(row)
        print(line(row), flush=True)
    failed = [r for r in rows if not r.ok]
    print(f"{len(rows) - len(failed)} of {len(rows)} runs ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
