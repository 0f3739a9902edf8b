"""`newswire topics ensure`: create or check every declared topic; exit 1 on drift."""

from __future__ import annotations

import sys
from typing import TextIO

from pipeline.commands import Commands
from pipeline.core.settings import Settings


def register(commands: Commands) -> None:
    topics = commands.add_parser("topics", help="create or check Kafka topics")
    actions = topics.add_subparsers(dest="action", required=True, metavar="ACTION")
    ensure = actions.add_parser(
        "ensure",
        help="create missing topics; check partitions, replication, retention, compaction,"
        " min.insync.replicas of all (exit 1 on drift)",
    )
    ensure.set_defaults(run=lambda args, settings: run_ensure(settings))


def run_ensure(settings: Settings, out: TextIO = sys.stdout) -> int:
    from pipeline.kafka.topic_check import drift_table, ensure_and_check

    if settings.uses_embedded_broker:
        out.write("no NEWSWIRE_BOOTSTRAP_SERVERS: the embedded broker creates topics itself\n")
        return 2
    report = ensure_and_check(settings)
    for name in report.created:
        out.write(f"created {name}\n")
    if report.unchecked:
        names = sorted({name for _, name in report.unchecked})
        out.write(f"not reported by the broker, unchecked: {', '.join(names)}\n")
    if report.drift:
        out.write(f"drift from the declared configuration ({len(report.drift)}):\n")
        out.writelines(f"{line}\n" for line in drift_table(report.drift))
        return 1
    out.write(f"topics as declared ({report.checked} settings checked)\n")
    return 0
