"""`newswire replay`: re-clean and re-tag news.raw.v1 under the current tagger versions."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import UTC, datetime, timedelta

from pipeline.commands import Commands
from pipeline.core.settings import Settings

log = logging.getLogger(__name__)
RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """`2026-11-25`, `2026-11-25T09:30Z` (UTC unless it says otherwise), or a time ago:
    `90m`, `24h`, `7d`."""
    relative = RELATIVE.match(text.strip())
    if relative:
        amount, unit = float(relative.group(1)), UNITS[relative.group(2)]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no time: use 2026-11-25, 2026-11-25T09:30Z, or 90m, 24h, 7d ago"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "replay",
        help="clean and tag news.raw.v1 again under the current tagger versions",
        description="Re-tags fetched pages in its own consumer group and process pool, beside "
        "the live worker. An article tagged under other versions goes out again with a new "
        "event_id that supersedes the old one; one tagged under these versions does not.",
    )
    parser.add_argument("--since", type=parse_when, help="pages fetched at or after T")
    parser.add_argument("--until", type=parse_when, help="pages fetched before T")
    parser.add_argument("--source", help="only pages of this source id")
    parser.add_argument(
        "--report-every", type=float, default=5.0, help="seconds between progress lines (5)"
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.since and args.until and args.since >= args.until:
        log.error("--since %s is not before --until %s", args.since, args.until)
        return 2
    return run_replay(settings, args.since, args.until, args.source, args.report_every)


def run_replay(
    settings: Settings,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    report_every_s: float = 5.0,
) -> int:
    import asyncio

    from pipeline.cleaning.extract import ExtractionOptions
    from pipeline.kafka.topics import ensure_topics
    from pipeline.tagging.loader import load_tagger, tagger_versions
    from pipeline.worker.pool import ProcessingPool
    from pipeline.worker.replay import Replay, Window

    ensure_topics(settings)
    versions = tagger_versions(load_tagger(settings.worker.tagger))
    log.info("replaying %s under tagger versions %s", settings.topics.raw_topic, versions)
    extraction = ExtractionOptions(
        mode=settings.worker.extraction_mode,
        adaptive_min_chars=settings.worker.extraction_retry_chars,
    )
    pool = ProcessingPool(settings.pool_size, settings.worker.tagger, extraction)
    try:
        replay = Replay(settings, Window(since, until, source), pool, report_every_s=report_every_s)
        progress = asyncio.run(replay.run())
    finally:
        pool.close()
    print(progress.line(), file=sys.stdout)
    return 0
