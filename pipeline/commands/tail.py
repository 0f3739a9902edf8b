"""`newswire tail`: print enriched events as they arrive, with filters."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from pipeline.commands import Commands
from pipeline.core.settings import Settings


@dataclass(frozen=True)
class TailOptions:
    as_json: bool = False
    from_beginning: bool = False
    max_events: int | None = None
    timeout_s: float | None = None
    company: str | None = None
    topic: str | None = None


def matches(event: dict[str, Any], options: TailOptions) -> bool:
    """Company filter: id, ticker or name (case-insensitive); topic filter: topic id."""
    if options.company:
        wanted = options.company.lower()
        if not any(
            wanted in {str(c.get(k) or "").lower() for k in ("id", "ticker", "name")}
            for c in event.get("companies", [])
        ):
            return False
    return not options.topic or any(t.get("id") == options.topic for t in event.get("topics", []))


def summary_line(event: dict[str, Any]) -> str:
    companies = (
        ", ".join(
            f"{c['name']} ({c['ticker'] or c['id']}) {c['sentiment']['label']}"
            for c in event.get("companies", [])[:5]
        )
        or "-"
    )
    topics = ", ".join(t["id"] for t in event.get("topics", [])) or "-"
    sentiment = event.get("sentiment", {})
    return (
        f"[{event.get('language', '?')}] {event.get('title') or event.get('url')}\n"
        f"    companies: {companies}\n    topics: {topics}\n"
        f"    sentiment: {sentiment.get('label')} ({sentiment.get('score')})"
    )


def register(commands: Commands) -> None:
    tail = commands.add_parser("tail", help="print enriched events as they arrive")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest event")
    tail.add_argument("--max", type=int, default=None, help="stop after N events")
    tail.add_argument("--timeout", type=float, default=None, help="stop after S seconds")
    tail.add_argument("--company", help="only events naming this company (id, ticker or name)")
    tail.add_argument("--topic", help="only events with this topic id")
    tail.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    options = TailOptions(
        args.json, args.from_beginning, args.max, args.timeout, args.company, args.topic
    )
    return run_tail(settings, options)


def run_tail(settings: Settings, options: TailOptions, out: TextIO = sys.stdout) -> int:
    from pipeline.kafka import clients
    from pipeline.kafka.reader import iter_events

    shown = 0
    for _, event in iter_events(
        clients.connection_for(settings),
        [settings.topics.enriched_topic],
        options.from_beginning,
        options.timeout_s,
    ):
        if not matches(event, options):
            continue
        out.write(json.dumps(event, ensure_ascii=False) if options.as_json else summary_line(event))
        out.write("\n")
        out.flush()
        shown += 1
        if options.max_events is not None and shown >= options.max_events:
            break
    return 0
